/*
 * The compile check of a pipeline's branches: one check job per (branch
 * that applied, arch, config), run by sys/check.h, the results handed to
 * each branch.  The commands (check and the full job) only say which
 * arches and configs.
 */
#ifndef BM_PIPELINE_CHECK_H
#define BM_PIPELINE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "sys/check.h"
#include "sys/pipeline.h"

struct pipeline_check_opts {
	const char *const *archs;	/* at least one */
	size_t nr_archs;
	const char *const *configs;	/* none: each arch's defconfig */
	size_t nr_configs;
	struct check_opts check;
};

#define PIPELINE_CHECK_OPTS_INIT { NULL, 0, NULL, 0, CHECK_OPTS_INIT }

/*
 * Checks every branch of pl that applied, on each arch and config; each
 * branch_work gets its results (w->checks).  *interrupted is set when a
 * check was interrupted.  -1 with error() set only when nothing could be
 * checked (see check_run()).
 */
int pipeline_check(struct pipeline *pl, const struct pipeline_check_opts *o,
		   bool *interrupted);

/* Applied, compile-checked, and every check passed: its outputs may be written. */
bool pipeline_branch_passed(const struct branch_work *w);

#endif
