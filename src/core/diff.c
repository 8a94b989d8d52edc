/* Unified diff of two buffers: trim, Myers on the middle, hunks. */
#include "core/diff.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Beyond this many differences the middle is one replacement. */
#define MAX_EDIT_COST 1000

struct dline {
	const char *p;
	size_t len; /* without '\n' */
	bool nl;
	uint64_t hash;
};

struct dfile {
	struct dline *v;
	size_t nr, alloc;
};

static void dfile_split(struct dfile *f, const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);
		struct dline *l;
		uint64_t h = 1469598103934665603ULL;

		ALLOC_GROW(f->v, f->nr + 1, f->alloc);
		l = &f->v[f->nr++];
		l->p = s;
		l->len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		l->nl = nl != NULL;
		for (size_t i = 0; i < l->len; i++)
			h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
		l->hash = h ^ l->nl;
		s = nl ? nl + 1 : end;
	}
}

static bool dline_eq(const struct dline *a, const struct dline *b)
{
	return a->hash == b->hash && a->len == b->len && a->nl == b->nl &&
	       !memcmp(a->p, b->p, a->len);
}

/* One entry per line of the edit script. */
enum dop { OP_SAME, OP_DEL, OP_ADD };

struct script {
	enum dop *v;
	size_t nr, alloc;
};

static void script_add(struct script *s, enum dop op, size_t n)
{
	ALLOC_GROW(s->v, s->nr + n, s->alloc);
	while (n--)
		s->v[s->nr++] = op;
}

/*
 * Myers' greedy O(ND) algorithm on a[0..n) and b[0..m), keeping each round's
 * frontier to trace the path back.  Returns false past MAX_EDIT_COST.
 */
static bool myers(const struct dline *a, size_t n, const struct dline *b,
		  size_t m, struct script *out)
{
	long N = (long)n, M = (long)m, max = N + M, dmax;
	long off, found_d = -1;
	long *v, **trace;
	enum dop *rev = NULL;
	size_t nrev = 0;
	bool ok = false;

	dmax = max < MAX_EDIT_COST ? max : MAX_EDIT_COST;
	off = dmax + 1;
	v = xcalloc(2 * off + 1, sizeof(*v));
	trace = xcalloc(dmax + 1, sizeof(*trace));
	for (long d = 0; d <= dmax && found_d < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x, y;

			if (k == -d ||
			    (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < N && y < M && dline_eq(&a[x], &b[y]))
				x++, y++;
			v[off + k] = x;
			if (x >= N && y >= M) {
				found_d = d;
				break;
			}
		}
		/* Only diagonals -d..d can be reached by round d. */
		trace[d] = xmalloc((2 * d + 1) * sizeof(**trace));
		memcpy(trace[d], v + off - d, (2 * d + 1) * sizeof(*v));
	}
	if (found_d < 0)
		goto out;

	/* Walk back from (N, M), collecting ops in reverse. */
	rev = xmalloc((size_t)(N + M + 1) * sizeof(*rev));
	{
		long x = N, y = M;

		for (long d = found_d; d > 0; d--) {
			const long *pv = trace[d - 1]; /* index k + (d - 1) */
			long k = x - y, pk, px, mid_x, mid_y;

			if (k == -d ||
			    (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1]))
				pk = k + 1;
			else
				pk = k - 1;
			px = pv[pk + d - 1];
			mid_x = pk == k + 1 ? px : px + 1;
			mid_y = mid_x - k;
			while (x > mid_x && y > mid_y) {
				rev[nrev++] = OP_SAME;
				x--, y--;
			}
			if (pk == k + 1) {
				rev[nrev++] = OP_ADD;
				y--;
			} else {
				rev[nrev++] = OP_DEL;
				x--;
			}
			if (x != px || y != px - pk)
				BUG("myers trace out of step");
		}
		while (x > 0 && y > 0) {
			rev[nrev++] = OP_SAME;
			x--, y--;
		}
		if (x || y)
			BUG("myers trace did not reach the origin");
	}
	while (nrev)
		script_add(out, rev[--nrev], 1);
	ok = true;
out:
	for (long d = 0; d <= dmax; d++)
		free(trace[d]);
	free(trace);
	free(v);
	free(rev);
	return ok;
}

static void add_range(struct strbuf *out, size_t start, size_t count)
{
	/* start is the 0-based index of the first line of the range. */
	if (count == 1)
		strbuf_addf(out, "%zu", start + 1);
	else if (count == 0)
		strbuf_addf(out, "%zu,0", start);
	else
		strbuf_addf(out, "%zu,%zu", start + 1, count);
}

static void add_line(struct strbuf *out, char op, const struct dline *l)
{
	strbuf_addch(out, op);
	strbuf_add(out, l->p, l->len);
	strbuf_addch(out, '\n');
	if (!l->nl)
		strbuf_addstr(out, "\\ No newline at end of file\n");
}

/* git's default funcname: the last line before the hunk starting a word. */
static void add_funcname(struct strbuf *out, const struct dfile *a,
			 size_t before)
{
	while (before-- > 0) {
		const struct dline *l = &a->v[before];
		size_t n;

		if (!l->len || !(isalpha((unsigned char)l->p[0]) ||
				 l->p[0] == '_' || l->p[0] == '$'))
			continue;
		n = l->len;
		while (n && isspace((unsigned char)l->p[n - 1]))
			n--;
		if (n > 80)
			n = 80;
		strbuf_addch(out, ' ');
		strbuf_add(out, l->p, n);
		return;
	}
}

size_t diff_files(struct strbuf *out, const char *path, const char *old,
		  size_t old_len, const char *new_text, size_t new_len,
		  const struct diff_opts *opts)
{
	struct dfile a = {0}, b = {0};
	struct script s = {0};
	size_t ctx = opts && opts->context ? opts->context : 3;
	size_t pre = 0, suf = 0, nr_hunks = 0;
	size_t i, ai, bi;

	dfile_split(&a, old, old_len);
	dfile_split(&b, new_text, new_len);
	while (pre < a.nr && pre < b.nr && dline_eq(&a.v[pre], &b.v[pre]))
		pre++;
	while (suf < a.nr - pre && suf < b.nr - pre &&
	       dline_eq(&a.v[a.nr - 1 - suf], &b.v[b.nr - 1 - suf]))
		suf++;
	if (pre == a.nr && pre == b.nr)
		goto out;

	script_add(&s, OP_SAME, pre);
	if (!myers(a.v + pre, a.nr - pre - suf, b.v + pre, b.nr - pre - suf,
		   &s)) {
		script_add(&s, OP_DEL, a.nr - pre - suf);
		script_add(&s, OP_ADD, b.nr - pre - suf);
	}
	script_add(&s, OP_SAME, suf);

	strbuf_addf(out, "diff --git a/%s b/%s\n", path, path);
	if (opts && opts->old_id && opts->new_id)
		strbuf_addf(out, "index %s..%s%s%s\n", opts->old_id,
			    opts->new_id, opts->mode ? " " : "",
			    opts->mode ? opts->mode : "");
	strbuf_addf(out, "--- a/%s\n+++ b/%s\n", path, path);

	/* Group changes: a gap of up to 2 * ctx unchanged lines joins hunks. */
	i = ai = bi = 0;
	while (i < s.nr) {
		size_t start, end, a0, b0, na = 0, nb = 0, j, lead;

		while (i < s.nr && s.v[i] == OP_SAME)
			i++, ai++, bi++;
		if (i == s.nr)
			break;
		lead = ai < ctx ? ai : ctx;
		start = i - lead;
		a0 = ai - lead;
		b0 = bi - lead;
		end = i;
		for (;;) {
			size_t gap = 0;

			while (end < s.nr && s.v[end] != OP_SAME)
				end++;
			while (end + gap < s.nr && s.v[end + gap] == OP_SAME)
				gap++;
			if (end + gap < s.nr && gap <= 2 * ctx) {
				end += gap;
				continue;
			}
			end += gap < ctx ? gap : ctx;
			break;
		}
		for (j = start; j < end; j++) {
			na += s.v[j] != OP_ADD;
			nb += s.v[j] != OP_DEL;
		}
		strbuf_addstr(out, "@@ -");
		add_range(out, a0, na);
		strbuf_addstr(out, " +");
		add_range(out, b0, nb);
		strbuf_addstr(out, " @@");
		add_funcname(out, &a, a0);
		strbuf_addch(out, '\n');
		ai = a0;
		bi = b0;
		for (j = start; j < end; j++) {
			switch (s.v[j]) {
			case OP_SAME:
				add_line(out, ' ', &a.v[ai]);
				ai++, bi++;
				break;
			case OP_DEL:
				add_line(out, '-', &a.v[ai]);
				ai++;
				break;
			case OP_ADD:
				add_line(out, '+', &b.v[bi]);
				bi++;
				break;
			}
		}
		i = end;
		nr_hunks++;
	}
out:
	free(a.v);
	free(b.v);
	free(s.v);
	return nr_hunks;
}
