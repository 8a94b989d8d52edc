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
 * Whether --semantic should adapt w: its tree needs the fix and no series
 * took it (none for its shape, or it failed to apply), or its layout is
 * unrecognised while both sites are found unconverted and the exit_mmap()
 * precondition holds.  A half-applied, not-safe, already-fixed or
 * not-affected tree never is.
 */
bool pipeline_semantic_wanted(const struct branch_work *w);

/* Says in w's refusal why --semantic did not try (not wanted for w). */
void pipeline_semantic_not_tried(struct branch_work *w);

/*
 * Runs the fix's semantic patch on the branch's mm/vmscan.c (spatch, on a
 * scratch copy), turns the result into a patch with a note saying it was
 * generated and must be reviewed, and backports that like a series of one:
 * applied, located again, and kept only when both sites are converted and
 * nothing changed outside their two functions.  w->bp is replaced.  -1
 * only on fatal errors (no .cocci, unreadable files); spatch failing is
 * the branch's outcome.
 */
int pipeline_semantic_branch(struct repo *repo, const char *series_dir,
			     struct branch_work *w, unsigned fuzz);

#endif
