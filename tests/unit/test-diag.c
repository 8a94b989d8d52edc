/* diag: kbuild output into diagnostics, and new warnings against a baseline. */
#include "testlib.h"

#include <stdio.h>

#include "core/diag.h"
#include "core/xalloc.h"

static const char *const roots[] = { "/cache/trees/6.1.y", "/cache/trees/6.12.y",
				     "/cache/build/b" };

static void parse(const char *name, struct diag_list *l)
{
	size_t len;
	char *rel = xstrfmt("diag/%s", name);
	char *text = tl_fixture(rel, &len);

	diag_parse(l, text, len, roots, ARRAY_SIZE(roots));
	free(text);
	free(rel);
}

static void test_error_relative_path(void **state)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct diag *e;
	char *s;

	(void)state;
	parse("x86-error.log", &l);
	/* the error, and three make errors; notes and "Waiting" are not diagnostics */
	assert_int_equal(l.nr, 4);
	e = diag_first_error(&l);
	assert_non_null(e);
	assert_int_equal(e->kind, DIAG_ERROR);
	assert_string_equal(e->file, "mm/vmscan.c");
	assert_int_equal(e->line, 3468);
	assert_int_equal(e->col, 9);
	assert_string_equal(e->message,
			    "'backport_mglru_undeclared' undeclared (first use in this function)");
	s = diag_format(e);
	assert_string_equal(s, "mm/vmscan.c:3468: 'backport_mglru_undeclared' undeclared "
			       "(first use in this function)");
	free(s);
	assert_int_equal(diag_count(&l, DIAG_MAKE_ERROR), 3);
	assert_int_equal(l.items[1].kind, DIAG_MAKE_ERROR);
	assert_null(l.items[1].file);
	assert_contains(l.items[1].message, "mm/vmscan.o] Error 1");
	assert_int_equal(diag_count(&l, DIAG_WARNING), 0);
	diag_list_release(&l);
}

static void test_werror_is_an_error(void **state)
{
	struct diag_list l = DIAG_LIST_INIT;
	const struct diag *e;

	(void)state;
	parse("werror.log", &l);
	e = diag_first_error(&l);
	assert_non_null(e);
	assert_int_equal(e->kind, DIAG_ERROR);
	assert_string_equal(e->file, "mm/vmscan.c");
	assert_int_equal(e->line, 2829);
	assert_contains(e->message, "[-Werror=unused-variable]");
	/* "In file included from" and "cc1: all warnings..." are not diagnostics */
	assert_int_equal(diag_count(&l, DIAG_ERROR), 1);
	assert_int_equal(l.nr, 2);
	diag_list_release(&l);
}

static void test_fatal_and_tool_errors(void **state)
{
	struct diag_list l = DIAG_LIST_INIT;

	(void)state;
	parse("fatal.log", &l);
	assert_int_equal(l.nr, 3);
	assert_int_equal(l.items[0].kind, DIAG_ERROR);
	assert_string_equal(l.items[0].file, "mm/vmscan.c");
	assert_int_equal(l.items[0].line, 20);
	assert_string_equal(l.items[0].message, "linux/nope.h: No such file or directory");
	assert_string_equal(l.items[1].file, "cc1");
	assert_int_equal(l.items[1].line, 0);
	assert_int_equal(l.items[2].kind, DIAG_MAKE_ERROR);
	assert_contains(l.items[2].message, "No rule to make target");
	diag_list_release(&l);
}

static void test_new_warnings(void **state)
{
	struct diag_list base = DIAG_LIST_INIT, now = DIAG_LIST_INIT, fresh = DIAG_LIST_INIT;

	(void)state;
	parse("baseline.log", &base);
	parse("patched.log", &now);
	assert_int_equal(diag_count(&base, DIAG_WARNING), 3);
	/* the duplicate compiler.h line is kept once; colour codes and CR dropped */
	assert_int_equal(diag_count(&now, DIAG_WARNING), 5);
	assert_string_equal(now.items[3].file, "mm/vmscan.i");
	assert_string_equal(now.items[4].file, "mm/internal.h");
	assert_int_equal(now.items[4].line, 41);
	assert_int_equal(now.items[4].col, 0);
	diag_new_warnings(&base, &now, &fresh);
	/* moved lines match on file + message; only 'x' and the .i one are new */
	assert_int_equal(fresh.nr, 2);
	assert_string_equal(fresh.items[0].file, "mm/vmscan.c");
	assert_int_equal(fresh.items[0].line, 3467);
	assert_string_equal(fresh.items[0].message,
			    "unused variable 'x' [-Wunused-variable]");
	assert_string_equal(fresh.items[1].message, "in the build dir [-Wfoo]");
	diag_list_release(&fresh);

	/* against itself: nothing new; against nothing: every warning */
	diag_new_warnings(&now, &now, &fresh);
	assert_int_equal(fresh.nr, 0);
	{
		struct diag_list none = DIAG_LIST_INIT;

		diag_new_warnings(&none, &now, &fresh);
		assert_int_equal(fresh.nr, 5);
	}
	diag_list_release(&fresh);
	diag_list_release(&base);
	diag_list_release(&now);
}

/* One baseline warning matches one patched warning, not two. */
static void test_new_warning_multiplicity(void **state)
{
	const char *base_text = "/cache/trees/6.1.y/mm/vmscan.c:10:1: warning: w [-Wx]\n";
	const char *now_text = "/cache/trees/6.1.y/mm/vmscan.c:10:1: warning: w [-Wx]\n"
			       "/cache/trees/6.1.y/mm/vmscan.c:90:1: warning: w [-Wx]\n";
	struct diag_list base = DIAG_LIST_INIT, now = DIAG_LIST_INIT, fresh = DIAG_LIST_INIT;

	(void)state;
	diag_parse(&base, base_text, strlen(base_text), roots, 1);
	diag_parse(&now, now_text, strlen(now_text), roots, 1);
	diag_new_warnings(&base, &now, &fresh);
	assert_int_equal(fresh.nr, 1);
	assert_int_equal(fresh.items[0].line, 90);
	diag_list_release(&base);
	diag_list_release(&now);
	diag_list_release(&fresh);
}

/*
 * gcc quotes with U+2018/U+2019 in a UTF-8 locale and with "'" in C: the
 * same warning from a baseline built under one and a patched build under
 * the other is not new.
 */
static void test_quotes_of_any_locale(void **state)
{
	const char *base_text = "/cache/trees/6.1.y/mm/vmscan.c:10:5: warning: unused "
				"variable \xe2\x80\x98x\xe2\x80\x99 [-Wunused-variable]\n";
	const char *now_text = "/cache/trees/6.1.y/mm/vmscan.c:12:5: warning: unused "
			       "variable 'x' [-Wunused-variable]\n";
	struct diag_list base = DIAG_LIST_INIT, now = DIAG_LIST_INIT, fresh = DIAG_LIST_INIT;

	(void)state;
	diag_parse(&base, base_text, strlen(base_text), roots, 1);
	diag_parse(&now, now_text, strlen(now_text), roots, 1);
	assert_string_equal(base.items[0].message, "unused variable 'x' [-Wunused-variable]");
	diag_new_warnings(&base, &now, &fresh);
	assert_int_equal(fresh.nr, 0);
	diag_list_release(&base);
	diag_list_release(&now);
	diag_list_release(&fresh);
}

static void test_dump_load_roundtrip(void **state)
{
	struct diag_list l = DIAG_LIST_INIT, back = DIAG_LIST_INIT;
	char *dump, *again;

	(void)state;
	parse("x86-error.log", &l);
	parse("patched.log", &l);
	dump = diag_dump(&l);
	assert_int_equal(diag_load(&back, dump, strlen(dump)), 0);
	assert_int_equal(back.nr, l.nr);
	again = diag_dump(&back);
	assert_string_equal(dump, again);
	assert_int_equal(diag_load(&back, "bogus\tline\n", 11), -1);
	free(dump);
	free(again);
	diag_list_release(&l);
	diag_list_release(&back);
}

static void test_no_diagnostics(void **state)
{
	const char *text = "  CC      mm/vmscan.o\nmake[1]: Leaving directory '/x'\n"
			   "warning: no colon prefix here\n";
	struct diag_list l = DIAG_LIST_INIT;

	(void)state;
	diag_parse(&l, text, strlen(text), roots, 1);
	assert_int_equal(l.nr, 0);
	assert_null(diag_first_error(&l));
	diag_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_relative_path),
		cmocka_unit_test(test_werror_is_an_error),
		cmocka_unit_test(test_fatal_and_tool_errors),
		cmocka_unit_test(test_new_warnings),
		cmocka_unit_test(test_new_warning_multiplicity),
		cmocka_unit_test(test_quotes_of_any_locale),
		cmocka_unit_test(test_dump_load_roundtrip),
		cmocka_unit_test(test_no_diagnostics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
