#include "core/kbuild-cmd.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

void kbuild_cmd_release(struct kbuild_cmd *c)
{
	free(c->target);
	free(c->command);
	free(c->source);
	for (size_t i = 0; i < c->nr_deps; i++)
		free(c->deps[i]);
	free(c->deps);
	for (size_t i = 0; i < c->nr_optional; i++)
		free(c->optional[i]);
	free(c->optional);
	memset(c, 0, sizeof(*c));
}

/* "$$" is "$" and "$(pound)" is "#"; any other make construct: -1. */
static int unescape(const char *s, size_t n, char **out)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '$') {
			strbuf_addch(&sb, s[i]);
		} else if (i + 1 < n && s[i + 1] == '$') {
			strbuf_addch(&sb, '$');
			i++;
		} else if (n - i >= 8 && !memcmp(s + i, "$(pound)", 8)) {
			strbuf_addch(&sb, '#');
			i += 7;
		} else {
			strbuf_release(&sb);
			return -1;
		}
	}
	strbuf_rtrim(&sb);
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether line [p, e) starts with prefix, target, then suffix; *rest after. */
static bool starts(const char *p, const char *e, const char *prefix, const char *target,
		   const char *suffix, const char **rest)
{
	size_t a = strlen(prefix), b = strlen(target), c = strlen(suffix);

	if ((size_t)(e - p) < a + b + c || memcmp(p, prefix, a) ||
	    memcmp(p + a, target, b) || memcmp(p + a + b, suffix, c))
		return false;
	*rest = p + a + b + c;
	return true;
}

static void push(char ***v, size_t *nr, size_t *alloc, const char *s, size_t n)
{
	ALLOC_GROW(*v, *nr + 1, *alloc);
	(*v)[(*nr)++] = xstrndup(s, n);
}

/*
 * The dependency words of [p, e): paths, "$(wildcard X)", "$(deps_T)" (the
 * list itself, skipped) and the continuation backslash.
 */
static void take_deps(struct kbuild_cmd *c, const char *p, const char *e)
{
	while (p < e) {
		const char *w;

		while (p < e && is_blank(*p))
			p++;
		if (p >= e)
			break;
		if (e - p > 11 && !memcmp(p, "$(wildcard ", 11)) {
			const char *close;

			p += 11;
			while (p < e && is_blank(*p))
				p++;
			/*
			 * A loop, not memchr(): gcc 12 at -O2 with the
			 * sanitizers loses that p <= e here and warns of an
			 * overread (-Wstringop-overread).
			 */
			for (close = p; close < e && *close != ')'; close++)
				;
			w = close;
			while (w > p && is_blank(w[-1]))
				w--;
			if (w > p)
				push(&c->optional, &c->nr_optional, &c->alloc_optional, p,
				     (size_t)(w - p));
			p = close < e ? close + 1 : e;
			continue;
		}
		for (w = p; w < e && !is_blank(*w); w++)
			;
		if (!(w - p == 1 && *p == '\\') && *p != '$')
			push(&c->deps, &c->nr_deps, &c->alloc_deps, p, (size_t)(w - p));
		p = w;
	}
}

int kbuild_cmd_parse(struct kbuild_cmd *c, const char *target, const char *text,
		     size_t len)
{
	const char *p = text, *end = text + len;
	bool in_deps = false, have_deps = false;

	memset(c, 0, sizeof(*c));
	c->target = xstrdup(target);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *rest;

		if (in_deps) {
			take_deps(c, p, e);
			in_deps = e > p && e[-1] == '\\';
		} else if (!c->command &&
			   (starts(p, e, "savedcmd_", target, " := ", &rest) ||
			    starts(p, e, "cmd_", target, " := ", &rest))) {
			if (unescape(rest, (size_t)(e - rest), &c->command) < 0) {
				kbuild_cmd_release(c);
				return error("the saved command of '%s' has a make construct",
					     target);
			}
		} else if (!c->source && starts(p, e, "source_", target, " := ", &rest)) {
			c->source = xstrndup(rest, (size_t)(e - rest));
		} else if (starts(p, e, "deps_", target, " := ", &rest)) {
			have_deps = true;
			take_deps(c, rest, e);
			in_deps = e > p && e[-1] == '\\';
		} else if (starts(p, e, "", target, ":", &rest)) {
			take_deps(c, rest, e);
		}
		p = nl ? nl + 1 : end;
	}
	if (!c->command || !*c->command || !c->source || !*c->source || !have_deps) {
		const char *what = !c->command || !*c->command ? "command" :
				   !c->source || !*c->source ? "source" : "dependency list";

		kbuild_cmd_release(c);
		return error("no saved %s for '%s'", what, target);
	}
	return 0;
}

static bool plain_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || strchr("_./,+=:@%-", ch);
}

char *kbuild_shell_quote(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	bool plain = *s != '\0';

	for (const char *p = s; *p && plain; p++)
		plain = plain_char(*p);
	if (plain)
		return xstrdup(s);
	strbuf_addch(&sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			strbuf_addstr(&sb, "'\\''");
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_addch(&sb, '\'');
	return strbuf_detach(&sb, NULL);
}

/* Ends a shell word outside quotes. */
static bool word_end(char ch)
{
	return is_blank(ch) || ch == '\n' || strchr(";&|()<>", ch);
}

/* The end of the shell word at s (quotes and backslashes followed). */
static const char *skip_word(const char *s)
{
	char quote = 0;

	for (; *s; s++) {
		if (quote) {
			if (*s == quote)
				quote = 0;
			else if (quote == '"' && *s == '\\' && s[1])
				s++;
		} else if (*s == '\'' || *s == '"') {
			quote = *s;
		} else if (*s == '\\' && s[1]) {
			s++;
		} else if (word_end(*s)) {
			break;
		}
	}
	return s;
}

char *kbuild_cmd_redirect(const struct kbuild_cmd *c, const char *out, const char *depfile)
{
	struct strbuf sb = STRBUF_INIT;
	char *qout = kbuild_shell_quote(out), *mmd = xstrfmt("-Wp,-MMD,%s", depfile);
	char *qmmd = kbuild_shell_quote(mmd);
	size_t tl = strlen(c->target);
	bool after_o = false, moved_o = false;
	const char *p = c->command;

	while (*p) {
		const char *w = skip_word(p);
		size_t n = (size_t)(w - p);

		if (!n) {
			strbuf_addch(&sb, *p++);
			continue;
		}
		if (n == tl && !memcmp(p, c->target, n)) {
			strbuf_addstr(&sb, qout);
			moved_o = moved_o || after_o;
		} else if (n > 9 && !memcmp(p, "-Wp,-MMD,", 9)) {
			strbuf_addstr(&sb, qmmd);
		} else {
			strbuf_add(&sb, p, n);
		}
		after_o = n == 2 && !memcmp(p, "-o", 2);
		p = w;
	}
	free(qout);
	free(mmd);
	free(qmmd);
	if (!moved_o) {
		strbuf_release(&sb);
		error("the saved command of '%s' has no '-o %s'", c->target, c->target);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}
