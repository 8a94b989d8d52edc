/*
 * The full job and `check`: locate, apply in memory, compile-check the
 * patched tree of every branch with kernel defconfigs (only the objects the
 * series touches, against a baseline), and, for the full job, write the
 * outputs of the branches that passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check-boot.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/report-apply.h"
#include "core/xalloc.h"
#include "sys/check.h"
#include "sys/catalogue.h"
#include "sys/pipeline-check.h"
#include "sys/pipeline.h"

static const char check_usage[] =
	"usage: backport-mglru [--repo DIR] [--branch SPEC]... [--all] [--series DIR]\n"
	"                      [--fix ID]... [--fixes-dir DIR]\n"
	"                      [--arch x86_64,arm64] [--config TARGET]... [-j N]\n"
	"                      [--cc WRAPPER] [--timeout SEC] [--keep-going] [--fuzz N]\n"
	"                      [--no-shortcut] [--semantic] [--assume-prerequisite]\n"
	"                      [--with-prerequisites]\n"
	"                      [--boot] [--boot-control] [--boot-timeout SEC]\n"
	"                      [--output DIR [--format FMT] [--force]] [--json]\n"
	"   or: backport-mglru check ...   the same, without writing outputs\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref or\n"
	"                     a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y\n"
	"    --series DIR     directory with series/ and backports/\n"
	"    --fix ID         the fix to carry (default: mglru-mmgrab); repeatable;\n"
	"                     'all' for every fix in the catalogue\n"
	"    --fixes-dir DIR  extra fix folders (default:\n"
	"                     ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes)\n"
	"    --arch LIST      x86_64 and/or arm64 (default: x86_64, plus arm64 when\n"
	"                     aarch64-linux-gnu-gcc is installed)\n"
	"    --config TARGET  a config make target, or the path of a config fragment\n"
	"                     merged on top of the defconfig; repeatable\n"
	"    -j N             checks at once (make gets the cores shared out)\n"
	"    --cc WRAPPER     wrap the compiler: ccache, distcc\n"
	"    --timeout SEC    give up on a check step after SEC seconds\n"
	"    --keep-going     check the branches that applied even when another failed\n"
	"    --fuzz N         context lines a hunk may ignore at each end (default 0)\n"
	"    --semantic       where no series fits, adapt with the semantic patch\n"
	"                     (spatch); the result is checked and must be reviewed\n"
	"    --assume-prerequisite\n"
	"                     patch where the precondition cannot be verified, and\n"
	"                     say so in the patch and the report\n"
	"    --with-prerequisites\n"
	"                     where exit_mmap() shows the old teardown, apply the\n"
	"                     shipped backport of the prerequisite first\n"
	"    --no-shortcut    always run make, even when only the patched .c files\n"
	"                     changed since the last make of a build directory\n"
	"    --boot           also boot the patched kernel (tinyconfig + KASAN) in\n"
	"                     qemu (x86_64, arm64) and drive the MGLRU page-table walk\n"
	"    --boot-control   boot a half-applied kernel (only the unpin converted)\n"
	"                     and require KASAN to catch it (check only)\n"
	"    --boot-timeout SEC  kill the guest after SEC seconds (default 300)\n"
	"    --output DIR     write DIR/<X.Y.y>/ for each branch that applied and built\n"
	"                     (DIR/<fix>/<X.Y.y>/ with more than one fix)\n"
	"    --format FMT     quilt (default), dep3, mbox, stable-queue\n"
	"    --force          replace a DIR/<X.Y.y> holding files backport-mglru did\n"
	"                     not write (never a link or a file)\n"
	"    --json           one JSON document (docs/json.md)\n"
	"    -h, --help       this text\n";

struct check_cli {
	struct backport_opts b;	/* first: the shared handlers take it */
	const char *archs[2];
	size_t nr_archs;
	const char **configs;
	size_t nr_configs, alloc_configs;
	size_t jobs;
	const char *cc;
	double timeout;
	bool keep_going;
	bool no_shortcut;
	bool force;
	struct check_boot_opts boot;
};

static const char *opt_arch(void *cmd, const char *arg)
{
	struct check_cli *o = cmd;
	const char *p = arg;

	o->nr_archs = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *known = n == 6 && !strncmp(p, "x86_64", 6) ? "x86_64" :
				    n == 5 && !strncmp(p, "arm64", 5) ? "arm64" : NULL;

		bool dup = false;

		if (!known)
			return "expected x86_64 and/or arm64";
		for (size_t i = 0; i < o->nr_archs; i++)
			dup |= !strcmp(o->archs[i], known);
		if (!dup)
			o->archs[o->nr_archs++] = known;
		p += n + (p[n] == ',');
	}
	return o->nr_archs ? NULL : "expected x86_64 and/or arm64";
}

static const char *opt_config(void *cmd, const char *arg)
{
	struct check_cli *o = cmd;

	if (!*arg)
		return "expected a config target or fragment path";
	ALLOC_GROW(o->configs, o->nr_configs + 1, o->alloc_configs);
	o->configs[o->nr_configs++] = arg;
	return NULL;
}

static const char *opt_jobs(void *cmd, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || !v || v > 64)
		return "expected a number from 1 to 64";
	((struct check_cli *)cmd)->jobs = v;
	return NULL;
}

static const char *opt_cc(void *cmd, const char *arg)
{
	if (!*arg || strchr(arg, ' '))
		return "expected one program, e.g. ccache or distcc";
	((struct check_cli *)cmd)->cc = arg;
	return NULL;
}

static const char *opt_timeout(void *cmd, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || v <= 0)
		return "expected a number of seconds above 0";
	((struct check_cli *)cmd)->timeout = v;
	return NULL;
}

static const char *opt_keep_going(void *cmd, const char *arg)
{
	(void)arg;
	((struct check_cli *)cmd)->keep_going = true;
	return NULL;
}

static const char *opt_force(void *cmd, const char *arg)
{
	(void)arg;
	((struct check_cli *)cmd)->force = true;
	return NULL;
}

static const char *opt_no_shortcut(void *cmd, const char *arg)
{
	(void)arg;
	((struct check_cli *)cmd)->no_shortcut = true;
	return NULL;
}

static const char *opt_boot(void *cmd, const char *arg)
{
	(void)arg;
	((struct check_cli *)cmd)->boot.boot = true;
	return NULL;
}

static const char *opt_boot_control(void *cmd, const char *arg)
{
	(void)arg;
	((struct check_cli *)cmd)->boot.control = true;
	return NULL;
}

static const char *opt_boot_timeout(void *cmd, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || v <= 0)
		return "expected a number of seconds above 0";
	((struct check_cli *)cmd)->boot.guest_timeout = v;
	return NULL;
}

static const struct cli_option check_options[] = {
	{ "series", true, opt_series, 0 },
	{ "fuzz", true, opt_fuzz, 0 },
	{ "arch", true, opt_arch, 0 },
	{ "config", true, opt_config, 0 },
	{ "jobs", true, opt_jobs, 'j' },
	{ "cc", true, opt_cc, 0 },
	{ "timeout", true, opt_timeout, 0 },
	{ "keep-going", false, opt_keep_going, 0 },
	{ "no-shortcut", false, opt_no_shortcut, 0 },
	{ "force", false, opt_force, 0 },
	{ "boot", false, opt_boot, 0 },
	{ "boot-control", false, opt_boot_control, 0 },
	{ "boot-timeout", true, opt_boot_timeout, 0 },
	{ "output", true, opt_output, 0 },
	{ "format", true, opt_format, 0 },
	{ "semantic", false, opt_semantic, 0 },
	{ "assume-prerequisite", false, opt_assume_prerequisite, 0 },
	{ "with-prerequisites", false, opt_with_prerequisites, 0 },
};

/*
 * --with-prerequisites: a shipped backport of a fix's prerequisite (one per
 * line) is compile-checked only where a branch of its line took it; say so
 * for each one no branch here did, rather than let it pass unseen.
 */
static int note_unchecked_prerequisites(const struct pipeline *pl)
{
	struct series_set *sets = NULL;
	size_t nr = 0;

	if (prereq_forms_load(&sets, &nr, pl->fix, "") < 0)
		return -1;
	for (size_t k = 0; k < nr; k++) {
		const char *line = strrchr(sets[k].file, '/') + 1;
		bool checked = false;

		for (size_t i = 0; i < pl->nr && !checked; i++)
			checked = pl->work[i].bp.prereq_form &&
				  !strcmp(pl->work[i].bp.prereq_form, sets[k].file);
		if (!checked)
			fprintf(stderr, "note: %s: %s (the prerequisite's backport for linux-%s) "
				"is not compile-checked: no branch checked here is a linux-%s "
				"tree that took it\n", pl->fix->id, sets[k].file, line, line);
		series_set_release(&sets[k]);
	}
	free(sets);
	return 0;
}

static int check_main(int argc, char **argv, bool write)
{
	struct common_opts common = { 0 };
	struct check_cli o = { 0 };
	struct pipeline *pls = NULL;
	struct catalogue cat = CATALOGUE_INIT;
	const struct fix_desc **fixes = NULL;
	size_t nr_fixes = 0, nr_pls = 0;
	struct strbuf out = STRBUF_INIT;
	struct pipeline_check_opts pco = PIPELINE_CHECK_OPTS_INIT;
	bool interrupted = false, some_failed = false;
	const char *note = NULL;
	struct write_request req = { 0 };
	enum pipeline_write **want = NULL;
	int ret;

	o.b.format = RENDER_QUILT;
	if (parse_options(argc, argv, check_options, ARRAY_SIZE(check_options), &common,
			  &o, check_usage, &ret))
		goto out;
	if (o.force && !o.b.output) {
		ret = cli_usage_error(check_usage, "--force goes with --output");
		goto out;
	}
	if (!write && o.b.output) {
		ret = cli_usage_error(check_usage, "check writes nothing: --output goes "
				      "with the full job (no command)");
		goto out;
	}
	if (write && o.boot.control) {
		ret = cli_usage_error(check_usage, "--boot-control goes with check: the "
				      "half-applied control must never be near an output");
		goto out;
	}
	if (!o.nr_archs)
		o.nr_archs = check_default_arches(o.archs, &note);
	if (note)
		fprintf(stderr, "note: %s\n", note);
	pco.archs = (const char *const *)o.archs;
	pco.nr_archs = o.nr_archs;
	pco.configs = (const char *const *)o.configs;
	pco.nr_configs = o.nr_configs;
	pco.check.parallel = o.jobs ? o.jobs : 1;
	pco.check.cc_wrapper = o.cc;
	pco.check.timeout_sec = o.timeout;
	pco.check.no_shortcut = o.no_shortcut;
	ret = EXIT_FATAL;
	if (cli_load_fixes(&cat, o.b.series, &common, &fixes, &nr_fixes) < 0)
		goto out;
	pls = xcalloc(nr_fixes, sizeof(*pls));
	for (; nr_pls < nr_fixes; nr_pls++) {
		struct pipeline *pl = &pls[nr_pls];

		if (pipeline_locate(pl, fixes[nr_pls], common.repo, common.branches,
				    common.nr_branches, common.all) < 0 ||
		    (o.b.output && pipeline_one_branch_per_line(pl) < 0)) {
			nr_pls++;
			cli_fatal("%s", error_last());
			goto out;
		}
	}
	if (cli_backport(pls, nr_pls, &o.b) < 0)
		goto out;
	for (size_t p = 0; p < nr_pls && o.b.with_prerequisites; p++)
		if (note_unchecked_prerequisites(&pls[p]) < 0) {
			cli_fatal("%s", error_last());
			goto out;
		}
	for (size_t p = 0; p < nr_pls; p++)
		for (size_t i = 0; i < pls[p].nr; i++)
			some_failed |= backport_outcome_failed(pls[p].work[i].bp.outcome);
	if (some_failed && !o.keep_going)
		fprintf(stderr, "note: not compiling: a branch failed to apply "
				"(--keep-going checks the others)\n");
	else
		for (size_t p = 0; p < nr_pls && !interrupted; p++)
			if (pipeline_check(&pls[p], &pco, &interrupted) < 0) {
				cli_fatal("%s", error_last());
				goto out;
			}
	if ((o.boot.boot || o.boot.control) && !interrupted && (!some_failed || o.keep_going)) {
		o.boot.build_timeout = o.timeout;
		o.boot.cc = o.cc;
		o.boot.archs = o.archs;
		o.boot.nr_archs = o.nr_archs;
		for (size_t p = 0; p < nr_pls && !interrupted; p++) {
			struct check_boot_opts bo = o.boot;

			/* the control is the seed fix's half-applied tree: its rule only */
			bo.control &= pls[p].fix->rule != NULL;
			if ((bo.boot || bo.control) && cli_run_boots(&pls[p], &bo, &interrupted) < 0) {
				cli_fatal("%s", error_last());
				goto out;
			}
		}
	}
	/* Outputs for the branches that applied and built; nothing after ^C. */
	req = (struct write_request){ o.b.output, o.b.format, false, o.force, false, nr_fixes };
	if (o.b.output && !interrupted) {
		want = cli_write_plan(pls, nr_pls, pipeline_branch_passed, &req);
		interrupted = cli_write_outputs(pls, nr_pls, want, &req);
	}
	ret = cli_report(pls, nr_pls, common.json, !write, &out);
	if (interrupted) {
		cli_say_interrupted(pls, nr_pls, want, &req);
		ret = EXIT_INTERRUPTED;
	}
out:
	cli_write_plan_free(want, nr_pls);
	free(o.configs);
	for (size_t p = 0; p < nr_pls; p++)
		pipeline_release(&pls[p]);
	free(pls);
	free(fixes);
	catalogue_release(&cat);
	common_opts_release(&common);
	strbuf_release(&out);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	return check_main(argc, argv, false);
}

int cmd_run(int argc, char **argv)
{
	return check_main(argc, argv, true);
}
