/*
 * The full job and `check` through the command line on the real stable
 * repository ($REAL_KERNEL_REPO), with the shipped series and with a
 * deliberately broken one.  Builds share the cache of test-real-check
 * (real-check-cache in the test directory), so the trees and build
 * directories of one run are reused.
 */
#include "testlib.h"

#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

static char *cache_env;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		fail_msg("getcwd failed");
	cache_env = xstrfmt("%s/real-check-cache", cwd);
	setenv("BACKPORT_MGLRU_CACHE", cache_env, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cache_env);
	return 0;
}

static void test_shipped_series_build_and_outputs(void **state)
{
	char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
	const char *argv[] = { tl_bin(), "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.1.y",
			       "--branch", "6.12.y", "--arch", "x86_64", "-j", "2",
			       "--output", out, "--format", "dep3", "--json", NULL };
	struct tl_run r;
	char *path;

	(void)state;
	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"result\": \"ok\"");
	assert_not_contains(r.out.buf, "\"result\": \"error\"");
	assert_not_contains(r.out.buf, "\"failed\": true");
	tl_run_release(&r);
	path = xstrfmt("%s/6.1.y/mglru-mmgrab-6.1.patch", out);
	assert_int_equal(access(path, R_OK), 0);
	free(path);
	path = xstrfmt("%s/6.12.y/series", out);
	assert_int_equal(access(path, R_OK), 0);
	free(path);
	tl_rmtree(dir);
	free(out);
	free(dir);
}

/*
 * A relative BACKPORT_MGLRU_CACHE is the cache as seen from where the tool
 * was started: make runs in the tree, and O= must not be read from there.
 */
static void test_relative_cache_path(void **state)
{
	char *parent = xstrdup(cache_env), *base = strrchr(parent, '/');
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.12.y",
			       "--arch", "x86_64", "--json", NULL };
	struct tl_run r;

	(void)state;
	*base++ = '\0';
	setenv("BACKPORT_MGLRU_CACHE", base, 1);
	tl_run_argv(&r, parent, argv);
	setenv("BACKPORT_MGLRU_CACHE", cache_env, 1);
	if (r.status)
		fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"result\": \"ok\"");
	assert_contains(r.out.buf, cache_env);	/* log paths are absolute */
	tl_run_release(&r);
	free(parent);
}

/*
 * The report says what compiled: after a make, the next check takes
 * kbuild's saved command; --no-shortcut makes it run make.
 */
static void test_compiled_by(void **state)
{
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.12.y",
			       "--arch", "x86_64", "--json", NULL, NULL };
	struct tl_run r;

	(void)state;
	for (int round = 0; round < 3; round++) {
		argv[ARRAY_SIZE(argv) - 2] = round == 1 ? "--no-shortcut" : NULL;
		tl_run_argv(&r, NULL, argv);
		if (r.status)
			fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
		assert_contains(r.out.buf, "\"result\": \"ok\"");
		/* round 0: make or not, as the cache left it */
		if (round == 1)
			assert_contains(r.out.buf, "\"compiled_by\": \"make\"");
		if (round == 2)
			assert_contains(r.out.buf, "\"compiled_by\": \"saved-command\"");
		tl_run_release(&r);
	}
}

static void test_broken_series_fails_at_the_line(void **state)
{
	char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
	char *series = tl_fixture_path("broken-series");
	const char *argv[] = { tl_bin(), "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", series, "--branch", "v6.1.192",
			       "--arch", "x86_64", "--output", out, NULL };
	struct tl_run r;

	(void)state;
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 1);
	/* it applied: both sites converted; the build is what fails */
	assert_contains(r.out.buf, "applied");
	assert_contains(r.out.buf, "error at mm/vmscan.c:3468:");
	assert_contains(r.out.buf, "backport_mglru_undeclared");
	tl_run_release(&r);
	/* a branch that failed its check writes nothing */
	assert_int_not_equal(access(out, F_OK), 0);
	tl_rmtree(dir);
	free(series);
	free(out);
	free(dir);
}

/*
 * A comment on the patched pin line is gone from the preprocessed output:
 * the "is the patched code compiled" check must not call that not compiled.
 */
static void test_comment_on_the_pin_line(void **state)
{
	char *dir = tl_tmpdir();
	char *cmd = xstrfmt("cp -R '%s/series' '%s/backports' '%s'/ && sed -i "
			    "'s|^+\tmmgrab(mm);$|+\tmmgrab(mm); /* pin the mm_struct only */|' "
			    "'%s'/backports/mglru-mmgrab/*.patch && grep -q 'pin the mm_struct only' "
			    "'%s'/backports/mglru-mmgrab/mglru-mmgrab-6.1.patch", tl_env("SOURCE_DIR"),
			    tl_env("SOURCE_DIR"), dir, dir, dir);
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", dir, "--branch", "v6.1.192", "--arch", "x86_64", NULL };
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "x86_64_defconfig     ok");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(cmd);
	free(dir);
}

/* A config fragment that is not there: that check fails, saying why. */
static void test_missing_config_fragment(void **state)
{
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "v6.1.192",
			       "--arch", "x86_64", "--config", "/nonexistent/lru.config", NULL };
	struct tl_run r;

	(void)state;
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "cannot read config fragment '/nonexistent/lru.config'");
	tl_run_release(&r);
}

/*
 * --timeout: a cold build directory (a fragment of its own) cannot be
 * configured in 2 s; the check says timeout, exits 1, leaves no make
 * running, and the next run (no timeout) completes.
 */
static void test_timeout_then_complete(void **state)
{
	char *dir = tl_tmpdir();
	char *frag = xstrfmt("%s/slow-%ld.config", dir, (long)getpid());
	char *text = xstrfmt("CONFIG_LRU_GEN=y\n# timeout test %ld\n", (long)time(NULL));
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "v6.1.192",
			       "--arch", "x86_64", "--config", frag, "--timeout", "2", NULL };
	struct tl_run r;

	(void)state;
	tl_write_file(frag, text);
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, " timeout  log: ");
	tl_run_release(&r);
	/* no make of that build directory is left behind */
	tl_run(&r, NULL, "pgrep", "-f", frag, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);
	/* the same check without a timeout completes from what is there */
	argv[12] = NULL;
	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("after a timeout: exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, " ok ");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(text);
	free(frag);
	free(dir);
}

/*
 * One branch fails to apply: without --keep-going nothing is compiled, so
 * the branch that applied is not written either (it was never built).
 */
static void test_no_outputs_without_a_check(void **state)
{
	char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
	char *series = xstrfmt("%s/series-dir", dir);
	/* the shipped series, but 6.12.y's names a patch that cannot apply */
	char *cmd = xstrfmt("mkdir -p '%s' && cp -R '%s/series' '%s/backports' '%s'/ && "
			    "echo 'missing-hunks.patch -p1' > '%s/series/mglru-mmgrab/6.12.y' && "
			    "printf 'From: A <a@example.com>\\nSubject: [PATCH] x\\n\\n---\\n"
			    "--- a/mm/vmscan.c\\n+++ b/mm/vmscan.c\\n@@ -1,1 +1,1 @@\\n"
			    "-no such line\\n+nor this one\\n' > '%s/backports/mglru-mmgrab/missing-hunks.patch'",
			    series, tl_env("SOURCE_DIR"), tl_env("SOURCE_DIR"), series, series,
			    series);
	const char *argv[] = { tl_bin(), "--repo", tl_env("REAL_KERNEL_REPO"), "--series", series,
			       "--branch", "6.1.y", "--branch", "6.12.y", "--arch", "x86_64",
			       "--output", out, NULL };
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 1);
	assert_contains(r.err.buf, "not compiling");
	assert_not_contains(r.out.buf, "wrote");
	tl_run_release(&r);
	assert_int_not_equal(access(out, F_OK), 0);
	tl_rmtree(dir);
	free(cmd);
	free(series);
	free(out);
	free(dir);
}

static void test_check_usage(void **state)
{
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, tl_bin(), "check", "--arch", "sparc", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--arch: expected x86_64 and/or arm64");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "check", "--output", "/tmp/x", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "check writes nothing");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "-j", "0", NULL);
	assert_int_equal(r.status, 129);
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "check", "--timeout", "soon", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--timeout: expected a number of seconds above 0");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "check", "--cc", "ccache -v", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--cc: expected one program");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "check", "-h", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "--keep-going");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_usage),
		cmocka_unit_test(test_missing_config_fragment),
		cmocka_unit_test(test_timeout_then_complete),
		cmocka_unit_test(test_no_outputs_without_a_check),
		cmocka_unit_test(test_broken_series_fails_at_the_line),
		cmocka_unit_test(test_shipped_series_build_and_outputs),
		cmocka_unit_test(test_relative_cache_path),
		cmocka_unit_test(test_compiled_by),
		cmocka_unit_test(test_comment_on_the_pin_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
