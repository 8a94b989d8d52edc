/*
 * Whether the patched code is what gets compiled: .config conditions and the
 * search of preprocessed text for the patched statements.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/compiled.h"
#include "core/strbuf.h"

static void test_config_has(void **state)
{
	static const char config[] =
		"CONFIG_LRU_GEN=y\n"
		"# CONFIG_LRU_GEN_STATS is not set\n"
		"CONFIG_MEMCG=m\n"
		"XCONFIG_NUMA=y\n"
		"CONFIG_LRU_GEN_WALKS_MMU=n\n";

	(void)state;
	assert_true(compiled_config_has(config, "CONFIG_LRU_GEN"));
	assert_true(compiled_config_has(config, "CONFIG_MEMCG"));
	/* a comment, a longer name, another prefix, =n: not set */
	assert_false(compiled_config_has(config, "CONFIG_LRU_GEN_STATS"));
	assert_false(compiled_config_has(config, "CONFIG_NUMA"));
	assert_false(compiled_config_has(config, "CONFIG_LRU_GEN_WALKS_MMU"));
	assert_false(compiled_config_has(config, "CONFIG_LRU"));
}

static void test_conditions(void **state)
{
	static const char config[] = "CONFIG_LRU_GEN=y\nCONFIG_MEMCG=y\n";
	static const char *const lru_gen[] = { "LRU_GEN" };
	static const char *const two[] = { "LRU_GEN", "NUMA" };
	char *r;

	(void)state;
	assert_null(compiled_unmet_condition(NULL, config));
	assert_null(compiled_unmet_condition("defined(CONFIG_MEMCG)", config));
	assert_null(compiled_unmet_condition("IS_ENABLED(CONFIG_LRU_GEN) && "
					     "!defined(CONFIG_NUMA)", config));
	r = compiled_unmet_condition("CONFIG_LRU_GEN_WALKS_MMU", config);
	assert_non_null(r);
	assert_string_equal(r, "CONFIG_LRU_GEN_WALKS_MMU is not set");
	free(r);
	r = compiled_unmet_condition("!(CONFIG_MEMCG)", config);
	assert_non_null(r);
	assert_string_equal(r, "CONFIG_MEMCG is set");
	free(r);
	/* a disjunction is left to the preprocessed-output check */
	assert_null(compiled_unmet_condition("defined(CONFIG_A) || defined(CONFIG_B)",
					     config));

	r = compiled_config_reason("CONFIG_MEMCG=y\n", lru_gen, 1, NULL);
	assert_non_null(r);
	assert_string_equal(r, "CONFIG_LRU_GEN is not set");
	free(r);
	assert_null(compiled_config_reason(config, lru_gen, 1, NULL));
	/* the symbols are the fix's: a second one is required too */
	r = compiled_config_reason(config, two, 2, NULL);
	assert_non_null(r);
	assert_string_equal(r, "CONFIG_NUMA is not set");
	free(r);
}

static void test_strip_comments(void **state)
{
	char *s;

	(void)state;
	s = compiled_strip_comments("mmgrab(mm); /* was mmget_not_zero */ ");
	assert_string_equal(s, "mmgrab(mm);");
	free(s);
	s = compiled_strip_comments("x = \"/* not a comment */\"; // tail");
	assert_string_equal(s, "x = \"/* not a comment */\";");
	free(s);
	s = compiled_strip_comments("a /* x */ b");
	assert_string_equal(s, "a   b");
	free(s);
}

static void test_find_in_preprocessed(void **state)
{
	static const char itext[] =
		"struct mm_struct *get_next_mm(struct lru_gen_mm_walk *walk);\n"
		"static void caller(void) { get_next_mm(0); }\n"
		"# 2829 \"mm/vmscan.c\"\n"
		"static struct mm_struct *get_next_mm(struct lru_gen_mm_walk *walk)\n"
		"{\n"
		" const char *s = \"}\";\n"
		" struct mm_struct *mm = walk->mm;\n"
		" mmgrab(mm) ;\n"
		" return mm;\n"
		"}\n"
		"static void other(void) { mmget_not_zero(0); }\n";
	struct strbuf body = STRBUF_INIT;
	char *r;

	(void)state;
	/* the prototype and the call are skipped; the brace in the string too */
	assert_true(compiled_find_definition(itext, strlen(itext), "get_next_mm", &body));
	assert_non_null(strstr(body.buf, "mmgrab(mm);"));
	assert_non_null(strstr(body.buf, "returnmm;}"));
	assert_null(strstr(body.buf, "other"));
	assert_false(compiled_find_definition(itext, strlen(itext), "next_mm", &body));
	strbuf_release(&body);

	assert_null(compiled_missing(itext, strlen(itext), "mm/vmscan.i", "get_next_mm",
				     "mmgrab(mm);"));
	r = compiled_missing(itext, strlen(itext), "mm/vmscan.i", "get_next_mm",
			     "mmget_not_zero(mm);");
	assert_non_null(r);
	assert_string_equal(r, "'mmget_not_zero(mm);' is not in get_next_mm() in mm/vmscan.i");
	free(r);
	r = compiled_missing(itext, strlen(itext), "mm/vmscan.i", "should_skip_mm",
			     "mmgrab(mm);");
	assert_non_null(r);
	assert_string_equal(r, "should_skip_mm() is not defined in mm/vmscan.i");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_has),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_strip_comments),
		cmocka_unit_test(test_find_in_preprocessed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
