#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/locate.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

/* Classifies the text against fixture locate/<mmap> (NULL: no mmap text). */
static void classify_text(struct variant *v, const char *text, size_t len,
			  const char *mmap)
{
	char *rel = mmap ? xstrfmt("locate/%s", mmap) : NULL;
	size_t mlen = 0;
	char *mtext = rel ? tl_fixture(rel, &mlen) : NULL;

	variant_init(v);
	variant_classify(v, "mm/vmscan.c", text, len, mtext, mlen, "exit_mmap");
	free(mtext);
	free(rel);
}

static void classify(struct variant *v, const char *vmscan, const char *mmap)
{
	char *rel = xstrfmt("locate/%s", vmscan);
	size_t len;
	char *text = tl_fixture(rel, &len);

	classify_text(v, text, len, mmap);
	free(text);
	free(rel);
}

static void assert_site(const struct site *s, enum pin_call call, size_t line,
			const char *function, const char *text)
{
	assert_true(s->found);
	assert_string_equal(pin_call_name(s->call), pin_call_name(call));
	assert_int_equal(s->converted,
			 call == PIN_CALL_MMGRAB || call == PIN_CALL_MMDROP);
	assert_int_equal(s->line, line);
	assert_string_equal(s->function, function);
	assert_string_equal(s->text, text);
}

static void assert_shape_status(const struct variant *v,
				enum variant_shape shape,
				enum variant_status status)
{
	assert_string_equal(shape_name(v->shape), shape_name(shape));
	if (v->status != status)
		fail_msg("status %s, want %s: %s", status_name(v->status),
			 status_name(status), v->reason);
}

/*
 * Every fixture against every exit_mmap() the verdict depends on, as one
 * table: the shape, the status and the two calls the locator must see.  The
 * tests below look closer at the sites, lines and reasons of each.
 */
static const struct verdict_case {
	const char *vmscan, *mmap;
	enum variant_shape shape;
	enum variant_status status;
	enum pin_call pin, unpin;	/* PIN_CALL_NONE: not found */
} verdicts[] = {
	{ "mainline.c", "mmap-safe.c", SHAPE_MAINLINE, STATUS_NEEDS_FIX,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "mainline-fixed.c", "mmap-safe.c", SHAPE_MAINLINE, STATUS_ALREADY_FIXED,
	  PIN_CALL_MMGRAB, PIN_CALL_MMDROP },
	{ "6.6.c", "mmap-safe.c", SHAPE_6_6, STATUS_NEEDS_FIX,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "6.6-fixed.c", "mmap-safe.c", SHAPE_6_6, STATUS_ALREADY_FIXED,
	  PIN_CALL_MMGRAB, PIN_CALL_MMDROP },
	{ "6.1.c", "mmap-safe.c", SHAPE_6_1, STATUS_NEEDS_FIX,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "6.1-fixed.c", "mmap-safe.c", SHAPE_6_1, STATUS_ALREADY_FIXED,
	  PIN_CALL_MMGRAB, PIN_CALL_MMDROP },
	{ "vendor.c", "mmap-safe.c", SHAPE_VENDOR, STATUS_NEEDS_FIX,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "vendor-fixed.c", "mmap-safe.c", SHAPE_VENDOR, STATUS_ALREADY_FIXED,
	  PIN_CALL_MMGRAB, PIN_CALL_MMDROP },
	/* the precondition decides only a tree that needs the fix */
	{ "6.6.c", "mmap-unsafe.c", SHAPE_6_6, STATUS_NOT_SAFE,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "6.6.c", "mmap-none.c", SHAPE_6_6, STATUS_PREREQ_UNVERIFIABLE,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "6.6.c", NULL, SHAPE_6_6, STATUS_PREREQ_UNVERIFIABLE,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMPUT_ASYNC },
	{ "6.6-fixed.c", NULL, SHAPE_6_6, STATUS_ALREADY_FIXED,
	  PIN_CALL_MMGRAB, PIN_CALL_MMDROP },
	/* half a fix is half a fix whatever exit_mmap() does */
	{ "half-unpin.c", "mmap-safe.c", SHAPE_6_6, STATUS_HALF_APPLIED,
	  PIN_CALL_MMGET_NOT_ZERO, PIN_CALL_MMDROP },
	{ "no-mglru.c", "mmap-unsafe.c", SHAPE_NONE, STATUS_NOT_AFFECTED,
	  PIN_CALL_NONE, PIN_CALL_NONE },
	{ "no-mglru.c", NULL, SHAPE_NONE, STATUS_NOT_AFFECTED, PIN_CALL_NONE, PIN_CALL_NONE },
	{ "no-pin.c", "mmap-safe.c", SHAPE_NONE, STATUS_UNKNOWN,
	  PIN_CALL_NONE, PIN_CALL_MMPUT_ASYNC },
};

static void test_verdict_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(verdicts); i++) {
		const struct verdict_case *c = &verdicts[i];
		struct variant v;

		classify(&v, c->vmscan, c->mmap);
		if (v.shape != c->shape || v.status != c->status ||
		    (v.pin.found ? v.pin.call : PIN_CALL_NONE) != c->pin ||
		    (v.unpin.found ? v.unpin.call : PIN_CALL_NONE) != c->unpin)
			fail_msg("%s with %s: %s / %s, pin %s, unpin %s; want %s / %s, "
				 "pin %s, unpin %s (%s)", c->vmscan, c->mmap ? c->mmap : "no mmap",
				 shape_name(v.shape), status_name(v.status),
				 v.pin.found ? pin_call_name(v.pin.call) : "-",
				 v.unpin.found ? pin_call_name(v.unpin.call) : "-",
				 shape_name(c->shape), status_name(c->status),
				 c->pin == PIN_CALL_NONE ? "-" : pin_call_name(c->pin),
				 c->unpin == PIN_CALL_NONE ? "-" : pin_call_name(c->unpin),
				 v.reason ? v.reason : "no reason");
		variant_release(&v);
	}
}

static void test_mainline_unfixed_with_stub(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "mainline.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_MAINLINE, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 37, "get_next_mm",
		    "return mmget_not_zero(mm) ? mm : NULL;");
	/* the real one under #ifdef, not the stub under #else */
	assert_int_equal(v.pin.func_start, 26);
	assert_int_equal(v.pin.func_end, 38);
	assert_string_equal(v.pin.condition, "CONFIG_LRU_GEN_WALKS_MMU");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 69, "iterate_mm_list",
		    "mmput_async(*iter);");
	assert_int_equal(v.unpin.func_start, 49);
	assert_int_equal(v.unpin.func_end, 74);
	assert_null(v.unpin.condition);
	assert_int_equal(v.nr_notes, 1);
	assert_string_equal(v.notes[0],
			    "get_next_mm also defined at line 42 under "
			    "!(CONFIG_LRU_GEN_WALKS_MMU): not the walk");
	assert_true(v.pre.checked);
	assert_true(v.pre.holds);
	assert_int_equal(v.pre.line, 14);
	variant_release(&v);
}

static void test_stub_first(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "stub-first.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_MAINLINE, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 45, "get_next_mm",
		    "return mmget_not_zero(mm) ? mm : NULL;");
	assert_int_equal(v.pin.func_start, 34);
	assert_string_equal(v.pin.condition, "CONFIG_LRU_GEN_WALKS_MMU");
	assert_int_equal(v.nr_notes, 1);
	assert_string_equal(v.notes[0],
			    "get_next_mm also defined at line 27 under "
			    "!(CONFIG_LRU_GEN_WALKS_MMU): not the walk");
	variant_release(&v);
}

static void test_mainline_fixed(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "mainline-fixed.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_MAINLINE, STATUS_ALREADY_FIXED);
	assert_site(&v.pin, PIN_CALL_MMGRAB, 37, "get_next_mm", "mmgrab(mm);");
	assert_site(&v.unpin, PIN_CALL_MMDROP, 71, "iterate_mm_list",
		    "mmdrop(*iter);");
	variant_release(&v);
}

static void test_6_6(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "6.6.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 39, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_int_equal(v.pin.func_start, 22);
	assert_int_equal(v.pin.func_end, 40);
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 76, "iterate_mm_list",
		    "mmput_async(*iter);");
	assert_int_equal(v.unpin.func_start, 42);
	assert_int_equal(v.nr_notes, 0);
	assert_contains(v.reason, "line 39");
	assert_contains(v.reason, "line 76");
	variant_release(&v);

	classify(&v, "6.6-fixed.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_ALREADY_FIXED);
	assert_site(&v.pin, PIN_CALL_MMGRAB, 39, "should_skip_mm",
		    "mmgrab(mm);");
	assert_site(&v.unpin, PIN_CALL_MMDROP, 78, "iterate_mm_list",
		    "mmdrop(*iter);");
	variant_release(&v);
}

static void test_6_1_and_decoys(void **state)
{
	struct variant v;

	(void)state;
	/*
	 * 6.1.c also holds an mmget_not_zero() in a #define, in a comment, in
	 * a string and in fake_task_rss() on an mm not from the lru_gen list.
	 */
	classify(&v, "6.1.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_1, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 45, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 100, "iterate_mm_list",
		    "mmput_async(*iter);");
	variant_release(&v);

	classify(&v, "6.1-fixed.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_1, STATUS_ALREADY_FIXED);
	assert_site(&v.pin, PIN_CALL_MMGRAB, 45, "should_skip_mm",
		    "mmgrab(mm);");
	assert_site(&v.unpin, PIN_CALL_MMDROP, 102, "iterate_mm_list",
		    "mmdrop(*iter);");
	variant_release(&v);
}

static void test_vendor(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "vendor.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_VENDOR, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 22, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 53, "iterate_mm_list",
		    "mmput_async(*iter);");
	variant_release(&v);

	classify(&v, "vendor-fixed.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_VENDOR, STATUS_ALREADY_FIXED);
	assert_site(&v.pin, PIN_CALL_MMGRAB, 22, "should_skip_mm",
		    "mmgrab(mm);");
	assert_site(&v.unpin, PIN_CALL_MMDROP, 55, "iterate_mm_list",
		    "mmdrop(*iter);");
	variant_release(&v);
}

static void test_vendor_hook_next_to_pin(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "vendor-hook.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 45, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 82, "iterate_mm_list",
		    "mmput_async(*iter);");
	variant_release(&v);
}

static void test_half_applied(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "half-unpin.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_HALF_APPLIED);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 40, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_site(&v.unpin, PIN_CALL_MMDROP, 77, "iterate_mm_list",
		    "mmdrop(*iter);");
	assert_contains(v.reason, "HALF-APPLIED");
	assert_contains(v.reason, "mmdrop()");
	assert_contains(v.reason, "mmget_not_zero()");
	assert_contains(v.reason, "use-after-free");
	variant_release(&v);

	/* half applied wins over a failed precondition */
	classify(&v, "half-pin.c", "mmap-unsafe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_HALF_APPLIED);
	assert_site(&v.pin, PIN_CALL_MMGRAB, 40, "should_skip_mm",
		    "mmgrab(mm);");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 79, "iterate_mm_list",
		    "mmput_async(*iter);");
	assert_contains(v.reason, "HALF-APPLIED");
	assert_contains(v.reason, "mmgrab()");
	assert_contains(v.reason, "mmput_async()");
	assert_contains(v.reason, "use-after-free");
	variant_release(&v);
}

static void test_early_iterator_named_get_next_mm(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "early.c", "mmap-safe.c");
	/* the iterator is get_next_mm(args, iter); the pin is elsewhere */
	assert_shape_status(&v, SHAPE_UNRECOGNISED, STATUS_UNKNOWN);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 23, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_site(&v.unpin, PIN_CALL_MMPUT, 44, "get_next_mm",
		    "mmput(*iter);");
	assert_contains(v.reason, "full_scan");
	assert_contains(v.reason, "line 23");
	assert_contains(v.reason, "line 44");
	variant_release(&v);
}

static void test_moved_by_hundreds_of_lines(void **state)
{
	struct variant v;
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *text = tl_fixture("locate/moved.c", &len);
	char *mark = strstr(text, "/* FILLER */\n");
	const size_t nr = 60, per = 7; /* 420 lines */

	(void)state;
	assert_non_null(mark);
	strbuf_add(&sb, text, (size_t)(mark - text));
	for (size_t i = 0; i < nr; i++)
		strbuf_addf(&sb,
			    "static int filler_%zu(int x)\n"
			    "{\n"
			    "\t/* mmget_not_zero(mm) { */\n"
			    "\treturn x + %zu;\n"
			    "}\n"
			    "\n"
			    "\n",
			    i, i);
	strbuf_addstr(&sb, mark);

	classify_text(&v, sb.buf, sb.len, "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 40, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 79 + nr * per,
		    "iterate_mm_list", "mmput_async(*iter);");
	variant_release(&v);
	strbuf_release(&sb);
	free(text);
}

static void test_not_affected(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "no-mglru.c", "mmap-unsafe.c");
	assert_shape_status(&v, SHAPE_NONE, STATUS_NOT_AFFECTED);
	assert_false(v.pin.found);
	assert_false(v.unpin.found);
	variant_release(&v);

	/* not affected needs no exit_mmap() */
	classify(&v, "no-mglru.c", NULL);
	assert_shape_status(&v, SHAPE_NONE, STATUS_NOT_AFFECTED);
	variant_release(&v);

	/* an empty mm/vmscan.c is no evidence of anything: unknown */
	variant_init(&v);
	variant_classify(&v, "mm/vmscan.c", "", 0, NULL, 0, "exit_mmap");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_string_equal(v.reason, "mm/vmscan.c is empty");
	variant_release(&v);
}

static void test_precondition(void **state)
{
	struct variant v;

	(void)state;
	/* 5.10-like: lock; unlock back to back, then frees unlocked */
	classify(&v, "6.6.c", "mmap-unsafe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NOT_SAFE);
	assert_true(v.pre.checked);
	assert_false(v.pre.holds);
	assert_int_equal(v.pre.line, 9);
	assert_string_equal(v.pre.reason,
			    "exit_mmap() calls free_pgtables() at line 29 "
			    "without mmap_write_lock(mm)");
	assert_contains(v.reason, "free_pgtables() at line 29");
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 39, "should_skip_mm",
		    "return !mmget_not_zero(mm);");
	variant_release(&v);

	/* no exit_mmap(), or no text at all: the prerequisite is unverifiable */
	classify(&v, "6.6.c", "mmap-none.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_PREREQ_UNVERIFIABLE);
	assert_false(v.pre.checked);
	assert_contains(v.reason, "exit_mmap");
	variant_release(&v);

	classify(&v, "6.6.c", NULL);
	assert_shape_status(&v, SHAPE_6_6, STATUS_PREREQ_UNVERIFIABLE);
	assert_false(v.pre.checked);
	assert_contains(v.reason, "exit_mmap");
	variant_release(&v);

	/* already fixed does not need the precondition */
	classify(&v, "6.6-fixed.c", NULL);
	assert_shape_status(&v, SHAPE_6_6, STATUS_ALREADY_FIXED);
	assert_false(v.pre.checked);
	variant_release(&v);

	/* not-safe is an exit_mmap() fact; an unknown walk stays unknown */
	classify(&v, "early.c", "mmap-unsafe.c");
	assert_shape_status(&v, SHAPE_UNRECOGNISED, STATUS_UNKNOWN);
	variant_release(&v);
}

static void test_precondition_inline(void **state)
{
	static const char locked_branch[] =
		"void exit_mmap(struct mm_struct *mm)\n"
		"{\n"
		"\tif (!vma) {\n"
		"\t\tmmap_read_unlock(mm);\n"
		"\t\tmmap_write_lock(mm);\n"
		"\t\tgoto destroy;\n"
		"\t}\n"
		"\tmmap_write_lock(mm);\n"
		"\tremove_vma(vma);\n"
		"destroy:\n"
		"\t__mt_destroy(&mm->mm_mt);\n"
		"\tmmap_write_unlock(mm);\n"
		"}\n";
	static const char no_teardown[] =
		"void exit_mmap(struct mm_struct *mm)\n"
		"{\n"
		"\tmmap_write_lock(mm);\n"
		"\tmmap_write_unlock(mm);\n"
		"}\n";
	struct variant v;
	size_t len;
	char *text = tl_fixture("locate/6.6.c", &len);

	(void)state;
	variant_init(&v);
	variant_classify(&v, "mm/vmscan.c", text, len, locked_branch, strlen(locked_branch), "exit_mmap");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NEEDS_FIX);
	assert_true(v.pre.holds);
	variant_classify(&v, "mm/vmscan.c", text, len, no_teardown, strlen(no_teardown), "exit_mmap");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NOT_SAFE);
	assert_true(v.pre.checked);
	assert_false(v.pre.holds);
	assert_contains(v.pre.reason, "free_pgtables");
	variant_release(&v);
	free(text);
}

static void test_unknowns(void **state)
{
	struct variant v;

	(void)state;
	classify(&v, "unterminated.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_contains(v.reason, "unterminated comment starting at line 8");
	variant_release(&v);

	classify(&v, "two-pins.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_contains(v.reason, "2 candidate pins");
	assert_contains(v.reason, "line 10 in should_skip_mm()");
	assert_contains(v.reason, "line 15 in fake_extra_pin()");
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 30, "iterate_mm_list",
		    "mmput_async(*iter);");
	variant_release(&v);

	classify(&v, "no-pin.c", "mmap-safe.c");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_false(v.pin.found);
	assert_site(&v.unpin, PIN_CALL_MMPUT_ASYNC, 20, "iterate_mm_list",
		    "mmput_async(*iter);");
	assert_contains(v.reason, "no mmget_not_zero()/mmgrab()");
	variant_release(&v);
}

/* An iterator whose mm goes through "hops" helpers before the pin. */
static char *chain_text(int hops, bool from_list)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb,
		    "static bool h%d(struct mm_struct *mm)\n"
		    "{\n\treturn !mmget_not_zero(mm);\n}\n",
		    hops);
	for (int i = hops - 1; i >= 1; i--)
		strbuf_addf(&sb,
			    "static bool h%d(struct mm_struct *mm)\n"
			    "{\n\treturn h%d(mm);\n}\n",
			    i, i + 1);
	strbuf_addf(&sb,
		    "static bool iterate_mm_list(struct lruvec *lruvec, struct "
		    "lru_gen_mm_walk *walk,\n"
		    "\t\t\t    struct mm_struct **iter)\n"
		    "{\n"
		    "\tstruct mm_struct *mm = NULL;\n"
		    "\tdo {\n"
		    "\t\tmm = %s;\n"
		    "\t\tif (h1(mm))\n"
		    "\t\t\tmm = NULL;\n"
		    "\t} while (!mm);\n"
		    "\tif (*iter)\n"
		    "\t\tmmput_async(*iter);\n"
		    "\t*iter = mm;\n"
		    "\treturn false;\n"
		    "}\n",
		    from_list ? "list_entry(walk->head, struct mm_struct, "
				"lru_gen.list)"
			      : "fake_pick_mm(walk)");
	return strbuf_detach(&sb, NULL);
}

static void test_call_depth_and_list(void **state)
{
	struct variant v;
	char *text;

	(void)state;
	/* two calls deep: found, but no known layout */
	text = chain_text(2, true);
	classify_text(&v, text, strlen(text), "mmap-safe.c");
	assert_shape_status(&v, SHAPE_UNRECOGNISED, STATUS_UNKNOWN);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 3, "h2",
		    "return !mmget_not_zero(mm);");
	assert_contains(v.reason, "2 calls deep");
	variant_release(&v);
	free(text);

	/* three calls deep: beyond the search */
	text = chain_text(3, true);
	classify_text(&v, text, strlen(text), "mmap-safe.c");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_false(v.pin.found);
	assert_true(v.unpin.found);
	variant_release(&v);
	free(text);

	/* one call deep but the mm does not come from the lru_gen list */
	text = chain_text(1, false);
	classify_text(&v, text, strlen(text), "mmap-safe.c");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_false(v.pin.found);
	assert_contains(v.reason, "lru_gen mm list");
	variant_release(&v);
	free(text);

	/* and from the list: the 6.6 layout */
	text = chain_text(1, true);
	classify_text(&v, text, strlen(text), "mmap-safe.c");
	assert_shape_status(&v, SHAPE_6_6, STATUS_NEEDS_FIX);
	assert_site(&v.pin, PIN_CALL_MMGET_NOT_ZERO, 3, "h1",
		    "return !mmget_not_zero(mm);");
	variant_release(&v);
	free(text);
}

static void test_two_unpins(void **state)
{
	static const char text[] = "static bool it_a(struct mm_struct **iter)\n"
				   "{\n"
				   "\tstruct mm_struct *mm = list_entry(h, "
				   "struct mm_struct, lru_gen.list);\n"
				   "\tif (*iter)\n"
				   "\t\tmmput_async(*iter);\n"
				   "\t*iter = mm;\n"
				   "\treturn !mmget_not_zero(mm);\n"
				   "}\n"
				   "static bool it_b(struct mm_struct **iter)\n"
				   "{\n"
				   "\tstruct mm_struct *mm = NULL;\n"
				   "\tmmput(*iter);\n"
				   "\t*iter = mm;\n"
				   "\treturn false;\n"
				   "}\n";
	struct variant v;

	(void)state;
	variant_init(&v);
	variant_classify(&v, "mm/vmscan.c", text, strlen(text), NULL, 0, "exit_mmap");
	assert_shape_status(&v, SHAPE_NONE, STATUS_UNKNOWN);
	assert_contains(v.reason, "2 candidate unpins");
	assert_contains(v.reason, "line 5 in it_a()");
	assert_contains(v.reason, "line 12 in it_b()");
	variant_release(&v);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(shape_name(SHAPE_NONE), "none");
	assert_string_equal(shape_name(SHAPE_MAINLINE), "mainline-get_next_mm");
	assert_string_equal(shape_name(SHAPE_6_6), "6.6-do-while");
	assert_string_equal(shape_name(SHAPE_6_1), "6.1-nr_walkers");
	assert_string_equal(shape_name(SHAPE_VENDOR), "vendor-nodemask");
	assert_string_equal(shape_name(SHAPE_UNRECOGNISED), "unrecognised");
	assert_string_equal(status_name(STATUS_NEEDS_FIX), "needs-fix");
	assert_string_equal(status_name(STATUS_ALREADY_FIXED), "already-fixed");
	assert_string_equal(status_name(STATUS_HALF_APPLIED), "half-applied");
	assert_string_equal(status_name(STATUS_NOT_AFFECTED), "not-affected");
	assert_string_equal(status_name(STATUS_NOT_SAFE), "not-safe-as-is");
	assert_string_equal(status_name(STATUS_UNKNOWN), "unknown");
	assert_string_equal(pin_call_name(PIN_CALL_MMGET_NOT_ZERO),
			    "mmget_not_zero");
	assert_string_equal(pin_call_name(PIN_CALL_MMDROP), "mmdrop");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_table),
		cmocka_unit_test(test_mainline_unfixed_with_stub),
		cmocka_unit_test(test_stub_first),
		cmocka_unit_test(test_mainline_fixed),
		cmocka_unit_test(test_6_6),
		cmocka_unit_test(test_6_1_and_decoys),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_vendor_hook_next_to_pin),
		cmocka_unit_test(test_half_applied),
		cmocka_unit_test(test_early_iterator_named_get_next_mm),
		cmocka_unit_test(test_moved_by_hundreds_of_lines),
		cmocka_unit_test(test_not_affected),
		cmocka_unit_test(test_precondition),
		cmocka_unit_test(test_precondition_inline),
		cmocka_unit_test(test_unknowns),
		cmocka_unit_test(test_call_depth_and_list),
		cmocka_unit_test(test_two_unpins),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
