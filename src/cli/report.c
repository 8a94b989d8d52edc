/* The report every command ends with: table or JSON, warnings, exit code. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/fix.h"
#include "core/report-apply.h"
#include "core/xalloc.h"
#include "sys/pipeline.h"

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

			rep[k].loc = &w->loc;
			rep[k].series_file = w->have_set ? w->set.file : NULL;
			rep[k].series_why = w->series_why;
			rep[k].bp = &w->bp;
			rep[k].output = w->output;
			rep[k].commit = w->committed ? w->commit : NULL;
			rep[k].ref = w->ref;
			rep[k].error = w->error;
			rep[k].upstream = w->upstream;
			rep[k].checks = w->checks;
			rep[k].nr_checks = w->nr_checks;
			if (apply_report_failed(&rep[k]))
				ret = EXIT_FAILED;
			if (w->bp.outcome == BACKPORT_HALF_APPLIED)
				fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
					w->loc.branch.label, w->bp.reason);
			if (w->loc.variant.status == STATUS_HALF_APPLIED)
				fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
					w->loc.branch.label, w->loc.variant.reason);
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
