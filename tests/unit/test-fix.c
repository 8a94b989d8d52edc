/*
 * The fix descriptor's pure part (core/fix.c): entries as libgit2 hands
 * them over, the checks on each key, the required keys, the rule lookup.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fix.h"
#include "core/patch.h"

static void test_seed_descriptor(void **state)
{
	struct fix_desc fix;

	(void)state;
	tl_seed_fix(&fix);
	assert_string_equal(fix.id, "mglru-mmgrab");
	assert_non_null(fix.rule);
	assert_string_equal(fix.rule->name, "mglru-mmgrab");
	assert_int_equal(fix.nr_files, 1);
	assert_string_equal(fix.files[0].path, "mm/vmscan.c");
	assert_int_equal(fix.files[0].nr_functions, 3);
	assert_string_equal(fix.files[0].functions[2], "iterate_mm_list");
	assert_int_equal(fix.nr_kconfig, 1);
	assert_string_equal(fix.kconfig[0], "LRU_GEN");
	assert_int_equal(fix.nr_enable, 1);
	assert_int_equal(fix.nr_preconditions, 1);
	assert_string_equal(fix.preconditions[0].function, "exit_mmap");
	assert_null(fix.preconditions[0].series);
	assert_int_equal(fix_desc_set(&fix, "seed", "precondition.exit_mmap.series", "exit_mmap"),
			 0);
	assert_string_equal(fix.preconditions[0].series, "exit_mmap");
	assert_int_equal(fix_desc_set(&fix, "seed", "precondition.exit_mmap.series", "again"), -1);
	assert_string_equal(fix_shape_series(&fix, "6.1-nr_walkers"), "6.1.y");
	assert_string_equal(fix_shape_series(&fix, "vendor-nodemask"), "vendor-nodemask");
	/* "-": a shape with no series shipped */
	assert_int_equal(fix_desc_set(&fix, "seed", "shape.none-yet.series", "-"), 0);
	assert_string_equal(fix_shape_series(&fix, "none-yet"), "-");
	assert_null(fix_shape_series(&fix, "unrecognised"));
	fix_desc_release(&fix);
}

/* One entry that fix_desc_set() refuses, and the message it gives. */
struct refusal {
	const char *name, *value, *message;
};

static void test_refused_entries(void **state)
{
	static const struct refusal cases[] = {
		{ "fix.foo", "x", "unknown key 'fix.foo'" },
		{ "fix", "x", "unknown key 'fix'" },
		{ "fix.sub.id", "x", "unknown key 'fix.sub.id'" },
		{ "file.function", "f", "unknown key 'file.function'" },
		{ "file.mm/vmscan.c.name", "f", "unknown key 'file.mm/vmscan.c.name'" },
		{ "fix.id", "../up", "key 'fix.id' is not a plain name" },
		{ "fix.id", "", "key 'fix.id' is not a plain name" },
		{ "fix.upstream", "d14514c6", "key 'fix.upstream' is not a commit id" },
		{ "fix.upstream", "D14514C66CB9", "key 'fix.upstream' is not a commit id" },
		{ "fix.subject", "", "key 'fix.subject' is not one non-empty line" },
		{ "fix.kconfig", "CONFIG_LRU_GEN", "key 'fix.kconfig' is not a Kconfig symbol" },
		{ "fix.kconfig", "lru_gen", "key 'fix.kconfig' is not a Kconfig symbol" },
		{ "file.../etc/passwd.function", "f", "names no path in the tree" },
		{ "file./abs.c.function", "f", "names no path in the tree" },
		{ "file.mm//a.c.function", "f", "names no path in the tree" },
		{ "file.mm/a.c.function", "not a name", "is not a C function name" },
		{ "file.mm/a.c.macro", "A-B", "is not a C macro name" },
		{ "file../a.c.macro", "A", "names no path in the tree" },
		{ "precondition.p.file", "../x", "names no path in the tree" },
		{ "precondition.p.function", "1x", "is not a C function name" },
		{ "precondition.p.series", "../exit_mmap", "key 'precondition.p.series' is not a "
							  "directory name in series/<id>/" },
		{ "precondition.p.series", "a/b", "is not a directory name in series/<id>/" },
		{ "shape.s.series", "../6.1.y", "is not a file name in series/<id>/" },
		{ "fix.subject", NULL, "key 'fix.subject' has no value" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fix_desc fix;

		fix_desc_init(&fix);
		if (fix_desc_set(&fix, "d/fix.conf", cases[i].name, cases[i].value) != -1)
			fail_msg("'%s' = '%s' was taken", cases[i].name,
				 cases[i].value ? cases[i].value : "(null)");
		assert_contains(error_last(), "bad fix descriptor 'd/fix.conf': ");
		assert_contains(error_last(), cases[i].message);
		fix_desc_release(&fix);
	}
}

static void test_repeats(void **state)
{
	struct fix_desc fix;

	(void)state;
	fix_desc_init(&fix);
	assert_int_equal(fix_desc_set(&fix, "f", "fix.id", "a"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "fix.id", "b"), -1);
	assert_contains(error_last(), "key 'fix.id' is given twice");
	assert_int_equal(fix_desc_set(&fix, "f", "fix.kconfig", "LRU_GEN"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "fix.enable", "LRU_GEN"), -1);
	assert_contains(error_last(), "names a symbol twice");
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/a.c.function", "f"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/a.c.function", "g"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/b.c.function", "f"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/a.c.function", "f"), -1);
	assert_contains(error_last(), "names a function twice");
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/a.c.macro", "f"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/c.h.macro", "M"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/c.h.macro", "M"), -1);
	assert_contains(error_last(), "names a macro twice");
	assert_int_equal(fix.nr_files, 3);
	assert_int_equal(fix.files[0].nr_functions, 2);
	assert_int_equal(fix.files[0].nr_macros, 1);
	assert_int_equal(fix.files[2].nr_functions, 0);
	assert_int_equal(fix_desc_set(&fix, "f", "shape.x.series", "6.1.y"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "shape.x.series", "6.6.y"), -1);
	fix_desc_release(&fix);
}

/* Entries, then fix_desc_finish(): its message, or NULL for success. */
struct finish_case {
	const char *entries[6][2];
	const char *folder, *message;
};

static void test_finish(void **state)
{
	static const struct finish_case cases[] = {
		{ { { "fix.subject", "s" }, { "file.a.c.function", "f" } }, NULL,
		  "missing key 'fix.id'" },
		{ { { "fix.id", "a" }, { "file.a.c.function", "f" } }, NULL,
		  "missing key 'fix.subject'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" } }, NULL,
		  "missing key 'file.<path>.function'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" } },
		  "b", "key 'fix.id' is 'a', but the folder is 'b'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" } },
		  NULL, "missing key 'fix.patch'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" },
		    { "fix.rule", "no-such-rule" } }, NULL,
		  "key 'fix.rule' names no known rule 'no-such-rule'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" },
		    { "shape.x.series", "6.1.y" } }, NULL, "key 'shape' needs 'fix.rule'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" },
		    { "fix.rule", "mglru-mmgrab" }, { "precondition.p.file", "mm/mmap.c" } },
		  NULL, "missing key 'precondition.p.function'" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" },
		    { "fix.rule", "mglru-mmgrab" } }, NULL,
		  "rule 'mglru-mmgrab' reads one precondition, the descriptor names 0" },
		{ { { "fix.id", "a" }, { "fix.subject", "s" }, { "file.a.c.function", "f" },
		    { "fix.patch", "a.patch" } }, "a", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fix_desc fix;
		int rc;

		fix_desc_init(&fix);
		for (size_t k = 0; k < 6 && cases[i].entries[k][0]; k++)
			assert_int_equal(fix_desc_set(&fix, "f", cases[i].entries[k][0],
						      cases[i].entries[k][1]), 0);
		rc = fix_desc_finish(&fix, "f", cases[i].folder);
		if (cases[i].message) {
			if (rc != -1)
				fail_msg("case %zu finished", i);
			assert_contains(error_last(), "bad fix descriptor 'f': ");
			assert_contains(error_last(), cases[i].message);
		} else {
			assert_int_equal(rc, 0);
		}
		fix_desc_release(&fix);
	}
}

/* The generic fix of tests/fixtures/fix: no rule, its patch, two functions. */
static void generic_fix(struct fix_desc *fix)
{
	static const char *const kv[][2] = {
		{ "fix.id", "sample-lock" },
		{ "fix.subject", "mm/sample: take the lock with interrupts off" },
		{ "fix.patch", "generic.patch" },
		{ "fix.kconfig", "SAMPLE" },
		{ "file.mm/sample.c.function", "walk_one" },
		{ "file.mm/sample.c.function", "walk_two" },
	};
	size_t len;
	char *text = tl_fixture("fix/generic.patch", &len);

	fix_desc_init(fix);
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		assert_int_equal(fix_desc_set(fix, "f", kv[i][0], kv[i][1]), 0);
	assert_int_equal(fix_desc_finish(fix, "f", NULL), 0);
	assert_null(fix->rule);
	fix->patch = calloc(1, sizeof(*fix->patch));
	if (patch_parse(fix->patch, "generic.patch", text, len, 1) < 0)
		fail_msg("%s", error_last());
	assert_int_equal(fix_desc_check_patch(fix, "f"), 0);
	free(text);
}

/* One fixture tree file and what the generic status says of it. */
struct generic_case {
	const char *fixture;		/* NULL: the file is not in the tree */
	enum variant_status status;
	const char *reason, *note1, *note2;
};

static void test_generic_status(void **state)
{
	static const struct generic_case cases[] = {
		{ "fix/needs.c", STATUS_NEEDS_FIX, "needs the fix: no hunk of 2 is in",
		  "hunk 1 of mm/sample.c: needs-fix (walk_one() at line 4)",
		  "hunk 2 of mm/sample.c: needs-fix (walk_two() at line 14)" },
		{ "fix/fixed.c", STATUS_ALREADY_FIXED, "already fixed: every hunk (2) is in",
		  "hunk 1 of mm/sample.c: already-fixed (walk_one() at line 4)",
		  "hunk 2 of mm/sample.c: already-fixed (walk_two() at line 14)" },
		{ "fix/half.c", STATUS_HALF_APPLIED,
		  "HALF-APPLIED FIX: hunks 1 are in, hunks 2 are not",
		  "hunk 1 of mm/sample.c: already-fixed", "hunk 2 of mm/sample.c: needs-fix" },
		/* the stub under #ifndef comes first; walk_two 300 lines further */
		{ "fix/moved.c", STATUS_NEEDS_FIX, "needs the fix",
		  "hunk 1 of mm/sample.c: needs-fix (walk_one() at line 10)",
		  "hunk 2 of mm/sample.c: needs-fix (walk_two() at line 321)" },
		{ "fix/none.c", STATUS_NOT_AFFECTED,
		  "not affected: the code the fix changes is not here (hunk 1 of mm/sample.c: "
		  "none of its functions is in the file)",
		  "hunk 1 of mm/sample.c: not-affected (no function of the fix)", NULL },
		{ NULL, STATUS_NOT_AFFECTED, "the file is not in the tree", NULL, NULL },
		{ "fix/conflict.c", STATUS_CONFLICT,
		  "hunk 2 of mm/sample.c cannot be placed: walk_two() at line 14 holds neither "
		  "the lines the fix removes nor those it adds",
		  "hunk 1 of mm/sample.c: needs-fix", "hunk 2 of mm/sample.c: conflict" },
	};
	struct fix_desc fix;

	(void)state;
	generic_fix(&fix);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct generic_case *c = &cases[i];
		size_t len = 0;
		char *text = c->fixture ? tl_fixture(c->fixture, &len) : NULL;
		struct fix_text file = { "mm/sample.c", text, len };
		struct variant v;

		variant_init(&v);
		fix_classify(&v, &fix, &file, NULL);
		if (v.status != c->status)
			fail_msg("%s: %s: %s", c->fixture ? c->fixture : "(no file)",
				 status_name(v.status), v.reason);
		assert_contains(v.reason, c->reason);
		assert_int_equal(v.nr_notes, 2);
		if (c->note1)
			assert_contains(v.notes[0], c->note1);
		if (c->note2)
			assert_contains(v.notes[1], c->note2);
		variant_release(&v);
		free(text);
	}
	fix_desc_release(&fix);
}

/*
 * A rule-less fix id of mm/sample.c's walk_one() with the fixture patch
 * patch_name (and macro, if not NULL, as its file-scope macro).
 */
static void walk_one_fix(struct fix_desc *fix, const char *id, const char *patch_name,
			 const char *text, size_t len, const char *macro)
{
	fix_desc_init(fix);
	assert_int_equal(fix_desc_set(fix, "f", "fix.id", id), 0);
	assert_int_equal(fix_desc_set(fix, "f", "fix.subject", "s"), 0);
	assert_int_equal(fix_desc_set(fix, "f", "fix.patch", patch_name), 0);
	assert_int_equal(fix_desc_set(fix, "f", "file.mm/sample.c.function", "walk_one"), 0);
	if (macro)
		assert_int_equal(fix_desc_set(fix, "f", "file.mm/sample.c.macro", macro), 0);
	assert_int_equal(fix_desc_finish(fix, "f", NULL), 0);
	fix->patch = calloc(1, sizeof(*fix->patch));
	if (patch_parse(fix->patch, patch_name, text, len, 1) < 0)
		fail_msg("%s", error_last());
}

/*
 * A hunk that changes only a file-scope #define of a macro the descriptor
 * lists is judged in the whole file; without the macro key, in the
 * functions (where it fits neither).
 */
static void test_generic_macro_hunk(void **state)
{
	static const struct generic_case cases[] = {
		{ "fix/macro-needs.c", STATUS_NEEDS_FIX, "needs the fix: no hunk of 2 is in",
		  "hunk 1 of mm/sample.c: needs-fix (#define SAMPLE_BATCH)",
		  "hunk 2 of mm/sample.c: needs-fix (walk_one() at line 5)" },
		/* the #define moved below another function */
		{ "fix/macro-fixed.c", STATUS_ALREADY_FIXED, "already fixed: every hunk (2) is in",
		  "hunk 1 of mm/sample.c: already-fixed (#define SAMPLE_BATCH)",
		  "hunk 2 of mm/sample.c: already-fixed (walk_one() at line 10)" },
		{ "fix/macro-conflict.c", STATUS_CONFLICT,
		  "hunk 1 of mm/sample.c cannot be placed: the file holds neither the lines the "
		  "fix removes nor those it adds (#define SAMPLE_BATCH)",
		  "hunk 1 of mm/sample.c: conflict (#define SAMPLE_BATCH)",
		  "hunk 2 of mm/sample.c: needs-fix" },
		{ NULL, STATUS_NOT_AFFECTED, "the file is not in the tree",
		  "hunk 1 of mm/sample.c: not-affected", NULL },
		/* the #define alone, no walk_one(): the macro hunk cannot tell */
		{ "fix/macro-none.c", STATUS_NOT_AFFECTED,
		  "not affected: the code the fix changes is not here (hunk 2 of mm/sample.c",
		  "hunk 1 of mm/sample.c: needs-fix (#define SAMPLE_BATCH)",
		  "hunk 2 of mm/sample.c: not-affected" },
	};
	size_t len;
	char *patch = tl_fixture("fix/macro.patch", &len);

	(void)state;
	for (int with_macro = 1; with_macro >= 0; with_macro--) {
		struct fix_desc fix;

		walk_one_fix(&fix, "sample-batch", "macro.patch", patch, len,
			     with_macro ? "SAMPLE_BATCH" : NULL);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct generic_case *c = &cases[i];
			size_t tlen = 0;
			char *text = c->fixture ? tl_fixture(c->fixture, &tlen) : NULL;
			struct fix_text file = { "mm/sample.c", text, tlen };
			struct variant v;

			variant_init(&v);
			fix_classify(&v, &fix, &file, NULL);
			if (!with_macro) {
				/* the #define is in no function: never placed there */
				if (text && c->status != STATUS_NOT_AFFECTED &&
				    (v.status != STATUS_CONFLICT ||
					     !strstr(v.notes[0], "conflict (walk_one()")))
					fail_msg("%s without the macro key: %s: %s", c->fixture,
						 status_name(v.status), v.notes[0]);
			} else {
				if (v.status != c->status)
					fail_msg("%s: %s: %s", c->fixture ? c->fixture : "(no file)",
						 status_name(v.status), v.reason);
				assert_contains(v.reason, c->reason);
				assert_int_equal(v.nr_notes, 2);
				assert_contains(v.notes[0], c->note1);
				if (c->note2)
					assert_contains(v.notes[1], c->note2);
			}
			variant_release(&v);
			free(text);
		}
		fix_desc_release(&fix);
	}
	free(patch);
}

/*
 * A hunk that moves a line holds its added line among its removed ones, so
 * both are in the tree before the fix and after it: the side whose whole
 * text (context included) is there decides; where neither is, a conflict.
 */
static void test_generic_moved_line(void **state)
{
	static const struct {
		const char *fixture;
		enum variant_status status;
		const char *note;
	} cases[] = {
		{ "fix/move-needs.c", STATUS_NEEDS_FIX, "hunk 1 of mm/sample.c: needs-fix" },
		{ "fix/move-fixed.c", STATUS_ALREADY_FIXED,
		  "hunk 1 of mm/sample.c: already-fixed" },
		{ "fix/move-both.c", STATUS_CONFLICT, "hunk 1 of mm/sample.c: conflict" },
	};
	size_t len;
	char *patch = tl_fixture("fix/move.patch", &len);
	struct fix_desc fix;

	(void)state;
	walk_one_fix(&fix, "sample-move", "move.patch", patch, len, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t tlen = 0;
		char *text = tl_fixture(cases[i].fixture, &tlen);
		struct fix_text file = { "mm/sample.c", text, tlen };
		struct variant v;

		variant_init(&v);
		fix_classify(&v, &fix, &file, NULL);
		if (v.status != cases[i].status)
			fail_msg("%s: %s: %s", cases[i].fixture, status_name(v.status), v.reason);
		assert_int_equal(v.nr_notes, 1);
		assert_contains(v.notes[0], cases[i].note);
		if (cases[i].status == STATUS_CONFLICT)
			assert_contains(v.reason, "holds both the lines the fix removes and those "
						  "it adds");
		variant_release(&v);
		free(text);
	}
	fix_desc_release(&fix);
	free(patch);
}

/* A rule-less fix needs its patch, and the patch only the files it names. */
static void test_generic_descriptor(void **state)
{
	struct fix_desc fix;

	(void)state;
	fix_desc_init(&fix);
	assert_int_equal(fix_desc_set(&fix, "f", "fix.id", "plain"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "fix.subject", "s"), 0);
	assert_int_equal(fix_desc_set(&fix, "f", "file.mm/a.c.function", "f"), 0);
	assert_int_equal(fix_desc_finish(&fix, "f", NULL), -1);
	assert_contains(error_last(), "missing key 'fix.patch'");
	fix_desc_release(&fix);

	generic_fix(&fix);
	free(fix.files[0].path);
	fix.files[0].path = strdup("mm/other.c");
	assert_int_equal(fix_desc_check_patch(&fix, "f"), -1);
	assert_contains(error_last(), "'generic.patch' touches 'mm/sample.c', which has no "
				      "[file] section");
	fix_desc_release(&fix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_descriptor),
		cmocka_unit_test(test_refused_entries),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_generic_status),
		cmocka_unit_test(test_generic_macro_hunk),
		cmocka_unit_test(test_generic_moved_line),
		cmocka_unit_test(test_generic_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
