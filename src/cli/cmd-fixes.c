/* backport-mglru fixes: the fix catalogue, one line (or JSON record) a fix. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/report-fixes.h"
#include "core/xalloc.h"
#include "sys/catalogue.h"

static const char fixes_usage[] =
	"usage: backport-mglru fixes [--series DIR] [--fixes-dir DIR] [--fix ID]... [--json]\n"
	"\n"
	"    --series DIR     directory with series/ and backports/ (default: the\n"
	"                     installed copy, or the source tree's)\n"
	"    --fixes-dir DIR  extra fix folders (default:\n"
	"                     ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes)\n"
	"    --fix ID         list only this fix; repeatable ('all': every fix)\n"
	"    --json           one JSON document (docs/json.md) instead of the table\n"
	"    -h, --help       this text\n";

struct fixes_cli {
	struct backport_opts b;	/* first: the shared handlers take it */
};

static const struct cli_option fixes_options[] = {
	{ "series", true, opt_series, 0 },
};

int cmd_fixes(int argc, char **argv)
{
	struct common_opts common = { 0 };
	struct fixes_cli o = { 0 };
	struct catalogue cat = CATALOGUE_INIT;
	const struct fix_desc **sel = NULL;
	struct fix_desc *list = NULL;
	size_t nr = 0;
	struct strbuf out = STRBUF_INIT;
	int ret;

	if (parse_options(argc, argv, fixes_options, ARRAY_SIZE(fixes_options), &common, &o,
			  fixes_usage, &ret))
		goto out;
	if (common.repo || common.nr_branches || common.all) {
		ret = cli_usage_error(fixes_usage, "fixes reads no repository: --repo, "
				      "--branch and --all do not apply");
		goto out;
	}
	ret = EXIT_FATAL;
	if (!common.nr_fixes) {	/* no --fix: every fix */
		common.fixes = xcalloc(1, sizeof(*common.fixes));
		common.fixes[0] = "all";
		common.nr_fixes = 1;
	}
	if (cli_load_fixes(&cat, o.b.series, &common, &sel, &nr) < 0)
		goto out;
	/* the renderers take an array of fixes: shallow copies, not owned */
	list = xcalloc(nr, sizeof(*list));
	for (size_t i = 0; i < nr; i++)
		list[i] = *sel[i];
	if (common.json)
		report_fixes_json(&out, list, nr);
	else
		report_fixes_table(&out, list, nr);
	fwrite(out.buf, 1, out.len, stdout);
	ret = fflush(stdout) ? cli_fatal("cannot write the report: standard output failed") :
			       EXIT_OK;
out:
	free(list);
	free(sel);
	catalogue_release(&cat);
	common_opts_release(&common);
	strbuf_release(&out);
	return ret;
}
