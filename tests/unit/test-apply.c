#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apply.h"
#include "core/error.h"
#include "core/patch.h"
#include "core/xalloc.h"

/* Parses patch_text and applies its single file diff to content. */
static int apply_text(const char *patch_text, size_t patch_len,
		      const char *content, const struct apply_opts *opts,
		      struct file_result *res, struct strbuf *out)
{
	struct patch p = PATCH_INIT;
	int ret;

	assert_int_equal(patch_parse(&p, "test.patch", patch_text, patch_len,
				     1), 0);
	assert_int_equal(p.nr_files, 1);
	ret = apply_file_diff(&p.files[0], content, strlen(content), opts, res,
			      out);
	patch_release(&p);
	return ret;
}

static char *fixture(const char *rel)
{
	size_t len;

	return tl_fixture(rel, &len);
}

/* s with the first occurrence of from replaced by to; caller frees. */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct strbuf sb = STRBUF_INIT;

	assert_non_null(at);
	strbuf_add(&sb, s, at - s);
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	return strbuf_detach(&sb, NULL);
}

static void describe(const struct hunk_result *r, const char *expect)
{
	struct strbuf sb = STRBUF_INIT;

	hunk_result_describe(r, &sb);
	assert_string_equal(sb.buf, expect);
	strbuf_release(&sb);
}

struct sample {
	char *patch, *orig, *fixed;
	size_t patch_len;
};

static void sample_load(struct sample *s)
{
	s->patch = tl_fixture("patch/fix.patch", &s->patch_len);
	s->orig = fixture("patch/sample.c");
	s->fixed = fixture("patch/sample-fixed.c");
}

static void sample_free(struct sample *s)
{
	free(s->patch);
	free(s->orig);
	free(s->fixed);
}

static void test_exact(void **state)
{
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sample_load(&s);
	assert_int_equal(apply_text(s.patch, s.patch_len, s.orig, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, s.fixed);
	assert_int_equal(res.nr_hunks, 2);
	describe(&res.hunks[0], "applied at line 10");
	describe(&res.hunks[1], "applied at line 18");
	file_result_release(&res);
	strbuf_release(&out);
	sample_free(&s);
}

static void test_offset(void **state)
{
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;
	char *target, *expect;

	(void)state;
	sample_load(&s);
	target = replace(s.orig, "#include <stdio.h>\n",
			 "#include <stdio.h>\n#include <stdlib.h>\n\n/* x */\n");
	expect = replace(s.fixed, "#include <stdio.h>\n",
			 "#include <stdio.h>\n#include <stdlib.h>\n\n/* x */\n");
	assert_int_equal(apply_text(s.patch, s.patch_len, target, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, expect);
	describe(&res.hunks[0], "applied at line 13 (offset 3)");
	describe(&res.hunks[1], "applied at line 21 (offset 3)");
	file_result_release(&res);
	strbuf_release(&out);
	free(target);
	free(expect);
	sample_free(&s);
}

static void test_fuzz_one_and_two(void **state)
{
	struct apply_opts opts = APPLY_OPTS_INIT;
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;
	char *t1, *t2, *e1, *e2;

	(void)state;
	sample_load(&s);
	/* The last context line of hunk 1 drifted: fuzz 1 needed. */
	t1 = replace(s.orig, "\treturn counter;\n", "\treturn counter; /* sum */\n");
	e1 = replace(s.fixed, "\treturn counter;\n", "\treturn counter; /* sum */\n");
	/* Two trailing context lines drifted: fuzz 2 needed. */
	t2 = replace(t1, "\tcounter += n;\n", "\tcounter = counter + n;\n");
	e2 = replace(e1, "\tcounter += n;\n", "\tcounter = counter + n;\n");

	/* Default fuzz 0: refused whole, naming the line. */
	assert_int_equal(apply_text(s.patch, s.patch_len, t1, NULL, &res, &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(out.len, 0);
	assert_int_equal(res.hunks[0].status, HUNK_FAILED);
	assert_contains(res.hunks[0].reason, "context line 7 of the hunk "
			"'\treturn counter;' does not match line 16");
	assert_int_equal(res.hunks[1].status, HUNK_APPLIED);
	file_result_release(&res);

	opts.fuzz = 1;
	assert_int_equal(apply_text(s.patch, s.patch_len, t1, &opts, &res, &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, e1);
	describe(&res.hunks[0], "applied at line 10 (fuzz 1)");
	file_result_release(&res);
	strbuf_reset(&out);

	assert_int_equal(apply_text(s.patch, s.patch_len, t2, &opts, &res, &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	file_result_release(&res);

	opts.fuzz = 2;
	assert_int_equal(apply_text(s.patch, s.patch_len, t2, &opts, &res, &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, e2);
	describe(&res.hunks[0], "applied at line 10 (fuzz 2)");
	file_result_release(&res);

	strbuf_release(&out);
	free(t1);
	free(t2);
	free(e1);
	free(e2);
	sample_free(&s);
}

static void test_brace_only_context_refused_under_fuzz(void **state)
{
	const char *patch =
		"--- a/b.c\n+++ b/b.c\n"
		"@@ -1,7 +1,7 @@\n"
		" begin_marker\n {\n }\n-\told();\n+\tnew();\n }\n \n end_marker\n";
	const char *target = "BEGIN\n{\n}\n\told();\n}\n\nEND\n";
	struct apply_opts opts = APPLY_OPTS_INIT;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	opts.fuzz = 2;
	assert_int_equal(apply_text(patch, strlen(patch), target, &opts, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(out.len, 0);
	assert_contains(res.hunks[0].reason, "fuzz 1 refused: the context left "
			"would be only blank or brace lines");
	file_result_release(&res);
	strbuf_release(&out);
}

static void test_already_applied(void **state)
{
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	sample_load(&s);
	assert_int_equal(apply_text(s.patch, s.patch_len, s.fixed, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_ALREADY_APPLIED);
	assert_int_equal(out.len, 0);
	describe(&res.hunks[0], "already applied at line 10");
	describe(&res.hunks[1], "already applied at line 18");
	file_result_release(&res);
	strbuf_release(&out);
	sample_free(&s);
}

static void test_half_applied_refused_whole(void **state)
{
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;
	char *half, *broken;

	(void)state;
	sample_load(&s);
	/* Hunk 1 already there, hunk 2 not: a half-fixed tree. */
	half = replace(s.orig, "\tif (n < 0)\n", "\tif (n < 0 || n > 1000)\n");
	assert_int_equal(apply_text(s.patch, s.patch_len, half, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(out.len, 0);
	assert_int_equal(res.hunks[0].status, HUNK_ALREADY_APPLIED);
	assert_int_equal(res.hunks[1].status, HUNK_APPLIED);
	file_result_release(&res);

	/* Hunk 1 applies, hunk 2's removed line is gone: nothing changes. */
	broken = replace(s.orig, "\tprintf(\"%s: %d\\n\", label, counter);\n",
			 "\tputs(label);\n");
	assert_int_equal(apply_text(s.patch, s.patch_len, broken, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(out.len, 0);
	assert_int_equal(res.hunks[0].status, HUNK_APPLIED);
	assert_int_equal(res.hunks[1].status, HUNK_FAILED);
	assert_contains(res.hunks[1].reason, "removed line 4 of the hunk");
	assert_contains(res.hunks[1].reason, "does not match line 21 of "
			"'lib/sample.c', '\tputs(label);'");
	file_result_release(&res);
	strbuf_release(&out);
	free(half);
	free(broken);
	sample_free(&s);
}

/*
 * A stand-in for the C locator: the hunk's function is named by its first
 * line starting "static "; its span runs from that line (its n-th
 * occurrence) to the next line that is "}".
 */
struct span_ctx {
	size_t occurrence;	/* 0-based */
	size_t calls;
	char name[64];
};

static int find_func(void *vctx, const char *path, const char *content,
		     size_t len, const struct hunk *h, struct span *sp)
{
	struct span_ctx *ctx = vctx;
	const struct patch_line *decl = NULL;
	const char *p = content, *end = content + len;
	size_t line = 0, seen = 0;

	(void)path;
	ctx->calls++;
	for (size_t i = 0; i < h->nr_lines && !decl; i++)
		if (h->lines[i].len > 7 && !memcmp(h->lines[i].text, "static ", 7))
			decl = &h->lines[i];
	if (!decl)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (!sp->first_line && n == decl->len &&
		    !memcmp(p, decl->text, n) && seen++ == ctx->occurrence)
			sp->first_line = line;
		else if (sp->first_line && n == 1 && *p == '}') {
			const char *paren = memchr(decl->text, '(', decl->len);
			const char *name = paren;

			while (name > decl->text && name[-1] != ' ')
				name--;
			snprintf(ctx->name, sizeof(ctx->name), "%.*s",
				 (int)(paren - name), name);
			sp->last_line = line;
			sp->name = ctx->name;
			return 1;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static void test_relocated_function_moved_500_lines(void **state)
{
	struct apply_opts opts = APPLY_OPTS_INIT;
	struct span_ctx ctx = { 0 };
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT, filler = STRBUF_INIT;
	const char *print_fn =
		"\nstatic void tally_print(const char *label)\n{\n"
		"\tprintf(\"%s: %d\\n\", label, counter);\n}\n";
	const char *print_fixed =
		"\nstatic void tally_print(const char *label)\n{\n"
		"\tprintf(\"%s = %d\\n\", label, counter);\n\tfflush(stdout);\n}\n";
	char *target, *expect;

	(void)state;
	sample_load(&s);
	for (int i = 0; i < 500; i++)
		strbuf_addf(&filler, "int filler_%d;\n", i);
	/*
	 * tally_print and main move 500 lines above tally_reset and
	 * tally_add: A C filler B from A B C.
	 */
	{
		const char *b0 = strstr(s.orig, "\nstatic void tally_reset");
		const char *c0 = strstr(s.orig, print_fn);
		const char *fb0 = strstr(s.fixed, "\nstatic void tally_reset");
		const char *fc0 = strstr(s.fixed, print_fixed);

		assert_non_null(b0);
		assert_non_null(c0);
		assert_non_null(fc0);
		target = xstrfmt("%.*s%s\n%s%.*s", (int)(b0 - s.orig), s.orig,
				 c0, filler.buf, (int)(c0 - b0), b0);
		expect = xstrfmt("%.*s%s\n%s%.*s", (int)(fb0 - s.fixed),
				 s.fixed, fc0, filler.buf, (int)(fc0 - fb0), fb0);
	}

	/* GNU patch's search cannot go back before hunk 1: it fails. */
	assert_int_equal(apply_text(s.patch, s.patch_len, target, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(res.hunks[0].status, HUNK_APPLIED);
	assert_int_equal(res.hunks[0].offset, 515);
	assert_int_equal(res.hunks[1].status, HUNK_FAILED);
	file_result_release(&res);

	opts.find_span = find_func;
	opts.span_ctx = &ctx;
	assert_int_equal(apply_text(s.patch, s.patch_len, target, &opts, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, expect);
	assert_int_equal(res.hunks[0].status, HUNK_APPLIED);
	describe(&res.hunks[1], "relocated into tally_print at line 5 (offset -13)");
	assert_true(ctx.calls >= 2);
	file_result_release(&res);
	strbuf_release(&out);
	strbuf_release(&filler);
	free(target);
	free(expect);
	sample_free(&s);
}

static void test_ifdef_else_only_designated_definition(void **state)
{
	/* The "@@" name misleads on purpose: placement ignores it. */
	const char *patch =
		"--- a/lib/t.c\n+++ b/lib/t.c\n"
		"@@ -3,5 +3,5 @@ int main(void)\n"
		" static int tally_add(int n)\n {\n"
		"-\tif (n < 0)\n+\tif (n < 0 || n > 1000)\n"
		" \t\treturn -1;\n \tcounter += n;\n";
	const char *def =
		"static int tally_add(int n)\n{\n\tif (n < 0)\n"
		"\t\treturn -1;\n\tcounter += n;\n\treturn counter;\n}\n";
	char *target = xstrfmt("static int counter;\n#ifdef CONFIG_FAST\n%s"
			       "#else\n%s#endif\n", def, def);
	char *fixed_def = replace(def, "\tif (n < 0)\n",
				  "\tif (n < 0 || n > 1000)\n");
	char *expect_second = xstrfmt("static int counter;\n#ifdef CONFIG_FAST\n"
				      "%s#else\n%s#endif\n", def, fixed_def);
	char *expect_first = xstrfmt("static int counter;\n#ifdef CONFIG_FAST\n"
				     "%s#else\n%s#endif\n", fixed_def, def);
	struct apply_opts opts = APPLY_OPTS_INIT;
	struct span_ctx ctx = { 0 };
	struct file_result res;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	/* Without a locator: the nearest copy, as GNU patch does. */
	assert_int_equal(apply_text(patch, strlen(patch), target, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, expect_first);
	file_result_release(&res);
	strbuf_reset(&out);

	/* The locator designates the #else definition. */
	ctx.occurrence = 1;
	opts.find_span = find_func;
	opts.span_ctx = &ctx;
	assert_int_equal(apply_text(patch, strlen(patch), target, &opts, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, expect_second);
	assert_int_equal(res.hunks[0].status, HUNK_RELOCATED);
	assert_string_equal(res.hunks[0].function, "tally_add");
	assert_int_equal(res.hunks[0].line, 11);
	file_result_release(&res);
	strbuf_reset(&out);

	/* The first: placed where GNU patch would, not relocated. */
	ctx.occurrence = 0;
	assert_int_equal(apply_text(patch, strlen(patch), target, &opts, &res,
				    &out), 0);
	assert_string_equal(out.buf, expect_first);
	assert_int_equal(res.hunks[0].status, HUNK_APPLIED);
	file_result_release(&res);

	strbuf_release(&out);
	free(target);
	free(fixed_def);
	free(expect_first);
	free(expect_second);
}

static char *to_crlf(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		if (*s == '\n')
			strbuf_addch(&sb, '\r');
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

static void test_crlf(void **state)
{
	struct sample s;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;
	size_t len;
	char *crlf_patch = tl_fixture("patch/crlf.patch", &len);
	char *crlf_orig, *crlf_fixed;
	const char *lf_headers =
		"--- a/w.txt\n+++ b/w.txt\n"
		"@@ -1,3 +1,3 @@\n one\r\n-two\r\n+TWO\r\n three\r\n";

	(void)state;
	sample_load(&s);
	/* A mail-mangled CRLF patch applies to an LF file, as in GNU patch. */
	assert_int_equal(apply_text(crlf_patch, len, s.orig, NULL, &res, &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, s.fixed);
	file_result_release(&res);
	strbuf_reset(&out);

	/* ... and, like GNU patch without --binary, not to a CRLF file. */
	crlf_orig = to_crlf(s.orig);
	assert_int_equal(apply_text(crlf_patch, len, crlf_orig, NULL, &res,
				    &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	file_result_release(&res);

	/* A diff of a CRLF file (LF headers, CRLF lines) keeps the CRs. */
	assert_int_equal(apply_text(lf_headers, strlen(lf_headers),
				    "one\r\ntwo\r\nthree\r\n", NULL, &res, &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, "one\r\nTWO\r\nthree\r\n");
	file_result_release(&res);

	crlf_fixed = to_crlf(s.fixed);
	free(crlf_fixed);
	free(crlf_orig);
	free(crlf_patch);
	strbuf_release(&out);
	sample_free(&s);
}

static void test_no_final_newline(void **state)
{
	struct file_result res;
	struct strbuf out = STRBUF_INIT;
	size_t len;
	char *patch = tl_fixture("patch/nonl.patch", &len);
	char *orig = fixture("patch/nonl.txt");
	char *fixed = fixture("patch/nonl-fixed.txt");
	const char *needs_nl =
		"--- a/n.txt\n+++ b/n.txt\n@@ -2,2 +2,3 @@\n second\n last\n+more\n";

	(void)state;
	assert_int_equal(apply_text(patch, len, orig, NULL, &res, &out), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(out.buf, fixed);
	file_result_release(&res);
	strbuf_reset(&out);

	/* Reverse direction: already applied. */
	assert_int_equal(apply_text(patch, len, fixed, NULL, &res, &out), 0);
	assert_int_equal(res.status, APPLY_ALREADY_APPLIED);
	file_result_release(&res);

	/* A patch made against "last\n" does not match "last" at fuzz 0. */
	assert_int_equal(apply_text(needs_nl, strlen(needs_nl), orig, NULL,
				    &res, &out), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_contains(res.hunks[0].reason, "differs in its final newline");
	file_result_release(&res);

	strbuf_release(&out);
	free(patch);
	free(orig);
	free(fixed);
}

/* --- series --- */

struct table {
	const char *paths[4];
	const char *contents[4];
	size_t fetches;
};

static int fetch_table(void *vctx, const char *path, char **content,
		       size_t *len)
{
	struct table *t = vctx;

	t->fetches++;
	for (size_t i = 0; i < ARRAY_SIZE(t->paths) && t->paths[i]; i++)
		if (!strcmp(t->paths[i], path)) {
			*content = xstrdup(t->contents[i]);
			*len = strlen(t->contents[i]);
			return 0;
		}
	return error("cannot read '%s' at 'test': path not in tree", path);
}

static void parse_inline(struct patch *p, const char *name, const char *text)
{
	assert_int_equal(patch_parse(p, name, text, strlen(text), 1), 0);
}

static void test_series_in_order_all_or_nothing(void **state)
{
	struct patch p1 = PATCH_INIT, p2 = PATCH_INIT, bad = PATCH_INIT;
	const struct patch *list[3];
	struct table t = { { "a.txt", "b.txt" },
			   { "1\n2\n3\n", "x\ny\nz\n" }, 0 };
	struct apply_result res = APPLY_RESULT_INIT;

	(void)state;
	parse_inline(&p1, "1.patch",
		     "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n"
		     "--- a/b.txt\n+++ b/b.txt\n@@ -1,2 +1,2 @@\n-x\n+ex\n y\n");
	/* Needs 1.patch's result. */
	parse_inline(&p2, "2.patch",
		     "--- a/a.txt\n+++ b/a.txt\n@@ -2,2 +2,2 @@\n two\n-3\n+three\n");
	parse_inline(&bad, "bad.patch",
		     "--- a/b.txt\n+++ b/b.txt\n@@ -3 +3 @@\n-nope\n+zed\n");

	list[0] = &p1;
	list[1] = &p2;
	assert_int_equal(apply_patches(list, 2, fetch_table, &t, NULL, &res), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_int_equal(res.nr_files, 2);
	assert_string_equal(res.files[0].path, "a.txt");
	assert_string_equal(res.files[0].content, "1\ntwo\nthree\n");
	assert_string_equal(res.files[1].content, "ex\ny\nz\n");
	assert_true(res.files[0].changed);
	assert_int_equal(t.fetches, 2);
	apply_result_release(&res);

	/* The third patch fails: nothing is returned, every result is. */
	list[2] = &bad;
	assert_int_equal(apply_patches(list, 3, fetch_table, &t, NULL, &res), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(res.nr_files, 0);
	assert_int_equal(res.nr_patches, 3);
	assert_int_equal(res.patches[0].status, APPLY_OK);
	assert_int_equal(res.patches[2].status, APPLY_FAILED);
	assert_int_equal(res.patches[2].files[0].hunks[0].status, HUNK_FAILED);
	apply_result_release(&res);

	/* Order matters: 2.patch alone does not apply. */
	list[0] = &p2;
	assert_int_equal(apply_patches(list, 1, fetch_table, &t, NULL, &res), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	apply_result_release(&res);

	patch_release(&p1);
	patch_release(&p2);
	patch_release(&bad);
}

static void test_series_already_applied_and_errors(void **state)
{
	struct patch p1 = PATCH_INIT, p2 = PATCH_INIT, missing = PATCH_INIT;
	const struct patch *list[2] = { &p1, &p2 };
	struct table t = { { "a.txt" }, { "1\ntwo\n3\n" }, 0 };
	struct apply_opts opts = APPLY_OPTS_INIT;
	struct apply_result res = APPLY_RESULT_INIT;

	(void)state;
	parse_inline(&p1, "1.patch",
		     "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n");
	parse_inline(&p2, "2.patch",
		     "--- a/a.txt\n+++ b/a.txt\n@@ -2,2 +2,2 @@\n two\n-3\n+three\n");
	parse_inline(&missing, "m.patch",
		     "--- a/zz.txt\n+++ b/zz.txt\n@@ -1 +1 @@\n-a\n+b\n");

	assert_int_equal(apply_patches(list, 1, fetch_table, &t, NULL, &res), 0);
	assert_int_equal(res.status, APPLY_ALREADY_APPLIED);
	assert_int_equal(res.nr_files, 0);
	apply_result_release(&res);

	/* One there, one not: a half-fixed tree fails by default... */
	assert_int_equal(apply_patches(list, 2, fetch_table, &t, NULL, &res), 0);
	assert_int_equal(res.status, APPLY_FAILED);
	assert_int_equal(res.patches[0].status, APPLY_ALREADY_APPLIED);
	assert_int_equal(res.patches[1].status, APPLY_OK);
	apply_result_release(&res);

	/* ...unless the caller asks to skip what is there. */
	opts.skip_applied = true;
	assert_int_equal(apply_patches(list, 2, fetch_table, &t, &opts, &res), 0);
	assert_int_equal(res.status, APPLY_OK);
	assert_string_equal(res.files[0].content, "1\ntwo\nthree\n");
	apply_result_release(&res);

	list[0] = &missing;
	assert_int_equal(apply_patches(list, 1, fetch_table, &t, NULL, &res), -1);
	assert_contains(error_last(), "cannot read 'zz.txt' at 'test'");
	apply_result_release(&res);

	patch_release(&p1);
	patch_release(&p2);
	patch_release(&missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_fuzz_one_and_two),
		cmocka_unit_test(test_brace_only_context_refused_under_fuzz),
		cmocka_unit_test(test_already_applied),
		cmocka_unit_test(test_half_applied_refused_whole),
		cmocka_unit_test(test_relocated_function_moved_500_lines),
		cmocka_unit_test(test_ifdef_else_only_designated_definition),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_series_in_order_all_or_nothing),
		cmocka_unit_test(test_series_already_applied_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
