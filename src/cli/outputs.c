/*
 * The writing step both writing commands end with: every output vetted
 * before the first is written, then each branch's outputs and commit with
 * SIGINT / SIGTERM held until the step in hand is done or undone.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/report-apply.h"
#include "core/report-failed.h"
#include "core/xalloc.h"
#include "sys/build.h"

enum pipeline_write *cli_write_plan(struct pipeline *pl, const bool *passed,
				    const struct write_request *req)
{
	enum pipeline_write *want = xcalloc(pl->nr, sizeof(*want));

	for (size_t i = 0; i < pl->nr; i++) {
		struct apply_report r = { 0 };

		if (passed[i]) {
			want[i] = WRITE_OUTPUT;
			continue;
		}
		cli_report_fill(&pl->work[i], &r);
		if (req->dir && req->format == RENDER_STABLE_QUEUE && !pl->work[i].error &&
		    report_is_refusal(&r))
			want[i] = WRITE_FAILED;
	}
	return want;
}

static bool step_done(const struct branch_work *w, enum pipeline_write want,
		      const struct write_request *req)
{
	if (want == WRITE_FAILED)
		return w->failed_file;
	return (!req->dir || w->output) && (!req->commit || w->committed);
}

static int write_one(struct pipeline *pl, struct branch_work *w, enum pipeline_write want,
		     const struct write_request *req)
{
	if (want == WRITE_FAILED) {
		struct apply_report r = { 0 };
		struct strbuf text = STRBUF_INIT;
		int rc;

		cli_report_fill(w, &r);
		report_failed_text(&text, &r, r.subject, r.upstream_id);
		rc = pipeline_write_failed(w, req->dir, req->format, req->force, text.buf);
		strbuf_release(&text);
		return rc;
	}
	if (req->dir && pipeline_write_outputs(w, req->dir, req->format, req->force) < 0)
		return -1;
	if (req->commit && !build_interrupted() && pipeline_commit(pl, w, req->force) < 0)
		return -1;
	return 0;
}

bool cli_write_outputs(struct pipeline *pl, const enum pipeline_write *want,
		       const struct write_request *req)
{
	bool interrupted;

	if (req->dir)
		pipeline_vet_outputs(pl, req->dir, req->format, req->force, want);
	if (req->dry_run || (!req->dir && !req->commit))
		return false;
	build_signals_install();
	for (size_t i = 0; i < pl->nr && !build_interrupted(); i++) {
		struct branch_work *w = &pl->work[i];

		if (want[i] && !w->error && write_one(pl, w, want[i], req) < 0)
			w->error = xstrdup(error_last());
	}
	interrupted = build_interrupted();
	build_signals_restore();
	return interrupted;
}

void cli_say_interrupted(const struct pipeline *pl, const enum pipeline_write *want,
			 const struct write_request *req)
{
	struct strbuf done = STRBUF_INIT, undone = STRBUF_INIT;

	for (size_t i = 0; want && i < pl->nr; i++) {
		const struct branch_work *w = &pl->work[i];

		if (!want[i])
			continue;
		if (step_done(w, want[i], req)) {
			strbuf_addstr(&done, done.len ? ", " : "; wrote ");
			strbuf_addf(&done, "'%s'", w->failed_file ? w->failed_file :
					  w->output ? w->output : w->ref);
		} else {
			strbuf_addstr(&undone, undone.len ? ", " : "; not written: ");
			strbuf_addstr(&undone, w->loc.branch.label);
		}
	}
	fprintf(stderr, "fatal: interrupted%s%s\n", done.len ? done.buf : "; nothing written",
		undone.buf);
	strbuf_release(&done);
	strbuf_release(&undone);
}
