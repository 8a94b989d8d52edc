/*
 * The MGLRU variant classifier.  See locate.h for what it finds; the steps:
 *
 *  1. the unpin: in every function, a parameter P declared
 *     struct mm_struct **P, a release mmput_async/mmput/mmdrop(*P) and, after
 *     it, *P = X;  X is the mm the walk hands out next;
 *  2. the pin: follow X through the iterator and the functions it calls with
 *     X (or whose return value it stores in X), up to two calls deep, to an
 *     mmget_not_zero(X) or mmgrab(X); the lru_gen mm list (list_entry(...,
 *     struct mm_struct, lru_gen.list)) must be read on that path;
 *  3. the shape, from how the pin is reached and the iterator's loop;
 *  4. the exit_mmap() precondition, from the lock state along its body;
 *  5. the status, in the order given in locate.h.
 *
 * This file finds the sites (steps 1 and 2), drives the steps and decides the
 * status.  The shape (step 3) and the notes on other definitions of the
 * functions holding the sites are in locate-shape.c, the precondition (step 4)
 * in precondition.c; what locate.c and locate-shape.c share is in
 * locate-internal.h.
 */
#include "core/locate.h"
#include "core/precondition.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/csource.h"
#include "core/error.h"
#include "core/locate-internal.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#define MAX_DEPTH 2
#define MAX_NAMES 8

/* Token indices of the identifiers that hold the mm being tracked. */
struct names {
	size_t tok[MAX_NAMES];
	size_t nr;
};

struct finder {
	const struct csource *cs;
	struct pin_cand *pins;
	size_t nr_pins, alloc_pins;
};

static bool is_ident(const struct csource *cs, size_t i)
{
	return i < cs->nr_toks && cs->toks[i].kind == CTOK_IDENT;
}

static bool names_has(const struct csource *cs, const struct names *n, size_t i)
{
	if (!is_ident(cs, i))
		return false;
	for (size_t k = 0; k < n->nr; k++)
		if (tok_same(cs, n->tok[k], i))
			return true;
	return false;
}

static void names_add(const struct csource *cs, struct names *n, size_t i)
{
	if (names_has(cs, n, i) || n->nr >= MAX_NAMES)
		return;
	n->tok[n->nr++] = i;
}

/*
 * Splits the list between the '(' at open and its ')' at close into items at
 * commas outside nested brackets: starts[k]..ends[k] (exclusive).  Returns
 * the number of items (at most max).
 */
static size_t split_list(const struct csource *cs, size_t open, size_t close,
			 size_t *starts, size_t *ends, size_t max)
{
	size_t n = 0, b = open + 1;
	int nest = 0;

	if (close == open + 1)
		return 0;
	for (size_t k = open + 1; k <= close; k++) {
		if (ctok_is(cs, k, "(") || ctok_is(cs, k, "[") ||
		    ctok_is(cs, k, "{"))
			nest++;
		else if (k < close &&
			 (ctok_is(cs, k, ")") || ctok_is(cs, k, "]") ||
			  ctok_is(cs, k, "}")))
			nest--;
		if (k == close || (nest == 0 && ctok_is(cs, k, ","))) {
			if (n < max) {
				starts[n] = b;
				ends[n] = k;
			}
			n++;
			b = k + 1;
		}
	}
	return n < max ? n : max;
}

#define MAX_PARAMS 16

/* The name token of parameter k of f (its last identifier), or 0. */
static size_t param_name(const struct csource *cs, const struct cfunc *f,
			 size_t k)
{
	size_t s[MAX_PARAMS], e[MAX_PARAMS];
	size_t n = split_list(cs, f->params_open_tok, f->params_close_tok, s, e,
			      MAX_PARAMS);

	if (k >= n)
		return 0;
	for (size_t i = e[k]; i-- > s[k];)
		if (is_ident(cs, i) && !ctok_is(cs, i, "__maybe_unused"))
			return i;
	return 0;
}

size_t locate_nr_params(const struct csource *cs, const struct cfunc *f)
{
	size_t s[MAX_PARAMS], e[MAX_PARAMS];

	return split_list(cs, f->params_open_tok, f->params_close_tok, s, e,
			  MAX_PARAMS);
}

/* Whether the parameter starting at b reads "... mm_struct **name". */
static bool is_mm_iter_param(const struct csource *cs, size_t b, size_t name)
{
	size_t stars = 0, i = name;

	while (i-- > b && ctok_is(cs, i, "*"))
		stars++;
	return stars == 2 && i >= b && i < name && ctok_is(cs, i, "mm_struct");
}

/*
 * Whether identifier token i (in f) names a struct mm_struct pointer declared
 * in f: "mm_struct *i" or "mm_struct *a, *i".
 */
static bool declares_mm(const struct csource *cs, size_t i)
{
	size_t j = i;

	for (;;) {
		if (!j || !ctok_is(cs, j - 1, "*"))
			return false;
		while (j && ctok_is(cs, j - 1, "*"))
			j--;
		if (!j)
			return false;
		j--;
		if (ctok_is(cs, j, "mm_struct"))
			return true;
		if (!ctok_is(cs, j, ",") || !j || !is_ident(cs, j - 1))
			return false;
		j--;
	}
}

static bool is_mm_var(const struct csource *cs, const struct cfunc *f,
		      size_t name)
{
	for (size_t i = f->params_open_tok; i < f->body_close_tok; i++)
		if (tok_same(cs, i, name) && is_ident(cs, i) &&
		    declares_mm(cs, i))
			return true;
	return false;
}

/*
 * Whether f reads the lru_gen mm list:
 * list_entry(..., struct mm_struct, lru_gen.list) (lrugen.list in older
 * trees).
 */
static bool reads_mm_list(const struct csource *cs, const struct cfunc *f)
{
	for (size_t i = f->body_open_tok; i < f->body_close_tok; i++) {
		size_t close;
		bool mm = false, list = false;

		if (!(ctok_is(cs, i, "list_entry") ||
		      ctok_is(cs, i, "list_first_entry")) ||
		    !ctok_is(cs, i + 1, "("))
			continue;
		close = match_close(cs, i + 1);
		for (size_t k = i + 2; k < close; k++) {
			if (ctok_is(cs, k, "mm_struct"))
				mm = true;
			if ((ctok_is(cs, k, "lru_gen") ||
			     ctok_is(cs, k, "lrugen")) &&
			    ctok_is(cs, k + 1, ".") &&
			    ctok_is(cs, k + 2, "list"))
				list = true;
		}
		if (mm && list)
			return true;
	}
	return false;
}

static enum pin_call call_of(const struct csource *cs, size_t i)
{
	if (ctok_is(cs, i, "mmget_not_zero"))
		return PIN_CALL_MMGET_NOT_ZERO;
	if (ctok_is(cs, i, "mmgrab"))
		return PIN_CALL_MMGRAB;
	if (ctok_is(cs, i, "mmput_async"))
		return PIN_CALL_MMPUT_ASYNC;
	if (ctok_is(cs, i, "mmput"))
		return PIN_CALL_MMPUT;
	if (ctok_is(cs, i, "mmdrop"))
		return PIN_CALL_MMDROP;
	return PIN_CALL_NONE;
}

static void add_pin(struct finder *fd, size_t tok, const struct cfunc *f,
		    enum hop hop, int depth)
{
	for (size_t k = 0; k < fd->nr_pins; k++)
		if (fd->pins[k].tok == tok)
			return; /* reached again along another path */
	ALLOC_GROW(fd->pins, fd->nr_pins + 1, fd->alloc_pins);
	fd->pins[fd->nr_pins].tok = tok;
	fd->pins[fd->nr_pins].func = f;
	fd->pins[fd->nr_pins].hop = hop;
	fd->pins[fd->nr_pins].depth = depth;
	fd->nr_pins++;
}

struct path {
	const struct cfunc *f[MAX_DEPTH + 1];
	int n;
};

static bool path_has(const struct path *p, const struct cfunc *f)
{
	for (int i = 0; i < p->n; i++)
		if (p->f[i] == f)
			return true;
	return false;
}

static void find_pins(struct finder *fd, const struct cfunc *f,
		      const struct names *mm, struct path *path, enum hop hop,
		      bool listed);

/* Follows a call to every definition of the function named by token i. */
static void follow_call(struct finder *fd, size_t i, const struct names *mm,
			struct path *path, enum hop hop, bool listed)
{
	const struct csource *cs = fd->cs;
	size_t close = match_close(cs, i + 1);
	size_t s[MAX_PARAMS], e[MAX_PARAMS], n;
	bool stores = false;
	char *name = ctok_dup(cs, i);
	const struct cfunc *g;

	n = split_list(cs, i + 1, close, s, e, MAX_PARAMS);
	/* mm = g(...), while (!(mm = g(...))) */
	if (i >= 2 && ctok_is(cs, i - 1, "=") && names_has(cs, mm, i - 2) &&
	    !ctok_is(cs, i - 3, "->") && !ctok_is(cs, i - 3, "."))
		stores = true;

	for (size_t d = 0; (g = csource_find_func(cs, name, d)); d++) {
		/* the first call out of the iterator decides the hop */
		bool first = path->n == 1;

		if (path_has(path, g))
			continue;
		for (size_t k = 0; k < n; k++) {
			struct names sub = {.nr = 0};
			size_t p;

			if (e[k] != s[k] + 1 || !names_has(cs, mm, s[k]))
				continue;
			p = param_name(cs, g, k);
			if (!p)
				continue;
			names_add(cs, &sub, p);
			path->f[path->n++] = g;
			find_pins(fd, g, &sub, path, first ? HOP_ARG : hop,
				  listed);
			path->n--;
		}
		if (stores) {
			struct names sub = {.nr = 0};

			/* the mm g hands back: what it returns */
			for (size_t k = g->body_open_tok; k < g->body_close_tok;
			     k++) {
				if (!ctok_is(cs, k, "return"))
					continue;
				for (k++; k < g->body_close_tok &&
					  !ctok_is(cs, k, ";");
				     k++)
					if (is_ident(cs, k) &&
					    !ctok_is(cs, k + 1, "(") &&
					    is_mm_var(cs, g, k))
						names_add(cs, &sub, k);
			}
			if (sub.nr) {
				path->f[path->n++] = g;
				find_pins(fd, g, &sub, path,
					  first ? HOP_RETURN : hop, listed);
				path->n--;
			}
		}
	}
	free(name);
}

static void find_pins(struct finder *fd, const struct cfunc *f,
		      const struct names *mm, struct path *path, enum hop hop,
		      bool listed)
{
	const struct csource *cs = fd->cs;

	listed = listed || reads_mm_list(cs, f);
	for (size_t i = f->body_open_tok + 1; i < f->body_close_tok; i++) {
		enum pin_call call;

		if (!is_ident(cs, i) || !ctok_is(cs, i + 1, "("))
			continue;
		if (ctok_is(cs, i - 1, "->") || ctok_is(cs, i - 1, "."))
			continue; /* a member, not a call of ours */
		call = call_of(cs, i);
		if (call == PIN_CALL_MMGET_NOT_ZERO ||
		    call == PIN_CALL_MMGRAB) {
			if (names_has(cs, mm, i + 2) &&
			    ctok_is(cs, i + 3, ")") && listed)
				add_pin(fd, i, f, hop, path->n - 1);
			continue;
		}
		if (path->n > MAX_DEPTH || call != PIN_CALL_NONE)
			continue;
		follow_call(fd, i, mm, path, hop, listed);
	}
}

/* Every unpin in the file: release of *P, P a struct mm_struct **, then *P = X.
 */
static void find_unpins(const struct csource *cs, struct unpin_cand **out,
			size_t *nr, size_t *alloc)
{
	for (size_t fi = 0; fi < cs->nr_funcs; fi++) {
		const struct cfunc *f = &cs->funcs[fi];
		size_t s[MAX_PARAMS], e[MAX_PARAMS];
		size_t n = split_list(cs, f->params_open_tok,
				      f->params_close_tok, s, e, MAX_PARAMS);

		for (size_t k = 0; k < n; k++) {
			size_t p = param_name(cs, f, k);

			if (!p || !is_mm_iter_param(cs, s[k], p))
				continue;
			for (size_t i = f->body_open_tok; i < f->body_close_tok;
			     i++) {
				enum pin_call call = call_of(cs, i);
				size_t var = 0;

				if ((call != PIN_CALL_MMPUT_ASYNC &&
				     call != PIN_CALL_MMPUT &&
				     call != PIN_CALL_MMDROP) ||
				    !ctok_is(cs, i + 1, "(") ||
				    !ctok_is(cs, i + 2, "*") ||
				    !tok_same(cs, i + 3, p) ||
				    !ctok_is(cs, i + 4, ")"))
					continue;
				for (size_t j = i + 5;
				     j + 4 < f->body_close_tok; j++) {
					if (ctok_is(cs, j, "*") &&
					    tok_same(cs, j + 1, p) &&
					    ctok_is(cs, j + 2, "=") &&
					    is_ident(cs, j + 3) &&
					    ctok_is(cs, j + 4, ";")) {
						var = j + 3;
						break;
					}
				}
				if (!var)
					continue;
				ALLOC_GROW(*out, *nr + 1, *alloc);
				(*out)[*nr].tok = i;
				(*out)[*nr].func = f;
				(*out)[*nr].var_tok = var;
				(*nr)++;
			}
		}
	}
}

/* The source line holding token i, blanks trimmed; caller frees. */
static char *line_text(const struct csource *cs, size_t i)
{
	size_t b = cs->toks[i].off, e = cs->toks[i].off;

	while (b > 0 && cs->text[b - 1] != '\n')
		b--;
	while (e < cs->len && cs->text[e] != '\n')
		e++;
	while (b < e && isspace((unsigned char)cs->text[b]))
		b++;
	while (e > b && isspace((unsigned char)cs->text[e - 1]))
		e--;
	return xstrndup(cs->text + b, e - b);
}

static void site_fill(struct site *st, const struct csource *cs, size_t tok,
		      const struct cfunc *f)
{
	st->found = true;
	st->call = call_of(cs, tok);
	st->converted =
		st->call == PIN_CALL_MMGRAB || st->call == PIN_CALL_MMDROP;
	st->line = cs->toks[tok].line;
	st->function = xstrdup(f->name);
	st->func_start = f->start_line;
	st->func_end = f->end_line;
	st->condition = f->condition ? xstrdup(f->condition) : NULL;
	st->text = line_text(cs, tok);
}

static void site_release(struct site *st)
{
	free(st->function);
	free(st->condition);
	free(st->text);
	memset(st, 0, sizeof(*st));
}

void variant_init(struct variant *v)
{
	memset(v, 0, sizeof(*v));
	v->shape = SHAPE_NONE;
	v->status = STATUS_UNKNOWN;
}

void variant_release(struct variant *v)
{
	free(v->reason);
	site_release(&v->pin);
	site_release(&v->unpin);
	free(v->pre.reason);
	free(v->pre.function);
	for (size_t i = 0; i < v->nr_notes; i++)
		free(v->notes[i]);
	free(v->notes);
	variant_init(v);
}

void locate_result_release(struct locate_result *r)
{
	branch_release(&r->branch);
	variant_release(&r->variant);
}

static void describe_sites(struct strbuf *sb, const struct variant *v)
{
	strbuf_addf(sb, "%s() at line %zu in %s(), %s() at line %zu in %s()",
		    pin_call_name(v->pin.call), v->pin.line, v->pin.function,
		    pin_call_name(v->unpin.call), v->unpin.line,
		    v->unpin.function);
}

/* The status once both sites are known, in locate.h's order. */
static void decide(struct variant *v, const char *shape_why)
{
	struct strbuf sb = STRBUF_INIT;

	if (shape_why) {
		v->status = STATUS_UNKNOWN;
		strbuf_addf(&sb, "unrecognised layout: %s; sites: ", shape_why);
		describe_sites(&sb, v);
		if (v->pin.converted != v->unpin.converted)
			strbuf_addstr(&sb, "; WARNING: only one site is "
					   "converted (use-after-free)");
	} else if (v->pin.converted != v->unpin.converted) {
		v->status = STATUS_HALF_APPLIED;
		if (v->unpin.converted)
			strbuf_addf(&sb,
				    "HALF-APPLIED FIX: mmdrop() at line %zu "
				    "releases an mm pinned by mmget_not_zero() "
				    "at line %zu: use-after-free / refcount "
				    "mismatch (mm_users leaks, mm_count is "
				    "dropped without being taken)",
				    v->unpin.line, v->pin.line);
		else
			strbuf_addf(
				&sb,
				"HALF-APPLIED FIX: mmgrab() at line %zu is "
				"paired with %s() at line %zu: use-after-free "
				"/ refcount mismatch (mm_users is dropped "
				"without being taken, mm_count leaks)",
				v->pin.line, pin_call_name(v->unpin.call),
				v->unpin.line);
	} else if (v->pin.converted) {
		v->status = STATUS_ALREADY_FIXED;
		strbuf_addstr(&sb, "already fixed: ");
		describe_sites(&sb, v);
		/* the fix without its prerequisite: a walk may meet freed VMAs */
		if (v->pre.checked && !v->pre.holds)
			strbuf_addf(&sb, "; NOT SAFE without its prerequisite: %s",
				    v->pre.reason);
	} else if (!v->pre.checked) {
		v->status = STATUS_PREREQ_UNVERIFIABLE;
		strbuf_addf(&sb,
			    "cannot check the %s() precondition: %s",
			    v->pre.function, v->pre.reason);
	} else if (!v->pre.holds) {
		v->status = STATUS_NOT_SAFE;
		strbuf_addf(&sb,
			    "pinning only the mm_struct is not safe here: %s",
			    v->pre.reason);
	} else {
		v->status = STATUS_NEEDS_FIX;
		strbuf_addstr(&sb, "needs the fix: ");
		describe_sites(&sb, v);
	}
	free(v->reason);
	v->reason = strbuf_detach(&sb, NULL);
}

static void sites_list(struct strbuf *sb, const struct csource *cs,
		       const size_t *toks, const struct cfunc *const *funcs,
		       size_t n)
{
	for (size_t k = 0; k < n; k++)
		strbuf_addf(sb, "%sline %zu in %s()", k ? ", " : "",
			    (size_t)cs->toks[toks[k]].line, funcs[k]->name);
}

void variant_classify(struct variant *v, const char *vpath, const char *vmscan,
		      size_t vmscan_len, const char *mmap, size_t mmap_len,
		      const char *pre_function)
{
	struct csource cs = CSOURCE_INIT;
	struct finder fd = {.cs = &cs};
	struct unpin_cand *unpins = NULL;
	size_t nr_unpins = 0, alloc_unpins = 0;
	struct names mm = {.nr = 0};
	struct path path = {.n = 0};
	char *why = NULL;

	variant_release(v);
	/* no text at all is no evidence of "no MGLRU mm walk" */
	if (!vmscan_len) {
		v->reason = xstrfmt("%s is empty", vpath);
		goto out;
	}
	if (csource_parse(&cs, vmscan, vmscan_len) < 0) {
		v->reason =
			xstrfmt("cannot parse %s: %s", vpath, error_last());
		goto out;
	}

	find_unpins(&cs, &unpins, &nr_unpins, &alloc_unpins);
	if (!nr_unpins) {
		for (size_t i = 0; i < cs.nr_funcs; i++) {
			if (!reads_mm_list(&cs, &cs.funcs[i]))
				continue;
			v->reason = xstrfmt(
				"%s() at line %zu reads the lru_gen mm list, "
				"but no function releases a struct mm_struct "
				"** iterator",
				cs.funcs[i].name, cs.funcs[i].start_line);
			goto out;
		}
		v->status = STATUS_NOT_AFFECTED;
		v->reason = xstrdup(
			"no MGLRU mm walk: nothing reads the lru_gen mm list "
			"or releases a struct mm_struct ** iterator");
		goto out;
	}
	if (nr_unpins > 1) {
		struct strbuf sb = STRBUF_INIT;
		size_t toks[8];
		const struct cfunc *funcs[8];
		size_t n = nr_unpins < 8 ? nr_unpins : 8;

		for (size_t k = 0; k < n; k++) {
			toks[k] = unpins[k].tok;
			funcs[k] = unpins[k].func;
		}
		strbuf_addf(&sb, "%zu candidate unpins: ", nr_unpins);
		sites_list(&sb, &cs, toks, funcs, n);
		v->reason = strbuf_detach(&sb, NULL);
		goto out;
	}

	site_fill(&v->unpin, &cs, unpins[0].tok, unpins[0].func);
	locate_note_other_defs(v, &cs, unpins[0].func);

	names_add(&cs, &mm, unpins[0].var_tok);
	path.f[path.n++] = unpins[0].func;
	find_pins(&fd, unpins[0].func, &mm, &path, HOP_INLINE, false);
	if (!fd.nr_pins) {
		char *var = ctok_dup(&cs, unpins[0].var_tok);

		v->reason =
			xstrfmt("unpin %s() at line %zu in %s() found, but no "
				"mmget_not_zero()/mmgrab() of '%s' taken from "
				"the lru_gen mm list within %d calls",
				pin_call_name(v->unpin.call), v->unpin.line,
				v->unpin.function, var, MAX_DEPTH);
		free(var);
		goto out;
	}
	if (fd.nr_pins > 1) {
		struct strbuf sb = STRBUF_INIT;
		size_t toks[8];
		const struct cfunc *funcs[8];
		size_t n = fd.nr_pins < 8 ? fd.nr_pins : 8;

		for (size_t k = 0; k < n; k++) {
			toks[k] = fd.pins[k].tok;
			funcs[k] = fd.pins[k].func;
		}
		strbuf_addf(&sb, "%zu candidate pins: ", fd.nr_pins);
		sites_list(&sb, &cs, toks, funcs, n);
		v->reason = strbuf_detach(&sb, NULL);
		goto out;
	}

	site_fill(&v->pin, &cs, fd.pins[0].tok, fd.pins[0].func);
	if (fd.pins[0].func != unpins[0].func)
		locate_note_other_defs(v, &cs, fd.pins[0].func);
	v->shape = locate_shape_of(&cs, &fd.pins[0], &unpins[0], &why);

	precondition_check(&v->pre, pre_function, mmap, mmap_len);
	decide(v, why);

out:
	free(why);
	free(unpins);
	free(fd.pins);
	csource_release(&cs);
}

static const char *const status_names[] = {
	[STATUS_NEEDS_FIX] = "needs-fix",
	[STATUS_ALREADY_FIXED] = "already-fixed",
	[STATUS_HALF_APPLIED] = "half-applied",
	[STATUS_NOT_AFFECTED] = "not-affected",
	[STATUS_NOT_SAFE] = "not-safe-as-is",
	[STATUS_UNKNOWN] = "unknown",
	[STATUS_PREREQ_UNVERIFIABLE] = "prerequisite-unverifiable",
	[STATUS_CONFLICT] = "conflict",
};

const char *status_name(enum variant_status status)
{
	if ((size_t)status >= ARRAY_SIZE(status_names) || !status_names[status])
		BUG("unknown status %d", (int)status);
	return status_names[status];
}

static const char *const pin_call_names[] = {
	[PIN_CALL_NONE] = "none",
	[PIN_CALL_MMGET_NOT_ZERO] = "mmget_not_zero",
	[PIN_CALL_MMGRAB] = "mmgrab",
	[PIN_CALL_MMPUT_ASYNC] = "mmput_async",
	[PIN_CALL_MMPUT] = "mmput",
	[PIN_CALL_MMDROP] = "mmdrop",
};

const char *pin_call_name(enum pin_call call)
{
	if ((size_t)call >= ARRAY_SIZE(pin_call_names) || !pin_call_names[call])
		BUG("unknown call %d", (int)call);
	return pin_call_names[call];
}
