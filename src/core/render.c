#include "core/render.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static const char *const format_names[] = { "quilt", "dep3", "mbox", "stable-queue" };

bool render_format_parse(const char *s, enum render_format *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(format_names); i++)
		if (!strcmp(s, format_names[i])) {
			*out = (enum render_format)i;
			return true;
		}
	return false;
}

const char *render_format_name(enum render_format f)
{
	return format_names[f];
}

void render_stable_queue_name(struct strbuf *out, const char *subject)
{
	size_t start = out->len, n = 0;
	bool dash = false;

	for (const char *p = subject; *p; p++) {
		int c = tolower((unsigned char)*p);

		if (isalnum(c) || c == '_') {
			if (n + (dash && n) >= 100)
				break;
			if (dash && n) {
				strbuf_addch(out, '-');
				n++;
			}
			strbuf_addch(out, (char)c);
			n++;
			dash = false;
		} else {
			dash = true;
		}
	}
	if (out->len == start)
		strbuf_addstr(out, "patch");
	strbuf_addstr(out, ".patch");
}

void render_output_dir_name(struct strbuf *out, enum render_format f, const char *line)
{
	size_t n = strlen(line);

	if (f != RENDER_STABLE_QUEUE) {
		strbuf_addstr(out, line);
		return;
	}
	if (n > 2 && !strcmp(line + n - 2, ".y"))
		n -= 2;
	strbuf_addstr(out, "queue-");
	strbuf_add(out, line, n);
}

static bool is_hex40(const char *s)
{
	for (int i = 0; i < 40; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return !isxdigit((unsigned char)s[40]);
}

bool render_upstream_id(const char *message, char out[41])
{
	static const char *const marks[] = { "[ Upstream commit ", "commit " };

	for (size_t m = 0; m < ARRAY_SIZE(marks); m++) {
		for (const char *p = message; (p = strstr(p, marks[m])); p++) {
			const char *id = p + strlen(marks[m]);

			if (p != message && p[-1] != '\n')
				continue;
			if (is_hex40(id) && (m == 0 || !strncmp(id + 40, " upstream", 9))) {
				memcpy(out, id, 40);
				out[40] = '\0';
				return true;
			}
		}
	}
	return false;
}

bool render_parse_ident(const char *from, char **name, char **email)
{
	const char *lt = strchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t n;

	if (!lt || !gt || gt == lt + 1)
		return false;
	n = (size_t)(lt - from);
	while (n && isspace((unsigned char)from[n - 1]))
		n--;
	if (n >= 2 && from[0] == '"' && from[n - 1] == '"') {
		*name = xstrndup(from + 1, n - 2);
	} else {
		*name = xstrndup(from, n);
	}
	*email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

bool render_parse_date(const char *date, long long *when, int *offset)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = date, *comma = strchr(date, ',');
	char mon[4] = { 0 };
	int d, y, hh, mm, ss = 0, zone, n = 0;
	const char *mp;

	if (comma)
		p = comma + 1;
	if (sscanf(p, " %d %3s %d %d:%d:%d %d%n", &d, mon, &y, &hh, &mm, &ss,
		   &zone, &n) < 7)
		return false;
	mp = strstr(months, mon);
	if (!mp || strlen(mon) != 3 || (mp - months) % 3 || d < 1 || d > 31 ||
	    hh > 23 || mm > 59 || ss > 60)
		return false;
	*offset = (zone / 100) * 60 + (zone % 100);
	*when = days_from_civil(y, (unsigned)((mp - months) / 3 + 1), (unsigned)d) * 86400 +
		hh * 3600 + mm * 60 + ss - (long long)*offset * 60;
	return true;
}

/* " mm/vmscan.c | 5 +++--" and the summary line, from a diff's text. */
static void add_diffstat(struct strbuf *out, const char *diff)
{
	struct strbuf files = STRBUF_INIT;
	size_t nr_files = 0, ins = 0, del = 0, fins = 0, fdel = 0;
	char *path = NULL;
	const char *p = diff;

	for (;;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		bool last = !eol;

		if ((len > 6 && !strncmp(p, "+++ b/", 6)) || last) {
			if (path) {
				size_t total = fins + fdel;

				strbuf_addf(&files, " %s | %zu ", path, total);
				strbuf_addchars(&files, '+', fins);
				strbuf_addchars(&files, '-', fdel);
				strbuf_addch(&files, '\n');
				free(path);
				path = NULL;
			}
			if (!last) {
				path = xstrndup(p + 6, len - 6);
				nr_files++;
				fins = fdel = 0;
			}
		} else if (len >= 1 && p[0] == '+' && strncmp(p, "+++ ", 4)) {
			ins++;
			fins++;
		} else if (len >= 1 && p[0] == '-' && strncmp(p, "--- ", 4)) {
			del++;
			fdel++;
		}
		if (last)
			break;
		p = eol + 1;
	}
	strbuf_addstr(out, files.buf);
	strbuf_addf(out, " %zu file%s changed", nr_files, nr_files == 1 ? "" : "s");
	if (ins)
		strbuf_addf(out, ", %zu insertion%s(+)", ins, ins == 1 ? "" : "s");
	if (del)
		strbuf_addf(out, ", %zu deletion%s(-)", del, del == 1 ? "" : "s");
	strbuf_addch(out, '\n');
	strbuf_release(&files);
}

static void add_message(struct strbuf *out, const char *message, const char *note)
{
	size_t n = strlen(message);

	if (note) {
		const char *eol = strchr(message, '\n');
		size_t first = !strncmp(message, "[ Upstream commit ", 18) && eol ?
			       (size_t)(eol + 1 - message) : 0;

		strbuf_add(out, message, first);
		if (first)
			strbuf_addch(out, '\n');
		strbuf_addf(out, "%s\n\n", note);
		message += first;
		message += strspn(message, "\n");
		n = strlen(message);
	}
	while (n && message[n - 1] == '\n')
		n--;
	strbuf_add(out, message, n);
	strbuf_addch(out, '\n');
}

void render_patch(struct strbuf *out, enum render_format f, const struct render_info *ri)
{
	const struct patch *p = ri->patch;
	const char *subject = p->subject ? p->subject : p->name;

	switch (f) {
	case RENDER_MBOX:
	case RENDER_STABLE_QUEUE:
		strbuf_addf(out, "From %s Mon Sep 17 00:00:00 2001\n",
			    ri->upstream ? ri->upstream :
			    "0000000000000000000000000000000000000000");
		break;
	case RENDER_QUILT:
	case RENDER_DEP3:
		break;
	}
	if (p->from)
		strbuf_addf(out, "From: %s\n", p->from);
	if (p->date)
		strbuf_addf(out, "Date: %s\n", p->date);
	switch (f) {
	case RENDER_QUILT:
		strbuf_addf(out, "Subject: [PATCH] %s\n", subject);
		break;
	case RENDER_MBOX:
		strbuf_addf(out, "Subject: [PATCH %s] %s\n", ri->line, subject);
		break;
	case RENDER_DEP3:
		strbuf_addf(out, "Subject: %s\n", subject);
		if (ri->upstream) {
			strbuf_addf(out, "Origin: backport, "
				    "https://git.kernel.org/linus/%s\n", ri->upstream);
			strbuf_addf(out, "Applied-Upstream: commit:%s\n", ri->upstream);
		} else {
			strbuf_addstr(out, "Origin: backport\n");
		}
		strbuf_addstr(out, "Forwarded: not-needed\n");
		strbuf_addf(out, "Last-Update: %s\n", ri->today);
		break;
	case RENDER_STABLE_QUEUE:
		strbuf_addf(out, "Subject: %s\n", subject);
		break;
	}
	strbuf_addch(out, '\n');
	/* stable's backport note, first in the body, once */
	if (f == RENDER_STABLE_QUEUE && ri->upstream &&
	    !strstr(p->message ? p->message : "", "[ Upstream commit "))
		strbuf_addf(out, "[ Upstream commit %s ]\n\n", ri->upstream);
	add_message(out, p->message ? p->message : "", ri->note);
	strbuf_addstr(out, "---\n");
	add_diffstat(out, ri->diff);
	strbuf_addch(out, '\n');
	strbuf_addstr(out, ri->diff);
	if (f == RENDER_MBOX)
		strbuf_addf(out, "-- \nbackport-mglru %s\n\n", ri->version);
}
