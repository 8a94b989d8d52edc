#include "core/semantic.h"

#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/xalloc.h"

bool semantic_headers_name(const char *cocci, struct strbuf *out)
{
	const char *p = strstr(cocci, SEMANTIC_HEADERS_KEY);
	size_t n;

	if (!p)
		return false;
	p += strlen(SEMANTIC_HEADERS_KEY);
	p += strspn(p, " \t");
	n = strcspn(p, " \t\r\n");
	if (!n || memchr(p, '/', n))
		return false;
	strbuf_add(out, p, n);
	return true;
}

/*
 * The text outside the two functions as one string: each function's lines
 * replaced by one marker line, so that moving a line across a function
 * boundary shows too.
 */
static char *outside(const char *text, size_t len, const struct variant *v)
{
	size_t nr, *off = text_line_starts(text, len, &nr);
	size_t s1 = v->pin.func_start, e1 = v->pin.func_end;
	size_t s2 = v->unpin.func_start, e2 = v->unpin.func_end;
	struct strbuf sb = STRBUF_INIT;

	if (s1 > s2) {
		size_t t = s1;

		s1 = s2, s2 = t, t = e1, e1 = e2, e2 = t;
	}
	for (size_t l = 1; l <= nr; l++) {
		if ((l >= s1 && l <= e1) || (l >= s2 && l <= e2)) {
			if (l == s1 || l == s2)
				strbuf_addstr(&sb, "\1function\n");
			continue;
		}
		strbuf_add(&sb, text + off[l - 1], (l < nr ? off[l] : len) - off[l - 1]);
	}
	free(off);
	return strbuf_detach(&sb, NULL);
}

bool semantic_only_sites_changed(const char *before, size_t blen, const struct variant *vb,
				 const char *after, size_t alen, const struct variant *va,
				 char **why)
{
	char *a, *b;
	bool same;

	*why = NULL;
	if (!vb->pin.found || !vb->unpin.found || !va->pin.found || !va->unpin.found) {
		*why = xstrdup("the pin or the unpin is not found on both sides");
		return false;
	}
	if (strcmp(vb->pin.function, va->pin.function) ||
	    strcmp(vb->unpin.function, va->unpin.function)) {
		*why = xstrfmt("the sites moved from %s()/%s() to %s()/%s()", vb->pin.function,
			       vb->unpin.function, va->pin.function, va->unpin.function);
		return false;
	}
	b = outside(before, blen, vb);
	a = outside(after, alen, va);
	same = !strcmp(a, b);
	if (!same)
		*why = xstrfmt("lines outside %s() and %s() changed", va->pin.function,
			       va->unpin.function);
	free(a);
	free(b);
	return same;
}

/*
 * Where the message's own backport notes start: the first "[ " line after a
 * "Signed-off-by:" line (a note for the line the header patch was written
 * for says nothing true of this one).  The length of the message when none.
 */
static size_t notes_start(const char *msg)
{
	const char *sob = strstr(msg, "\nSigned-off-by:");

	for (const char *p = sob; p && (p = strchr(p, '\n')); p++)
		if (!strncmp(p + 1, "[ ", 2))
			return (size_t)(p + 1 - msg);
	return strlen(msg);
}

void semantic_patch_text(struct strbuf *out, const struct patch *hdr, const char *note,
			 const char *path, const char *before, size_t blen,
			 const char *after, size_t alen)
{
	const char *msg = hdr->message ? hdr->message : "";
	const char *up = strstr(msg, "[ Upstream commit ");
	size_t split = 0, end = notes_start(msg);
	struct diff_opts dopts = DIFF_OPTS_INIT;

	if (up && (up == msg || up[-1] == '\n')) {
		const char *eol = strchr(up, '\n');

		split = eol ? (size_t)(eol + 1 - msg) : strlen(msg);
	}
	if (hdr->from)
		strbuf_addf(out, "From: %s\n", hdr->from);
	if (hdr->date)
		strbuf_addf(out, "Date: %s\n", hdr->date);
	strbuf_addf(out, "Subject: [PATCH] %s\n\n", hdr->subject ? hdr->subject : hdr->name);
	strbuf_add(out, msg, split);
	if (split)
		strbuf_addch(out, '\n');
	strbuf_addf(out, "%s\n\n", note);
	{
		size_t skip = split + strspn(msg + split, "\n");

		if (skip < end)
			strbuf_add(out, msg + skip, end - skip);
	}
	strbuf_rtrim(out);
	strbuf_addstr(out, "\n---\n");
	diff_files(out, path, before, blen, after, alen, &dopts);
}
