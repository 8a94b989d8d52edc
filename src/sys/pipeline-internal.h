/* Shared by pipeline.c and pipeline-semantic.c; not for other callers. */
#ifndef BM_PIPELINE_INTERNAL_H
#define BM_PIPELINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sys/pipeline.h"

/* backport_run()'s fetch: a file of the branch's tree. */
struct fetch_ctx {
	struct repo *repo;
	const char *commit;
	const char *label;
};

int pipeline_fetch(void *ctx, const char *path, char **content, size_t *len);

/*
 * --with-prerequisites on w, whose precondition fails (w->prereq_wanted):
 * the prerequisite's shipped forms (read once into w->prereq_sets), then
 * patches on top, through backport_run_with_prerequisite().  -1 with
 * error() set on unreadable series.
 */
int pipeline_prereq_run(const struct fix_desc *fix, struct branch_work *w,
			const struct variant *located, const struct patch *const *patches,
			size_t nr, struct fetch_ctx *fc, unsigned fuzz);

/*
 * Whether --semantic should adapt w: the fix has a semantic patch
 * (fix.semantic) and a rule to judge it, and w's tree needs the fix and no series
 * took it (none for its shape, or it failed to apply), or its layout is
 * unrecognised while both sites are found unconverted and the exit_mmap()
 * precondition holds; or, with --with-prerequisites, its precondition
 * fails and a backport of the prerequisite fits but no series of the fix
 * does (then the semantic patch goes on top of that backport).  A
 * half-applied, already-fixed or not-affected tree never is, nor a
 * not-safe one without --with-prerequisites.
 */
bool pipeline_semantic_wanted(const struct fix_desc *fix, const struct branch_work *w);

/* Says in w's refusal why --semantic did not try (not wanted for w). */
void pipeline_semantic_not_tried(const struct fix_desc *fix, struct branch_work *w);

/*
 * Runs the fix's semantic patch on the branch's copy of the fix's first file (spatch, on a
 * scratch copy), turns the result into a patch with a note saying it was
 * generated and must be reviewed, and backports that like a series of one:
 * applied, located again, and kept only when both sites are converted and
 * nothing changed outside their two functions.  w->bp is replaced.  -1
 * only on fatal errors (no .cocci, unreadable files); spatch failing is
 * the branch's outcome.
 */
int pipeline_semantic_branch(struct repo *repo, const struct fix_desc *fix,
			     struct branch_work *w, unsigned fuzz);

#endif
