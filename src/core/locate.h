/*
 * The MGLRU variant classifier: given the text of mm/vmscan.c (and of the
 * file holding exit_mmap()), find where the lru_gen page-table walk pins the
 * mm it takes from the mm list and where it releases the previous *iter,
 * name the shape of that code, and say whether the fix d14514c66cb9
 * ("mm/vmscan: prevent MGLRU reclaim from pinning address space") is needed,
 * applied, half applied, or unsafe as is.
 *
 * Sites are found by what the code does, not by function names: the unpin is
 * a release (mmput_async / mmput / mmdrop) of *P where P is a parameter of
 * type struct mm_struct ** that the same function later assigns (*P = mm);
 * the pin is the mmget_not_zero() or mmgrab() of the mm that function takes
 * from the lru_gen mm list, in it or in a function it calls with that mm.
 */
#ifndef BM_LOCATE_H
#define BM_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/branch.h"

enum pin_call {
	PIN_CALL_NONE,
	PIN_CALL_MMGET_NOT_ZERO,	/* unfixed pin */
	PIN_CALL_MMGRAB,		/* fixed pin */
	PIN_CALL_MMPUT_ASYNC,		/* unfixed unpin */
	PIN_CALL_MMPUT,			/* unfixed unpin (old trees) */
	PIN_CALL_MMDROP,		/* fixed unpin */
};

struct site {
	bool found;
	enum pin_call call;
	bool converted;		/* mmgrab at the pin, mmdrop at the unpin */
	size_t line;		/* line of the call, 1-based */
	char *function;		/* containing function; owned */
	size_t func_start, func_end;	/* that function's span, lines */
	char *condition;	/* its preprocessor condition or NULL; owned */
	char *text;		/* the source line of the call, trimmed; owned */
};

enum variant_shape {
	SHAPE_NONE,		/* no MGLRU mm walk */
	SHAPE_MAINLINE,		/* get_next_mm() returns mmget_not_zero(mm) ? mm : NULL */
	SHAPE_6_6,		/* should_skip_mm() pin, do/while iterate_mm_list(lruvec, walk, iter) */
	SHAPE_6_1,		/* should_skip_mm() pin, nr_walkers loop in iterate_mm_list */
	SHAPE_VENDOR,		/* should_skip_mm() with nodemask (mm->lru_gen.nodes) and full_scan */
	SHAPE_UNRECOGNISED,	/* sites found, layout matches no known line */
};

enum variant_status {
	STATUS_NEEDS_FIX,
	STATUS_ALREADY_FIXED,
	STATUS_HALF_APPLIED,	/* one site converted: use-after-free */
	STATUS_NOT_AFFECTED,
	STATUS_NOT_SAFE,	/* exit_mmap() precondition fails */
	STATUS_UNKNOWN,
	STATUS_PREREQ_UNVERIFIABLE,	/* the precondition's file or function is
					   not in the tree: safety unshown */
	STATUS_CONFLICT,	/* generic: the function is there, a hunk fits
				   neither its old nor its new text */
};

struct precondition {
	bool checked;		/* exit_mmap() was found and read */
	bool holds;		/* VMA teardown happens under mmap_write_lock(mm) */
	size_t line;		/* exit_mmap()'s first line, when found */
	char *reason;		/* what was seen; owned */
	char *function;		/* the function checked, "exit_mmap"; owned */
};

struct variant {
	enum variant_shape shape;
	enum variant_status status;
	char *reason;		/* why this status, one line; owned */
	struct site pin, unpin;
	struct precondition pre;
	char **notes;		/* extra facts, e.g. a stub definition under #else; owned */
	size_t nr_notes, alloc_notes;
};

void variant_init(struct variant *v);
void variant_release(struct variant *v);

/*
 * Classifies.  vmscan is the text of the file holding the walk (path names
 * it in messages: "mm/vmscan.c").  mmap is the text of the file that defines
 * pre_function, the precondition's function ("exit_mmap"; NULL text when the
 * caller could not find the file; the status is then unknown unless the tree
 * is not affected or already fixed).  Both names come from the fix's
 * descriptor (core/fix.h).  Never fails: what cannot be read becomes
 * STATUS_UNKNOWN with the reason.
 */
void variant_classify(struct variant *v, const char *path, const char *vmscan,
		      size_t vmscan_len, const char *mmap, size_t mmap_len,
		      const char *pre_function);

struct fix_desc;

/* One branch located for one fix (core/fix.h). */
struct locate_result {
	struct branch branch;	/* owned */
	struct variant variant;	/* owned */
	const struct fix_desc *fix;	/* the fix located for; borrowed */
	const char *vmscan_path;	/* the fix's first file, "mm/vmscan.c"; borrowed */
	const char *mmap_path;	/* file read for the precondition, or NULL */
	const char *pre_function;	/* the precondition's function, or NULL */
};

void locate_result_release(struct locate_result *r);

/* Stable names used in the table and the JSON: "6.1-nr_walkers", "needs-fix". */
const char *shape_name(enum variant_shape shape);
const char *status_name(enum variant_status status);
const char *pin_call_name(enum pin_call call);

#endif
