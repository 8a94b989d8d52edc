#include "sys/pipeline-check.h"

#include "core/report-boot.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

int pipeline_check(struct pipeline *pl, const struct pipeline_check_opts *o,
		   bool *interrupted)
{
	struct check_job *jobs = NULL;
	struct commit_file *files = NULL;
	struct check_result *results = NULL;
	size_t nr_jobs = 0, alloc_jobs = 0, nr_files = 0, nr_configs = o->nr_configs;
	size_t per_branch = o->nr_archs * (nr_configs ? nr_configs : 1);
	int ret = -1;

	for (size_t i = 0; i < pl->nr; i++)
		nr_files += pl->work[i].bp.nr_files;
	files = xcalloc(nr_files + 1, sizeof(*files));
	nr_files = 0;
	for (size_t i = 0; i < pl->nr; i++) {
		struct branch_work *w = &pl->work[i];
		size_t first = nr_files;

		if (w->bp.outcome != BACKPORT_APPLIED)
			continue;
		for (size_t f = 0; f < w->bp.nr_files; f++) {
			files[nr_files].path = w->bp.files[f].path;
			files[nr_files].data = w->bp.files[f].after;
			files[nr_files].len = w->bp.files[f].after_len;
			nr_files++;
		}
		for (size_t a = 0; a < o->nr_archs; a++) {
			for (size_t c = 0; c < (nr_configs ? nr_configs : 1); c++) {
				struct check_job *j;

				ALLOC_GROW(jobs, nr_jobs + 1, alloc_jobs);
				j = &jobs[nr_jobs++];
				memset(j, 0, sizeof(*j));
				j->fix = pl->fix;
				j->branch = &w->loc.branch;
				j->files = &files[first];
				j->nr_files = w->bp.nr_files;
				j->variant = &w->loc.variant;
				j->after = w->bp.have_after ? &w->bp.after : NULL;
				j->arch = o->archs[a];
				j->config = nr_configs ? o->configs[c] : NULL;
			}
		}
	}
	if (!nr_jobs) {
		ret = 0;
		goto out;
	}
	results = xcalloc(nr_jobs, sizeof(*results));
	if (check_run(pl->repo, jobs, nr_jobs, &o->check, results) < 0)
		goto out;
	/* hand each branch its results */
	for (size_t j = 0; j < nr_jobs; j++) {
		for (size_t i = 0; i < pl->nr; i++) {
			struct branch_work *w = &pl->work[i];

			if (jobs[j].branch != &w->loc.branch)
				continue;
			if (!w->checks)
				w->checks = xcalloc(per_branch, sizeof(*w->checks));
			w->checks[w->nr_checks++] = results[j];
			memset(&results[j], 0, sizeof(results[j]));
			if (w->checks[w->nr_checks - 1].outcome == CHECK_INTERRUPTED)
				*interrupted = true;
		}
	}
	ret = 0;
out:
	free(results);
	free(jobs);
	free(files);
	return ret;
}

bool pipeline_branch_passed(const struct branch_work *w)
{
	if (w->bp.outcome != BACKPORT_APPLIED || !w->nr_checks)
		return false;
	for (size_t c = 0; c < w->nr_checks; c++)
		if (check_outcome_failed(w->checks[c].outcome))
			return false;
	for (size_t b = 0; b < w->nr_boots; b++)
		if (boot_test_failed(&w->boots[b]))
			return false;
	return true;
}
