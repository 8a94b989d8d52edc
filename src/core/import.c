#include "core/import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/fix.h"
#include "core/render.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

void import_plan_release(struct import_plan *ip)
{
	free(ip->id);
	free(ip->upstream);
	free(ip->subject);
	free(ip->patch_name);
	free(ip->conf);
	free(ip->patch_text);
	memset(ip, 0, sizeof(*ip));
}

/*
 * The name of the function s (one line, len bytes) defines or declares:
 * the identifier before the first '(' of a line that starts at column 0
 * with a type, not a preprocessor line, a label or a statement.
 */
static char *definition_name(const char *s, size_t len, bool need_column0)
{
	const char *paren = memchr(s, '(', len), *end, *start;

	if (!len || !paren || (need_column0 && (isspace((unsigned char)*s) || *s == '#' ||
						 *s == '}' || *s == '{')))
		return NULL;
	if (memchr(s, ';', len) && (const char *)memchr(s, ';', len) < paren)
		return NULL;
	end = paren;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > s && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
		start--;
	if (start == end || isdigit((unsigned char)*start))
		return NULL;
	/* "if (", "while (" and the like are statements, not definitions */
	if ((end - start == 2 && !strncmp(start, "if", 2)) ||
	    (end - start == 5 && !strncmp(start, "while", 5)) ||
	    (end - start == 3 && !strncmp(start, "for", 3)) ||
	    (end - start == 6 && !strncmp(start, "switch", 6)) ||
	    (end - start == 6 && !strncmp(start, "return", 6)) ||
	    (end - start == 6 && !strncmp(start, "sizeof", 6)))
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

char *import_hunk_function(const struct hunk *h)
{
	char *name = NULL;

	/* a definition line in the hunk before its first change */
	for (size_t i = 0; i < h->nr_lines && h->lines[i].op == ' '; i++) {
		char *n = definition_name(h->lines[i].text, h->lines[i].len, true);

		if (n) {
			free(name);
			name = n;
		}
	}
	if (name)
		return name;
	return definition_name(h->section, h->section_len, false);
}

/*
 * The id from the subject: "mm/vmscan: fix x" -> "mm-vmscan-fix-x", cut
 * after the last whole word that fits in 48 characters.
 */
static char *id_from_subject(const char *subject)
{
	struct strbuf sb = STRBUF_INIT;
	bool dash = false;

	for (const char *p = subject; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (dash && sb.len)
				strbuf_addch(&sb, '-');
			strbuf_addch(&sb, (char)tolower((unsigned char)*p));
			dash = false;
		} else {
			dash = true;
		}
	}
	if (sb.len > 48) {
		size_t cut = 48;

		while (cut && sb.buf[cut] != '-')
			cut--;
		strbuf_setlen(&sb, cut ? cut : 48);
	}
	return strbuf_detach(&sb, NULL);
}

/* A git-config value in double quotes, with " and \ escaped. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(sb, '\\');
		if (*s == '\t')
			strbuf_addstr(sb, "\\t");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

/* The "From <40 hex> Mon Sep 17 00:00:00 2001" line of git format-patch. */
static bool format_patch_id(const char *text, size_t len, char out[41])
{
	if (len < 46 || strncmp(text, "From ", 5))
		return false;
	for (int i = 0; i < 40; i++)
		if (!isxdigit((unsigned char)text[5 + i]))
			return false;
	if (text[45] != ' ')
		return false;
	for (int i = 0; i < 40; i++)
		out[i] = (char)tolower((unsigned char)text[5 + i]);
	out[40] = '\0';
	return true;
}

/* Whether text[off..len) starts with a mail header line, "Name: ...". */
static bool is_header_at(const char *text, size_t len, size_t off)
{
	size_t i = off;

	while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '-'))
		i++;
	return i > off && i + 1 < len && text[i] == ':' && text[i + 1] == ' ';
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/* One message of the input: bytes [start, start + len), from line `line`. */
struct message_span {
	size_t start, len, line;
};

/*
 * The messages of the text: split at mbox separator lines ("From " and a
 * word, git format-patch's and lore's alike) followed by a header line.
 * The first message starts at the text's start.  Caller frees *out.
 */
static size_t split_messages(const char *text, size_t len, struct message_span **out)
{
	struct message_span *v = xcalloc(1, sizeof(*v));
	size_t nr = 1, alloc = 1, line = 1;
	bool seen = false;

	v[0].line = 1;
	for (size_t off = 0; off < len; line++) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;

		if (end - off > 6 && starts_with(text + off, end - off, "From ") &&
		    !isspace((unsigned char)text[off + 5]) && is_header_at(text, len, end)) {
			if (seen) {
				v[nr - 1].len = off - v[nr - 1].start;
				ALLOC_GROW(v, nr + 1, alloc);
				v[nr].start = off;
				v[nr].line = line;
				nr++;
			}
			seen = true;
		}
		off = end;
	}
	v[nr - 1].len = len - v[nr - 1].start;
	*out = v;
	return nr;
}

/*
 * Whether a message holds a diff for patch_parse() to read (or to refuse:
 * a binary patch, a hunk with no file header).
 */
static bool message_has_diff(const char *text, size_t len)
{
	for (size_t off = 0; off < len;) {
		const char *l = text + off, *nl = memchr(l, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;

		size_t ll = end - off;

		if (starts_with(l, ll, "diff --git ") || starts_with(l, ll, "@@ ") ||
		    starts_with(l, ll, "GIT binary patch") || starts_with(l, ll, "Binary files "))
			return true;
		if (starts_with(l, ll, "--- ") && starts_with(text + end, len - end, "+++ "))
			return true;
		off = end;
	}
	return false;
}

/*
 * The Subject: of a message as written (continuation lines joined), from
 * its header block; NULL when it has none.  Caller frees.
 */
static char *message_subject(const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool in_subject = false, found = false;

	for (size_t off = 0, n = 0; off < len; n++) {
		const char *l = text + off, *nl = memchr(l, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) + 1 : len, ll = end - off;

		while (ll && (l[ll - 1] == '\n' || l[ll - 1] == '\r'))
			ll--;
		if (!ll)
			break;		/* the end of the headers */
		if (n == 0 && starts_with(l, ll, "From ")) {
			off = end;
			continue;
		}
		if (in_subject && (*l == ' ' || *l == '\t')) {
			strbuf_addch(&sb, ' ');
			while (ll && (*l == ' ' || *l == '\t'))
				l++, ll--;
			strbuf_add(&sb, l, ll);
		} else if (!found && ll >= 8 && !strncasecmp(l, "Subject:", 8)) {
			in_subject = found = true;
			l += 8, ll -= 8;
			while (ll && (*l == ' ' || *l == '\t'))
				l++, ll--;
			strbuf_add(&sb, l, ll);
		} else if (is_header_at(text, len, off)) {
			in_subject = false;
		} else {
			break;		/* not a header block */
		}
		off = end;
	}
	if (!found) {
		strbuf_release(&sb);
		return NULL;
	}
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

bool import_subject_number(const char *subject, size_t *k, size_t *n)
{
	const char *s = subject;
	size_t dummy_k, dummy_n;

	k = k ? k : &dummy_k;
	n = n ? n : &dummy_n;
	*k = *n = 0;
	if (!s)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	while (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return false;
		for (const char *t = s + 1; t < close;) {
			const char *e = t;
			char *stop;
			unsigned long a, b;

			while (e < close && *e != ' ' && *e != '\t')
				e++;
			if (isdigit((unsigned char)*t)) {
				a = strtoul(t, &stop, 10);
				if (*stop == '/' && isdigit((unsigned char)stop[1])) {
					b = strtoul(stop + 1, &stop, 10);
					if (stop == e) {
						*k = a;
						*n = b;
						return true;
					}
				}
			}
			t = e;
			while (t < close && (*t == ' ' || *t == '\t'))
				t++;
		}
		s = close + 1;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	return false;
}

struct func_list {
	char **names;
	size_t nr, alloc;
};

/*
 * import_plan_make() for message `message` of name (0: the file is one
 * message): errors then start with "'<name>' message <n>".
 */
static int plan_make(struct import_plan *ip, const struct patch *p, const char *text,
		     size_t len, const char *name, size_t message, const struct import_opts *o)
{
	const char *id = o->id;
	struct strbuf conf = STRBUF_INIT;
	struct func_list *funcs = xcalloc(p->nr_files + 1, sizeof(*funcs));
	char *who = message ? xstrfmt("'%s' message %zu", name, message) : xstrfmt("'%s'", name);
	char upstream[41];
	int ret = -1;

	memset(ip, 0, sizeof(*ip));
	ip->message = message;
	if (!id && !p->subject) {
		error("%s has no Subject: to name the fix after: give --id", who);
		goto out;
	}
	ip->id = id ? xstrdup(id) : id_from_subject(p->subject);
	if (!fix_id_is_valid(ip->id)) {
		error("%s%s'%s' is not a fix id: a plain name of letters, digits, '.', '_' "
		      "and '-', at most 64", message ? who : "", message ? ": " : "", ip->id);
		goto out;
	}
	ip->subject = xstrdup(p->subject ? p->subject : ip->id);
	if (render_upstream_id(p->message, upstream) || format_patch_id(text, len, upstream))
		ip->upstream = xstrdup(upstream);
	ip->patch_name = xstrfmt("%s.patch", ip->id);
	for (size_t i = 0; i < p->nr_files; i++) {
		const struct file_diff *fd = &p->files[i];
		size_t t = i;	/* the first diff of the same file gets its functions */

		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->files[j].path, fd->path)) {
				t = j;
				break;
			}
		for (size_t k = 0; k < fd->nr_hunks; k++) {
			char *fn = import_hunk_function(&fd->hunks[k]);
			bool seen = false;

			if (!fn) {
				error("%s: cannot tell which function hunk %zu of '%s' (line "
				      "%zu) lives in: no definition line and no @@ function name",
				      who, k + 1, fd->path, fd->hunks[k].patch_line);
				goto out;
			}
			for (size_t j = 0; j < funcs[t].nr && !seen; j++)
				seen = !strcmp(funcs[t].names[j], fn);
			if (seen) {
				free(fn);
				continue;
			}
			ALLOC_GROW(funcs[t].names, funcs[t].nr + 1, funcs[t].alloc);
			funcs[t].names[funcs[t].nr++] = fn;
		}
	}
	strbuf_addf(&conf, "# imported by backport-mglru import from %s", name);
	if (message)
		strbuf_addf(&conf, " (message %zu)", message);
	strbuf_addstr(&conf, "\n[fix]\n\tid = ");
	add_quoted(&conf, ip->id);
	strbuf_addstr(&conf, "\n\tsubject = ");
	add_quoted(&conf, ip->subject);
	strbuf_addstr(&conf, "\n");
	if (ip->upstream)
		strbuf_addf(&conf, "\tupstream = %s\n", ip->upstream);
	strbuf_addf(&conf, "\tpatch = %s\n", ip->patch_name);
	for (size_t i = 0; i < o->nr_kconfig; i++)
		strbuf_addf(&conf, "\tkconfig = %s\n", o->kconfig[i]);
	if (!o->nr_kconfig)
		strbuf_addstr(&conf, "\t# the Kconfig symbols the changed code needs, e.g.\n"
				     "\t# kconfig = LRU_GEN\n");
	for (size_t i = 0; i < p->nr_files; i++) {
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = !strcmp(p->files[j].path, p->files[i].path);
		if (dup)
			continue;
		strbuf_addstr(&conf, "[file ");
		add_quoted(&conf, p->files[i].path);
		strbuf_addstr(&conf, "]\n");
		for (size_t k = 0; k < funcs[i].nr; k++)
			strbuf_addf(&conf, "\tfunction = %s\n", funcs[i].names[k]);
	}
	ip->conf = strbuf_detach(&conf, NULL);
	ret = 0;
out:
	for (size_t i = 0; i < p->nr_files; i++) {
		for (size_t k = 0; k < funcs[i].nr; k++)
			free(funcs[i].names[k]);
		free(funcs[i].names);
	}
	free(funcs);
	free(who);
	strbuf_release(&conf);
	if (ret < 0)
		import_plan_release(ip);
	return ret;
}

int import_plan_make(struct import_plan *ip, const struct patch *p, const char *text,
		     size_t len, const char *name, const struct import_opts *o)
{
	return plan_make(ip, p, text, len, name, 0, o);
}

void import_series_release(struct import_series *s)
{
	for (size_t i = 0; i < s->nr; i++)
		import_plan_release(&s->plans[i]);
	free(s->plans);
	for (size_t i = 0; i < s->nr_skipped; i++)
		free(s->skipped[i].subject);
	free(s->skipped);
	memset(s, 0, sizeof(*s));
}

/*
 * A lore / b4 mbox (its separators "From mboxrd@z ...") is mboxrd: each line
 * of a message that began with ">*From " got one more '>'.  The message as
 * it was sent, one '>' fewer on each such line; NULL when the text is not
 * mboxrd.  Diff lines never start with '>', so only the text around the
 * diff changes, and no line moves.  Caller frees.
 */
static char *mboxrd_unescape(const char *text, size_t len, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;

	if (!starts_with(text, len, "From mboxrd@z "))
		return NULL;
	for (size_t off = 0; off < len;) {
		const char *l = text + off, *nl = memchr(l, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) + 1 : len, q = 0;

		while (q < end - off && l[q] == '>')
			q++;
		if (q && starts_with(l + q, end - off - q, "From "))
			l++;
		strbuf_add(&sb, l, (size_t)(text + end - l));
		off = end;
	}
	return strbuf_detach(&sb, out_len);
}

/* One message's plan: parsed from its own line on, its text kept as the patch. */
static int plan_message(struct import_plan *ip, const char *text, size_t len, size_t line,
			const char *name, size_t message, const struct import_opts *o)
{
	struct patch p = PATCH_INIT;
	size_t unescaped_len = 0;
	char *unescaped = mboxrd_unescape(text, len, &unescaped_len);
	int ret = -1;

	memset(ip, 0, sizeof(*ip));
	if (unescaped) {
		text = unescaped;
		len = unescaped_len;
	}
	if (patch_parse_at(&p, name, text, len, 1, line) < 0) {
		if (message) {
			char *why = xstrdup(error_last());

			error("'%s' message %zu: %s", name, message, why);
			free(why);
		}
		goto out;
	}
	if (plan_make(ip, &p, text, len, name, message, o) < 0)
		goto out;
	ip->patch_text = xstrndup(text, len);
	ip->patch_len = len;
	ret = 0;
out:
	patch_release(&p);
	free(unescaped);
	return ret;
}

int import_series_make(struct import_series *s, const char *text, size_t len,
		       const char *name, const struct import_opts *o)
{
	struct message_span *msgs = NULL;
	size_t nr = split_messages(text, len, &msgs), nr_patches = 0, alloc = 0;
	bool *is_patch = xcalloc(nr, sizeof(*is_patch));
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->nr_messages = nr;
	if (nr == 1) {
		s->plans = xcalloc(1, sizeof(*s->plans));
		if (plan_message(&s->plans[0], text, len, 1, name, 0, o) < 0)
			goto out;
		s->nr = 1;
		ret = 0;
		goto out;
	}
	/* which messages are patches: cover letters and mail without a diff are not */
	for (size_t i = 0; i < nr; i++) {
		const char *mt = text + msgs[i].start;
		char *subject = message_subject(mt, msgs[i].len);
		size_t k, n;
		bool numbered = import_subject_number(subject, &k, &n);

		if (numbered && k > n) {
			error("'%s' message %zu: subject '%s' numbers patch %zu of %zu", name,
			      i + 1, subject, k, n);
			free(subject);
			goto out;
		}
		if ((numbered && k == 0) || !message_has_diff(mt, msgs[i].len)) {
			if (numbered && k > 0) {
				error("'%s' message %zu: patch %zu/%zu ('%s') has no diff", name,
				      i + 1, k, n, subject);
				free(subject);
				goto out;
			}
			ALLOC_GROW(s->skipped, s->nr_skipped + 1, alloc);
			s->skipped[s->nr_skipped].message = i + 1;
			s->skipped[s->nr_skipped++].subject = subject;
			continue;
		}
		/* a reviewer's diff in a thread is not one of the series' patches */
		if (subject && !strncasecmp(subject, "Re:", 3)) {
			error("'%s' message %zu: a reply ('%s') with a diff: import takes the "
			      "patches of a series, not the mail about them", name, i + 1, subject);
			free(subject);
			goto out;
		}
		free(subject);
		is_patch[i] = true;
		nr_patches++;
	}
	if (!nr_patches) {
		error("'%s' holds %zu messages and no patch: none of them has a diff", name, nr);
		goto out;
	}
	if (o->id && nr_patches > 1) {
		error("--id names one fix, and '%s' holds %zu patches: import it without --id "
		      "(each patch takes its id from its subject)", name, nr_patches);
		ret = IMPORT_USAGE;
		goto out;
	}
	s->plans = xcalloc(nr_patches, sizeof(*s->plans));
	for (size_t i = 0; i < nr; i++) {
		struct import_plan *ip = &s->plans[s->nr];

		if (!is_patch[i])
			continue;
		if (plan_message(ip, text + msgs[i].start, msgs[i].len, msgs[i].line, name,
				 i + 1, o) < 0)
			goto out;
		s->nr++;
		for (size_t j = 0; j + 1 < s->nr; j++)
			if (!strcmp(s->plans[j].id, ip->id)) {
				error("'%s' message %zu: fix id '%s' is message %zu's too: import "
				      "one of them alone with --id", name, i + 1, ip->id,
				      s->plans[j].message);
				goto out;
			}
	}
	ret = 0;
out:
	free(is_patch);
	free(msgs);
	if (ret < 0)
		import_series_release(s);
	return ret;
}
