/*
 * The shape of the MGLRU mm walk (step 3 of locate.c): from how the pin is
 * reached from the iterator and the iterator's loop, which known line the
 * tree follows (mainline's get_next_mm(), 6.6's do/while, 6.1's nr_walkers
 * loop, the vendor nodemask), or what did not fit.  Also the notes on other
 * definitions of the functions holding the sites (stubs under #else) and the
 * shape names used in the table and the JSON.
 */
#include "core/locate.h"

#include <stdlib.h>
#include <string.h>

#include "core/csource.h"
#include "core/error.h"
#include "core/locate-internal.h"
#include "core/xalloc.h"

static bool func_has_ident(const struct csource *cs, const struct cfunc *f,
			   const char *s)
{
	for (size_t i = f->body_open_tok; i < f->body_close_tok; i++)
		if (ctok_is(cs, i, s))
			return true;
	return false;
}

/* Whether f has "do { ... } while (!X);" with X the tracked mm. */
static bool has_do_while_not(const struct csource *cs, const struct cfunc *f,
			     size_t var)
{
	for (size_t i = f->body_open_tok; i < f->body_close_tok; i++) {
		size_t close;

		if (!ctok_is(cs, i, "do") || !ctok_is(cs, i + 1, "{"))
			continue;
		close = match_close(cs, i + 1);
		if (ctok_is(cs, close + 1, "while") &&
		    ctok_is(cs, close + 2, "(") &&
		    ctok_is(cs, close + 3, "!") &&
		    tok_same(cs, close + 4, var) && ctok_is(cs, close + 5, ")"))
			return true;
	}
	return false;
}

/* Whether the while at token i closes a do { ... } while (...). */
static bool is_do_while_tail(const struct csource *cs, size_t i)
{
	size_t k = i - 1;

	if (!ctok_is(cs, k, "}"))
		return false;
	while (k-- > 0)
		if (ctok_is(cs, k, "{") &&
		    cs->toks[k].depth == cs->toks[i - 1].depth)
			return k > 0 && ctok_is(cs, k - 1, "do");
	return false;
}

/* Whether f has "while (!X && ...)" that is not the tail of a do/while. */
static bool has_while_not_and(const struct csource *cs, const struct cfunc *f,
			      size_t var)
{
	for (size_t i = f->body_open_tok + 1; i < f->body_close_tok; i++)
		if (ctok_is(cs, i, "while") && !is_do_while_tail(cs, i) &&
		    ctok_is(cs, i + 1, "(") && ctok_is(cs, i + 2, "!") &&
		    tok_same(cs, i + 3, var) && ctok_is(cs, i + 4, "&&"))
			return true;
	return false;
}

/* Whether f keeps per-node state in a nodemask: mm->lru_gen.nodes, node_isset.
 */
static bool uses_nodemask(const struct csource *cs, const struct cfunc *f)
{
	for (size_t i = f->body_open_tok; i < f->body_close_tok; i++) {
		if (ctok_is(cs, i, "node_isset") ||
		    ctok_is(cs, i, "node_clear"))
			return true;
		if ((ctok_is(cs, i, "lru_gen") || ctok_is(cs, i, "lrugen")) &&
		    ctok_is(cs, i + 1, ".") && ctok_is(cs, i + 2, "nodes"))
			return true;
	}
	return false;
}

/* Names the shape; *why says what did not fit when unrecognised (caller frees).
 */
enum variant_shape locate_shape_of(const struct csource *cs, const struct pin_cand *pin,
				   const struct unpin_cand *unpin, char **why)
{
	const struct cfunc *it = unpin->func;

	*why = NULL;
	if (pin->hop == HOP_INLINE) {
		*why = xstrfmt("the pin is inline in the iterator %s(), not in "
			       "a helper",
			       it->name);
		return SHAPE_UNRECOGNISED;
	}
	if (pin->depth != 1) {
		*why = xstrfmt("the pin in %s() is %d calls deep from the "
			       "iterator %s()",
			       pin->func->name, pin->depth, it->name);
		return SHAPE_UNRECOGNISED;
	}
	if (pin->hop == HOP_RETURN) {
		if (locate_nr_params(cs, it) == 2)
			return SHAPE_MAINLINE;
		*why = xstrfmt("%s() returns the pinned mm like mainline's "
			       "get_next_mm(), but the iterator %s() takes %zu "
			       "parameters, not (walk, iter)",
			       pin->func->name, it->name, locate_nr_params(cs, it));
		return SHAPE_UNRECOGNISED;
	}
	if (uses_nodemask(cs, pin->func)) {
		bool full_scan = func_has_ident(cs, pin->func, "full_scan") ||
				 func_has_ident(cs, it, "full_scan");

		if (full_scan && has_do_while_not(cs, it, unpin->var_tok))
			return SHAPE_VENDOR;
		if (full_scan)
			*why = xstrfmt("%s() keeps a nodemask like the vendor "
				       "backports, but the iterator %s() has "
				       "no do { } while (!mm) loop",
				       pin->func->name, it->name);
		else
			*why = xstrfmt(
				"%s() keeps a nodemask like the vendor "
				"backports, but nothing reads walk->full_scan",
				pin->func->name);
		return SHAPE_UNRECOGNISED;
	}
	if (has_do_while_not(cs, it, unpin->var_tok))
		return SHAPE_6_6;
	if (has_while_not_and(cs, it, unpin->var_tok) &&
	    func_has_ident(cs, it, "nr_walkers"))
		return SHAPE_6_1;
	*why = xstrfmt("the pin is in %s(), called with the mm, but the "
		       "iterator %s() has neither 6.6's do { } while (!mm) "
		       "loop nor 6.1's while (!mm && ...) loop with nr_walkers",
		       pin->func->name, it->name);
	return SHAPE_UNRECOGNISED;
}

static const char *const shape_names[] = {
	[SHAPE_NONE] = "none",
	[SHAPE_MAINLINE] = "mainline-get_next_mm",
	[SHAPE_6_6] = "6.6-do-while",
	[SHAPE_6_1] = "6.1-nr_walkers",
	[SHAPE_VENDOR] = "vendor-nodemask",
	[SHAPE_UNRECOGNISED] = "unrecognised",
};

const char *shape_name(enum variant_shape shape)
{
	if ((size_t)shape >= ARRAY_SIZE(shape_names) || !shape_names[shape])
		BUG("unknown shape %d", (int)shape);
	return shape_names[shape];
}

static void add_note(struct variant *v, char *note)
{
	ALLOC_GROW(v->notes, v->nr_notes + 1, v->alloc_notes);
	v->notes[v->nr_notes++] = note;
}

/*
 * The part of condition c after the " && " terms it shares with base:
 * "A && !(B)" against "A && B" gives "!(B)".  Points into c.
 */
static const char *cond_beyond(const char *c, const char *base)
{
	const char *p = c, *q = base;

	while (base && *p && *q) {
		const char *pe = strstr(p, " && "), *qe = strstr(q, " && ");
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t ql = qe ? (size_t)(qe - q) : strlen(q);

		if (pl != ql || memcmp(p, q, pl) || !pe)
			break;
		p = pe + 4;
		q = qe ? qe + 4 : q + ql;
	}
	return p;
}

/* Notes every other definition of f's name. */
void locate_note_other_defs(struct variant *v, const struct csource *cs,
			    const struct cfunc *f)
{
	const struct cfunc *g;

	for (size_t d = 0; (g = csource_find_func(cs, f->name, d)); d++) {
		if (g == f)
			continue;
		if (g->condition)
			add_note(v, xstrfmt("%s also defined at line %zu under "
					    "%s: not the walk",
					    g->name, g->start_line,
					    cond_beyond(g->condition,
							f->condition)));
		else
			add_note(v, xstrfmt("%s also defined at line %zu: not "
					    "the walk",
					    g->name, g->start_line));
	}
}
