/*
 * Whether the patched code is what gets compiled.  See compiled.h.
 */
#define _GNU_SOURCE	/* memmem */
#include "core/compiled.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

char *compiled_strip_comments(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	while (*s) {
		if (*s == '"' || *s == '\'') {
			char q = *s;

			strbuf_addch(&sb, *s++);
			while (*s && *s != q) {
				if (*s == '\\' && s[1])
					strbuf_addch(&sb, *s++);
				strbuf_addch(&sb, *s++);
			}
			if (*s)
				strbuf_addch(&sb, *s++);
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");

			strbuf_addch(&sb, ' ');
			s = end ? end + 2 : s + strlen(s);
		} else if (s[0] == '/' && s[1] == '/') {
			break;
		} else {
			strbuf_addch(&sb, *s++);
		}
	}
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

bool compiled_config_has(const char *config, const char *sym)
{
	size_t n = strlen(sym);
	const char *p = config;

	while ((p = strstr(p, sym))) {
		bool at_bol = p == config || p[-1] == '\n';

		if (at_bol && p[n] == '=' && (p[n + 1] == 'y' || p[n + 1] == 'm'))
			return true;
		p += n;
	}
	return false;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

char *compiled_unmet_condition(const char *cond, const char *config)
{
	const char *p;

	if (!cond || strstr(cond, "||"))
		return NULL;
	for (p = cond; (p = strstr(p, "CONFIG_")); ) {
		const char *s = p, *q = p;
		char *sym;
		bool negated = false;
		char *r = NULL;

		while (is_ident(*q))
			q++;
		sym = xstrndup(s, (size_t)(q - s));
		/* look back over "(", "defined", "IS_ENABLED", spaces for a '!' */
		while (s > cond) {
			const char *b = s - 1;

			if (*b == ' ' || *b == '(') {
				s = b;
			} else if (is_ident(*b)) {
				while (s > cond && is_ident(s[-1]))
					s--;
				if (strncmp(s, "defined", 7) && strncmp(s, "IS_ENABLED", 10) &&
				    strncmp(s, "IS_BUILTIN", 10))
					break;
			} else {
				negated = *b == '!';
				break;
			}
		}
		if (!negated && !compiled_config_has(config, sym))
			r = xstrfmt("%s is not set", sym);
		else if (negated && compiled_config_has(config, sym))
			r = xstrfmt("%s is set", sym);
		free(sym);
		if (r)
			return r;
		p = q;
	}
	return NULL;
}

char *compiled_config_reason(const char *config, const char *const *kconfig, size_t nr,
			     const struct variant *v)
{
	char *r = NULL;

	for (size_t i = 0; i < nr; i++) {
		char *sym = xstrfmt("CONFIG_%s", kconfig[i]);

		if (!compiled_config_has(config, sym))
			r = xstrfmt("%s is not set", sym);
		free(sym);
		if (r)
			return r;
	}
	if (v && v->pin.found)
		r = compiled_unmet_condition(v->pin.condition, config);
	if (!r && v && v->unpin.found)
		r = compiled_unmet_condition(v->unpin.condition, config);
	return r;
}

/* Appends s without whitespace. */
static void add_squeezed(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			strbuf_addch(sb, s[i]);
}

/* Skips a string or char literal starting at text[i]; returns the index after it. */
static size_t skip_literal(const char *text, size_t len, size_t i)
{
	char q = text[i++];

	while (i < len && text[i] != q) {
		if (text[i] == '\\')
			i++;
		i++;
	}
	return i + 1;
}

bool compiled_find_definition(const char *text, size_t len, const char *name,
			    struct strbuf *body)
{
	size_t n = strlen(name);
	const char *p = text;

	while ((p = memmem(p, len - (size_t)(p - text), name, n))) {
		size_t i = (size_t)(p - text) + n, depth = 0, start;

		if ((p > text && is_ident(p[-1])) || i >= len || text[i] != '(') {
			p += n;
			continue;
		}
		for (; i < len; i++) {	/* the parameter list */
			if (text[i] == '(')
				depth++;
			else if (text[i] == ')' && !--depth)
				break;
		}
		for (i++; i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'); i++)
			;
		if (i >= len || text[i] != '{') {
			p += n;
			continue;
		}
		start = i;
		for (depth = 0; i < len; i++) {
			if (text[i] == '"' || text[i] == '\'') {
				i = skip_literal(text, len, i) - 1;
				continue;
			}
			if (text[i] == '{')
				depth++;
			else if (text[i] == '}' && !--depth)
				break;
		}
		strbuf_reset(body);
		add_squeezed(body, text + start, (i < len ? i + 1 : len) - start);
		return true;
	}
	return false;
}

char *compiled_missing(const char *itext, size_t len, const char *iname,
		       const char *function, const char *stmt)
{
	struct strbuf body = STRBUF_INIT, want = STRBUF_INIT;
	char *r = NULL;

	if (!compiled_find_definition(itext, len, function, &body)) {
		r = xstrfmt("%s() is not defined in %s", function, iname);
	} else {
		add_squeezed(&want, stmt, strlen(stmt));
		if (!strstr(body.buf, want.buf))
			r = xstrfmt("'%s' is not in %s() in %s", stmt, function, iname);
	}
	strbuf_release(&body);
	strbuf_release(&want);
	return r;
}
