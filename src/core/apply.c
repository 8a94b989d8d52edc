/*
 * The hunk applier.  Line numbers are 1-based longs, as in GNU patch, so the
 * arithmetic of its locate_hunk() carries over unchanged; the parser caps
 * every number in a hunk header well below LONG_MAX.
 */
#include "core/apply.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"

/* One line of the target: text without '\n', and whether it had one. */
struct tline {
	const char *p;
	size_t len;
	bool nl;
};

struct text {
	struct tline *v;
	long nr;
	size_t alloc;
};

static void text_split(struct text *t, const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);
		struct tline *l;

		ALLOC_GROW(t->v, (size_t)t->nr + 1, t->alloc);
		l = &t->v[t->nr++];
		l->p = s;
		l->len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		l->nl = nl != NULL;
		s = nl ? nl + 1 : end;
	}
}

/* One side of a hunk: the old lines (forward) or the new lines (reverse). */
struct pattern {
	const struct patch_line **v;
	long nr;
	long first; /* GNU's pch_first(): where the lines start */
	long prefix,
		suffix; /* context before the first / after the last change */
	long context;	/* the larger of the two */
};

static char side_op(char op, bool reverse)
{
	if (!reverse || op == ' ')
		return op;
	return op == '-' ? '+' : '-';
}

static void pattern_build(struct pattern *pat, const struct hunk *h,
			  bool reverse)
{
	size_t start = reverse ? h->new_start : h->old_start;
	size_t count = reverse ? h->new_count : h->old_count;

	pat->v = xcalloc(h->nr_lines ? h->nr_lines : 1, sizeof(*pat->v));
	pat->nr = 0;
	for (size_t i = 0; i < h->nr_lines; i++)
		if (side_op(h->lines[i].op, reverse) != '+')
			pat->v[pat->nr++] = &h->lines[i];
	pat->first = (long)start + (count ? 0 : 1);
	pat->prefix = (long)h->prefix_context;
	pat->suffix = (long)h->suffix_context;
	pat->context = pat->prefix < pat->suffix ? pat->suffix : pat->prefix;
}

static void pattern_release(struct pattern *pat)
{
	free(pat->v);
	pat->v = NULL;
}

static bool line_matches(const struct tline *t, const struct patch_line *p)
{
	return t->len == p->len && t->nl == p->newline &&
	       !memcmp(t->p, p->text, t->len);
}

/* Blank or made only of braces and semicolons: no evidence of place. */
static bool is_weak_line(const struct patch_line *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (!strchr(" \t\r\f\v{};", p->text[i]))
			return false;
	return true;
}

static void fuzz_split(const struct pattern *pat, long fuzz, long *pf, long *sf)
{
	*pf = fuzz + pat->prefix - pat->context;
	*sf = fuzz + pat->suffix - pat->context;
}

/*
 * Whether fuzz may be used: the context lines still compared must include
 * one that is not blank or brace-only.
 */
static bool fuzz_allowed(const struct pattern *pat, long fuzz)
{
	long pf, sf;

	if (!fuzz)
		return true;
	fuzz_split(pat, fuzz, &pf, &sf);
	if (pf < 0)
		pf = 0;
	if (sf < 0)
		sf = 0;
	for (long i = pf; i < pat->nr - sf; i++)
		if (pat->v[i]->op == ' ' && !is_weak_line(pat->v[i]))
			return true;
	return false;
}

/* GNU's patch_match(), bounds checked. */
static bool pattern_matches(const struct text *t, const struct pattern *pat,
			    long where, long pf, long sf)
{
	for (long i = pf; i < pat->nr - sf; i++) {
		long il = where - 1 + i;

		if (il < 0 || il >= t->nr ||
		    !line_matches(&t->v[il], pat->v[i]))
			return false;
	}
	return true;
}

struct locator {
	const struct text *t;
	long in_offset;	  /* where the previous hunk was found, minus its stated
			     line */
	long last_frozen; /* the last line an earlier hunk changed */
};

/* GNU patch's locate_hunk(): 0 when not found. */
static long locate(const struct locator *lc, const struct pattern *pat,
		   long fuzz, long *in_offset)
{
	long first_guess = pat->first + *in_offset;
	long input_lines = lc->t->nr;
	long pat_lines = pat->nr;
	long prefix_fuzz, suffix_fuzz;
	long max_where, min_where, max_pos_offset, max_neg_offset, max_offset;
	long offset;

	fuzz_split(pat, fuzz, &prefix_fuzz, &suffix_fuzz);
	max_where = input_lines - (pat_lines - suffix_fuzz) + 1;
	min_where = lc->last_frozen + 1 - (pat->prefix - prefix_fuzz);
	max_pos_offset = max_where - first_guess;
	max_neg_offset = first_guess - min_where;
	max_offset = max_pos_offset < max_neg_offset ? max_neg_offset
						     : max_pos_offset;

	if (!pat_lines) {
		/* Pure insertion without context: only the stated place. */
		if (first_guess < 1 || first_guess > input_lines + 1 ||
		    first_guess <= lc->last_frozen)
			return 0;
		return first_guess;
	}

	if (first_guess <= max_neg_offset)
		max_neg_offset = first_guess - 1;

	if (prefix_fuzz < 0 && pat->first <= 1) {
		/* Can only match the start of the file. */
		if (suffix_fuzz < 0 &&
		    (pat_lines != input_lines || pat->prefix < lc->last_frozen))
			return 0;
		offset = 1 - first_guess;
		if (lc->last_frozen <= pat->prefix &&
		    offset <= max_pos_offset &&
		    pattern_matches(lc->t, pat, first_guess + offset, 0,
				    suffix_fuzz < 0 ? 0 : suffix_fuzz)) {
			*in_offset += offset;
			return first_guess + offset;
		}
		return 0;
	} else if (prefix_fuzz < 0) {
		prefix_fuzz = 0;
	}

	if (suffix_fuzz < 0) {
		/* Can only match the end of the file. */
		offset = first_guess - (input_lines - pat_lines + 1);
		if (offset <= max_neg_offset &&
		    pattern_matches(lc->t, pat, first_guess - offset,
				    prefix_fuzz, 0)) {
			*in_offset -= offset;
			return first_guess - offset;
		}
		return 0;
	}

	/*
	 * Start where a side first lands in the file: a stated line far past
	 * its end (or before its start) would otherwise walk that far one
	 * line at a time.  The order of the places tried is unchanged.
	 */
	offset = 0;
	if (first_guess > max_where)
		offset = first_guess - max_where;
	else if (first_guess < 1)
		offset = 1 - first_guess;
	for (; offset <= max_offset; offset++) {
		if (offset <= max_pos_offset &&
		    pattern_matches(lc->t, pat, first_guess + offset,
				    prefix_fuzz, suffix_fuzz)) {
			*in_offset += offset;
			return first_guess + offset;
		}
		if (offset > 0 && offset <= max_neg_offset &&
		    pattern_matches(lc->t, pat, first_guess - offset,
				    prefix_fuzz, suffix_fuzz)) {
			*in_offset -= offset;
			return first_guess - offset;
		}
	}
	return 0;
}

/* Indices of the first and last changed line of h (as seen in direction). */
static void change_range(const struct hunk *h, size_t *first, size_t *last)
{
	*first = h->prefix_context;
	*last = h->nr_lines - 1 - h->suffix_context;
}

/*
 * The input lines [*cs, *ce) a hunk placed at where replaces, 1-based;
 * *cs == *ce for a pure insertion before line *cs.  Also GNU's
 * last_frozen_line after applying it.
 */
static void change_lines(const struct hunk *h, bool reverse, long where,
			 long *cs, long *ce, long *frozen)
{
	size_t first, last;
	long o = where;

	change_range(h, &first, &last);
	*cs = *ce = 0;
	*frozen = 0;
	for (size_t i = 0; i <= last; i++) {
		char op = side_op(h->lines[i].op, reverse);

		if (i == first)
			*cs = o;
		if (op == '-') {
			*frozen = o;
			o++;
		} else if (op == '+') {
			*frozen = o - 1;
		} else {
			o++;
		}
	}
	*ce = o;
	if (*ce < *cs)
		*ce = *cs;
}

static void fuzz_refused_reason(struct strbuf *why, long fuzz)
{
	if (why->len)
		return;
	strbuf_addf(why,
		    "; fuzz %ld refused: the context left would be only "
		    "blank or brace lines",
		    fuzz);
}

/* Search [lo, hi] for the hunk, outward from guess, exact then with fuzz. */
static bool search_span(const struct text *t, const struct pattern *pat,
			const struct span *sp, long guess, long maxfuzz,
			long *where, long *fuzz_out, struct strbuf *why)
{
	long change_end = pat->nr - pat->suffix;
	long lo, hi;

	if (change_end < pat->prefix)
		change_end = pat->prefix;
	lo = (long)sp->first_line - pat->prefix;
	hi = (long)sp->last_line - change_end + 1;
	if (lo < 1 - pat->prefix)
		lo = 1 - pat->prefix;
	if (hi < lo)
		return false;
	if (guess < lo)
		guess = lo;
	if (guess > hi)
		guess = hi;
	for (long fuzz = 0; fuzz <= maxfuzz; fuzz++) {
		long pf, sf;

		if (!fuzz_allowed(pat, fuzz)) {
			fuzz_refused_reason(why, fuzz);
			break;
		}
		fuzz_split(pat, fuzz, &pf, &sf);
		if (pf < 0)
			pf = 0;
		if (sf < 0)
			sf = 0;
		for (long off = 0; guess + off <= hi || guess - off >= lo;
		     off++) {
			if (guess + off <= hi &&
			    pattern_matches(t, pat, guess + off, pf, sf)) {
				*where = guess + off;
				*fuzz_out = fuzz;
				return true;
			}
			if (off && guess - off >= lo &&
			    pattern_matches(t, pat, guess - off, pf, sf)) {
				*where = guess - off;
				*fuzz_out = fuzz;
				return true;
			}
		}
	}
	return false;
}

static long min_long(long a, long b)
{
	return a < b ? a : b;
}

static void add_quoted(struct strbuf *sb, const char *p, size_t len)
{
	size_t n = len > 50 ? 50 : len;

	strbuf_addch(sb, '\'');
	strbuf_add(sb, p, n);
	if (n < len)
		strbuf_addstr(sb, "...");
	strbuf_addch(sb, '\'');
}

/* Why the hunk's old lines do not match at where (clamped into the file). */
static void describe_mismatch(struct strbuf *sb, const struct text *t,
			      const struct pattern *pat, const char *path,
			      long where)
{
	if (where < 1)
		where = 1;
	if (where > t->nr)
		where = t->nr ? t->nr : 1;
	for (long i = 0; i < pat->nr; i++) {
		long il = where - 1 + i;
		const struct patch_line *pl = pat->v[i];

		if (il >= t->nr) {
			strbuf_addf(sb, "%s line %ld of the hunk ",
				    pl->op == ' ' ? "context" : "removed",
				    i + 1);
			add_quoted(sb, pl->text, pl->len);
			strbuf_addf(sb,
				    " is past the end of '%s' (%ld lines) "
				    "when placed at line %ld",
				    path, t->nr, where);
			return;
		}
		if (!line_matches(&t->v[il], pl)) {
			strbuf_addf(sb, "%s line %ld of the hunk ",
				    pl->op == ' ' ? "context" : "removed",
				    i + 1);
			add_quoted(sb, pl->text, pl->len);
			if (t->v[il].len == pl->len &&
			    t->v[il].nl != pl->newline &&
			    !memcmp(t->v[il].p, pl->text, pl->len))
				strbuf_addf(sb,
					    " differs in its final newline "
					    "from line %ld of '%s'",
					    il + 1, path);
			else {
				strbuf_addf(sb,
					    " does not match line %ld of "
					    "'%s', ",
					    il + 1, path);
				add_quoted(sb, t->v[il].p, t->v[il].len);
			}
			return;
		}
	}
	strbuf_addf(sb,
		    "the hunk matches at line %ld, which an earlier hunk "
		    "already changed",
		    where);
}

struct placement {
	long where;  /* 0: not placed */
	long cs, ce; /* input lines it changes, [cs, ce) */
	size_t index;
};

struct file_apply {
	const struct file_diff *fd;
	const char *content;
	size_t len;
	const struct apply_opts *opts;
	struct text t;
};

static int ask_span(struct file_apply *fa, const struct hunk *h,
		    struct span *sp)
{
	int ret;

	if (!fa->opts->find_span)
		return 0;
	memset(sp, 0, sizeof(*sp));
	ret = fa->opts->find_span(fa->opts->span_ctx, fa->fd->path, fa->content,
				  fa->len, h, sp);
	if (ret <= 0)
		return ret;
	if (!sp->first_line || sp->last_line < sp->first_line ||
	    sp->last_line > (size_t)fa->t.nr)
		return error("span %zu-%zu for the hunk at patch line %zu is "
			     "outside '%s' (%ld lines)",
			     sp->first_line, sp->last_line, h->patch_line,
			     fa->fd->path, fa->t.nr);
	return 1;
}

static bool inside_span(const struct hunk *h, bool reverse, long where,
			const struct span *sp)
{
	long cs, ce, frozen;

	change_lines(h, reverse, where, &cs, &ce, &frozen);
	return cs >= (long)sp->first_line && ce - 1 <= (long)sp->last_line;
}

/*
 * Places hunk number idx in one direction: GNU patch's fuzz loop (with its
 * reversed-patch check on a file's first hunk), then the span, then, if it
 * still has no place, a search for its other side (already applied).
 */
static int place_hunk(struct file_apply *fa, struct locator *lc, size_t idx,
		      bool reverse, struct hunk_result *res,
		      struct placement *pl)
{
	const struct hunk *h = &fa->fd->hunks[idx];
	struct pattern fwd, rev;
	struct strbuf why = STRBUF_INIT;
	struct span sp;
	long where = 0, fuzz, maxfuzz, guess;
	bool already = false, relocated = false;
	int has_span, ret = -1;

	pattern_build(&fwd, h, reverse);
	pattern_build(&rev, h, !reverse);
	maxfuzz = min_long((long)fa->opts->fuzz, fwd.context);
	guess = fwd.first + lc->in_offset;

	for (fuzz = 0; fuzz <= maxfuzz; fuzz++) {
		if (!fuzz_allowed(&fwd, fuzz)) {
			fuzz_refused_reason(&why, fuzz);
			break;
		}
		where = locate(lc, &fwd, fuzz, &lc->in_offset);
		if (where)
			break;
		if (idx == 0 && !reverse && fuzz_allowed(&rev, fuzz)) {
			long off = lc->in_offset;

			where = locate(lc, &rev, fuzz, &off);
			if (where) {
				already = true;
				lc->in_offset = off;
				break;
			}
		}
	}

	has_span = ask_span(fa, h, &sp);
	if (has_span < 0)
		goto out;
	if (has_span && !already &&
	    (!where || !inside_span(h, reverse, where, &sp))) {
		long w;

		where = 0;
		strbuf_reset(&why);
		if (search_span(&fa->t, &fwd, &sp, guess,
				min_long(fa->opts->fuzz, fwd.context), &w,
				&fuzz, &why)) {
			where = w;
			relocated = true;
			lc->in_offset = w - fwd.first;
		}
	}

	if (!where) {
		long off = lc->in_offset,
		     rmax = min_long(fa->opts->fuzz, rev.context);

		for (fuzz = 0; fuzz <= rmax && fuzz_allowed(&rev, fuzz);
		     fuzz++) {
			where = locate(lc, &rev, fuzz, &off);
			if (where)
				break;
		}
		if (!where && has_span) {
			long w;
			struct strbuf ignored = STRBUF_INIT;

			if (search_span(&fa->t, &rev, &sp, guess, rmax, &w,
					&fuzz, &ignored))
				where = w;
			strbuf_release(&ignored);
		}
		if (where) {
			already = true;
			lc->in_offset = off;
		}
	}

	memset(res, 0, sizeof(*res));
	pl->index = idx;
	pl->where = 0;
	if (!where) {
		struct strbuf reason = STRBUF_INIT;

		res->status = HUNK_FAILED;
		if (has_span)
			strbuf_addf(&reason,
				    "not found in %s (lines %zu-%zu); ",
				    sp.name ? sp.name : "the given span",
				    sp.first_line, sp.last_line);
		describe_mismatch(&reason, &fa->t, &fwd, fa->fd->path, guess);
		strbuf_add(&reason, why.buf, why.len);
		res->reason = strbuf_detach(&reason, NULL);
		ret = 0;
		goto out;
	}
	res->line = (size_t)where;
	res->fuzz = (unsigned)fuzz;
	if (already) {
		res->status = HUNK_ALREADY_APPLIED;
		res->offset = where - rev.first;
		ret = 0;
		goto out;
	}
	res->offset = where - fwd.first;
	res->status = relocated ? HUNK_RELOCATED : HUNK_APPLIED;
	if (relocated)
		res->function = xstrdup(sp.name ? sp.name : "");
	pl->where = where;
	change_lines(h, reverse, where, &pl->cs, &pl->ce, &lc->last_frozen);
	ret = 0;
out:
	strbuf_release(&why);
	pattern_release(&fwd);
	pattern_release(&rev);
	return ret;
}

static int cmp_placement(const void *a, const void *b)
{
	const struct placement *x = a, *y = b;

	if (x->cs != y->cs)
		return x->cs < y->cs ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void emit(struct strbuf *out, bool *after_nl, const char *p, size_t len,
		 bool nl)
{
	if (!*after_nl)
		strbuf_addch(out, '\n');
	strbuf_add(out, p, len);
	if (nl)
		strbuf_addch(out, '\n');
	*after_nl = nl;
}

static void emit_input(struct strbuf *out, bool *after_nl, const struct text *t,
		       long from, long to)
{
	for (long l = from; l < to; l++)
		emit(out, after_nl, t->v[l - 1].p, t->v[l - 1].len,
		     t->v[l - 1].nl);
}

/* The output as GNU patch's apply_hunk()/copy_till() write it. */
static void build_output(struct file_apply *fa, struct placement *pls,
			 size_t nr, struct strbuf *out)
{
	bool after_nl = true;
	long cursor = 1;

	for (size_t k = 0; k < nr; k++) {
		const struct hunk *h = &fa->fd->hunks[pls[k].index];
		size_t first, last;
		long o = pls[k].where;

		emit_input(out, &after_nl, &fa->t, cursor, pls[k].cs);
		change_range(h, &first, &last);
		for (size_t i = 0; i < first; i++)
			o += h->lines[i].op != '+';
		for (size_t i = first; i <= last; i++) {
			const struct patch_line *pl = &h->lines[i];

			if (pl->op == '+') {
				emit(out, &after_nl, pl->text, pl->len,
				     pl->newline);
			} else {
				if (pl->op == ' ')
					emit_input(out, &after_nl, &fa->t, o,
						   o + 1);
				o++;
			}
		}
		cursor = pls[k].ce;
	}
	emit_input(out, &after_nl, &fa->t, cursor, fa->t.nr + 1);
}

/* Marks hunks whose changes overlap an earlier one's; returns how many. */
static size_t check_overlaps(struct placement *pls, size_t nr,
			     struct hunk_result *res)
{
	size_t bad = 0;

	for (size_t k = 1; k < nr; k++) {
		struct hunk_result *r = &res[pls[k].index];

		if (pls[k].cs >= pls[k - 1].ce)
			continue;
		free(r->function);
		r->function = NULL;
		r->status = HUNK_FAILED;
		r->reason = xstrfmt("placed at line %zu, it overlaps hunk #%zu "
				    "at line %ld",
				    r->line, pls[k - 1].index + 1,
				    pls[k - 1].where);
		bad++;
	}
	return bad;
}

static void hunk_results_clear(struct hunk_result *res, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(res[i].function);
		free(res[i].reason);
		memset(&res[i], 0, sizeof(res[i]));
	}
}

/* Every hunk found reversed, in order: the file diff is already there. */
static int is_already_applied(struct file_apply *fa, bool *yes,
			      struct hunk_result *rev)
{
	struct locator lc = {&fa->t, 0, 0};
	struct placement pl;

	*yes = true;
	for (size_t i = 0; i < fa->fd->nr_hunks; i++) {
		if (place_hunk(fa, &lc, i, true, &rev[i], &pl))
			return -1;
		if (rev[i].status != HUNK_APPLIED &&
		    rev[i].status != HUNK_RELOCATED)
			*yes = false;
	}
	return 0;
}

int apply_file_diff(const struct file_diff *fd, const char *content, size_t len,
		    const struct apply_opts *opts, struct file_result *res,
		    struct strbuf *out)
{
	struct apply_opts no_opts = APPLY_OPTS_INIT;
	struct file_apply fa = {fd, content, len, opts ? opts : &no_opts, {0}};
	struct locator lc = {NULL, 0, 0};
	struct placement *pls = NULL;
	struct hunk_result *rev = NULL;
	size_t nr_placed = 0, nr_ok = 0;
	bool already = false;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	res->path = xstrdup(fd->path);
	res->nr_hunks = fd->nr_hunks;
	res->hunks =
		xcalloc(fd->nr_hunks ? fd->nr_hunks : 1, sizeof(*res->hunks));
	res->status = APPLY_FAILED;
	text_split(&fa.t, content, len);
	lc.t = &fa.t;
	pls = xcalloc(fd->nr_hunks ? fd->nr_hunks : 1, sizeof(*pls));

	for (size_t i = 0; i < fd->nr_hunks; i++) {
		if (place_hunk(&fa, &lc, i, false, &res->hunks[i],
			       &pls[nr_placed]))
			goto out;
		if (pls[nr_placed].where)
			nr_placed++;
	}
	qsort(pls, nr_placed, sizeof(*pls), cmp_placement);
	nr_ok = nr_placed - check_overlaps(pls, nr_placed, res->hunks);
	if (nr_ok == fd->nr_hunks) {
		build_output(&fa, pls, nr_placed, out);
		res->status = APPLY_OK;
		ret = 0;
		goto out;
	}

	rev = xcalloc(fd->nr_hunks ? fd->nr_hunks : 1, sizeof(*rev));
	if (is_already_applied(&fa, &already, rev))
		goto out;
	if (already) {
		hunk_results_clear(res->hunks, fd->nr_hunks);
		for (size_t i = 0; i < fd->nr_hunks; i++) {
			res->hunks[i] = rev[i];
			res->hunks[i].status = HUNK_ALREADY_APPLIED;
			memset(&rev[i], 0, sizeof(rev[i]));
		}
		res->status = APPLY_ALREADY_APPLIED;
	}
	ret = 0;
out:
	if (rev)
		hunk_results_clear(rev, fd->nr_hunks);
	free(rev);
	free(pls);
	free(fa.t.v);
	return ret;
}

void file_result_release(struct file_result *res)
{
	hunk_results_clear(res->hunks, res->nr_hunks);
	free(res->hunks);
	free(res->path);
	memset(res, 0, sizeof(*res));
}
