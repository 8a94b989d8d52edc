/*
 * The writing step both writing commands end with: every output directory
 * vetted before the first is written, then each branch's outputs and commit
 * with SIGINT / SIGTERM held until the step in hand is done or undone.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/pipeline.h"

static bool step_done(const struct branch_work *w, const struct write_request *req)
{
	return (!req->dir || w->output) && (!req->commit || w->committed);
}

bool cli_write_outputs(struct pipeline *pl, const bool *want,
		       const struct write_request *req)
{
	bool interrupted;

	if (req->dir)
		pipeline_vet_outputs(pl, req->dir, req->force, want);
	if (req->dry_run || (!req->dir && !req->commit))
		return false;
	build_signals_install();
	for (size_t i = 0; i < pl->nr && !build_interrupted(); i++) {
		struct branch_work *w = &pl->work[i];

		if (!want[i] || w->error)
			continue;
		if (req->dir &&
		    pipeline_write_outputs(w, req->dir, req->format, req->force) < 0)
			w->error = xstrdup(error_last());
		if (!w->error && req->commit && !build_interrupted() &&
		    pipeline_commit(pl, w, req->force) < 0)
			w->error = xstrdup(error_last());
	}
	interrupted = build_interrupted();
	build_signals_restore();
	return interrupted;
}

void cli_say_interrupted(const struct pipeline *pl, const bool *want,
			 const struct write_request *req)
{
	struct strbuf done = STRBUF_INIT, undone = STRBUF_INIT;

	for (size_t i = 0; want && i < pl->nr; i++) {
		const struct branch_work *w = &pl->work[i];

		if (!want[i])
			continue;
		if (step_done(w, req)) {
			strbuf_addstr(&done, done.len ? ", " : "; wrote ");
			strbuf_addf(&done, "'%s'", w->output ? w->output : w->ref);
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
