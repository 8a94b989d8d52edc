#include "testlib.h"

#include "core/error.h"
#include "core/kversion.h"

static void test_makefile(void **state)
{
	static const char mk[] =
		"# SPDX-License-Identifier: GPL-2.0\n"
		"VERSION = 6\n"
		"PATCHLEVEL = 12\n"
		"SUBLEVEL = 117\n"
		"EXTRAVERSION =\n"
		"NAME = Baby Opossum Posse\n"
		"SUBLEVELX = 3\n";
	struct kversion kv;
	char buf[64];

	(void)state;
	assert_int_equal(kversion_parse_makefile(&kv, mk, sizeof(mk) - 1), 0);
	kversion_format(&kv, buf, sizeof(buf));
	assert_string_equal(buf, "6.12.117");
	kversion_format_line(&kv, buf, sizeof(buf));
	assert_string_equal(buf, "6.12.y");
}

static void test_makefile_rc_and_no_sublevel(void **state)
{
	static const char mk[] = "VERSION=6\nPATCHLEVEL=18\nSUBLEVEL=0\nEXTRAVERSION = -rc3\n";
	struct kversion kv;
	char buf[64];

	(void)state;
	assert_int_equal(kversion_parse_makefile(&kv, mk, sizeof(mk) - 1), 0);
	kversion_format(&kv, buf, sizeof(buf));
	assert_string_equal(buf, "6.18.0-rc3");
}

static void test_makefile_missing(void **state)
{
	static const char mk[] = "all:\n\techo VERSION = 6\n";

	struct kversion kv;

	(void)state;
	assert_int_equal(kversion_parse_makefile(&kv, mk, sizeof(mk) - 1), -1);
	assert_string_equal(error_last(), "no VERSION in the top-level Makefile");
	error_clear();
}

static void test_line_names(void **state)
{
	int v = 0, p = 0;

	(void)state;
	assert_true(kversion_parse_line("6.6.y", &v, &p));
	assert_int_equal(v, 6);
	assert_int_equal(p, 6);
	assert_true(kversion_parse_line("linux-5.15.y", &v, &p));
	assert_int_equal(v, 5);
	assert_int_equal(p, 15);
	assert_false(kversion_parse_line("6.6", &v, &p));
	assert_false(kversion_parse_line("v6.6.87", &v, &p));
	assert_false(kversion_parse_line("6.6.y2", &v, &p));
	assert_false(kversion_parse_line("linux-6.y", &v, &p));
	assert_false(kversion_parse_line("stable/linux-6.6.y", &v, &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_makefile),
		cmocka_unit_test(test_makefile_rc_and_no_sublevel),
		cmocka_unit_test(test_makefile_missing),
		cmocka_unit_test(test_line_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
