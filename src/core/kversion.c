#include "core/kversion.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/*
 * Finds "NAME = value" at the start of a line; copies the trimmed value
 * into out.  Returns false when there is no such assignment.
 */
static bool makefile_var(const char *text, size_t len, const char *name,
			 char *out, size_t outsz)
{
	size_t nlen = strlen(name);
	const char *end = text + len, *p = text;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nlen && !memcmp(p, name, nlen) &&
		    (p[nlen] == ' ' || p[nlen] == '\t' || p[nlen] == '=')) {
			size_t n;

			q = p + nlen;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (q < eol && *q == '=') {
				q++;
				while (q < eol && (*q == ' ' || *q == '\t'))
					q++;
				n = (size_t)(eol - q);
				while (n && isspace((unsigned char)q[n - 1]))
					n--;
				if (n >= outsz)
					n = outsz - 1;
				memcpy(out, q, n);
				out[n] = '\0';
				return true;
			}
		}
		p = eol + 1;
	}
	return false;
}

static bool parse_num(const char *s, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 100000)
		return false;
	*out = (int)v;
	return true;
}

int kversion_parse_makefile(struct kversion *kv, const char *text, size_t len)
{
	char buf[64];

	memset(kv, 0, sizeof(*kv));
	if (!makefile_var(text, len, "VERSION", buf, sizeof(buf)) ||
	    !parse_num(buf, &kv->version))
		return error("no VERSION in the top-level Makefile");
	if (!makefile_var(text, len, "PATCHLEVEL", buf, sizeof(buf)) ||
	    !parse_num(buf, &kv->patchlevel))
		return error("no PATCHLEVEL in the top-level Makefile");
	if (makefile_var(text, len, "SUBLEVEL", buf, sizeof(buf)) && *buf &&
	    !parse_num(buf, &kv->sublevel))
		return error("bad SUBLEVEL '%s' in the top-level Makefile", buf);
	if (!makefile_var(text, len, "EXTRAVERSION", kv->extra, sizeof(kv->extra)))
		kv->extra[0] = '\0';
	return 0;
}

void kversion_format(const struct kversion *kv, char *buf, size_t n)
{
	snprintf(buf, n, "%d.%d.%d%s", kv->version, kv->patchlevel,
		 kv->sublevel, kv->extra);
}

void kversion_format_line(const struct kversion *kv, char *buf, size_t n)
{
	snprintf(buf, n, "%d.%d.y", kv->version, kv->patchlevel);
}

bool kversion_parse_line(const char *s, int *version, int *patchlevel)
{
	const char *p = s;
	char *end;
	long a, b;

	if (!strncmp(p, "linux-", 6))
		p += 6;
	if (!isdigit((unsigned char)*p))
		return false;
	a = strtol(p, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return false;
	b = strtol(end + 1, &end, 10);
	if (strcmp(end, ".y") || a > 1000 || b > 1000)
		return false;
	*version = (int)a;
	*patchlevel = (int)b;
	return true;
}
