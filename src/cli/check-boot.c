/* The boot jobs of check and the full job (cli/check-boot.h). */
#include "cli/check-boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bootcontrol.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "sys/boot.h"
#include "sys/pipeline.h"

/* Why branch w is not booted on arch, or NULL. */
static const char *why_not(const struct branch_work *w, const char *arch, bool control)
{
	if (w->bp.outcome != BACKPORT_APPLIED &&
	    (control || w->bp.outcome != BACKPORT_ALREADY_FIXED))
		return control ? "no unfixed tree to half-apply (the backport did not apply)" :
				 "nothing to boot: the backport did not apply";
	for (size_t c = 0; c < w->nr_checks; c++)
		if (!strcmp(w->checks[c].arch, arch) &&
		    check_outcome_failed(w->checks[c].outcome))
			return "the compile check failed";
	return NULL;
}

static const struct backport_file *vmscan_of(const struct branch_work *w)
{
	for (size_t f = 0; f < w->bp.nr_files; f++)
		if (!strcmp(w->bp.files[f].path, "mm/vmscan.c"))
			return &w->bp.files[f];
	return NULL;
}

int cli_run_boots(struct pipeline *pl, const struct check_boot_opts *o, bool *interrupted)
{
	size_t per = ((o->boot ? 1 : 0) + (o->control ? 1 : 0)) * o->nr_archs, nr = 0;
	struct boot_job *jobs = xcalloc(pl->nr * per + 1, sizeof(*jobs));
	struct commit_file *files;
	char **controls = xcalloc(pl->nr + 1, sizeof(*controls));
	size_t *owner = xcalloc(pl->nr * per + 1, sizeof(*owner));
	struct boot_test *res = NULL;
	struct boot_opts bo = BOOT_OPTS_INIT;
	size_t nf = 0;
	int ret = -1;

	for (size_t i = 0; i < pl->nr; i++)
		nf += (pl->work[i].bp.nr_files + 1) * o->nr_archs;
	files = xcalloc(nf + 1, sizeof(*files));
	nf = 0;

	for (size_t i = 0; i < pl->nr; i++) {
		struct branch_work *w = &pl->work[i];

		for (size_t k = 0; k < 2 * o->nr_archs; k++) {
			const char *arch = o->archs[k / 2];
			bool control = k % 2 == 1;
			const char *why;
			struct boot_test *t;

			if ((control && !o->control) || (!control && !o->boot))
				continue;
			why = why_not(w, arch, control);
			if (!why && control) {
				const struct backport_file *f = vmscan_of(w);
				size_t len = 0;

				free(controls[i]);	/* one arch boots: at most one */
				controls[i] = f ? control_unpin_only(f->before, f->before_len,
								    &w->loc.variant, &len) :
						  NULL;
				if (!f)
					why = "the series does not change mm/vmscan.c";
				else if (!controls[i])
					why = error_last();
				else {
					jobs[nr].files = &files[nf];
					files[nf].path = f->path;
					files[nf].data = controls[i];
					files[nf].len = len;
					nf++;
					jobs[nr].nr_files = 1;
				}
			} else if (!why) {
				jobs[nr].files = &files[nf];
				for (size_t f = 0; f < w->bp.nr_files; f++) {
					files[nf].path = w->bp.files[f].path;
					files[nf].data = w->bp.files[f].after;
					files[nf].len = w->bp.files[f].after_len;
					nf++;
				}
				jobs[nr].nr_files = w->bp.nr_files;
			}
			if (why) {
				/* recorded at once, as skipped (not a failure) */
				w->boots = xrealloc(w->boots, (w->nr_boots + 1) * sizeof(*w->boots));
				t = &w->boots[w->nr_boots++];
				memset(t, 0, sizeof(*t));
				t->branch = xstrdup(w->loc.branch.label);
				t->arch = xstrdup(arch);
				t->control = control;
				t->outcome = BOOT_SKIPPED;
				t->detail = xstrdup(why);
				continue;
			}
			jobs[nr].branch = &w->loc.branch;
			jobs[nr].arch = arch;
			jobs[nr].control = control;
			owner[nr++] = i;
		}
	}
	if (!nr) {
		ret = 0;
		goto out;
	}
	bo.guest_timeout = o->guest_timeout;
	bo.build_timeout = o->build_timeout;
	bo.cc_wrapper = o->cc;
	res = xcalloc(nr, sizeof(*res));
	if (boot_run(pl->repo, jobs, nr, &bo, res) < 0)
		goto out;
	for (size_t j = 0; j < nr; j++) {
		struct branch_work *w = &pl->work[owner[j]];

		w->boots = xrealloc(w->boots, (w->nr_boots + 1) * sizeof(*w->boots));
		w->boots[w->nr_boots++] = res[j];
		if (res[j].outcome == BOOT_INTERRUPTED)
			*interrupted = true;
	}
	ret = 0;
out:
	for (size_t i = 0; i < pl->nr; i++)
		free(controls[i]);
	free(controls);
	free(res);
	free(owner);
	free(files);
	free(jobs);
	return ret;
}
