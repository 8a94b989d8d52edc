/* The report every command ends with: table or JSON, warnings, exit code. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/fix.h"
#include "core/report-apply.h"
#include "core/xalloc.h"
#include "sys/pipeline.h"

void cli_report_fill(const struct pipeline *pl, struct branch_work *w,
		     struct apply_report *r)
{
	r->loc = &w->loc;
	r->series_file = w->semantic_file ? w->semantic_file : w->have_set ? w->set.file :
			 w->bp.prereq_form;	/* --with-prerequisites, the fix already there */
	r->series_why = w->series_why;
	r->bp = &w->bp;
	r->output = w->output;
	r->commit = w->committed ? w->commit : NULL;
	r->ref = w->ref;
	r->error = w->error;
	r->upstream = w->upstream;
	r->checks = w->checks;
	r->nr_checks = w->nr_checks;
	r->subject = pl->fix->subject;
	r->upstream_id = pl->fix->upstream;
	r->failed_file = w->failed_file;
	r->assumption = w->assumption;
	r->boots = w->boots;
	r->nr_boots = w->nr_boots;
}

char *cli_output_dir(const char *dir, const struct pipeline *pl, size_t nr_fixes)
{
	return nr_fixes > 1 ? xstrfmt("%s/%s", dir, pl->fix->id) : xstrdup(dir);
}

int cli_report(struct pipeline *pls, size_t nr, bool json, bool dry_run, struct strbuf *out)
{
	struct apply_report *rep;
	size_t total = 0, k = 0;
	int ret = EXIT_OK;

	for (size_t p = 0; p < nr; p++)
		total += pls[p].nr;
	rep = xcalloc(total + 1, sizeof(*rep));
	for (size_t p = 0; p < nr; p++) {
		struct pipeline *pl = &pls[p];
		size_t first = k;

		for (size_t i = 0; i < pl->nr; i++, k++) {
			struct branch_work *w = &pl->work[i];

			cli_report_fill(pl, w, &rep[k]);
			if (apply_report_failed(&rep[k]))
				ret = EXIT_FAILED;
			if (w->bp.outcome == BACKPORT_HALF_APPLIED)
				fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
					w->loc.branch.label, w->bp.reason);
			if (w->loc.variant.status == STATUS_HALF_APPLIED)
				fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
					w->loc.branch.label, w->loc.variant.reason);
			/* the fix is in but exit_mmap() is not safe for it, and stays so */
			if (w->bp.outcome == BACKPORT_ALREADY_FIXED &&
			    w->loc.variant.status == STATUS_ALREADY_FIXED &&
			    w->loc.variant.pre.checked && !w->loc.variant.pre.holds) {
				fprintf(stderr, "warning: %s: FIXED BUT NOT SAFE: %s "
					"(--with-prerequisites carries the prerequisite)\n",
					w->loc.branch.label, w->loc.variant.pre.reason);
				ret = EXIT_FAILED;
			}
		}
		if (json)
			continue;
		if (nr > 1)
			strbuf_addf(out, "%sfix %s: %s\n", p ? "\n" : "", pl->fix->id,
				    pl->fix->subject);
		report_apply_table(out, rep + first, pl->nr);
	}
	if (json)
		report_apply_json(out, repo_path(pls[0].repo), dry_run, rep, total);
	free(rep);
	fwrite(out->buf, 1, out->len, stdout);
	if (fflush(stdout))
		ret = cli_fatal("cannot write the report: standard output failed");
	return ret;
}
