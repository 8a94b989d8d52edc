/* backport-mglru locate: where the pin and the unpin are, on each branch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "core/report.h"
#include "sys/catalogue.h"
#include "sys/workset.h"

static const char locate_usage[] =
	"usage: backport-mglru locate [--repo DIR] [--branch SPEC]... [--all] [--json]\n"
	"                             [--fix ID]... [--fixes-dir DIR]\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"                     (default: $BACKPORT_MGLRU_REPO, else the current one)\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref\n"
	"                     or a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y, in version order\n"
	"    --fix ID         the fix to locate (default: mglru-mmgrab); repeatable;\n"
	"                     'all' for every fix in the catalogue\n"
	"    --fixes-dir DIR  extra fix folders (default:\n"
	"                     ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes)\n"
	"    --json           one JSON document (docs/json.md) instead of the table\n"
	"    -h, --help       this text\n";

/* Locates fix on the selected branches into res[0..*nr). */
static int locate_fix(struct repo *repo, const struct common_opts *o,
		      const struct fix_desc *fix, struct locate_result **res, size_t *nr,
		      size_t *alloc)
{
	struct branch *branches = NULL;
	struct locate_result **resp = NULL;
	size_t n = 0, first = *nr;
	int ret = -1;

	if (workset_select(repo, o->branches, o->nr_branches, o->all, &branches, &n) < 0)
		return -1;
	if (!n) {
		error("no branch named linux-X.Y.y in '%s'", repo_path(repo));
		goto out;
	}
	ALLOC_GROW(*res, first + n, *alloc);
	memset(*res + first, 0, n * sizeof(**res));
	resp = xcalloc(n, sizeof(*resp));
	for (size_t i = 0; i < n; i++)
		resp[i] = &(*res)[first + i];
	*nr = first + n;	/* set up by workset_locate_all() even on error */
	ret = workset_locate_all(repo, fix, branches, n, resp, NULL);
out:
	free(resp);
	branch_list_free(branches, n);
	return ret;
}

int cmd_locate(int argc, char **argv)
{
	struct common_opts o = { 0 };
	struct repo *repo = NULL;
	struct catalogue cat = CATALOGUE_INIT;
	const struct fix_desc **fixes = NULL;
	struct locate_result *res = NULL;
	size_t nr = 0, alloc = 0, nr_fixes = 0;
	struct strbuf out = STRBUF_INIT;
	int ret;

	if (parse_options(argc, argv, NULL, 0, &o, NULL, locate_usage, &ret))
		goto out;
	ret = EXIT_FATAL;
	if (cli_load_fixes(&cat, NULL, &o, &fixes, &nr_fixes) < 0)
		goto out;
	if (repo_open(&repo, o.repo) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	for (size_t k = 0; k < nr_fixes; k++) {
		size_t first = nr;

		if (locate_fix(repo, &o, fixes[k], &res, &nr, &alloc) < 0) {
			cli_fatal("%s", error_last());
			goto out;
		}
		if (o.json)
			continue;
		if (nr_fixes > 1)
			strbuf_addf(&out, "%sfix %s: %s\n", k ? "\n" : "", fixes[k]->id,
				    fixes[k]->subject);
		report_locate_table(&out, res + first, nr - first);
	}
	if (o.json)
		report_locate_json(&out, repo_path(repo), res, nr);
	fwrite(out.buf, 1, out.len, stdout);
	if (fflush(stdout)) {
		cli_fatal("cannot write the report: standard output failed");
		goto out;
	}
	ret = EXIT_OK;
	for (size_t i = 0; i < nr; i++) {
		const struct variant *v = &res[i].variant;

		if (v->status == STATUS_UNKNOWN || v->status == STATUS_CONFLICT ||
		    v->status == STATUS_PREREQ_UNVERIFIABLE)
			ret = EXIT_FAILED;
		if (v->status == STATUS_HALF_APPLIED)
			fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
				res[i].branch.label, v->reason);
		if (v->status == STATUS_ALREADY_FIXED && v->pre.checked && !v->pre.holds) {
			fprintf(stderr, "warning: %s: FIXED BUT NOT SAFE: %s\n",
				res[i].branch.label, v->reason);
			ret = EXIT_FAILED;
		}
	}
out:
	for (size_t i = 0; i < nr; i++)
		locate_result_release(&res[i]);
	free(res);
	free(fixes);
	common_opts_release(&o);
	strbuf_release(&out);
	repo_free(repo);
	catalogue_release(&cat);
	return ret;
}
