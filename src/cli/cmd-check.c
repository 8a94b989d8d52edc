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
#include "sys/pipeline.h"

static const char check_usage[] =
	"usage: backport-mglru [--repo DIR] [--branch SPEC]... [--all] [--series DIR]\n"
	"                      [--arch x86_64,arm64] [--config TARGET]... [-j N]\n"
	"                      [--cc WRAPPER] [--timeout SEC] [--keep-going] [--fuzz N]\n"
	"                      [--no-shortcut] [--boot] [--boot-control]\n"
	"                      [--boot-timeout SEC]\n"
	"                      [--output DIR [--format quilt|dep3|mbox]] [--json]\n"
	"   or: backport-mglru check ...   the same, without writing outputs\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref or\n"
	"                     a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y\n"
	"    --series DIR     directory with series/ and backports/\n"
	"    --arch LIST      x86_64 and/or arm64 (default: x86_64, plus arm64 when\n"
	"                     aarch64-linux-gnu-gcc is installed)\n"
	"    --config TARGET  a config make target, or the path of a config fragment\n"
	"                     merged on top of the defconfig; repeatable\n"
	"    -j N             checks at once (make gets the cores shared out)\n"
	"    --cc WRAPPER     wrap the compiler: ccache, distcc\n"
	"    --timeout SEC    give up on a check step after SEC seconds\n"
	"    --keep-going     check the branches that applied even when another failed\n"
	"    --fuzz N         context lines a hunk may ignore at each end (default 0)\n"
	"    --no-shortcut    always run make, even when only the patched .c files\n"
	"                     changed since the last make of a build directory\n"
	"    --boot           also boot the patched kernel (tinyconfig + KASAN) in\n"
	"                     qemu (x86_64, arm64) and drive the MGLRU page-table walk\n"
	"    --boot-control   boot a half-applied kernel (only the unpin converted)\n"
	"                     and require KASAN to catch it (check only)\n"
	"    --boot-timeout SEC  kill the guest after SEC seconds (default 300)\n"
	"    --output DIR     write DIR/<X.Y.y>/ for each branch that applied and built\n"
	"    --format FMT     quilt (default), dep3, mbox\n"
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
	{ "boot", false, opt_boot, 0 },
	{ "boot-control", false, opt_boot_control, 0 },
	{ "boot-timeout", true, opt_boot_timeout, 0 },
	{ "output", true, opt_output, 0 },
	{ "format", true, opt_format, 0 },
};

/* One job per (applied branch, arch, config); files point into the pipeline. */
static int run_checks(struct pipeline *pl, const struct check_cli *o, bool *interrupted)
{
	struct check_job *jobs = NULL;
	struct commit_file *files = NULL;
	struct check_result *results = NULL;
	size_t nr_jobs = 0, alloc_jobs = 0, nr_files = 0, nr_configs = o->nr_configs;
	struct check_opts copts = CHECK_OPTS_INIT;
	int ret = -1;

	for (size_t i = 0; i < pl->nr; i++)
		nr_files += pl->work[i].bp.nr_files;
	files = xcalloc(nr_files + 1, sizeof(*files));
	nr_files = 0;
	for (size_t i = 0; i < pl->nr; i++) {
		struct branch_work *w = &pl->work[i];
		size_t first = nr_files;

		if (w->bp.outcome != BACKPORT_APPLIED)
			continue;
		for (size_t f = 0; f < w->bp.nr_files; f++) {
			files[nr_files].path = w->bp.files[f].path;
			files[nr_files].data = w->bp.files[f].after;
			files[nr_files].len = w->bp.files[f].after_len;
			nr_files++;
		}
		for (size_t a = 0; a < o->nr_archs; a++) {
			for (size_t c = 0; c < (nr_configs ? nr_configs : 1); c++) {
				ALLOC_GROW(jobs, nr_jobs + 1, alloc_jobs);
				jobs[nr_jobs].branch = &w->loc.branch;
				jobs[nr_jobs].files = &files[first];
				jobs[nr_jobs].nr_files = w->bp.nr_files;
				jobs[nr_jobs].variant = &w->loc.variant;
				jobs[nr_jobs].arch = o->archs[a];
				jobs[nr_jobs].config = nr_configs ? o->configs[c] : NULL;
				nr_jobs++;
			}
		}
	}
	if (!nr_jobs) {
		ret = 0;
		goto out;
	}
	copts.parallel = o->jobs ? o->jobs : 1;
	copts.cc_wrapper = o->cc;
	copts.timeout_sec = o->timeout;
	copts.no_shortcut = o->no_shortcut;
	results = xcalloc(nr_jobs, sizeof(*results));
	if (check_run(pl->repo, jobs, nr_jobs, &copts, results) < 0)
		goto out;
	/* hand each branch its results */
	for (size_t j = 0; j < nr_jobs; j++) {
		for (size_t i = 0; i < pl->nr; i++) {
			struct branch_work *w = &pl->work[i];

			if (jobs[j].branch != &w->loc.branch)
				continue;
			if (!w->checks)
				w->checks = xcalloc(o->nr_archs * (nr_configs ? nr_configs : 1),
						    sizeof(*w->checks));
			w->checks[w->nr_checks++] = results[j];
			memset(&results[j], 0, sizeof(results[j]));
			if (w->checks[w->nr_checks - 1].outcome == CHECK_INTERRUPTED)
				*interrupted = true;
		}
	}
	ret = 0;
out:
	free(results);
	free(jobs);
	free(files);
	return ret;
}

/* Applied, compile-checked, and every check passed: its outputs may be written. */
static bool branch_passed(const struct branch_work *w)
{
	if (w->bp.outcome != BACKPORT_APPLIED || !w->nr_checks)
		return false;
	for (size_t c = 0; c < w->nr_checks; c++)
		if (check_outcome_failed(w->checks[c].outcome))
			return false;
	for (size_t b = 0; b < w->nr_boots; b++)
		if (boot_test_failed(&w->boots[b]))
			return false;
	return true;
}

static int check_main(int argc, char **argv, bool write)
{
	struct common_opts common = { 0 };
	struct check_cli o = { 0 };
	struct pipeline pl = PIPELINE_INIT;
	struct apply_report *rep = NULL;
	struct strbuf out = STRBUF_INIT;
	bool interrupted = false, some_failed = false;
	const char *note = NULL;
	int ret;

	o.b.format = RENDER_QUILT;
	if (parse_options(argc, argv, check_options, ARRAY_SIZE(check_options), &common,
			  &o, check_usage, &ret))
		goto out;
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
	ret = EXIT_FATAL;
	if (pipeline_locate(&pl, common.repo, common.branches, common.nr_branches,
			    common.all) < 0 ||
	    (o.b.output && pipeline_one_branch_per_line(&pl) < 0) ||
	    pipeline_backport(&pl, o.b.series, o.b.fuzz) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	for (size_t i = 0; i < pl.nr; i++) {
		enum backport_outcome bo = pl.work[i].bp.outcome;

		some_failed |= bo != BACKPORT_APPLIED && bo != BACKPORT_ALREADY_FIXED &&
			       bo != BACKPORT_NOT_AFFECTED;
	}
	if (some_failed && !o.keep_going)
		fprintf(stderr, "note: not compiling: a branch failed to apply "
				"(--keep-going checks the others)\n");
	else if (run_checks(&pl, &o, &interrupted) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	} else if ((o.boot.boot || o.boot.control) && !interrupted) {
		o.boot.build_timeout = o.timeout;
		o.boot.cc = o.cc;
		o.boot.archs = o.archs;
		o.boot.nr_archs = o.nr_archs;
		if (cli_run_boots(&pl, &o.boot, &interrupted) < 0) {
			cli_fatal("%s", error_last());
			goto out;
		}
	}
	/* Outputs for the branches that applied and built; nothing after ^C. */
	for (size_t i = 0; i < pl.nr && o.b.output && !interrupted; i++) {
		struct branch_work *w = &pl.work[i];

		if (branch_passed(w) && !w->error &&
		    pipeline_write_outputs(w, o.b.output, o.b.format) < 0)
			w->error = xstrdup(error_last());
	}
	rep = xcalloc(pl.nr, sizeof(*rep));
	ret = cli_report(&pl, rep, common.json, !write, &out);
	if (interrupted) {
		fprintf(stderr, "fatal: interrupted\n");
		ret = EXIT_INTERRUPTED;
	}
out:
	free(rep);
	free(o.configs);
	pipeline_release(&pl);
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
