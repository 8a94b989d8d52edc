/* backport-mglru locate: where the pin and the unpin are, on each branch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "sys/workset.h"

static const char locate_usage[] =
	"usage: backport-mglru locate [--repo DIR] [--branch SPEC]... [--all] [--json]\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"                     (default: $BACKPORT_MGLRU_REPO, else the current one)\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref\n"
	"                     or a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y, in version order\n"
	"    --json           one JSON document (docs/json.md) instead of the table\n"
	"    -h, --help       this text\n";

int cmd_locate(int argc, char **argv)
{
	struct common_opts o = { 0 };
	struct repo *repo = NULL;
	struct branch *branches = NULL;
	struct locate_result *res = NULL, **resp = NULL;
	size_t nr = 0, nr_done = 0;
	struct strbuf out = STRBUF_INIT;
	int ret;

	if (parse_options(argc, argv, NULL, 0, &o, NULL, locate_usage, &ret))
		goto out;
	ret = EXIT_FATAL;
	if (repo_open(&repo, o.repo) < 0 ||
	    workset_select(repo, o.branches, o.nr_branches, o.all, &branches, &nr) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	if (!nr) {
		cli_fatal("no branch named linux-X.Y.y in '%s'", repo_path(repo));
		goto out;
	}
	res = xcalloc(nr, sizeof(*res));
	resp = xcalloc(nr, sizeof(*resp));
	for (size_t i = 0; i < nr; i++)
		resp[i] = &res[i];
	nr_done = nr;
	if (workset_locate_all(repo, branches, nr, resp, NULL) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	if (o.json)
		report_locate_json(&out, repo_path(repo), res, nr);
	else
		report_locate_table(&out, res, nr);
	fwrite(out.buf, 1, out.len, stdout);
	if (fflush(stdout)) {
		cli_fatal("cannot write the report: standard output failed");
		goto out;
	}
	ret = EXIT_OK;
	for (size_t i = 0; i < nr; i++) {
		const struct variant *v = &res[i].variant;

		if (v->status == STATUS_UNKNOWN)
			ret = EXIT_FAILED;
		if (v->status == STATUS_HALF_APPLIED)
			fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
				res[i].branch.label, v->reason);
	}
out:
	for (size_t i = 0; i < nr_done; i++)
		locate_result_release(&res[i]);
	free(res);
	free(resp);
	branch_list_free(branches, nr);
	common_opts_release(&o);
	strbuf_release(&out);
	repo_free(repo);
	return ret;
}
