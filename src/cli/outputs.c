/*
 * The writing step both writing commands end with, over the pipelines of
 * every fix carried: every output vetted before the first is written, then
 * each branch's outputs and commit with SIGINT / SIGTERM held until the step
 * in hand is done or undone.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/report-apply.h"
#include "core/report-failed.h"
#include "core/xalloc.h"
#include "sys/build.h"

enum pipeline_write **cli_write_plan(struct pipeline *pls, size_t nr,
				     bool (*passed)(const struct branch_work *w),
				     const struct write_request *req)
{
	enum pipeline_write **want = xcalloc(nr ? nr : 1, sizeof(*want));

	for (size_t p = 0; p < nr; p++) {
		want[p] = xcalloc(pls[p].nr ? pls[p].nr : 1, sizeof(**want));
		for (size_t i = 0; i < pls[p].nr; i++) {
			struct branch_work *w = &pls[p].work[i];
			struct apply_report r = { 0 };

			if (w->error)
				continue;
			if (passed(w)) {
				want[p][i] = WRITE_OUTPUT;
				continue;
			}
			cli_report_fill(&pls[p], w, &r);
			if (req->dir && req->format == RENDER_STABLE_QUEUE && report_is_refusal(&r))
				want[p][i] = WRITE_FAILED;
		}
	}
	return want;
}

void cli_write_plan_free(enum pipeline_write **want, size_t nr)
{
	for (size_t p = 0; want && p < nr; p++)
		free(want[p]);
	free(want);
}

static bool step_done(const struct branch_work *w, enum pipeline_write want,
		      const struct write_request *req)
{
	if (want == WRITE_FAILED)
		return w->failed_file;
	return (!req->dir || w->output) && (!req->commit || w->committed);
}

static int write_one(struct pipeline *pl, struct branch_work *w, enum pipeline_write want,
		     const char *dir, const struct write_request *req)
{
	if (want == WRITE_FAILED) {
		struct apply_report r = { 0 };
		struct strbuf text = STRBUF_INIT;
		int rc;

		cli_report_fill(pl, w, &r);
		report_failed_text(&text, &r, r.subject, r.upstream_id);
		rc = pipeline_write_failed(w, dir, req->format, req->force, text.buf);
		strbuf_release(&text);
		return rc;
	}
	if (dir && pipeline_write_outputs(pl, w, dir, req->format, req->force) < 0)
		return -1;
	if (req->commit && !build_interrupted() && pipeline_commit(pl, w, req->force) < 0)
		return -1;
	return 0;
}

bool cli_write_outputs(struct pipeline *pls, size_t nr, enum pipeline_write **want,
		       const struct write_request *req)
{
	const char *refused = NULL;
	bool interrupted;

	for (size_t p = 0; p < nr && req->dir; p++) {
		char *dir = cli_output_dir(req->dir, &pls[p], req->nr_fixes);

		pipeline_vet_outputs(&pls[p], dir, req->format, req->force, want[p], &refused);
		free(dir);
	}
	for (size_t p = 0; p < nr && refused; p++)
		pipeline_mark_not_written(&pls[p], want[p], refused);
	if (req->dry_run || (!req->dir && !req->commit))
		return false;
	build_signals_install();
	for (size_t p = 0; p < nr && !build_interrupted(); p++) {
		char *dir = req->dir ? cli_output_dir(req->dir, &pls[p], req->nr_fixes) : NULL;

		for (size_t i = 0; i < pls[p].nr && !build_interrupted(); i++) {
			struct branch_work *w = &pls[p].work[i];

			if (want[p][i] && !w->error &&
			    write_one(&pls[p], w, want[p][i], dir, req) < 0)
				w->error = xstrdup(error_last());
		}
		free(dir);
	}
	interrupted = build_interrupted();
	build_signals_restore();
	return interrupted;
}

void cli_say_interrupted(const struct pipeline *pls, size_t nr, enum pipeline_write **want,
			 const struct write_request *req)
{
	struct strbuf done = STRBUF_INIT, undone = STRBUF_INIT;

	for (size_t p = 0; want && p < nr; p++) {
		for (size_t i = 0; i < pls[p].nr; i++) {
			const struct branch_work *w = &pls[p].work[i];

			if (!want[p][i])
				continue;
			if (step_done(w, want[p][i], req)) {
				strbuf_addstr(&done, done.len ? ", " : "; wrote ");
				strbuf_addf(&done, "'%s'", w->failed_file ? w->failed_file :
						  w->output ? w->output : w->ref);
			} else {
				strbuf_addstr(&undone, undone.len ? ", " : "; not written: ");
				strbuf_addstr(&undone, w->loc.branch.label);
				if (nr > 1)
					strbuf_addf(&undone, " (%s)", pls[p].fix->id);
			}
		}
	}
	fprintf(stderr, "fatal: interrupted%s%s\n", done.len ? done.buf : "; nothing written",
		undone.buf);
	strbuf_release(&done);
	strbuf_release(&undone);
}
