/*
 * --with-prerequisites on scratch repositories of a hand-written vendor tree
 * (the shape-D walk of tests/fixtures/vendor/vmscan-nodemask.c) whose
 * exit_mmap() has the old teardown (tests/fixtures/vendor/mmap-5.10.c,
 * mmap-5.15.c): the shipped backport of the prerequisite (upstream
 * 64591e8605d6, series/mglru-mmgrab/exit_mmap/<line>) goes first, the
 * precondition is checked again on its result, then the fix; the emitted
 * series has both, in order, and quilt pushes it at fuzz 0.  All or
 * nothing: where no form fits, or one fits and the precondition still
 * fails, nothing is written and no ref is made.
 */
#include "testlib.h"

#include "core/xalloc.h"

static int setup(void **state)
{
	struct tl_scratch *s = tl_scratch_new();
	char *vendor = tl_fixture_path("vendor/vmscan-nodemask.c");

	tl_sh("cp '%s' '%s/mm/vmscan.c'", vendor, s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "vendor: MGLRU with the per-node mask walk", NULL);
	free(vendor);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	tl_scratch_free(*state);
	return 0;
}

/*
 * A branch "vendor" of the tree with mm/mmap.c from fixture; version
 * "5.10"/"5.15" in the Makefile, or NULL for no Makefile.
 */
static void vendor_branch(struct tl_scratch *s, const char *mmap, const char *version)
{
	char *path = tl_fixture_path(mmap);

	tl_sh("cp '%s' '%s/mm/mmap.c'", path, s->repo);
	if (version)
		tl_sh("cd '%s' && sed -i -e 's/^VERSION = .*/VERSION = %c/' -e "
		      "'s/^PATCHLEVEL = .*/PATCHLEVEL = %s/' Makefile", s->repo, version[0],
		      version + 2);
	else
		tl_git(s->repo, "rm", "-q", "Makefile", NULL);
	tl_git(s->repo, "commit", "-q", "-am", "vendor: exit_mmap", NULL);
	tl_git(s->repo, "branch", "-f", "vendor", NULL);
	free(path);
}

static void apply(struct tl_run *r, struct tl_scratch *s, const char *a1, const char *a2,
		  const char *a3)
{
	const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--branch", "vendor",
			       "--output", s->out, a1, a2, a3, NULL };

	tl_run_argv(r, NULL, argv);
}

/*
 * quilt push -a --fuzz=0 of DIR/<line> on an export of the branch, then
 * that tree committed as branch "pushed"; returns its mm/mmap.c.
 */
static char *quilt_pushed(struct tl_scratch *s, const char *line)
{
	char *mmap = xstrfmt("%s/x/mm/mmap.c", s->dir), *text;

	tl_sh("rm -rf '%s/x' && mkdir '%s/x' && git -C '%s' archive vendor | tar -x -C '%s/x' && "
	      "cd '%s/x' && QUILT_PATCHES='%s/%s' QUILT_SERIES=series quilt push -a --fuzz=0 "
	      ">/dev/null && rm -rf .pc && git -C '%s' checkout -q --detach vendor && "
	      "cp -R . '%s/' && git -C '%s' commit -q -am pushed && "
	      "git -C '%s' branch -f pushed && git -C '%s' checkout -q -", s->dir, s->dir,
	      s->repo, s->dir, s->dir, s->out, line, s->repo, s->repo, s->repo, s->repo,
	      s->repo);
	text = tl_read_file(mmap, NULL);
	assert_non_null(text);
	free(mmap);
	return text;
}

/* The emitted series, both patches in order, pushed; the result located as fixed. */
static void check_both(struct tl_scratch *s, const char *line, const char *form)
{
	char *series = xstrfmt("%s/%s/series", s->out, line), *text;
	char *prereq = xstrfmt("exit_mmap-write-lock-%s.patch\n"
			       "mglru-mmgrab-vendor-nodemask.patch\n", form);
	struct tl_run r;

	text = tl_read_file(series, NULL);
	assert_non_null(text);
	assert_contains(text, prereq);
	free(text);
	text = quilt_pushed(s, line);
	assert_contains(text, "\t\tset_bit(MMF_OOM_SKIP, &mm->flags);\n\t}\n\n"
			      "\tmmap_write_lock(mm);\n\tif (mm->locked_vm)");
	/* 5.10 munlocks in a loop, 5.15 with unlock_range() */
	assert_contains(text, strcmp(form, "5.15") ? "\tif (mm->locked_vm) {\n\t\tvma = mm->mmap;"
				: "\tif (mm->locked_vm)\n\t\tunlock_range(mm->mmap, ULONG_MAX);");
	assert_contains(text, "\tif (!vma) {\n\t\t/* Can happen if dup_mmap() received an OOM */"
			      "\n\t\tmmap_write_unlock(mm);\n\t\treturn;\n\t}");
	assert_contains(text, "\t}\n\tmm->mmap = NULL;\n\tmm->mm_rb = RB_ROOT;\n"
			      "\tmmap_write_unlock(mm);\n\tvm_unacct_memory(nr_accounted);");
	free(text);
	/* the pushed tree: the precondition holds and the fix is there */
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", s->repo, "--branch", "pushed", "--json",
	       NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"status\": \"already-fixed\"");
	assert_contains(r.out.buf, "\"holds\": true");
	tl_run_release(&r);
	free(prereq);
	free(series);
}

static void test_5_15(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;

	vendor_branch(s, "vendor/mmap-5.15.c", "5.15");
	apply(&r, s, NULL, NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "not-safe-as-is");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	apply(&r, s, "--with-prerequisites", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor  5.15.20  vendor-nodemask  "
				   "series/mglru-mmgrab/vendor-nodemask  applied");
	assert_contains(r.out.buf, "vendor: exit_mmap-write-lock-5.15.patch: mm/mmap.c: hunk 1 "
				   "applied");
	assert_contains(r.out.buf, "vendor: prerequisite: series/mglru-mmgrab/exit_mmap/5.15.y "
				   "applied first (--with-prerequisites)");
	tl_run_release(&r);
	check_both(s, "5.15.y", "5.15");

	apply(&r, s, "--with-prerequisites", "--dry-run", "--json");
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"prerequisite\": \"series/mglru-mmgrab/exit_mmap/5.15.y\"");
	assert_contains(r.out.buf, "; first series/mglru-mmgrab/exit_mmap/5.15.y "
				   "(--with-prerequisites), after which the precondition holds");
	tl_run_release(&r);
}

static void test_5_10(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;

	vendor_branch(s, "vendor/mmap-5.10.c", "5.10");
	apply(&r, s, "--with-prerequisites", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "prerequisite: series/mglru-mmgrab/exit_mmap/5.10.y applied");
	tl_run_release(&r);
	check_both(s, "5.10.y", "5.10");
}

/* No Makefile: no line to go by, so each form is tried; 5.10's does not fit a 5.15 tree. */
static void test_no_makefile_tries_the_forms(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;

	vendor_branch(s, "vendor/mmap-5.15.c", NULL);
	apply(&r, s, "--with-prerequisites", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor  ?        vendor-nodemask");
	assert_contains(r.out.buf, "prerequisite: series/mglru-mmgrab/exit_mmap/5.15.y applied");
	tl_run_release(&r);
	check_both(s, "vendor", "5.15");
}

/* All or nothing: nothing written, no ref, no object, whatever goes wrong. */
static void assert_nothing_written(struct tl_scratch *s, const char *objects_before)
{
	char *objects = tl_git_out(s->repo, "count-objects", NULL);
	char *refs = tl_git_out(s->repo, "for-each-ref", "refs/heads/backport-mglru", NULL);

	tl_sh("test ! -e '%s'", s->out);
	assert_string_equal(objects, objects_before);
	assert_string_equal(refs, "");
	free(objects);
	free(refs);
}

static void test_all_or_nothing(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;
	char *objects;

	/* a 5.15 Makefile on a 5.10-shaped exit_mmap(): the line's form does not fit */
	vendor_branch(s, "vendor/mmap-5.10.c", "5.15");
	objects = tl_git_out(s->repo, "count-objects", NULL);
	apply(&r, s, "--with-prerequisites", "--commit", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "failed");
	assert_contains(r.out.buf, "no backport of the prerequisite makes it hold here: "
				   "series/mglru-mmgrab/exit_mmap/5.15.y does not apply");
	tl_run_release(&r);
	apply(&r, s, "--with-prerequisites", "--json", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"prerequisite-failed\"");
	assert_contains(r.out.buf, "\"patches\": []");
	tl_run_release(&r);
	assert_nothing_written(s, objects);
	free(objects);

	/* the form fits, but a vendor call still frees a VMA unlocked: refused */
	tl_sh("cd '%s' && cp mm/mmap.c /dev/null && sed -i 's|^\\t\\t(void)__oom_reap_task_mm(mm);|"
	      "\\t\\tremove_vma(fake_vendor_spare_vma(mm));\\n&|' mm/mmap.c && "
	      "sed -i 's/^PATCHLEVEL = .*/PATCHLEVEL = 10/' Makefile", s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "vendor: spare vma", NULL);
	tl_git(s->repo, "branch", "-f", "vendor", NULL);
	objects = tl_git_out(s->repo, "count-objects", NULL);
	apply(&r, s, "--with-prerequisites", "--commit", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "series/mglru-mmgrab/exit_mmap/5.10.y applies but the "
				   "precondition still fails (pinning only the mm_struct is not "
				   "safe here: exit_mmap() calls remove_vma() at line 28 without "
				   "mmap_write_lock(mm)");
	tl_run_release(&r);
	assert_nothing_written(s, objects);
	free(objects);
}

/*
 * --semantic on top: a vendor check before the pin (the shape-D series
 * fails) and the old exit_mmap(); spatch really runs.
 */
static void test_semantic_on_top(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;
	char *series = xstrfmt("%s/5.15.y/series", s->out), *text;

	tl_commit_edit(s->repo, "\treturn !mmget_not_zero(mm);",
		       "\tif (test_bit(MMF_OOM_REAP_QUEUED, &mm->flags))\n\t\treturn true;\n\n"
		       "\treturn !mmget_not_zero(mm);");
	vendor_branch(s, "vendor/mmap-5.15.c", "5.15");
	apply(&r, s, "--with-prerequisites", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "patch 'mglru-mmgrab-vendor-nodemask.patch' does not apply");
	tl_run_release(&r);
	apply(&r, s, "--semantic", NULL, NULL);	/* never on a tree not safe as is */
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "not-safe-as-is");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	apply(&r, s, "--with-prerequisites", "--semantic", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "mglru-mmgrab.cocci  applied");
	assert_contains(r.out.buf, "prerequisite: series/mglru-mmgrab/exit_mmap/5.15.y applied "
				   "first");
	tl_run_release(&r);
	text = tl_read_file(series, NULL);
	assert_non_null(text);
	assert_contains(text, "exit_mmap-write-lock-5.15.patch\nmglru-mmgrab-semantic.patch\n");
	free(text);
	text = quilt_pushed(s, "5.15.y");
	assert_contains(text, "\tmmap_write_lock(mm);\n\tif (mm->locked_vm)\n\t\tunlock_range(");
	free(text);
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", s->repo, "--branch", "pushed", "--json",
	       NULL);
	assert_contains(r.out.buf, "\"status\": \"already-fixed\"");
	assert_contains(r.out.buf, "\"holds\": true");
	tl_run_release(&r);
	free(series);
}

/* A series directory that ships no backport of the prerequisite: refused, saying so. */
static void test_none_shipped(void **state)
{
	struct tl_scratch *s = *state;
	char *flat = tl_fixture_path("seriesdir"), *unsafe = tl_fixture_path("locate/mmap-unsafe.c");
	struct tl_run r;

	tl_sh("git -C '%s' checkout -q linux-6.1.y && cp '%s' '%s/mm/mmap.c'", s->repo, unsafe,
	      s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "old exit_mmap", NULL);
	tl_git(s->repo, "branch", "-f", "vendor", NULL);
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", s->repo, "--series", flat, "--branch",
	       "vendor", "--output", s->out, "--with-prerequisites", "--json", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"prerequisite-failed\"");
	assert_contains(r.out.buf, "; and no backport of the prerequisite is shipped for this "
				   "line");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
	free(unsafe);
	free(flat);
}

/* The fix there already, its prerequisite not: the prerequisite alone. */
static void test_fix_there_prerequisite_not(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;
	char *text;

	tl_commit_edit(s->repo, "\t\tmmput_async(*iter);", "\t\tmmdrop(*iter);");
	tl_commit_edit(s->repo, "\treturn !mmget_not_zero(mm);", "\tmmgrab(mm);\n\treturn false;");
	vendor_branch(s, "vendor/mmap-5.15.c", "5.15");
	apply(&r, s, "--with-prerequisites", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "vendor  5.15.20  vendor-nodemask  "
				   "series/mglru-mmgrab/exit_mmap/5.15.y  applied");
	assert_contains(r.out.buf, "vendor: prerequisite: series/mglru-mmgrab/exit_mmap/5.15.y "
				   "applied (--with-prerequisites)");
	assert_contains(r.out.buf, "only the prerequisite is carried");
	tl_run_release(&r);
	tl_sh("test \"$(grep -v '^#' '%s/5.15.y/series')\" = exit_mmap-write-lock-5.15.patch",
	      s->out);
	text = quilt_pushed(s, "5.15.y");
	assert_contains(text, "\tmm->mm_rb = RB_ROOT;\n\tmmap_write_unlock(mm);");
	free(text);
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", s->repo, "--branch", "pushed", "--json",
	       NULL);
	assert_contains(r.out.buf, "\"status\": \"already-fixed\"");
	assert_contains(r.out.buf, "\"holds\": true");
	tl_run_release(&r);
}

/*
 * The fix there, its prerequisite not, and no --with-prerequisites: never a
 * quiet already-fixed.  locate and apply warn and exit 1; apply writes
 * nothing.
 */
static void test_fixed_not_safe_is_loud(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;

	tl_commit_edit(s->repo, "\t\tmmput_async(*iter);", "\t\tmmdrop(*iter);");
	tl_commit_edit(s->repo, "\treturn !mmget_not_zero(mm);", "\tmmgrab(mm);\n\treturn false;");
	vendor_branch(s, "vendor/mmap-5.15.c", "5.15");
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", s->repo, "--branch", "vendor", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "already-fixed");
	assert_contains(r.out.buf, "; NOT SAFE without its prerequisite: exit_mmap() calls "
				   "free_pgtables()");
	assert_contains(r.err.buf, "warning: vendor: FIXED BUT NOT SAFE: ");
	tl_run_release(&r);
	apply(&r, s, NULL, NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "already-fixed");
	assert_contains(r.err.buf, "warning: vendor: FIXED BUT NOT SAFE: exit_mmap() calls "
				   "free_pgtables()");
	assert_contains(r.err.buf, "(--with-prerequisites carries the prerequisite)");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
}

/* Where the precondition already holds there is nothing to add: the fix alone. */
static void test_nothing_to_add(void **state)
{
	struct tl_scratch *s = *state;
	struct tl_run r;

	vendor_branch(s, "tree/mm/mmap.c", "5.15");
	apply(&r, s, "--with-prerequisites", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"prerequisite\": null");
	tl_run_release(&r);
	tl_sh("test \"$(grep -v '^#' '%s/5.15.y/series')\" = mglru-mmgrab-vendor-nodemask.patch",
	      s->out);
}

/*
 * The shipped patches themselves, by GNU patch at fuzz 0 on the fixtures
 * (the tool's own applier is not the only judge): each form fits its
 * line's exit_mmap(), 5.10's not 5.15's; the shape-D patch fits the walk.
 */
static void test_shipped_patches_with_gnu_patch(void **state)
{
	struct tl_scratch *s = *state;
	const char *src = tl_env("SOURCE_DIR");
	char *fixtures = tl_fixture_path("vendor");
	struct tl_run r;

	for (int k = 0; k < 3; k++) {
		static const char *const file[] = { "mmap-5.10.c", "mmap-5.15.c",
						    "vmscan-nodemask.c" };
		static const char *const patch[] = { "exit_mmap-write-lock-5.10.patch",
						     "exit_mmap-write-lock-5.15.patch",
						     "mglru-mmgrab-vendor-nodemask.patch" };

		tl_sh("rm -rf '%s/g' && mkdir -p '%s/g/mm' && cp '%s/%s' '%s/g/mm/%s' && "
		      "cd '%s/g' && patch -p1 -F0 -s < '%s/backports/mglru-mmgrab/%s'", s->dir,
		      s->dir, fixtures, file[k], s->dir, k < 2 ? "mmap.c" : "vmscan.c", s->dir,
		      src, patch[k]);
	}
	tl_sh("rm -rf '%s/g' && mkdir -p '%s/g/mm' && cp '%s/mmap-5.15.c' '%s/g/mm/mmap.c'",
	      s->dir, s->dir, fixtures, s->dir);
	{
		char *cmd = xstrfmt("cd '%s/g' && patch -p1 -F0 --dry-run < "
				    "'%s/backports/mglru-mmgrab/exit_mmap-write-lock-5.10.patch'",
				    s->dir, src);

		tl_run(&r, NULL, "sh", "-c", cmd, NULL);
		assert_int_not_equal(r.status, 0);
		assert_contains(r.out.buf, "Hunk #3 FAILED");
		tl_run_release(&r);
		free(cmd);
	}
	free(fixtures);
}

/*
 * check: the form a branch took is compile-checked with it (make fails on
 * the fixture tree: the flow is tested); the one no branch took is named.
 */
static void test_check_names_the_unchecked_form(void **state)
{
	struct tl_scratch *s = *state;
	char *cache = xstrfmt("BACKPORT_MGLRU_CACHE=%s/cache", s->dir);
	struct tl_run r;

	vendor_branch(s, "vendor/mmap-5.15.c", "5.15");
	tl_run(&r, NULL, "env", cache, tl_bin(), "check", "--repo", s->repo, "--branch",
	       "vendor", "--arch", "x86_64", "--with-prerequisites", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err.buf, "note: mglru-mmgrab: series/mglru-mmgrab/exit_mmap/5.10.y "
				   "(the prerequisite's backport for linux-5.10.y) is not "
				   "compile-checked: no branch checked here is a linux-5.10.y tree "
				   "that took it\n");
	assert_not_contains(r.err.buf, "exit_mmap/5.15.y (the prerequisite");
	assert_contains(r.out.buf, "prerequisite: series/mglru-mmgrab/exit_mmap/5.15.y applied");
	assert_contains(r.out.buf, "COMPILE CHECKS\n");
	tl_run_release(&r);
	free(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_5_15, setup, teardown),
		cmocka_unit_test_setup_teardown(test_5_10, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_makefile_tries_the_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_semantic_on_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none_shipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fix_there_prerequisite_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixed_not_safe_is_loud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_to_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_patches_with_gnu_patch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_check_names_the_unchecked_form, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
