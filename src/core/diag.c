#include "core/diag.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

void diag_list_release(struct diag_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->items[i].file);
		free(l->items[i].message);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static bool diag_equal(const struct diag *a, const struct diag *b)
{
	return a->kind == b->kind && a->line == b->line && a->col == b->col &&
	       same_str(a->file, b->file) && same_str(a->message, b->message);
}

void diag_list_add(struct diag_list *l, const struct diag *d)
{
	struct diag *n;

	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	n = &l->items[l->nr++];
	n->kind = d->kind;
	n->file = d->file ? xstrdup(d->file) : NULL;
	n->line = d->line;
	n->col = d->col;
	n->message = xstrdup(d->message ? d->message : "");
}

/*
 * Copies line into sb without ANSI colour sequences and without a final CR,
 * gcc's UTF-8 quotes (U+2018, U+2019) as "'": the same message reads the
 * same whatever locale the compiler ran in.
 */
static void strip_line(struct strbuf *sb, const char *p, size_t n)
{
	strbuf_reset(sb);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\033' && i + 1 < n && p[i + 1] == '[') {
			i += 2;
			while (i < n && !(p[i] >= '@' && p[i] <= '~'))
				i++;
			continue;
		}
		if (i + 2 < n && p[i] == '\xe2' && p[i + 1] == '\x80' &&
		    (p[i + 2] == '\x98' || p[i + 2] == '\x99')) {
			strbuf_addch(sb, '\'');
			i += 2;
			continue;
		}
		strbuf_addch(sb, p[i]);
	}
	if (sb->len && sb->buf[sb->len - 1] == '\r')
		strbuf_setlen(sb, sb->len - 1);
}

/* Parses the trailing ":N" of s[0..*n) into *v, shortening *n; false if none. */
static bool take_number(const char *s, size_t *n, size_t *v)
{
	size_t end = *n, i = end, val = 0, mul = 1;

	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i == end || i == 0 || s[i - 1] != ':' || end - i > 9)
		return false;
	for (size_t k = end; k > i; k--) {
		val += (size_t)(s[k - 1] - '0') * mul;
		mul *= 10;
	}
	*v = val;
	*n = i - 1;
	return true;
}

static char *relative_path(const char *p, size_t n, const char *const *roots,
			   size_t nr_roots)
{
	for (size_t i = 0; i < nr_roots; i++) {
		size_t rl = strlen(roots[i]);

		if (rl && n > rl + 1 && !strncmp(p, roots[i], rl) && p[rl] == '/') {
			p += rl + 1;
			n -= rl + 1;
			break;
		}
	}
	while (n > 2 && p[0] == '.' && p[1] == '/') {
		p += 2;
		n -= 2;
	}
	return xstrndup(p, n);
}

static const struct {
	const char *tag;
	enum diag_kind kind;
} gcc_tags[] = {
	{ ": fatal error: ", DIAG_ERROR },
	{ ": error: ", DIAG_ERROR },
	{ ": warning: ", DIAG_WARNING },
};

static bool parse_gcc_line(const char *s, const char *const *roots, size_t nr_roots,
			   struct diag *d)
{
	for (size_t t = 0; t < ARRAY_SIZE(gcc_tags); t++) {
		const char *hit = strstr(s, gcc_tags[t].tag);
		size_t n, a = 0, b = 0;

		if (!hit || hit == s)
			continue;
		n = (size_t)(hit - s);
		/* "file:line:col" or "file:line" or a bare "cc1" */
		if (take_number(s, &n, &b)) {
			if (take_number(s, &n, &a)) {
				d->line = a;
				d->col = b;
			} else {
				d->line = b;
			}
		}
		if (!n || memchr(s, ' ', n))
			return false;
		d->kind = gcc_tags[t].kind;
		d->file = relative_path(s, n, roots, nr_roots);
		d->message = xstrdup(hit + strlen(gcc_tags[t].tag));
		return true;
	}
	return false;
}

static bool parse_make_line(const char *s, struct diag *d)
{
	const char *stars = strstr(s, ": *** ");

	if (!stars || strncmp(s, "make", 4))
		return false;
	stars += 6;
	if (!strncmp(stars, "Waiting for unfinished jobs", 27))
		return false;
	d->kind = DIAG_MAKE_ERROR;
	d->message = xstrdup(stars);
	return true;
}

void diag_parse(struct diag_list *out, const char *text, size_t len,
		const char *const *roots, size_t nr_roots)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct diag d = { DIAG_ERROR, NULL, 0, 0, NULL };
		bool dup = false;

		strip_line(&line, p, n);
		p += n + (nl ? 1 : 0);
		if (!parse_gcc_line(line.buf, roots, nr_roots, &d) &&
		    !parse_make_line(line.buf, &d))
			continue;
		for (size_t i = 0; i < out->nr && !dup; i++)
			dup = diag_equal(&out->items[i], &d);
		if (!dup)
			diag_list_add(out, &d);
		free(d.file);
		free(d.message);
	}
	strbuf_release(&line);
}

const struct diag *diag_first_error(const struct diag_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->items[i].kind == DIAG_ERROR)
			return &l->items[i];
	for (size_t i = 0; i < l->nr; i++)
		if (l->items[i].kind == DIAG_MAKE_ERROR)
			return &l->items[i];
	return NULL;
}

size_t diag_count(const struct diag_list *l, enum diag_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < l->nr; i++)
		n += l->items[i].kind == kind;
	return n;
}

void diag_new_warnings(const struct diag_list *baseline, const struct diag_list *now,
		       struct diag_list *out)
{
	bool *used = xcalloc(baseline->nr ? baseline->nr : 1, sizeof(*used));

	for (size_t i = 0; i < now->nr; i++) {
		const struct diag *w = &now->items[i];
		bool matched = false;

		if (w->kind != DIAG_WARNING)
			continue;
		for (size_t j = 0; j < baseline->nr && !matched; j++) {
			const struct diag *b = &baseline->items[j];

			if (used[j] || b->kind != DIAG_WARNING ||
			    !same_str(b->file, w->file) || strcmp(b->message, w->message))
				continue;
			used[j] = true;
			matched = true;
		}
		if (!matched)
			diag_list_add(out, w);
	}
	free(used);
}

char *diag_format(const struct diag *d)
{
	if (!d->file)
		return xstrdup(d->message);
	if (!d->line)
		return xstrfmt("%s: %s", d->file, d->message);
	return xstrfmt("%s:%zu: %s", d->file, d->line, d->message);
}

static const char *const kind_names[] = { "error", "warning", "make" };

static void add_field(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++)
		strbuf_addch(sb, *s == '\t' || *s == '\n' ? ' ' : *s);
}

char *diag_dump(const struct diag_list *l)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < l->nr; i++) {
		const struct diag *d = &l->items[i];

		strbuf_addf(&sb, "%s\t%zu\t%zu\t", kind_names[d->kind], d->line, d->col);
		add_field(&sb, d->file ? d->file : "-");
		strbuf_addch(&sb, '\t');
		add_field(&sb, d->message);
		strbuf_addch(&sb, '\n');
	}
	return strbuf_detach(&sb, NULL);
}

int diag_load(struct diag_list *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n), *f[5], *s = line, *num_end;
		struct diag d = { DIAG_ERROR, NULL, 0, 0, NULL };
		size_t k;
		int ret = 0;

		p += n + (nl ? 1 : 0);
		lineno++;
		for (k = 0; k < 5 && s; k++) {
			f[k] = s;
			s = k < 4 ? strchr(s, '\t') : NULL;
			if (s)
				*s++ = '\0';
		}
		if (k < 5) {
			ret = error("malformed diagnostic at line %zu: %zu fields", lineno, k);
		} else {
			bool known = false;

			for (size_t i = 0; i < ARRAY_SIZE(kind_names); i++)
				if (!strcmp(f[0], kind_names[i])) {
					d.kind = (enum diag_kind)i;
					known = true;
				}
			d.line = strtoul(f[1], &num_end, 10);
			if (!known || *num_end)
				ret = error("malformed diagnostic at line %zu: '%s'", lineno, f[0]);
			d.col = strtoul(f[2], &num_end, 10);
			d.file = strcmp(f[3], "-") ? f[3] : NULL;
			d.message = f[4];
			if (!ret)
				diag_list_add(out, &d);
		}
		free(line);
		if (ret)
			return -1;
	}
	return 0;
}
