/* Quilt series files, read and written. */
#include "core/series.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"

void series_add(struct series *s, const char *name, int strip)
{
	struct series_entry *e;

	ALLOC_GROW(s->entries, s->nr + 1, s->alloc);
	e = &s->entries[s->nr++];
	e->name = xstrdup(name);
	e->strip = strip;
	e->line = 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next blank-separated word of [*p, end), or false at the end. */
static bool next_word(const char **p, const char *end, const char **w,
		      size_t *wlen)
{
	while (*p < end && is_blank(**p))
		(*p)++;
	if (*p >= end)
		return false;
	*w = *p;
	while (*p < end && !is_blank(**p))
		(*p)++;
	*wlen = *p - *w;
	return true;
}

static int parse_strip(const char *w, size_t len, int *strip)
{
	long v = 0;

	if (len < 3 || w[0] != '-' || w[1] != 'p')
		return -1;
	for (size_t i = 2; i < len; i++) {
		if (!isdigit((unsigned char)w[i]))
			return -1;
		v = v * 10 + (w[i] - '0');
		if (v > 64)
			return -1;
	}
	*strip = (int)v;
	return 0;
}

static bool is_safe_name(const char *name)
{
	const char *c = name;

	if (*name == '/')
		return false;
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return false;
		c += n;
		while (*c == '/')
			c++;
	}
	return true;
}

int series_parse(struct series *s, const char *name, const char *text,
		 size_t len)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		const char *hash = NULL, *w, *cur;
		size_t wlen;
		int strip = 1;
		char *entry;

		lineno++;
		/* A comment starts at '#' at line start or after a blank. */
		for (const char *c = p; c < eol; c++)
			if (*c == '#' && (c == p || is_blank(c[-1]))) {
				hash = c;
				break;
			}
		if (hash)
			eol = hash;
		cur = p;
		p = nl ? nl + 1 : end;
		if (!next_word(&cur, eol, &w, &wlen))
			continue;
		if (memchr(w, '\0', wlen))
			return error("series '%s' line %zu: NUL in patch name",
				     name, lineno);
		entry = xstrndup(w, wlen);
		if (!is_safe_name(entry)) {
			error("series '%s' line %zu: unsafe patch name '%s'",
			      name, lineno, entry);
			free(entry);
			return -1;
		}
		while (next_word(&cur, eol, &w, &wlen)) {
			if (parse_strip(w, wlen, &strip)) {
				error("series '%s' line %zu: unsupported "
				      "option '%.*s' for '%s' (only -pN)",
				      name, lineno, (int)wlen, w, entry);
				free(entry);
				return -1;
			}
		}
		series_add(s, entry, strip);
		s->entries[s->nr - 1].line = lineno;
		free(entry);
	}
	return 0;
}

void series_release(struct series *s)
{
	for (size_t i = 0; i < s->nr; i++)
		free(s->entries[i].name);
	free(s->entries);
	s->entries = NULL;
	s->nr = s->alloc = 0;
}

void series_write(const struct series *s, struct strbuf *out)
{
	for (size_t i = 0; i < s->nr; i++) {
		strbuf_addstr(out, s->entries[i].name);
		if (s->entries[i].strip != 1)
			strbuf_addf(out, " -p%d", s->entries[i].strip);
		strbuf_addch(out, '\n');
	}
}
