/* The report every command ends with: table or JSON, warnings, exit code. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/report-apply.h"
#include "sys/pipeline.h"

void cli_report_fill(struct branch_work *w, struct apply_report *r)
{
	const struct patch *first = w->have_set && w->set.nr_patches ? &w->set.patches[0] : NULL;

	r->loc = &w->loc;
	r->series_file = w->semantic_file ? w->semantic_file : w->have_set ? w->set.file : NULL;
	r->series_why = w->series_why;
	r->bp = &w->bp;
	r->output = w->output;
	r->commit = w->committed ? w->commit : NULL;
	r->ref = w->ref;
	r->error = w->error;
	r->upstream = w->upstream;
	r->checks = w->checks;
	r->nr_checks = w->nr_checks;
	r->subject = first ? first->subject : NULL;
	r->upstream_id = first && render_upstream_id(first->message, w->upstream_id) ?
			 w->upstream_id : NULL;
	r->failed_file = w->failed_file;
}

int cli_report(struct pipeline *pl, struct apply_report *rep, bool json, bool dry_run,
	       struct strbuf *out)
{
	int ret = EXIT_OK;

	for (size_t i = 0; i < pl->nr; i++) {
		struct branch_work *w = &pl->work[i];

		cli_report_fill(w, &rep[i]);
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
