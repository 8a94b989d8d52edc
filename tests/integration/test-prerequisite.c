/*
 * The exit_mmap() precondition as a prerequisite, on scratch repositories
 * of the fixture tree: a tree without mm/mmap.c is
 * prerequisite-unverifiable (locate exits 1, apply refuses and writes
 * nothing) unless --assume-prerequisite, which patches it and writes the
 * assumption into the patch and the report; a tree whose exit_mmap() frees
 * without the lock is not safe whatever the flag, and both name the
 * upstream commit that makes it hold.
 */
#include "testlib.h"

#include "core/xalloc.h"

#define scratch tl_scratch

static int setup(void **state)
{
	struct scratch *s = tl_scratch_new();

	tl_scratch_semantic_series(s);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	tl_scratch_free(*state);
	return 0;
}

static void run(struct tl_run *r, struct scratch *s, const char *cmd, const char *a1,
		const char *a2, const char *a3)
{
	const char *argv[] = { tl_bin(), cmd, "--repo", s->repo, "--branch", "6.1.y",
			       a1, a2, a3, NULL };
	const char *apply_argv[] = { tl_bin(), cmd, "--repo", s->repo, "--series", s->series,
				     "--branch", "6.1.y", "--output", s->out, a1, a2, a3, NULL };

	tl_run_argv(r, NULL, strcmp(cmd, "locate") ? apply_argv : argv);
}

#define PREREQ "upstream 64591e8605d6 (\"mm: protect free_pgtables with mmap_lock write " \
	       "lock in exit_mmap\") makes it hold"

static void test_no_mmap_c(void **state)
{
	struct scratch *s = *state;
	char *patch = xstrfmt("%s/6.1.y/fixture-6.1.patch", s->out), *text;
	struct tl_run r;

	tl_git(s->repo, "rm", "-q", "mm/mmap.c", NULL);
	tl_git(s->repo, "commit", "-q", "-m", "vendor tree without mm/mmap.c", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);

	run(&r, s, "locate", "--json", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"status\": \"prerequisite-unverifiable\"");
	assert_contains(r.out.buf, "cannot check the exit_mmap() precondition");
	assert_contains(r.out.buf, "upstream 64591e8605d6 (\\\"mm: protect free_pgtables");
	tl_run_release(&r);

	/* refused, nothing written */
	run(&r, s, "apply", NULL, NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "refused");
	assert_contains(r.out.buf, "the prerequisite cannot be verified");
	assert_contains(r.out.buf, PREREQ);
	assert_contains(r.out.buf, "(--assume-prerequisite patches it anyway");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	run(&r, s, "apply", "--json", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"prerequisite-unverifiable\"");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	/* --semantic does not step around it either */
	run(&r, s, "apply", "--semantic", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "--semantic did not try: the prerequisite cannot be verified");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	/* assumed: patched, and the assumption is in the patch and the report */
	run(&r, s, "apply", "--assume-prerequisite", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "applied");
	assert_contains(r.out.buf, "linux-6.1.y: [ backport-mglru: ASSUMED, not verified "
				   "(--assume-prerequisite): exit_mmap() in mm/mmap.c holds the "
				   "precondition, as upstream 64591e8605d6");
	tl_run_release(&r);
	text = tl_read_file(patch, NULL);
	assert_non_null(text);
	assert_contains(text, "[ Upstream commit 2222222222222222222222222222222222222222 ]\n\n"
			      "[ backport-mglru: ASSUMED, not verified");
	assert_contains(text, "this tree does not show it: ");
	free(text);
	tl_sh("mkdir '%s/x' && git -C '%s' archive linux-6.1.y | tar -x -C '%s/x' && "
	      "cd '%s/x' && QUILT_PATCHES='%s/6.1.y' QUILT_SERIES=series quilt push -a "
	      "--fuzz=0 >/dev/null && grep -q 'mmdrop(\\*iter)' mm/vmscan.c", s->dir, s->repo,
	      s->dir, s->dir, s->out);

	/* the JSON names it */
	run(&r, s, "apply", "--assume-prerequisite", "--dry-run", "--json");
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"refusal\": null");
	assert_contains(r.out.buf, "\"assumption\": \"[ backport-mglru: ASSUMED");
	tl_run_release(&r);
	free(patch);
}

static void test_vendor_tree_assumed_and_semantic(void **state)
{
	struct scratch *s = *state;
	char *vendor = tl_fixture_path("locate/vendor.c");
	struct tl_run r;

	tl_sh("cp '%s' '%s/mm/vmscan.c' && git -C '%s' rm -q mm/mmap.c", vendor, s->repo,
	      s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "vendor nodemask tree, no mm/mmap.c", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);
	run(&r, s, "apply", "--semantic", "--assume-prerequisite", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "mglru-mmgrab.cocci  applied");
	assert_contains(r.out.buf, "ASSUMED, not verified");
	tl_run_release(&r);
	{
		char *path = xstrfmt("%s/6.1.y/mglru-mmgrab-semantic.patch", s->out);
		char *text = tl_read_file(path, NULL);

		assert_non_null(text);
		assert_contains(text, "[ backport-mglru: ASSUMED, not verified");
		assert_contains(text, "by the semantic patch");
		free(text);
		free(path);
	}
	free(vendor);
}

static void test_unsafe_is_never_assumed(void **state)
{
	struct scratch *s = *state;
	char *unsafe = tl_fixture_path("locate/mmap-unsafe.c");
	struct tl_run r;

	tl_sh("cp '%s' '%s/mm/mmap.c'", unsafe, s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "old exit_mmap", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);
	run(&r, s, "apply", "--assume-prerequisite", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "not-safe-as-is");
	assert_contains(r.out.buf, PREREQ);
	assert_not_contains(r.out.buf, "ASSUMED");
	tl_run_release(&r);
	run(&r, s, "apply", "--assume-prerequisite", "--json", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"not-safe\"");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
	free(unsafe);
}

/* A vendor nodemask tree whose exit_mmap() frees without the lock: never patched. */
static void test_vendor_tree_without_the_lock(void **state)
{
	struct scratch *s = *state;
	char *vendor = tl_fixture_path("locate/vendor.c");
	char *unsafe = tl_fixture_path("locate/mmap-unsafe.c");
	struct tl_run r;

	tl_sh("cp '%s' '%s/mm/vmscan.c' && cp '%s' '%s/mm/mmap.c'", vendor, s->repo, unsafe,
	      s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "vendor nodemask tree, old exit_mmap", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);
	run(&r, s, "locate", NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor-nodemask");
	assert_contains(r.out.buf, "not-safe-as-is");
	tl_run_release(&r);
	run(&r, s, "apply", "--semantic", "--assume-prerequisite", "--json");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"not-safe\"");
	assert_contains(r.out.buf, "upstream 64591e8605d6");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
	free(vendor);
	free(unsafe);
}

/* Where the precondition is shown to hold, there is nothing to assume. */
static void test_nothing_to_assume(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	run(&r, s, "apply", "--assume-prerequisite", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_not_contains(r.out.buf, "ASSUMED");
	tl_run_release(&r);
	tl_sh("! grep -q ASSUMED '%s/6.1.y/fixture-6.1.patch'", s->out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_mmap_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vendor_tree_assumed_and_semantic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_is_never_assumed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vendor_tree_without_the_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nothing_to_assume, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
