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
#include "sys/catalogue.h"
#include "sys/pipeline.h"

static const char apply_usage[] =
	"usage: backport-mglru apply [--repo DIR] [--branch SPEC]... [--all] [--series DIR]\n"
	"                            [--fix ID]... [--fixes-dir DIR]\n"
	"                            [--fuzz N] [--output DIR] [--format FMT]\n"
	"                            [--semantic] [--assume-prerequisite]\n"
	"                            [--with-prerequisites]\n"
	"                            [--commit] [--force] [--dry-run] [--json]\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref or\n"
	"                     a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y\n"
	"    --series DIR     directory with series/ and backports/ (default: the\n"
	"                     installed copy, or the source tree's)\n"
	"    --fix ID         the fix to carry (default: mglru-mmgrab); repeatable;\n"
	"                     'all' for every fix in the catalogue\n"
	"    --fixes-dir DIR  extra fix folders (default:\n"
	"                     ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes)\n"
	"    --fuzz N         context lines a hunk may ignore at each end (default 0)\n"
	"    --semantic       where no series fits (none for the shape, it fails, or\n"
	"                     the layout is unknown), adapt with the semantic patch\n"
	"                     backports/mglru-mmgrab.cocci (spatch) on a scratch\n"
	"                     copy; kept only when both sites are converted and\n"
	"                     nothing else changed; must be reviewed\n"
	"    --assume-prerequisite\n"
	"                     patch a tree whose precondition cannot be verified\n"
	"                     (mm/mmap.c or exit_mmap() missing), and say so in the\n"
	"                     patch and the report\n"
	"    --with-prerequisites\n"
	"                     where exit_mmap() shows the old teardown, apply the\n"
	"                     shipped backport of the prerequisite first, check the\n"
	"                     precondition again, then the fix: one series of both\n"
	"    --output DIR     write DIR/<X.Y.y>/series and its patches, regenerated\n"
	"                     against each branch's exact tree (DIR/<fix>/<X.Y.y>/\n"
	"                     with more than one fix)\n"
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
	{ "assume-prerequisite", false, opt_assume_prerequisite, 0 },
	{ "with-prerequisites", false, opt_with_prerequisites, 0 },
	{ "commit", false, opt_commit, 0 },
	{ "force", false, opt_force, 0 },
	{ "dry-run", false, opt_dry_run, 0 },
};

static bool applied(const struct branch_work *w)
{
	return w->bp.outcome == BACKPORT_APPLIED && !w->error;
}

int cmd_apply(int argc, char **argv)
{
	struct common_opts common = { 0 };
	struct apply_cli o = { 0 };
	struct pipeline *pls = NULL;
	struct catalogue cat = CATALOGUE_INIT;
	const struct fix_desc **fixes = NULL;
	size_t nr_fixes = 0, nr_pls = 0;
	struct strbuf out = STRBUF_INIT;
	struct write_request req = { 0 };
	enum pipeline_write **want = NULL;
	bool interrupted;
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
	if (cli_load_fixes(&cat, o.b.series, &common, &fixes, &nr_fixes) < 0)
		goto out;
	if (o.commit && nr_fixes > 1) {
		ret = cli_usage_error(apply_usage, "--commit takes one fix: it commits on "
				      "refs/heads/backport-mglru/<X.Y.y>");
		goto out;
	}
	pls = xcalloc(nr_fixes, sizeof(*pls));
	for (; nr_pls < nr_fixes; nr_pls++) {
		struct pipeline *pl = &pls[nr_pls];

		if (pipeline_locate(pl, fixes[nr_pls], common.repo, common.branches,
				    common.nr_branches, common.all) < 0 ||
		    ((o.b.output || o.commit) && pipeline_one_branch_per_line(pl) < 0)) {
			nr_pls++;
			cli_fatal("%s", error_last());
			goto out;
		}
	}
	if (o.commit && !o.force && !o.dry_run) {
		for (size_t i = 0; i < pls[0].nr; i++)
			if (repo_ref_exists(pls[0].repo, pls[0].work[i].ref)) {
				cli_fatal("ref '%s' already exists (use --force to replace it)",
					  pls[0].work[i].ref);
				goto out;
			}
	}
	if (cli_backport(pls, nr_pls, &o.b) < 0)
		goto out;
	/* Outputs only for branches that applied; a failing branch writes nothing. */
	req = (struct write_request){ o.b.output, o.b.format, o.commit, o.force, o.dry_run,
				      nr_fixes };
	want = cli_write_plan(pls, nr_pls, applied, &req);
	interrupted = cli_write_outputs(pls, nr_pls, want, &req);
	ret = cli_report(pls, nr_pls, common.json, o.dry_run, &out);
	if (interrupted) {
		cli_say_interrupted(pls, nr_pls, want, &req);
		ret = EXIT_INTERRUPTED;
	}
out:
	cli_write_plan_free(want, nr_pls);
	for (size_t p = 0; p < nr_pls; p++)
		pipeline_release(&pls[p]);
	free(pls);
	free(fixes);
	catalogue_release(&cat);
	common_opts_release(&common);
	strbuf_release(&out);
	return ret;
}
