/*
 * The shipped 5.10 backport of the seed fix's prerequisite (64591e8605d6:
 * exit_mmap() tears the VMAs down under mmap_write_lock()) on Debian 11's
 * real 5.10.262 tree ($REAL_KERNEL_REPO_5_10, from make-kernel-repo.sh
 * --line 5.10), carried by the tool's own chain as any fix is: imported,
 * located (needs-fix), placed hunk by hunk, located again (already-fixed),
 * compile-checked (x86_64 defconfig, mm/mmap.o, the patched lines proved
 * compiled), and the result equal to GNU patch's at fuzz 0.  5.10 has no
 * MGLRU walk: the seed fix is not-affected there and --with-prerequisites
 * applies nothing.  Debian ships no 5.15 source: the 5.15 form is checked
 * on fixtures only; on 5.10 it does not place, and nothing is changed.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

#define TAG "v5.10.262"
#define FORM_5_10 "backports/mglru-mmgrab/exit_mmap-write-lock-5.10.patch"
#define FORM_5_15 "backports/mglru-mmgrab/exit_mmap-write-lock-5.15.patch"

static char *dir, *fixes, *cache;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		fail_msg("getcwd failed");
	dir = tl_tmpdir();
	fixes = xstrfmt("%s/fixes", dir);
	/* its own build directories: no other real test compiles 5.10 */
	cache = xstrfmt("%s/real-prereq-cache", cwd);
	setenv("BACKPORT_MGLRU_CACHE", cache, 1);
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_rmtree(dir);
	free(cache);
	free(fixes);
	free(dir);
	return 0;
}

static void import_form(const char *form, const char *id)
{
	char *path = xstrfmt("%s/%s", tl_env("SOURCE_DIR"), form);
	struct tl_run r;

	tl_run(&r, NULL, tl_bin(), "import", "--fixes-dir", fixes, "--id", id, "--kconfig",
	       "MMU", path, NULL);
	if (r.status)
		fail_msg("import %s: %s", form, r.err.buf);
	tl_run_release(&r);
	free(path);
}

/* The seed fix on 5.10: no MGLRU walk, nothing to patch, prerequisite or not. */
static void test_seed_fix_not_affected(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO_5_10");
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--branch", "5.10.y", "--json",
	       NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"status\": \"not-affected\"");
	assert_contains(r.out.buf, "\"version\": \"5.10.262\"");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--branch", TAG,
	       "--with-prerequisites", "--dry-run", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "not-affected: no MGLRU mm walk in this tree: nothing to patch");
	tl_run_release(&r);
}

static void test_5_10_form_compiles(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO_5_10");
	char *out = xstrfmt("%s/out", dir), *x = xstrfmt("%s/x", dir);
	struct tl_run r;

	(void)state;
	import_form(FORM_5_10, "exit-mmap-5.10");
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "exit-mmap-5.10", "--branch", TAG, NULL);
	if (r.status)
		fail_msg("locate: %s%s", r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "needs-fix");
	for (int h = 1; h <= 3; h++) {
		char *note = xstrfmt("hunk %d of mm/mmap.c: needs-fix (exit_mmap() at line 3212)",
				     h);

		assert_contains(r.out.buf, note);
		free(note);
	}
	tl_run_release(&r);

	/* the full job: apply, write the quilt series, compile-check */
	tl_run(&r, NULL, tl_bin(), "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "exit-mmap-5.10", "--branch", TAG, "--arch", "x86_64", "--output", out, "--json",
	       NULL);
	if (r.status)
		fail_msg("check: exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"result\": \"applied\"");
	assert_contains(r.out.buf, "\"after\": {\"status\": \"already-fixed\"");
	assert_contains(r.out.buf, "\"config\": \"x86_64_defconfig\",\n"
				   "          \"result\": \"ok\"");
	assert_contains(r.out.buf, "\"errors\": [],\n          \"new_warnings\": []");
	tl_run_release(&r);

	/* the tool's patch, pushed with quilt at fuzz 0, is GNU patch's result */
	tl_sh("mkdir -p '%s/a' '%s/b' && git --git-dir='%s' archive " TAG " mm/mmap.c | "
	      "tar -x -C '%s/a' && git --git-dir='%s' archive " TAG " mm/mmap.c | tar -x -C "
	      "'%s/b' && cd '%s/a' && QUILT_PATCHES='%s/5.10.y' QUILT_SERIES=series quilt push "
	      "-a --fuzz=0 >/dev/null && cd '%s/b' && patch -s -p1 -F0 < '%s/" FORM_5_10 "' && "
	      "cmp '%s/a/mm/mmap.c' '%s/b/mm/mmap.c'", x, x, repo, x, repo, x, x, out, x,
	      tl_env("SOURCE_DIR"), x, x);
	free(x);
	free(out);
}

/* The 5.15 form's context is 5.15's: on 5.10 a hunk fails, nothing is changed. */
static void test_5_15_form_does_not_place(void **state)
{
	struct tl_run r;

	(void)state;
	import_form(FORM_5_15, "exit-mmap-5.15");
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", tl_env("REAL_KERNEL_REPO_5_10"),
	       "--fixes-dir", fixes, "--fix", "exit-mmap-5.15", "--branch", TAG, "--dry-run",
	       NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "hunk 3 failed: not found in exit_mmap (lines 3212-3280)");
	assert_contains(r.out.buf, "does not apply: nothing was changed");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_fix_not_affected),
		cmocka_unit_test(test_5_10_form_compiles),
		cmocka_unit_test(test_5_15_form_does_not_place),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
