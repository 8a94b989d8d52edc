/*
 * backport-mglru apply: on each branch, the series kept for its line applied
 * in memory, all or nothing, checked by locating again, then written out as
 * quilt / DEP-3 / mbox patches against that branch's exact tree, and with
 * --commit, committed on refs/heads/backport-mglru/<X.Y.y>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/render.h"
#include "core/report-apply.h"
#include "core/xalloc.h"
#include "sys/pipeline.h"

static const char apply_usage[] =
	"usage: backport-mglru apply [--repo DIR] [--branch SPEC]... [--all] [--series DIR]\n"
	"                            [--fuzz N] [--output DIR] [--format FMT]\n"
	"                            [--semantic] [--commit] [--force] [--dry-run] [--json]\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref or\n"
	"                     a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y\n"
	"    --series DIR     directory with series/ and backports/ (default: the\n"
	"                     installed copy, or the source tree's)\n"
	"    --fuzz N         context lines a hunk may ignore at each end (default 0)\n"
	"    --semantic       where no series fits (none for the shape, it fails, or\n"
	"                     the layout is unknown), adapt with the semantic patch\n"
	"                     backports/mglru-mmgrab.cocci (spatch) on a scratch\n"
	"                     copy; kept only when both sites are converted and\n"
	"                     nothing else changed; must be reviewed\n"
	"    --output DIR     write DIR/<X.Y.y>/series and its patches, regenerated\n"
	"                     against each branch's exact tree\n"
	"    --format FMT     quilt (default), dep3 (debian/patches), mbox (git am),\n"
	"                     stable-queue (queue-X.Y/, and X.Y.FAILED.txt for a line\n"
	"                     the fix does not go to)\n"
	"    --commit         commit each patched tree on refs/heads/backport-mglru/<X.Y.y>\n"
	"    --force          with --commit, replace such a ref when it exists; with\n"
	"                     --output, replace a DIR/<X.Y.y> holding files\n"
	"                     backport-mglru did not write (never a link or a file)\n"
	"    --dry-run        write nothing, report only\n"
	"    --json           one JSON document (docs/json.md) instead of the table\n"
	"    -h, --help       this text\n";

struct apply_cli {
	struct backport_opts b;	/* first: the shared handlers take it */
	bool commit, force, dry_run;
};

static const char *opt_commit(void *cmd, const char *arg)
{
	(void)arg;
	((struct apply_cli *)cmd)->commit = true;
	return NULL;
}

static const char *opt_force(void *cmd, const char *arg)
{
	(void)arg;
	((struct apply_cli *)cmd)->force = true;
	return NULL;
}

static const char *opt_dry_run(void *cmd, const char *arg)
{
	(void)arg;
	((struct apply_cli *)cmd)->dry_run = true;
	return NULL;
}

static const struct cli_option apply_options[] = {
	{ "series", true, opt_series, 0 },
	{ "fuzz", true, opt_fuzz, 0 },
	{ "output", true, opt_output, 0 },
	{ "format", true, opt_format, 0 },
	{ "semantic", false, opt_semantic, 0 },
	{ "commit", false, opt_commit, 0 },
	{ "force", false, opt_force, 0 },
	{ "dry-run", false, opt_dry_run, 0 },
};

int cmd_apply(int argc, char **argv)
{
	struct common_opts common = { 0 };
	struct apply_cli o = { 0 };
	struct pipeline pl = PIPELINE_INIT;
	struct apply_report *rep = NULL;
	struct strbuf out = STRBUF_INIT;
	struct write_request req = { 0 };
	enum pipeline_write *want = NULL;
	bool *passed = NULL, interrupted;
	int ret;

	o.b.format = RENDER_QUILT;
	if (parse_options(argc, argv, apply_options, ARRAY_SIZE(apply_options), &common,
			  &o, apply_usage, &ret))
		goto out;
	if (o.force && !o.commit && !o.b.output) {
		ret = cli_usage_error(apply_usage, "--force goes with --commit or --output");
		goto out;
	}
	ret = EXIT_FATAL;
	if (pipeline_locate(&pl, common.repo, common.branches, common.nr_branches,
			    common.all) < 0 ||
	    ((o.b.output || o.commit) && pipeline_one_branch_per_line(&pl) < 0)) {
		cli_fatal("%s", error_last());
		goto out;
	}
	if (o.commit && !o.force && !o.dry_run) {
		for (size_t i = 0; i < pl.nr; i++)
			if (repo_ref_exists(pl.repo, pl.work[i].ref)) {
				cli_fatal("ref '%s' already exists (use --force to replace it)",
					  pl.work[i].ref);
				goto out;
			}
	}
	pl.semantic = o.b.semantic;
	if (pipeline_backport(&pl, o.b.series, o.b.fuzz) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	/* Outputs only for branches that applied; a failing branch writes nothing. */
	req = (struct write_request){ o.b.output, o.b.format, o.commit, o.force, o.dry_run };
	passed = xcalloc(pl.nr, sizeof(*passed));
	for (size_t i = 0; i < pl.nr; i++)
		passed[i] = pl.work[i].bp.outcome == BACKPORT_APPLIED && !pl.work[i].error;
	want = cli_write_plan(&pl, passed, &req);
	interrupted = cli_write_outputs(&pl, want, &req);
	rep = xcalloc(pl.nr, sizeof(*rep));
	ret = cli_report(&pl, rep, common.json, o.dry_run, &out);
	if (interrupted) {
		cli_say_interrupted(&pl, want, &req);
		ret = EXIT_INTERRUPTED;
	}
out:
	free(want);
	free(passed);
	free(rep);
	pipeline_release(&pl);
	common_opts_release(&common);
	strbuf_release(&out);
	return ret;
}
