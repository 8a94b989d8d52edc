/*
 * apply --semantic on scratch repositories: spatch really runs (Coccinelle,
 * installed by scripts/install-deps.sh) with the shipped semantic patch
 * backports/mglru-mmgrab.cocci, on a vendor nodemask tree (shape D, no
 * series), on a tree with a vendor check before the pin (the series fails),
 * and refuses what it must: helpers it does not know, a half-applied tree, a
 * semantic patch that changes lines outside the two functions, no spatch.
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

static void apply(struct tl_run *r, struct scratch *s, const char *a1, const char *a2)
{
	const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series", s->series,
			       "--branch", "6.1.y", "--output", s->out, a1, a2, NULL };

	tl_run_argv(r, NULL, argv);
}

/* Replaces the branch's mm/vmscan.c with a fixture file and commits. */
static void use_vmscan(struct scratch *s, const char *fixture)
{
	char *path = tl_fixture_path(fixture);

	tl_sh("cp '%s' '%s/mm/vmscan.c'", path, s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "vendor tree", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);
	free(path);
}

/* quilt push -a --fuzz=0 of DIR/6.1.y on an export of the branch; its mm/vmscan.c. */
static char *quilt_pushed(struct scratch *s)
{
	char *vmscan = xstrfmt("%s/x/mm/vmscan.c", s->dir), *text;

	tl_sh("rm -rf '%s/x' && mkdir '%s/x' && git -C '%s' archive linux-6.1.y | "
	      "tar -x -C '%s/x' && cd '%s/x' && QUILT_PATCHES='%s/6.1.y' QUILT_SERIES=series "
	      "quilt push -a --fuzz=0 >/dev/null", s->dir, s->dir, s->repo, s->dir, s->dir,
	      s->out);
	text = tl_read_file(vmscan, NULL);
	assert_non_null(text);
	free(vmscan);
	return text;
}

static void test_vendor_nodemask_tree(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	char *text, *patch;

	use_vmscan(s, "locate/vendor.c");
	/* no series fits: the series for 6.1.y fails on this shape */
	apply(&r, s, NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "vendor-nodemask");
	tl_run_release(&r);
	apply(&r, s, "--semantic", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "backports/mglru-mmgrab.cocci  applied");
	assert_contains(r.out.buf, "after: pin mm/vmscan.c:22 (should_skip_mm) mmgrab");
	assert_contains(r.out.buf, "(iterate_mm_list) mmdrop");
	tl_run_release(&r);
	patch = xstrfmt("%s/6.1.y/mglru-mmgrab-semantic.patch", s->out);
	text = tl_read_file(patch, NULL);
	assert_non_null(text);
	assert_contains(text, "[ backport-mglru: generated for linux-6.1.y by the semantic patch "
			      "backports/mglru-mmgrab.cocci, because ");
	assert_contains(text, "Review it before queueing it. ]");
	assert_contains(text, "[ Upstream commit d14514c66cb9721b54318850796c005c446d76d6 ]");
	/* the header patch's note for its own line is not carried */
	assert_not_contains(text, "6.12.y has the mainline shape");
	free(text);
	free(patch);
	text = quilt_pushed(s);
	assert_contains(text, "\tmmgrab(mm);\n\treturn false;\n}");
	assert_contains(text, "\t\tmmdrop(*iter);\n");
	assert_not_contains(text, "mmget_not_zero");
	assert_not_contains(text, "mmput_async");
	/* the vendor's nodemask code is all still there */
	assert_contains(text, "node_clear(nid, mm->lru_gen.nodes);");
	free(text);
}

static void test_vendor_check_before_the_pin(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	char *text;

	tl_commit_edit(s->repo, "\treturn !mmget_not_zero(mm);",
		       "\tif (test_bit(MMF_OOM_REAP_QUEUED, &mm->flags))\n\t\treturn true;\n\n"
		       "\treturn !mmget_not_zero(mm);");
	apply(&r, s, NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "hunk 1 failed");
	tl_run_release(&r);
	apply(&r, s, "--semantic", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "applied");
	tl_run_release(&r);
	text = quilt_pushed(s);
	assert_contains(text, "\tif (test_bit(MMF_OOM_REAP_QUEUED, &mm->flags))\n\t\treturn true;"
			      "\n\n\tmmgrab(mm);\n\treturn false;\n}");
	assert_contains(text, "mmdrop(*iter);");
	free(text);
}

static void test_refusals(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	/* helpers of the vendor's own: the sites are not found, nothing is tried */
	use_vmscan(s, "semantic/helpers.c");
	apply(&r, s, "--semantic", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "refused");
	assert_contains(r.out.buf, "(--semantic did not try: the pin and the unpin are not "
				   "both found)");
	tl_run_release(&r);
	apply(&r, s, "--semantic", "--json");
	assert_contains(r.out.buf, "\"refusal\": \"tree-unknown\"");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);

	/* half-applied: never adapted, never healed */
	tl_sh("git -C '%s' checkout -q linux-6.1.y~1 -- mm/vmscan.c", s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "back", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);
	tl_commit_edit(s->repo, "mmput_async(*iter)", "mmdrop(*iter)");
	apply(&r, s, "--semantic", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "a half-applied tree is never adapted");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
}

static void test_outside_changes_refused(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	/* a semantic patch that also edits another line: refused, nothing written */
	tl_sh("printf '\\n@other@\\n@@\\n- #define MIN_BATCH 64\\n+ #define MIN_BATCH 32\\n' >> "
	      "'%s/backports/mglru-mmgrab.cocci'", s->series);
	tl_commit_edit(s->repo, "\treturn !mmget_not_zero(mm);",
		       "\ttrace_vendor_skip(mm);\n\treturn !mmget_not_zero(mm);");
	apply(&r, s, "--semantic", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "refused: the semantic patch lines outside should_skip_mm() "
				   "and iterate_mm_list() changed");
	tl_run_release(&r);
	apply(&r, s, "--semantic", "--json");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"semantic-outside-change\"");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
}

static void test_no_spatch(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	const char *path = getenv("PATH");
	char *saved = xstrdup(path ? path : "");

	tl_commit_edit(s->repo, "\treturn !mmget_not_zero(mm);",
		       "\ttrace_vendor_skip(mm);\n\treturn !mmget_not_zero(mm);");
	setenv("PATH", s->dir, 1);	/* nothing runnable there */
	apply(&r, s, "--semantic", NULL);
	setenv("PATH", saved, 1);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "the semantic patch failed: --semantic needs spatch "
				   "(Coccinelle): not found on PATH");
	tl_run_release(&r);
	setenv("PATH", s->dir, 1);
	apply(&r, s, "--semantic", "--json");
	setenv("PATH", saved, 1);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"refusal\": \"semantic-failed\"");
	tl_run_release(&r);
	tl_sh("test ! -e '%s'", s->out);
	free(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vendor_nodemask_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vendor_check_before_the_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_changes_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_spatch, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
