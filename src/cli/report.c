/* The report every command ends with: table or JSON, warnings, exit code. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/report-apply.h"
#include "sys/pipeline.h"

int cli_report(struct pipeline *pl, struct apply_report *rep, bool json, bool dry_run,
	       struct strbuf *out)
{
	int ret = EXIT_OK;

	for (size_t i = 0; i < pl->nr; i++) {
		struct branch_work *w = &pl->work[i];

		rep[i].loc = &w->loc;
		rep[i].series_file = w->have_set ? w->set.file : NULL;
		rep[i].series_why = w->series_why;
		rep[i].bp = &w->bp;
		rep[i].output = w->output;
		rep[i].commit = w->committed ? w->commit : NULL;
		rep[i].ref = w->ref;
		rep[i].error = w->error;
		rep[i].upstream = w->upstream;
		rep[i].checks = w->checks;
		rep[i].nr_checks = w->nr_checks;
		rep[i].boots = w->boots;
		rep[i].nr_boots = w->nr_boots;
		if (apply_report_failed(&rep[i]))
			ret = EXIT_FAILED;
		if (w->bp.outcome == BACKPORT_HALF_APPLIED)
			fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
				w->loc.branch.label, w->bp.reason);
		if (w->loc.variant.status == STATUS_HALF_APPLIED)
			fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
				w->loc.branch.label, w->loc.variant.reason);
	}
	if (json)
		report_apply_json(out, repo_path(pl->repo), dry_run, rep, pl->nr);
	else
		report_apply_table(out, rep, pl->nr);
	fwrite(out->buf, 1, out->len, stdout);
	if (fflush(stdout))
		ret = cli_fatal("cannot write the report: standard output failed");
	return ret;
}
