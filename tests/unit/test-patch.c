#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/patch.h"
#include "core/xalloc.h"

static int parse_fixture(struct patch *p, const char *rel, int strip)
{
	size_t len;
	char *text = tl_fixture(rel, &len);
	int ret = patch_parse(p, rel, text, len, strip);

	free(text);
	return ret;
}

static void test_mbox_headers(void **state)
{
	struct patch p = PATCH_INIT;
	const struct file_diff *fd;

	(void)state;
	assert_int_equal(parse_fixture(&p, "patch/fix.patch", 1), 0);
	assert_string_equal(p.from, "Ada Example <ada@example.org>");
	assert_string_equal(p.date, "Tue, 2 Jan 2024 10:00:00 +0000");
	assert_string_equal(p.subject,
			    "lib/sample: bound tally_add and flush the tally");
	assert_string_equal(p.message,
			    "Reject absurd inputs and make the printed tally "
			    "visible at once.\n\nSigned-off-by: Ada Example "
			    "<ada@example.org>");
	assert_int_equal(p.nr_files, 1);
	fd = &p.files[0];
	assert_string_equal(fd->path, "lib/sample.c");
	assert_true(fd->git);
	assert_string_equal(fd->old_id, "1111111");
	assert_string_equal(fd->new_id, "2222222");
	assert_string_equal(fd->mode, "100644");
	assert_int_equal(fd->nr_hunks, 2);
	assert_int_equal(fd->hunks[0].old_start, 10);
	assert_int_equal(fd->hunks[0].old_count, 7);
	assert_int_equal(fd->hunks[1].new_count, 8);
	assert_int_equal(fd->hunks[1].nr_lines, 9);
	assert_int_equal(fd->hunks[0].prefix_context, 3);
	assert_int_equal(fd->hunks[0].suffix_context, 3);
	assert_int_equal(fd->hunks[1].lines[3].op, '-');
	assert_int_equal(fd->hunks[1].lines[3].len,
			 strlen("\tprintf(\"%s: %d\\n\", label, counter);"));
	/* The empty context line at the top has no text at all. */
	assert_int_equal(fd->hunks[0].lines[0].op, ' ');
	assert_int_equal(fd->hunks[0].lines[0].len, 0);
	patch_release(&p);
}

static void test_strip_levels(void **state)
{
	struct patch p = PATCH_INIT;

	(void)state;
	assert_int_equal(parse_fixture(&p, "patch/fix.patch", 0), -1);
	assert_contains(error_last(), "old and new names differ "
			"('a/lib/sample.c', 'b/lib/sample.c')");
	patch_release(&p);
	assert_int_equal(patch_parse(&p, "p0", "--- lib/x.c\n+++ lib/x.c\n"
				     "@@ -1 +1 @@\n-a\n+b\n", 42, 0), 0);
	assert_string_equal(p.files[0].path, "lib/x.c");
	patch_release(&p);
	assert_int_equal(parse_fixture(&p, "patch/fix.patch", 2), 0);
	assert_string_equal(p.files[0].path, "sample.c");
	patch_release(&p);
	assert_int_equal(parse_fixture(&p, "patch/fix.patch", 3), -1);
	assert_contains(error_last(), "cannot strip 3 components");
	patch_release(&p);
}

static void expect_refusal_p(const char *rel, int strip, const char *what)
{
	struct patch p = PATCH_INIT;

	error_clear();
	assert_int_equal(parse_fixture(&p, rel, strip), -1);
	assert_contains(error_last(), what);
	assert_contains(error_last(), rel);
	patch_release(&p);
}

static void expect_refusal(const char *rel, const char *what)
{
	expect_refusal_p(rel, 1, what);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_refusal("patch/binary.patch", "binary patches are not supported");
	expect_refusal("patch/binary-differ.patch",
		       "binary patches are not supported");
	expect_refusal("patch/rename.patch", "not supported");
	expect_refusal("patch/mode.patch", "mode changes are not supported");
	expect_refusal("patch/traversal.patch", "'..' component refused");
	/* -p1 makes /etc/passwd etc/passwd, as GNU patch does; -p0 not. */
	expect_refusal_p("patch/absolute.patch", 0, "absolute path refused");
	expect_refusal("patch/bad-header.patch", "line 3: malformed hunk header");
	expect_refusal("patch/short-body.patch", "ends early");
	expect_refusal("patch/long-body.patch",
		       "line 7: hunk at line 3 has more lines than its header");
}

static void expect_text_refusal(const char *text, const char *what)
{
	struct patch p = PATCH_INIT;

	error_clear();
	assert_int_equal(patch_parse(&p, "inline", text, strlen(text), 1), -1);
	assert_contains(error_last(), what);
	patch_release(&p);
}

static void test_more_refusals(void **state)
{
	(void)state;
	expect_text_refusal("just words\n", "no diff found");
	expect_text_refusal("--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n",
			    "creating files is not supported");
	expect_text_refusal("--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n",
			    "deleting files is not supported");
	expect_text_refusal("diff --git a/x b/x\nnew file mode 100644\n",
			    "creating files is not supported");
	expect_text_refusal("--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
			    "renames are not supported");
	expect_text_refusal("--- a/x\n+++ b/x\n@@ -1 +1 @@\n a\n",
			    "hunk changes nothing");
	expect_text_refusal("--- a/x\n+++ b/x\n@@ -0,2 +1 @@\n-a\n+b\n",
			    "malformed hunk header");
	expect_text_refusal("--- a/x\n+++ b/x\n@@ -1,99999999999999999999 +1 @@\n",
			    "malformed hunk header");
	expect_text_refusal("@@ -1 +1 @@\n-a\n+b\n", "hunk without a file header");
	expect_text_refusal("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n"
			    "\\ No newline at end of file\n b\n+c\n",
			    "not on the last line");
	expect_text_refusal("--- \"a/x y\"\n+++ \"b/x y\"\n@@ -1 +1 @@\n-a\n+b\n",
			    "quoted file names");
	expect_text_refusal("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n",
			    "more lines than its header says");
}

static void test_crlf_is_stripped(void **state)
{
	struct patch p = PATCH_INIT, plain = PATCH_INIT;
	const struct hunk *h, *ph;

	(void)state;
	assert_int_equal(parse_fixture(&p, "patch/crlf.patch", 1), 0);
	assert_int_equal(parse_fixture(&plain, "patch/fix.patch", 1), 0);
	assert_true(p.files[0].strip_cr);
	assert_false(plain.files[0].strip_cr);
	assert_string_equal(p.files[0].path, "lib/sample.c");
	assert_int_equal(p.files[0].nr_hunks, 2);
	for (size_t i = 0; i < 2; i++) {
		h = &p.files[0].hunks[i];
		ph = &plain.files[0].hunks[i];
		assert_int_equal(h->nr_lines, ph->nr_lines);
		for (size_t j = 0; j < h->nr_lines; j++) {
			assert_int_equal(h->lines[j].len, ph->lines[j].len);
			assert_memory_equal(h->lines[j].text, ph->lines[j].text,
					    h->lines[j].len);
		}
	}
	patch_release(&p);
	patch_release(&plain);
}

static void test_no_newline_marker(void **state)
{
	struct patch p = PATCH_INIT;
	const struct hunk *h;

	(void)state;
	assert_int_equal(parse_fixture(&p, "patch/nonl.patch", 1), 0);
	h = &p.files[0].hunks[0];
	assert_int_equal(h->nr_lines, 5);
	assert_int_equal(h->lines[2].op, '-');
	assert_false(h->lines[2].newline);
	assert_true(h->lines[3].newline);
	assert_true(h->lines[4].newline);
	patch_release(&p);
}

static void test_plain_quilt_patch(void **state)
{
	const char *text =
		"Fix the thing.\n"
		"\n"
		"Index: linux/mm/x.c\n"
		"===================================================\n"
		"--- linux.orig/mm/x.c\t2024-01-01 00:00:00.000000000 +0000\n"
		"+++ linux/mm/x.c\t2024-01-02 00:00:00.000000000 +0000\n"
		"@@ -1,2 +1,2 @@ int f(void)\n"
		" a\n"
		"-b\n"
		"+c\n"
		"--- linux.orig/mm/y.c\n"
		"+++ linux/mm/y.c\n"
		"@@ -3 +3 @@\n"
		"-d\n"
		"+e\n";
	struct patch p = PATCH_INIT;

	(void)state;
	assert_int_equal(patch_parse(&p, "quilt.patch", text, strlen(text), 1), 0);
	assert_null(p.subject);
	assert_string_equal(p.message, "Fix the thing.");
	assert_int_equal(p.nr_files, 2);
	assert_string_equal(p.files[0].path, "mm/x.c");
	assert_string_equal(p.files[1].path, "mm/y.c");
	assert_false(p.files[0].git);
	assert_int_equal(p.files[0].hunks[0].section_len, strlen("int f(void)"));
	assert_memory_equal(p.files[0].hunks[0].section, "int f(void)", 11);
	assert_int_equal(p.files[1].hunks[0].old_count, 1);
	assert_int_equal(p.files[1].hunks[0].prefix_context, 0);
	patch_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbox_headers),
		cmocka_unit_test(test_strip_levels),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_more_refusals),
		cmocka_unit_test(test_crlf_is_stripped),
		cmocka_unit_test(test_no_newline_marker),
		cmocka_unit_test(test_plain_quilt_patch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
