/*
 * backport_run() with the real C reader and locator on the hand-written
 * fixture tree, as one table (tree edits, series form, and the outcome,
 * refusal, reason, hunk statuses and result the backport must give): hunks
 * land inside the function they change (not in a decoy with the same lines
 * nearer the stated line), a result that converts one site only is refused,
 * and trees that must not be patched are not.
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

/*
 * The fixture tree with a decoy holding the pin hunk's very lines where the
 * hunk says (line 13), and the real should_skip_mm() moved 500 lines down.
 * GNU patch takes the nearest match: the decoy.
 */
static char *decoy_tree(const char *vmscan)
{
	struct strbuf moved = STRBUF_INIT;
	const char *real = strstr(vmscan, "static bool should_skip_mm");

	assert_non_null(real);
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
	return strbuf_detach(&moved, NULL);
}

/* Which hunks of the fixture series' patch a case applies. */
enum series_form {
	SERIES_BOTH,		/* the fixture patch: pin and unpin */
	SERIES_UNPIN_ONLY,	/* hunk 1 dropped */
	SERIES_PIN_ONLY,	/* hunk 2 dropped */
};

/* The fixture patch in that form (caller frees). */
static char *series_text(enum series_form form)
{
	size_t len;
	char *full = tl_fixture("seriesdir/backports/fixture-6.1.patch", &len);
	char *h1 = strstr(full, "@@ -13,7"), *h2 = strstr(full, "@@ -42,7"), *text;

	assert_non_null(h1);
	assert_non_null(h2);
	switch (form) {
	case SERIES_BOTH:
		return full;
	case SERIES_UNPIN_ONLY:
		memmove(h1, h2, strlen(h2) + 1);
		text = replace(full, "@@ -42,7 +43,7 @@", "@@ -42,7 +42,7 @@");
		free(full);
		return text;
	case SERIES_PIN_ONLY:
		*h2 = '\0';
		return full;
	}
	BUG("series form %d", (int)form);
}

struct edit {
	const char *from, *to;	/* NULL from: no edit */
};

#define NO_AFTER (-1)		/* the result was not located */
#define ANY (-1)		/* not checked */

/*
 * One backport: the fixture tree (tests/fixtures/tree) with edits, or a
 * text of its own, against the fixture series in some form, and what
 * backport_run() must make of it.
 */
static const struct backport_case {
	const char *name;
	struct edit vmscan[2], mmap[2];	/* replaced once each, in order */
	const char *vmscan_text, *mmap_text;	/* instead of the fixture's */
	bool decoy;			/* decoy_tree() after the edits */
	enum series_form series;
	enum backport_outcome outcome;
	const char *refusal;		/* a REFUSAL_*, NULL when none */
	const char *reason;		/* in bp.reason; NULL: no reason checked */
	int nr_steps;			/* ANY: not checked */
	size_t nr_files;		/* files bp holds (read; changed if patched) */
	int step_files;			/* files step 0 recorded; ANY: not checked */
	int after;			/* status located on the result, or NO_AFTER */
	int hunk[2];			/* step 0's hunk statuses; ANY: not checked */
	const char *function;		/* where hunk 1 was relocated to */
} cases[] = {
	{ .name = "fixture tree", .series = SERIES_BOTH, .outcome = BACKPORT_APPLIED,
	  .nr_steps = 1, .nr_files = 1, .step_files = 1, .after = STATUS_ALREADY_FIXED,
	  .hunk = { HUNK_APPLIED, HUNK_APPLIED } },
	{ .name = "relocated past a decoy", .decoy = true, .series = SERIES_BOTH,
	  .outcome = BACKPORT_APPLIED, .nr_steps = 1, .nr_files = 1, .step_files = 1,
	  .after = STATUS_ALREADY_FIXED, .hunk = { HUNK_RELOCATED, HUNK_APPLIED },
	  .function = "should_skip_mm" },
	{ .name = "unpin-only series", .series = SERIES_UNPIN_ONLY,
	  .outcome = BACKPORT_HALF_APPLIED, .refusal = REFUSAL_RESULT_HALF_APPLIED,
	  .reason = "refused", .nr_steps = 1, .nr_files = 1, .step_files = ANY,
	  .after = STATUS_HALF_APPLIED, .hunk = { HUNK_APPLIED, ANY } },
	{ .name = "pin-only series", .series = SERIES_PIN_ONLY,
	  .outcome = BACKPORT_HALF_APPLIED, .refusal = REFUSAL_RESULT_HALF_APPLIED,
	  .reason = "refused: the result converts one site and not the other",
	  .nr_steps = 1, .nr_files = 1, .step_files = ANY, .after = STATUS_HALF_APPLIED,
	  .hunk = { HUNK_APPLIED, ANY } },
	{ .name = "already fixed tree untouched",
	  .vmscan = { { "return !mmget_not_zero(mm);", "mmgrab(mm);\n\treturn false;" },
		      { "mmput_async(*iter)", "mmdrop(*iter)" } },
	  .series = SERIES_BOTH, .outcome = BACKPORT_ALREADY_FIXED, .nr_steps = 0,
	  .nr_files = 0, .step_files = ANY, .after = NO_AFTER, .hunk = { ANY, ANY } },
	{ .name = "half-applied tree refused",
	  .vmscan = { { "mmput_async(*iter)", "mmdrop(*iter)" } },
	  .series = SERIES_BOTH, .outcome = BACKPORT_REFUSED,
	  .refusal = REFUSAL_TREE_HALF_APPLIED, .reason = "not patched: the tree is half-applied",
	  .nr_steps = 0, .nr_files = 0, .step_files = ANY, .after = NO_AFTER,
	  .hunk = { ANY, ANY } },
	{ .name = "unknown tree (no pin) refused",
	  .vmscan = { { "return !mmget_not_zero(mm);", "return false;" } },
	  .series = SERIES_BOTH, .outcome = BACKPORT_REFUSED, .refusal = REFUSAL_TREE_UNKNOWN,
	  .reason = "not patched: the tree is unknown", .nr_steps = 0, .nr_files = 0,
	  .step_files = ANY, .after = NO_AFTER, .hunk = { ANY, ANY } },
	{ .name = "no MGLRU: not affected",
	  .vmscan_text = "/* no MGLRU here */\nstatic int shrink(int x)\n{\n\treturn x;\n}\n",
	  .series = SERIES_BOTH, .outcome = BACKPORT_NOT_AFFECTED,
	  .reason = "no MGLRU mm walk", .nr_steps = 0, .nr_files = 0, .step_files = ANY,
	  .after = NO_AFTER, .hunk = { ANY, ANY } },
	/* the 5.10 way: VMAs freed with no mmap_write_lock held */
	{ .name = "unsafe exit_mmap not patched",
	  .mmap = { { "\tmmap_write_lock(mm);\n\tfree_pgtables", "\tfree_pgtables" },
		    { "\tmmap_write_unlock(mm);\n}", "}" } },
	  .series = SERIES_BOTH, .outcome = BACKPORT_NOT_SAFE, .refusal = REFUSAL_NOT_SAFE,
	  .reason = "not patched", .nr_steps = 0, .nr_files = 0, .step_files = ANY,
	  .after = NO_AFTER, .hunk = { ANY, ANY } },
	{ .name = "no exit_mmap: prerequisite unverifiable",
	  .mmap_text = "void other_exit(struct mm_struct *mm)\n{\n}\n",
	  .series = SERIES_BOTH, .outcome = BACKPORT_REFUSED, .refusal = REFUSAL_PREREQUISITE,
	  .reason = "the prerequisite cannot be verified", .nr_steps = 0, .nr_files = 0,
	  .step_files = ANY, .after = NO_AFTER, .hunk = { ANY, ANY } },
	/* the unpin's context changed: hunk 2 cannot apply, so neither does hunk 1 */
	{ .name = "context drift fails everything",
	  .vmscan = { { "\t\tlast = false;\n\n\tif (*iter)",
			"\t\tlast = !mm_state->nr_walkers;\n\n\tif (*iter)" } },
	  .series = SERIES_BOTH, .outcome = BACKPORT_FAILED, .refusal = REFUSAL_HUNK_FAILED,
	  .reason = "does not apply: nothing was changed", .nr_steps = 1, .nr_files = 1,
	  .step_files = 0, .after = NO_AFTER, .hunk = { ANY, HUNK_FAILED } },
};

/* The case's tree and patch, backported into bp; returns the vmscan text. */
static char *run_case(const struct backport_case *c, struct backport *bp, struct patch *p)
{
	char *vmscan = c->vmscan_text ? xstrdup(c->vmscan_text) :
		       tl_fixture("tree/mm/vmscan.c", NULL);
	char *mmap = c->mmap_text ? xstrdup(c->mmap_text) : tl_fixture("tree/mm/mmap.c", NULL);
	char *text = series_text(c->series);

	for (size_t i = 0; i < ARRAY_SIZE(c->vmscan) && c->vmscan[i].from; i++) {
		char *t = replace(vmscan, c->vmscan[i].from, c->vmscan[i].to);

		free(vmscan);
		vmscan = t;
	}
	for (size_t i = 0; i < ARRAY_SIZE(c->mmap) && c->mmap[i].from; i++) {
		char *t = replace(mmap, c->mmap[i].from, c->mmap[i].to);

		free(mmap);
		mmap = t;
	}
	if (c->decoy) {
		char *t = decoy_tree(vmscan);

		free(vmscan);
		vmscan = t;
	}
	load_patch(p, text);
	run(bp, vmscan, mmap, p);
	free(text);
	free(mmap);
	return vmscan;
}

static void check_case(const struct backport_case *c, const struct backport *bp)
{
	const char *name = c->name;

	if (bp->outcome != c->outcome)
		fail_msg("%s: outcome %s, want %s (%s)", name, backport_outcome_name(bp->outcome),
			 backport_outcome_name(c->outcome), bp->reason ? bp->reason : "no reason");
	if (c->refusal ? !bp->refusal || strcmp(bp->refusal, c->refusal) : !!bp->refusal)
		fail_msg("%s: refusal %s, want %s", name, bp->refusal ? bp->refusal : "none",
			 c->refusal ? c->refusal : "none");
	if (c->reason && (!bp->reason || !strstr(bp->reason, c->reason)))
		fail_msg("%s: reason '%s' lacks '%s'", name, bp->reason ? bp->reason : "",
			 c->reason);
	if (c->nr_steps != ANY && bp->nr_steps != (size_t)c->nr_steps)
		fail_msg("%s: %zu steps, want %d", name, bp->nr_steps, c->nr_steps);
	if (bp->nr_files != c->nr_files)
		fail_msg("%s: %zu files, want %zu", name, bp->nr_files, c->nr_files);
	/* patched: every file it holds changed; otherwise none did */
	for (size_t i = 0; i < bp->nr_files; i++) {
		const struct backport_file *f = &bp->files[i];
		bool same = f->before_len == f->after_len &&
			    !memcmp(f->before, f->after, f->before_len);

		if (same != (c->outcome != BACKPORT_APPLIED &&
			     c->outcome != BACKPORT_HALF_APPLIED))
			fail_msg("%s: '%s' %s", name, f->path, same ? "unchanged" : "changed");
	}
	if (c->step_files != ANY && bp->steps[0].nr_files != (size_t)c->step_files)
		fail_msg("%s: step 1 recorded %zu files, want %d", name, bp->steps[0].nr_files,
			 c->step_files);
	if (c->after == NO_AFTER ? bp->have_after :
	    !bp->have_after || bp->after.status != (enum variant_status)c->after)
		fail_msg("%s: after %s, want %s", name,
			 bp->have_after ? status_name(bp->after.status) : "not located",
			 c->after == NO_AFTER ? "not located" :
			 status_name((enum variant_status)c->after));
	for (size_t k = 0; k < ARRAY_SIZE(c->hunk); k++) {
		const struct file_result *fr;

		if (c->hunk[k] == ANY)
			continue;
		fr = &bp->steps[0].result.patches[0].files[0];
		if (k >= fr->nr_hunks || fr->hunks[k].status != (enum hunk_status)c->hunk[k])
			fail_msg("%s: hunk %zu %s, want %s", name, k + 1,
				 k < fr->nr_hunks ? hunk_status_name(fr->hunks[k].status) : "absent",
				 hunk_status_name((enum hunk_status)c->hunk[k]));
		if (c->hunk[k] == HUNK_FAILED && !fr->hunks[k].reason)
			fail_msg("%s: failed hunk %zu gives no reason", name, k + 1);
		if (c->hunk[k] == HUNK_RELOCATED &&
		    (!fr->hunks[k].function || strcmp(fr->hunks[k].function, c->function)))
			fail_msg("%s: hunk %zu relocated into %s, want %s", name, k + 1,
				 fr->hunks[k].function ? fr->hunks[k].function : "nothing",
				 c->function);
	}
}

static void test_backport_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct patch p = PATCH_INIT;
		struct backport bp;
		char *vmscan = run_case(&cases[i], &bp, &p);

		check_case(&cases[i], &bp);
		backport_release(&bp);
		patch_release(&p);
		free(vmscan);
	}
}

/* The decoy row, closer: where the relocated hunk went and what it left. */
static void test_decoy_keeps_its_pin(void **state)
{
	const struct backport_case *c = &cases[1];
	struct patch p = PATCH_INIT;
	struct backport bp;
	char *vmscan;
	const char *after, *decoy_end;

	(void)state;
	assert_true(c->decoy);
	vmscan = run_case(c, &bp, &p);
	assert_int_equal(bp.outcome, BACKPORT_APPLIED);
	assert_true(bp.steps[0].result.patches[0].files[0].hunks[0].line > 400);

	/* the decoy kept its mmget_not_zero; the real pin is converted */
	after = bp.files[0].after;
	decoy_end = strstr(after, "static int filler_0");
	assert_non_null(decoy_end);
	assert_true(strstr(after, "return !mmget_not_zero(mm);") < decoy_end);
	assert_non_null(strstr(decoy_end, "\tmmgrab(mm);\n\treturn false;\n"));
	assert_string_equal(bp.after.pin.function, "should_skip_mm");

	backport_release(&bp);
	patch_release(&p);
	free(vmscan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backport_table),
		cmocka_unit_test(test_decoy_keeps_its_pin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
