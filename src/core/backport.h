/*
 * One branch's backport, in memory: given the located variant and the
 * parsed patches of the series chosen for it, apply them all or nothing
 * (hunks placed inside the function they change, found with the C reader),
 * then locate again on the result and accept it only when both sites are
 * converted.  Pure: files come in through a fetch callback, nothing is
 * written; the caller renders and writes outputs.
 */
#ifndef BM_BACKPORT_H
#define BM_BACKPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/apply.h"
#include "core/locate.h"
#include "core/patch.h"

enum backport_outcome {
	BACKPORT_APPLIED,	/* every hunk applied, both sites converted */
	BACKPORT_ALREADY_FIXED,	/* the tree has the fix: nothing changed */
	BACKPORT_NOT_AFFECTED,	/* no MGLRU mm walk: not patched */
	BACKPORT_NOT_SAFE,	/* exit_mmap() precondition fails: not patched */
	BACKPORT_REFUSED,	/* the tree is half-applied or unknown: not patched */
	BACKPORT_FAILED,	/* some hunk did not apply: nothing changed */
	BACKPORT_HALF_APPLIED,	/* the result converts one site only: refused */
};

/* One file as one patch of the series found it and left it. */
struct backport_file {
	char *path;		/* owned */
	char *before, *after;	/* owned */
	size_t before_len, after_len;
};

/* What one patch of the series did. */
struct backport_step {
	const struct patch *patch;	/* borrowed from the caller */
	struct apply_result result;	/* hunk by hunk */
	struct backport_file *files;	/* owned; APPLIED only */
	size_t nr_files;
};

/*
 * Why a branch was not patched, in a fixed vocabulary (JSON "refusal",
 * docs/json.md): scripts branch on these, people read the reason.
 */
#define REFUSAL_NOT_SAFE "not-safe"			/* the precondition fails */
#define REFUSAL_PREREQUISITE "prerequisite-unverifiable" /* it cannot be seen */
#define REFUSAL_TREE_HALF_APPLIED "tree-half-applied"	/* one site converted already */
#define REFUSAL_TREE_UNKNOWN "tree-unknown"		/* no rule knows the layout */
#define REFUSAL_TREE_CONFLICT "tree-conflict"		/* generic: a hunk fits neither */
#define REFUSAL_NO_SERIES "no-series"			/* none shipped for the shape */
#define REFUSAL_HUNK_FAILED "hunk-failed"		/* a patch does not apply */
#define REFUSAL_RESULT_HALF_APPLIED "result-half-applied" /* one site after applying */
#define REFUSAL_RESULT_NOT_FIXED "result-not-fixed"	/* the result is not fixed */
#define REFUSAL_SEMANTIC_FAILED "semantic-failed"	/* spatch missing or failing */
#define REFUSAL_SEMANTIC_NO_MATCH "semantic-no-match"	/* it changed nothing */
#define REFUSAL_SEMANTIC_OUTSIDE "semantic-outside-change" /* lines beyond the sites */
#define REFUSAL_PREREQUISITE_FAILED "prerequisite-failed" /* --with-prerequisites: no
							    shipped backport of it fits */

struct backport {
	enum backport_outcome outcome;
	const char *refusal;		/* a REFUSAL_* when not patched, else NULL */
	char *reason;			/* one line; owned */
	struct backport_step *steps;	/* one per patch tried; owned */
	size_t nr_steps;
	struct variant after;		/* located on the result; APPLIED/HALF_APPLIED */
	bool have_after;
	struct backport_file *files;	/* final content of every touched file; owned */
	size_t nr_files, alloc_files;
	size_t nr_prereq_steps;		/* the first steps: the prerequisite's backport */
	char *prereq_form;		/* the form they came from ("exit_mmap/5.15.y"), or
					   NULL; owned */
};

void backport_init(struct backport *bp);
/* Sets the outcome, its REFUSAL_* (or NULL) and its reason (owned, replacing the old). */
void backport_set(struct backport *bp, enum backport_outcome o, const char *refusal,
		  char *reason);
void backport_release(struct backport *bp);

struct fix_desc;

/*
 * Runs the backport.  located is the variant found on the unpatched tree;
 * after applying, the result is classified again with fix's rule (mmap is
 * the text of its precondition's file, NULL when none).  fetch gives original file contents (as for
 * apply_patches).  Returns 0 with the outcome in bp, -1 with error() set
 * when a callback fails.
 */
int backport_run(struct backport *bp, const struct variant *located,
		 const struct patch *const *patches, size_t nr,
		 const struct fix_desc *fix, const char *mmap, size_t mmap_len,
		 fetch_fn fetch, void *fetch_ctx, unsigned fuzz);

/* One shipped backport of the precondition's commit: one line's series. */
struct backport_form {
	const char *name;		/* how reports name it: "series/<id>/exit_mmap/5.15.y" */
	const struct patch *const *patches;
	size_t nr;
};

/*
 * --with-prerequisites: as backport_run(), except on a tree whose
 * precondition fails (STATUS_NOT_SAFE), where the forms of the
 * prerequisite are tried in order: the first whose patches all apply and
 * after which the tree, classified again with the precondition's file as
 * they left it, needs the fix, is kept, and the fix's patches are applied
 * on top (steps: the form's first, bp->nr_prereq_steps of them).  A tree
 * that has the fix already but whose precondition is shown to fail gets
 * the form alone (BACKPORT_APPLIED, the result located again as fixed with
 * the precondition holding).  All or nothing: when no form does, nothing is
 * changed and the outcome is BACKPORT_FAILED with
 * REFUSAL_PREREQUISITE_FAILED.
 */
int backport_run_with_prerequisite(struct backport *bp, const struct variant *located,
				   const struct backport_form *forms, size_t nr_forms,
				   const struct patch *const *patches, size_t nr,
				   const struct fix_desc *fix, const char *mmap, size_t mmap_len,
				   fetch_fn fetch, void *fetch_ctx, unsigned fuzz);

const char *backport_outcome_name(enum backport_outcome o);
/* Whether the fix did not go to the branch: not safe, refused, failed, half-applied. */
bool backport_outcome_failed(enum backport_outcome o);

#endif
