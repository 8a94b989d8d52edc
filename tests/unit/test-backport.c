/*
 * backport_run() with the real C reader and locator on the hand-written
 * fixture tree: hunks land inside the function they change (not in a decoy
 * with the same lines nearer the stated line), a result that converts one
 * site only is refused, and trees that must not be patched are not.
 */
#include "testlib.h"

#include "core/backport.h"
#include "core/fix.h"
#include "core/error.h"
#include "core/xalloc.h"

struct files {
	const char *vmscan;
	const char *mmap;
};

static int fetch(void *ctx, const char *path, char **content, size_t *len)
{
	const struct files *f = ctx;
	const char *text = !strcmp(path, "mm/vmscan.c") ? f->vmscan :
			   !strcmp(path, "mm/mmap.c") ? f->mmap : NULL;

	if (!text)
		return error("no '%s' in the test tree", path);
	*content = xstrdup(text);
	*len = strlen(text);
	return 0;
}

/* Parses the fixture series' patch, or text when given. */
static void load_patch(struct patch *p, const char *text)
{
	size_t len;
	char *own = text ? NULL : tl_fixture("seriesdir/backports/fixture-6.1.patch", &len);

	if (text)
		len = strlen(text);
	if (patch_parse(p, "fixture-6.1.patch", text ? text : own, len, 1) < 0)
		fail_msg("patch_parse: %s", error_last());
	free(own);
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct strbuf sb = STRBUF_INIT;

	if (!at)
		fail_msg("'%s' not in the text", from);
	strbuf_add(&sb, s, (size_t)(at - s));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	return strbuf_detach(&sb, NULL);
}

/* Locates, then backports; returns the outcome, bp filled. */
static enum backport_outcome run(struct backport *bp, const char *vmscan, const char *mmap,
				 const struct patch *p)
{
	struct files f = { vmscan, mmap };
	struct variant v;
	const struct patch *list[1] = { p };
	struct fix_desc fix;

	tl_seed_fix(&fix);
	variant_init(&v);
	variant_classify(&v, "mm/vmscan.c", vmscan, strlen(vmscan), mmap, strlen(mmap), "exit_mmap");
	backport_init(bp);
	if (backport_run(bp, &v, list, 1, &fix, mmap, strlen(mmap), fetch, &f, 0) < 0)
		fail_msg("backport_run: %s", error_last());
	variant_release(&v);
	fix_desc_release(&fix);
	return bp->outcome;
}

static void test_applies_and_relocates_past_a_decoy(void **state)
{
	char *vmscan = tl_fixture("tree/mm/vmscan.c", NULL);
	char *mmap = tl_fixture("tree/mm/mmap.c", NULL);
	struct strbuf moved = STRBUF_INIT;
	const char *real = strstr(vmscan, "static bool should_skip_mm");
	struct patch p = PATCH_INIT;
	struct backport bp;
	const struct hunk_result *h;
	const char *after, *decoy_end;

	(void)state;
	/*
	 * A decoy with the hunk's very lines sits where the hunk says (line
	 * 13), and the real should_skip_mm() moved 500 lines down.  GNU patch
	 * takes the nearest match: the decoy.
	 */
	strbuf_add(&moved, vmscan, (size_t)(real - vmscan));
	strbuf_addstr(&moved, "static bool debug_skip(struct mm_struct *mm)\n{\n"
			      "\tunsigned long pages = mm_pages(mm);\n\n"
			      "\tif (pages < MIN_BATCH)\n\t\treturn true;\n\n"
			      "\treturn !mmget_not_zero(mm);\n}\n\n"
			      "static bool iterate_mm_list(struct lruvec *lruvec, "
			      "struct lru_gen_mm_walk *walk,\n"
			      "\t\t\t    struct mm_struct **iter);\n\n");
	for (int i = 0; i < 50; i++)
		strbuf_addf(&moved, "static int filler_%d(int x)\n{\n\tint y = x * %d;\n\n"
				    "\ty += %d;\n\treturn y;\n}\n\n", i, i, i);
	strbuf_addstr(&moved, real);
	load_patch(&p, NULL);
	assert_int_equal(run(&bp, moved.buf, mmap, &p), BACKPORT_APPLIED);

	h = &bp.steps[0].result.patches[0].files[0].hunks[0];
	assert_int_equal(h->status, HUNK_RELOCATED);
	assert_string_equal(h->function, "should_skip_mm");
	assert_true(h->line > 400);
	assert_int_equal(bp.steps[0].result.patches[0].files[0].hunks[1].status, HUNK_APPLIED);

	/* the decoy kept its mmget_not_zero; the real pin is converted */
	after = bp.files[0].after;
	decoy_end = strstr(after, "static int filler_0");
	assert_non_null(decoy_end);
	assert_true(strstr(after, "return !mmget_not_zero(mm);") < decoy_end);
	assert_non_null(strstr(decoy_end, "\tmmgrab(mm);\n\treturn false;\n"));
	assert_int_equal(bp.after.status, STATUS_ALREADY_FIXED);
	assert_string_equal(bp.after.pin.function, "should_skip_mm");

	backport_release(&bp);
	patch_release(&p);
	strbuf_release(&moved);
	free(mmap);
	free(vmscan);
}

static void test_unpin_only_series_is_refused(void **state)
{
	char *vmscan = tl_fixture("tree/mm/vmscan.c", NULL);
	char *mmap = tl_fixture("tree/mm/mmap.c", NULL);
	size_t len;
	char *full = tl_fixture("seriesdir/backports/fixture-6.1.patch", &len);
	/* drop hunk 1: the series converts the unpin only */
	char *h1 = strstr(full, "@@ -13,7"), *h2 = strstr(full, "@@ -42,7");
	char *text;
	struct patch p = PATCH_INIT;
	struct backport bp;

	(void)state;
	assert_non_null(h1);
	assert_non_null(h2);
	memmove(h1, h2, strlen(h2) + 1);
	text = replace(full, "@@ -42,7 +43,7 @@", "@@ -42,7 +42,7 @@");
	load_patch(&p, text);
	assert_int_equal(run(&bp, vmscan, mmap, &p), BACKPORT_HALF_APPLIED);
	assert_contains(bp.reason, "refused");
	assert_int_equal(bp.after.status, STATUS_HALF_APPLIED);
	backport_release(&bp);
	patch_release(&p);
	free(text);
	free(full);
	free(mmap);
	free(vmscan);
}

static void test_already_fixed_tree_untouched(void **state)
{
	char *vmscan = tl_fixture("tree/mm/vmscan.c", NULL);
	char *mmap = tl_fixture("tree/mm/mmap.c", NULL);
	char *a = replace(vmscan, "return !mmget_not_zero(mm);", "mmgrab(mm);\n\treturn false;");
	char *b = replace(a, "mmput_async(*iter)", "mmdrop(*iter)");
	struct patch p = PATCH_INIT;
	struct backport bp;

	(void)state;
	load_patch(&p, NULL);
	assert_int_equal(run(&bp, b, mmap, &p), BACKPORT_ALREADY_FIXED);
	assert_int_equal(bp.nr_steps, 0);
	assert_int_equal(bp.nr_files, 0);
	backport_release(&bp);
	patch_release(&p);
	free(b);
	free(a);
	free(mmap);
	free(vmscan);
}

static void test_unsafe_exit_mmap_not_patched(void **state)
{
	char *vmscan = tl_fixture("tree/mm/vmscan.c", NULL);
	char *mmap = tl_fixture("tree/mm/mmap.c", NULL);
	/* the 5.10 way: VMAs freed with no mmap_write_lock held */
	char *a = replace(mmap, "\tmmap_write_lock(mm);\n\tfree_pgtables", "\tfree_pgtables");
	char *b = replace(a, "\tmmap_write_unlock(mm);\n}", "}");
	struct patch p = PATCH_INIT;
	struct backport bp;

	(void)state;
	load_patch(&p, NULL);
	assert_int_equal(run(&bp, vmscan, b, &p), BACKPORT_NOT_SAFE);
	assert_contains(bp.reason, "not patched");
	assert_int_equal(bp.nr_files, 0);
	backport_release(&bp);
	patch_release(&p);
	free(b);
	free(a);
	free(mmap);
	free(vmscan);
}

static void test_context_drift_fails_everything(void **state)
{
	char *vmscan = tl_fixture("tree/mm/vmscan.c", NULL);
	char *mmap = tl_fixture("tree/mm/mmap.c", NULL);
	char *drift = replace(vmscan, "\t\tlast = false;\n\n\tif (*iter)",
			      "\t\tlast = !mm_state->nr_walkers;\n\n\tif (*iter)");
	struct patch p = PATCH_INIT;
	struct backport bp;
	const struct file_result *fr;

	(void)state;
	load_patch(&p, NULL);
	assert_int_equal(run(&bp, drift, mmap, &p), BACKPORT_FAILED);
	fr = &bp.steps[0].result.patches[0].files[0];
	assert_int_equal(fr->hunks[1].status, HUNK_FAILED);
	assert_non_null(fr->hunks[1].reason);
	assert_int_equal(bp.steps[0].nr_files, 0);
	assert_false(bp.have_after);
	backport_release(&bp);
	patch_release(&p);
	free(drift);
	free(mmap);
	free(vmscan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_applies_and_relocates_past_a_decoy),
		cmocka_unit_test(test_unpin_only_series_is_refused),
		cmocka_unit_test(test_already_fixed_tree_untouched),
		cmocka_unit_test(test_unsafe_exit_mmap_not_patched),
		cmocka_unit_test(test_context_drift_fails_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
