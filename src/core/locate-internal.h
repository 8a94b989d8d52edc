/*
 * Internal to the variant classifier: shared by locate.c, which finds the
 * pin and unpin sites, and locate-shape.c, which names the shape of the code
 * around them.  Not installed and not included anywhere else; the public
 * interface is locate.h.
 */
#ifndef BM_LOCATE_INTERNAL_H
#define BM_LOCATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/csource.h"
#include "core/locate.h"

/* How the pin is reached from the iterator. */
enum hop {
	HOP_INLINE, /* in the iterator itself */
	HOP_ARG,    /* in a callee given the mm: should_skip_mm(mm) */
	HOP_RETURN, /* in a callee returning it: mm = get_next_mm() */
};

/*
 * A pin found by following the mm the iterator hands out: tok is the
 * mmget_not_zero() or mmgrab() call, func the function holding it (points
 * into the csource), depth the number of calls from the iterator (0 when in
 * the iterator itself).
 */
struct pin_cand {
	size_t tok;
	const struct cfunc *func;
	enum hop hop;
	int depth;
};

/*
 * An unpin: the release of *P in the iterator func, P its
 * struct mm_struct ** parameter; var_tok is X in the later *P = X.
 */
struct unpin_cand {
	size_t tok; /* the release call */
	const struct cfunc *func;
	size_t var_tok; /* X in *P = X */
};

/* Whether tokens a and b have the same text. */
static inline bool tok_same(const struct csource *cs, size_t a, size_t b)
{
	return cs->toks[a].len == cs->toks[b].len &&
	       !memcmp(cs->text + cs->toks[a].off, cs->text + cs->toks[b].off,
		       cs->toks[a].len);
}

/* Index of the token closing the bracket opened at i ('(' or '{'), or 0. */
static inline size_t match_close(const struct csource *cs, size_t i)
{
	const char *open = ctok_is(cs, i, "(") ? "(" : "{";
	const char *close = *open == '(' ? ")" : "}";
	int nest = 0;

	for (size_t k = i; k < cs->nr_toks; k++) {
		if (ctok_is(cs, k, open))
			nest++;
		else if (ctok_is(cs, k, close) && --nest == 0)
			return k;
	}
	return 0;
}

/* locate.c */

/* The number of parameters f declares (counts at most 16). */
size_t locate_nr_params(const struct csource *cs, const struct cfunc *f);

/* locate-shape.c */

/*
 * Names the shape of the walk whose sites are pin and unpin.  When it is
 * SHAPE_UNRECOGNISED, *why says what did not fit (caller frees); otherwise
 * *why is NULL.
 */
enum variant_shape locate_shape_of(const struct csource *cs, const struct pin_cand *pin,
				   const struct unpin_cand *unpin, char **why);

/*
 * Adds to v's notes (v owns them) one for every other definition of f's
 * name, e.g. a stub under #else: its line and its condition.
 */
void locate_note_other_defs(struct variant *v, const struct csource *cs,
			    const struct cfunc *f);

#endif
