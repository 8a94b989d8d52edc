/*
 * core/import.c: which function a hunk lives in (a definition line in the
 * hunk before its first change wins over git's @@ text, which names the
 * function before a hunk that starts above a definition), the derived id,
 * the descriptor text.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/import.h"
#include "core/patch.h"

static const char two_hunks[] =
	"From: A <a@example.com>\n"
	"Subject: [PATCH v2 1/3] mm/vmscan: a subject long enough to be cut somewhere "
	"after forty-eight\n"
	"\n"
	"---\n"
	"--- a/mm/x.c\n"
	"+++ b/mm/x.c\n"
	"@@ -1,5 +1,5 @@ static int before(void)\n"
	" }\n"
	" \n"
	" static int after(struct x *x)\n"
	" {\n"
	"-\treturn 0;\n"
	"+\treturn 1;\n"
	"@@ -20,2 +20,2 @@ static bool named(struct y *y)\n"
	" \tint z;\n"
	"-\tz = 0;\n"
	"+\tz = 1;\n"
	"@@ -30,2 +30,2 @@ struct table {\n"
	" \tint a;\n"
	"-\tint b;\n"
	"+\tlong b;\n";

static void test_hunk_function(void **state)
{
	struct patch p = PATCH_INIT;
	char *f;

	(void)state;
	assert_int_equal(patch_parse(&p, "t", two_hunks, strlen(two_hunks), 1), 0);
	assert_int_equal(p.files[0].nr_hunks, 3);
	f = import_hunk_function(&p.files[0].hunks[0]);
	assert_string_equal(f, "after");	/* not the @@ text's before() */
	free(f);
	f = import_hunk_function(&p.files[0].hunks[1]);
	assert_string_equal(f, "named");
	free(f);
	assert_null(import_hunk_function(&p.files[0].hunks[2]));
	patch_release(&p);
}

static void test_plan(void **state)
{
	struct patch p = PATCH_INIT;
	struct import_plan ip;
	static const char *const syms[] = { "LRU_GEN", "NUMA" };
	const struct import_opts none = { NULL, NULL, 0 }, bad_id = { "a/b", NULL, 0 };
	const struct import_opts with_kconfig = { "k", syms, 2 };
	/* the same patch without its struct hunk: every hunk has a function */
	size_t len = (size_t)(strstr(two_hunks, "@@ -30") - two_hunks);

	(void)state;
	assert_int_equal(patch_parse(&p, "t", two_hunks, len, 1), 0);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, len, "t", &none), 0);
	/* cut after the last whole word within 48 characters */
	assert_string_equal(ip.id, "mm-vmscan-a-subject-long-enough-to-be-cut");
	assert_null(ip.upstream);
	assert_contains(ip.conf, "[file \"mm/x.c\"]\n\tfunction = after\n\tfunction = named\n");
	assert_contains(ip.conf, "\tpatch = mm-vmscan-a-subject-long-enough-to-be-cut.patch\n");
	assert_contains(ip.conf, "# kconfig = LRU_GEN\n");	/* a hint, commented out */
	import_plan_release(&ip);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, len, "t", &with_kconfig), 0);
	assert_contains(ip.conf, "\tid = \"k\"\n");
	assert_contains(ip.conf, "\tkconfig = LRU_GEN\n\tkconfig = NUMA\n");
	import_plan_release(&ip);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, len, "t", &bad_id), -1);
	assert_contains(error_last(), "'a/b' is not a fix id");
	patch_release(&p);

	assert_int_equal(patch_parse(&p, "t", two_hunks, strlen(two_hunks), 1), 0);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, strlen(two_hunks), "t", &none), -1);
	assert_contains(error_last(), "cannot tell which function hunk 3 of 'mm/x.c'");
	patch_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hunk_function),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
