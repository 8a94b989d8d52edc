/* backport-mglru locate: where the pin and the unpin are, on each branch. */
#include <getopt.h>
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

struct locate_opts {
	const char *repo;
	const char **branches;
	size_t nr_branches, alloc_branches;
	bool all;
	bool json;
};

/* Returns -1 after printing usage help, 1 for -h, 0 to go on. */
static int parse_locate_opts(struct locate_opts *o, int argc, char **argv, int *exit_code)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "branch", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->repo = optarg;
			break;
		case 'b':
			ALLOC_GROW(o->branches, o->nr_branches + 1, o->alloc_branches);
			o->branches[o->nr_branches++] = optarg;
			break;
		case 'a':
			o->all = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			fputs(locate_usage, stdout);
			*exit_code = EXIT_OK;
			return 1;
		default:
			*exit_code = cli_usage_error(locate_usage, "unknown or incomplete option '%s'",
						     argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		*exit_code = cli_usage_error(locate_usage, "unexpected argument '%s'",
					     argv[optind]);
		return -1;
	}
	return 0;
}

int cmd_locate(int argc, char **argv)
{
	struct locate_opts o = { 0 };
	struct repo *repo = NULL;
	struct branch *branches = NULL;
	struct locate_result *res = NULL;
	size_t nr = 0, nr_done = 0;
	struct strbuf out = STRBUF_INIT;
	int ret;

	if (parse_locate_opts(&o, argc, argv, &ret))
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
	for (; nr_done < nr; nr_done++) {
		if (workset_locate(repo, &branches[nr_done], &res[nr_done]) < 0) {
			nr_done++;
			cli_fatal("%s", error_last());
			goto out;
		}
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
	branch_list_free(branches, nr);
	free(o.branches);
	strbuf_release(&out);
	repo_free(repo);
	return ret;
}
