/*
 * Shape D (vendor-nodemask, the per-node mask walk of Android's 5.10/5.15
 * MGLRU backports) with the shipped series (series/mglru-mmgrab/
 * vendor-nodemask), on scratch repositories of a hand-written vendor tree
 * (tests/fixtures/vendor/vmscan-nodemask.c, a 5.15 Makefile, so the line is
 * 5.15.y and has no series of its own: series/mglru-mmgrab/shapes decides).
 * It applies only where the exit_mmap() precondition holds: with the write
 * lock the emitted patch pushes with quilt at fuzz 0; without it the tree is
 * refused naming the prerequisite; with no mm/mmap.c it is
 * prerequisite-unverifiable unless --assume-prerequisite, whose note is then
 * in the patch.
 */
#include "testlib.h"

#include "core/xalloc.h"

#define BRANCH "android13-5.15"
#define PREREQ "upstream 64591e8605d6 (\"mm: protect free_pgtables with mmap_lock write " \
	       "lock in exit_mmap\") makes it hold"

static int setup(void **state)
{
	struct tl_scratch *s = tl_scratch_new();
	char *vendor = tl_fixture_path("vendor/vmscan-nodemask.c");

	tl_sh("cp '%s' '%s/mm/vmscan.c' && cd '%s' && sed -i -e 's/^VERSION = .*/VERSION = 5/' "
	      "-e 's/^PATCHLEVEL = .*/PATCHLEVEL = 15/' -e 's/^SUBLEVEL = .*/SUBLEVEL = 94/' "
	      "Makefile", vendor, s->repo, s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "vendor: MGLRU with the per-node mask walk", NULL);
	tl_git(s->repo, "branch", BRANCH, NULL);
	free(vendor);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	tl_scratch_free(*state);
	return 0;
}

/* The shipped catalogue (no --series): its shapes file maps the shape. */
static void run(struct tl_run *r, struct tl_scratch *s, const char *cmd, const char *a1,
		const char *a2)
{
	const char *argv[] = { tl_bin(), cmd, "--repo", s->repo, "--branch", BRANCH,
			       "--output", s->out, a1, a2, NULL };

	if (!strcmp(cmd, "locate"))
		argv[6] = NULL;
	tl_run_argv(r, NULL, argv);
}

/* Replaces the branch's mm/mmap.c (NULL: removes it) and commits. */
static void use_mmap(struct tl_scratch *s, const char *fixture)
{
	if (fixture) {
		char *path = tl_fixture_path(fixture);

		tl_sh("cp '%s' '%s/mm/mmap.c'", path, s->repo);
		free(path);
	} else {
		tl_git(s->repo, "rm", "-q", "mm/mmap.c", NULL);
	}
	tl_git(s->repo, "commit", "-q", "-am", "vendor: exit_mmap", NULL);
	tl_git(s->repo, "branch", "-f", BRANCH, NULL);
}

/* quilt push -a --fuzz=0 of DIR/5.15.y on an export of the branch; its mm/vmscan.c. */
static char *quilt_pushed(struct tl_scratch *s)
{
	char *vmscan = xstrfmt("%s/x/mm/vmscan.c", s->dir), *text;

	tl_sh("rm -rf '%s/x' && mkdir '%s/x' && git -C '%s' archive " BRANCH " | "
	      "tar -x -C '%s/x' && cd '%s/x' && QUILT_PATCHES='%s/5.15.y' QUILT_SERIES=series "
	      "quilt push -a --fuzz=0 >/dev/null", s->dir, s->dir, s->repo, s->dir, s->dir,
	      s->out);
	text = tl_read_file(vmscan, NULL);
	assert_non_null(text);
	free(vmscan);
	return text;
}

static void test_applies_with_the_lock(void **state)
{
	struct tl_scratch *s = *state;
	char *patch = xstrfmt("%s/5.15.y/mglru-mmgrab-vendor-nodemask.patch", s->out), *text;
	struct tl_run r;

	run(&r, s, "locate", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, BRANCH "  5.15.94  vendor-nodemask");
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);

	run(&r, s, "apply", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor-nodemask  series/mglru-mmgrab/vendor-nodemask  applied");
	tl_run_release(&r);
	text = tl_read_file(patch, NULL);
	assert_non_null(text);
	assert_contains(text, "[ Upstream commit d14514c66cb9721b54318850796c005c446d76d6 ]");
	assert_contains(text, "[ vendor-nodemask shape: ");
	assert_not_contains(text, "ASSUMED");
	free(text);

	text = quilt_pushed(s);
	assert_contains(text, "\tif (size < MIN_LRU_BATCH)\n\t\treturn true;\n\n"
			      "\tmmgrab(mm);\n\treturn false;\n}");
	assert_contains(text, "\tif (*iter)\n\t\tmmdrop(*iter);\n");
	assert_not_contains(text, "mmget_not_zero");
	assert_not_contains(text, "mmput_async(*iter)");
	/* the vendor's nodemask walk is all still there */
	assert_contains(text, "\tif (!walk->full_scan && !node_isset(nid, mm->lru_gen.nodes))");
	assert_contains(text, "\tnode_clear(nid, mm->lru_gen.nodes);");
	assert_contains(text, "\t} while (!mm);");
	free(text);

	/* the JSON says how the series was chosen */
	run(&r, s, "apply", "--dry-run", "--json");
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"shape\": \"vendor-nodemask\"");
	assert_contains(r.out.buf, "\"refusal\": null");
	assert_contains(r.out.buf, "\"series_choice\": \"no series/mglru-mmgrab/5.15.y: "
				   "series/mglru-mmgrab/shapes maps vendor-nodemask to "
				   "series/mglru-mmgrab/vendor-nodemask\"");
	tl_run_release(&r);
	free(patch);
}

static void test_refused_without_the_lock(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;

	use_mmap(s, "locate/mmap-unsafe.c");
	run(&r, s, "locate", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor-nodemask");
	assert_contains(r.out.buf, "not-safe-as-is");
	tl_run_release(&r);

	run(&r, s, "apply", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "not-safe-as-is");
	assert_contains(r.out.buf, "exit_mmap() calls free_pgtables() at line 29 without "
				   "mmap_write_lock(mm)");
	assert_contains(r.out.buf, PREREQ);
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	/* --assume-prerequisite does not step around a lock shown missing */
	run(&r, s, "apply", "--assume-prerequisite", "--json");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"not-safe\"");
	assert_contains(r.out.buf, "64591e8605d6");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
}

static void test_no_mmap_c(void **state)
{
	struct tl_scratch *s = *state;
	char *patch = xstrfmt("%s/5.15.y/mglru-mmgrab-vendor-nodemask.patch", s->out), *text;
	struct tl_run r;

	use_mmap(s, NULL);
	run(&r, s, "apply", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "the prerequisite cannot be verified");
	assert_contains(r.out.buf, PREREQ);
	tl_run_release(&r);
	run(&r, s, "apply", "--json", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"prerequisite-unverifiable\"");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	run(&r, s, "apply", "--assume-prerequisite", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "applied");
	assert_contains(r.out.buf, "ASSUMED, not verified");
	tl_run_release(&r);
	text = tl_read_file(patch, NULL);
	assert_non_null(text);
	assert_contains(text, "[ backport-mglru: ASSUMED, not verified (--assume-prerequisite): "
			      "exit_mmap() in mm/mmap.c holds the precondition, as upstream "
			      "64591e8605d6");
	assert_contains(text, "[ vendor-nodemask shape: ");
	free(text);
	text = quilt_pushed(s);
	assert_contains(text, "\tmmgrab(mm);\n\treturn false;\n}");
	assert_contains(text, "\t\tmmdrop(*iter);\n");
	free(text);
	free(patch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_applies_with_the_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_without_the_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_mmap_c, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
