/*
 * A vendor tree with no top-level Makefile (a partial tree): its version is
 * unknown ("?" in the table, null in the JSON), never guessed from the
 * branch's name; the line its outputs and ref are named after is the
 * branch's label, made a plain name.
 */
#include "testlib.h"

#include "core/xalloc.h"

static void test_no_makefile(void **state)
{
	char *dir = tl_tmpdir(), *repo = xstrfmt("%s/repo", dir), *out = xstrfmt("%s/out", dir);
	char *series = tl_fixture_path("seriesdir");
	struct tl_run r;

	(void)state;
	setenv("HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_DATA_HOME", dir, 1);
	tl_fixture_repo(repo);
	tl_git(repo, "rm", "-q", "Makefile", NULL);
	tl_git(repo, "commit", "-q", "-m", "vendor: only mm/", NULL);
	tl_git(repo, "branch", "vendor/android13-5.15", NULL);

	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--branch",
	       "vendor/android13-5.15", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor/android13-5.15  ?        6.1-nr_walkers");
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--branch",
	       "vendor/android13-5.15", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"version\": null");
	assert_not_contains(r.out.buf, "\"version\": \"5.15");
	tl_run_release(&r);

	/* the series by its shape; outputs under the branch's name */
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--series", series, "--branch",
	       "vendor/android13-5.15", "--output", out, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor/android13-5.15  ?        6.1-nr_walkers");
	assert_contains(r.out.buf, "applied");
	tl_run_release(&r);
	tl_sh("test -f '%s/vendor_android13-5.15/fixture-6.1.patch'", out);
	tl_rmtree(dir);
	free(series);
	free(out);
	free(repo);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_makefile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
