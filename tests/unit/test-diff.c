#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/apply.h"
#include "core/diff.h"
#include "core/patch.h"
#include "core/xalloc.h"

/* Diffs old -> new, then checks the diff applies exactly, no offset, no fuzz. */
static void round_trip(const char *old, const char *new_text)
{
	struct strbuf d = STRBUF_INIT, out = STRBUF_INIT;
	struct patch p = PATCH_INIT;
	struct file_result res;
	size_t nr;

	nr = diff_files(&d, "dir/f.c", old, strlen(old), new_text,
			strlen(new_text), NULL);
	if (!strcmp(old, new_text)) {
		assert_int_equal(nr, 0);
		assert_int_equal(d.len, 0);
		goto out;
	}
	assert_true(nr > 0);
	assert_int_equal(patch_parse(&p, "gen", d.buf, d.len, 1), 0);
	assert_int_equal(p.files[0].nr_hunks, nr);
	assert_int_equal(apply_file_diff(&p.files[0], old, strlen(old), NULL,
					 &res, &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	for (size_t i = 0; i < res.nr_hunks; i++) {
		assert_int_equal(res.hunks[i].offset, 0);
		assert_int_equal(res.hunks[i].fuzz, 0);
	}
	assert_string_equal(out.buf, new_text);
	file_result_release(&res);
out:
	patch_release(&p);
	strbuf_release(&d);
	strbuf_release(&out);
}

static void test_exact_output(void **state)
{
	struct strbuf d = STRBUF_INIT;
	struct diff_opts opts = DIFF_OPTS_INIT;
	const char *old = "int f(void)\n{\n\ta();\n\tb();\n\tc();\n\td();\n\te();\n}\n";
	const char *new_text = "int f(void)\n{\n\ta();\n\tb();\n\tC();\n\td();\n\te();\n}\n";

	(void)state;
	opts.old_id = "1111111";
	opts.new_id = "2222222";
	opts.mode = "100644";
	assert_int_equal(diff_files(&d, "lib/f.c", old, strlen(old), new_text,
				    strlen(new_text), &opts), 1);
	assert_string_equal(d.buf,
		"diff --git a/lib/f.c b/lib/f.c\n"
		"index 1111111..2222222 100644\n"
		"--- a/lib/f.c\n"
		"+++ b/lib/f.c\n"
		"@@ -2,7 +2,7 @@ int f(void)\n"
		" {\n"
		" \ta();\n"
		" \tb();\n"
		"-\tc();\n"
		"+\tC();\n"
		" \td();\n"
		" \te();\n"
		" }\n");
	strbuf_release(&d);
}

static void test_fixture_matches_diff_u(void **state)
{
	struct strbuf d = STRBUF_INIT;
	size_t len;
	char *old = tl_fixture("patch/sample.c", &len);
	char *new_text = tl_fixture("patch/sample-fixed.c", &len);
	char *patch = tl_fixture("patch/fix.patch", &len);
	const char *body;

	(void)state;
	diff_files(&d, "lib/sample.c", old, strlen(old), new_text,
		   strlen(new_text), NULL);
	/* Same hunks as diff -u wrote (which has no function names). */
	assert_contains(d.buf, "@@ -10,7 +10,7 @@ static void tally_reset(void)\n \n"
			" static int tally_add(int n)\n");
	assert_contains(d.buf, "@@ -18,7 +18,8 @@ static int tally_add(int n)\n");
	body = strstr(patch, "\n \n static void tally_print");
	assert_non_null(body);
	round_trip(old, new_text);
	free(old);
	free(new_text);
	free(patch);
	strbuf_release(&d);
}

static void test_edges(void **state)
{
	(void)state;
	round_trip("", "");
	round_trip("a\n", "a\n");
	round_trip("", "a\nb\n");
	round_trip("a\nb\n", "");
	round_trip("a\nb", "a\nb\n");
	round_trip("a\nb\n", "a\nb");
	round_trip("a\nb", "a\nc");
	round_trip("x\n", "y");
	round_trip("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
		   "1\n2x\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15x\n16\n");
	round_trip("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nX\nd\ne\nf\ng\nY\nh\ni\n");
	round_trip("a\na\na\nb\nb\na\na\n", "a\nb\na\nb\na\nb\n");
	round_trip("\r\nx\r\n", "\r\ny\r\n");
}

static void test_random_round_trips(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int iter = 0; iter < 300; iter++) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		int n = (int)(seed % 40);

		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			strbuf_addf(&a, "l%u\n", (seed >> 16) % 6);
			seed = seed * 1103515245 + 12345;
			if ((seed >> 16) % 4)
				strbuf_addf(&b, "l%u\n", (seed >> 20) % 6);
		}
		if (seed & 1)
			strbuf_addstr(&b, "tail");
		round_trip(a.buf, b.buf);
		strbuf_release(&a);
		strbuf_release(&b);
		seed = seed * 1103515245 + 12345;
	}
}

static void test_large_file_small_change_is_fast(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, d = STRBUF_INIT;
	clock_t start;

	(void)state;
	for (int i = 0; i < 8000; i++) {
		strbuf_addf(&a, "\tline_%d = compute(%d);\n", i, i * 7);
		if (i == 4000)
			strbuf_addstr(&b, "\tinserted();\n");
		if (i != 6000)
			strbuf_addf(&b, "\tline_%d = compute(%d);\n", i, i * 7);
	}
	start = clock();
	for (int i = 0; i < 20; i++) {
		strbuf_reset(&d);
		assert_int_equal(diff_files(&d, "mm/x.c", a.buf, a.len, b.buf,
					    b.len, NULL), 2);
	}
	/* 20 diffs of an 8000-line file well under a second, even with ASan. */
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
	round_trip(a.buf, b.buf);
	/* Completely different: falls back to one replacement, still right. */
	strbuf_reset(&b);
	for (int i = 0; i < 3000; i++)
		strbuf_addf(&b, "other %d\n", i);
	round_trip(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_output),
		cmocka_unit_test(test_fixture_matches_diff_u),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random_round_trips),
		cmocka_unit_test(test_large_file_small_change_is_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
