/* core/semantic: the header patch a .cocci names, and "nothing else changed". */
#include "testlib.h"

#include "core/semantic.h"
#include "core/xalloc.h"

static void test_headers_name(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_true(semantic_headers_name("// x\n// backport-mglru-headers:  a-b.patch \n@r@\n",
					  &sb));
	assert_string_equal(sb.buf, "a-b.patch");
	strbuf_reset(&sb);
	assert_false(semantic_headers_name("// no key here\n", &sb));
	assert_false(semantic_headers_name("// backport-mglru-headers: ../x.patch\n", &sb));
	assert_false(semantic_headers_name("// backport-mglru-headers:\n", &sb));
	strbuf_release(&sb);
}

static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	struct strbuf sb = STRBUF_INIT;

	assert_non_null(at);
	strbuf_add(&sb, text, (size_t)(at - text));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	return strbuf_detach(&sb, NULL);
}

static void check(const char *before, const char *after, bool want, const char *why_part)
{
	struct variant vb, va;
	char *why = NULL;

	variant_init(&vb);
	variant_init(&va);
	variant_classify(&vb, before, strlen(before), NULL, 0);
	variant_classify(&va, after, strlen(after), NULL, 0);
	assert_int_equal(semantic_only_sites_changed(before, strlen(before), &vb, after,
						     strlen(after), &va, &why), want);
	if (why_part) {
		assert_non_null(why);
		assert_contains(why, why_part);
	}
	free(why);
	variant_release(&vb);
	variant_release(&va);
}

static void test_only_sites_changed(void **state)
{
	char *before = tl_fixture("locate/6.1.c", NULL);
	char *pinned = replaced(before, "\treturn !mmget_not_zero(mm);",
				"\tmmgrab(mm);\n\treturn false;");
	char *fixed = replaced(pinned, "mmput_async(*iter)", "mmdrop(*iter)");
	char *grown, *outside, *comment;

	(void)state;
	check(before, fixed, true, NULL);
	/* lines added inside the pin's function are the function's own */
	grown = replaced(fixed, "\tmmgrab(mm);", "\ttrace_vendor(mm);\n\tmmgrab(mm);");
	check(before, grown, true, NULL);
	/* one line outside both functions: refused */
	outside = replaced(fixed, "#include <linux/mm.h>", "#include <linux/mm.h>\n#define X 1");
	check(before, outside, false, "lines outside should_skip_mm() and iterate_mm_list()");
	/* so is a comment outside them (the fixture's fixed twin differs so) */
	comment = tl_fixture("locate/6.1-fixed.c", NULL);
	check(before, comment, false, "lines outside");
	free(before);
	free(pinned);
	free(fixed);
	free(grown);
	free(outside);
	free(comment);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_name),
		cmocka_unit_test(test_only_sites_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
