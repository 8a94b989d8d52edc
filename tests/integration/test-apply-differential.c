/*
 * Differential test of the applier against GNU patch: one base file and one
 * patch, many targets derived from the base by random offsets, context
 * drift, deleted lines, moved and duplicated blocks, plus the patch already
 * applied, CRLF and a missing final newline.  For each target and fuzz
 * 0..2, GNU patch really applies it in a scratch copy; where it applies
 * every hunk our output must be byte-identical, where it rejects any hunk we
 * must refuse the whole patch.  The one allowed difference is ours to be
 * stricter: fuzz that would leave only blank or brace lines of context.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apply.h"
#include "core/diff.h"
#include "core/patch.h"
#include "core/xalloc.h"

struct lines {
	char **v;
	size_t nr, alloc;
};

static void lines_add(struct lines *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

static void lines_insert(struct lines *l, size_t at, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	memmove(l->v + at + 1, l->v + at, (l->nr - at) * sizeof(*l->v));
	l->v[at] = xstrdup(s);
	l->nr++;
}

static void lines_delete(struct lines *l, size_t at)
{
	free(l->v[at]);
	memmove(l->v + at, l->v + at + 1, (l->nr - at - 1) * sizeof(*l->v));
	l->nr--;
}

static void lines_copy(struct lines *dst, const struct lines *src)
{
	for (size_t i = 0; i < src->nr; i++)
		lines_add(dst, src->v[i]);
}

static void lines_release(struct lines *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static char *lines_join(const struct lines *l)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < l->nr; i++) {
		strbuf_addstr(&sb, l->v[i]);
		strbuf_addch(&sb, '\n');
	}
	return strbuf_detach(&sb, NULL);
}

static void make_base(struct lines *base, bool fixed)
{
	char buf[128];

	lines_add(base, fixed ? "/* generated test file, version 2 */"
			      : "/* generated test file */");
	lines_add(base, "#include \"demo.h\"");
	lines_add(base, "");
	for (int n = 0; n < 15; n++) {
		snprintf(buf, sizeof(buf), "/* block %d */", n);
		lines_add(base, buf);
		snprintf(buf, sizeof(buf), "static int func_%d(int x)", n);
		lines_add(base, buf);
		lines_add(base, "{");
		snprintf(buf, sizeof(buf), "\tint v = x * %d;", n);
		lines_add(base, buf);
		lines_add(base, "");
		if (fixed && (n == 3 || n == 9))
			snprintf(buf, sizeof(buf), "\tif (v >= %d)", n);
		else
			snprintf(buf, sizeof(buf), "\tif (v > %d)", n);
		lines_add(base, buf);
		snprintf(buf, sizeof(buf), "\t\treturn v - %d;", n);
		lines_add(base, buf);
		if (fixed && n == 4)
			lines_add(base, "\tcheck(v);");
		snprintf(buf, sizeof(buf), "\treturn v + %d;", n);
		lines_add(base, buf);
		lines_add(base, "}");
		lines_add(base, "");
	}
	lines_add(base, "/* end */");
	if (fixed)
		lines_add(base, "/* trailer */");
}

static unsigned next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static void mutate(struct lines *t, unsigned *seed)
{
	unsigned kind = next_rand(seed) % 6;
	size_t at = t->nr ? next_rand(seed) % t->nr : 0;
	char buf[64];

	switch (kind) {
	case 0:	/* offset: insert a few lines */
		for (unsigned i = 0, n = 1 + next_rand(seed) % 5; i < n; i++) {
			snprintf(buf, sizeof(buf), "int extra_%u;", next_rand(seed));
			lines_insert(t, at, buf);
		}
		break;
	case 1:	/* deleted line */
		if (t->nr > 1)
			lines_delete(t, at);
		break;
	case 2: { /* context drift */
		char *s = xstrfmt("%s /* drift */", t->v[at]);

		free(t->v[at]);
		t->v[at] = s;
		break;
	}
	case 3: { /* moved block */
		size_t len = 3 + next_rand(seed) % 8, to;
		struct lines block = { 0 };

		if (at + len > t->nr)
			len = t->nr - at;
		for (size_t i = 0; i < len; i++)
			lines_add(&block, t->v[at + i]);
		for (size_t i = 0; i < len; i++)
			lines_delete(t, at);
		to = t->nr ? next_rand(seed) % (t->nr + 1) : 0;
		for (size_t i = 0; i < len; i++)
			lines_insert(t, to + i, block.v[i]);
		lines_release(&block);
		break;
	}
	case 4: { /* duplicated block: a decoy */
		size_t len = 3 + next_rand(seed) % 8, to;

		if (at + len > t->nr)
			len = t->nr - at;
		to = next_rand(seed) % (t->nr + 1);
		for (size_t i = 0; i < len; i++) {
			char *s = xstrdup(t->v[at + i]);

			if (to <= at + i)
				at++;
			lines_insert(t, to + i, s);
			free(s);
		}
		break;
	}
	default: /* blank or brace line inserted */
		lines_insert(t, at, next_rand(seed) % 2 ? "}" : "");
		break;
	}
}

struct stats {
	size_t both_applied, both_refused, stricter, total;
};

static void check_one(const char *dir, const char *patch_path,
		      const struct patch *p, const char *target, int fuzz,
		      struct stats *st, const char *label)
{
	struct apply_opts opts = APPLY_OPTS_INIT;
	struct file_result res;
	struct strbuf out = STRBUF_INIT;
	struct tl_run r;
	char fuzz_arg[32];
	char *file = xstrfmt("%s/src/demo.c", dir);
	char *gnu;
	size_t gnu_len;

	tl_write_file(file, target);
	snprintf(fuzz_arg, sizeof(fuzz_arg), "--fuzz=%d", fuzz);
	tl_run(&r, dir, "patch", "-p1", fuzz_arg, "--forward", "--batch",
	       "--no-backup-if-mismatch", "-r", "-", "-i", patch_path, NULL);
	if (r.status != 0 && r.status != 1)
		fail_msg("%s: GNU patch exited %d: %s%s", label, r.status,
			 r.out.buf, r.err.buf);
	gnu = tl_read_file(file, &gnu_len);
	assert_non_null(gnu);

	opts.fuzz = (unsigned)fuzz;
	assert_int_equal(apply_file_diff(&p->files[0], target, strlen(target),
					 &opts, &res, &out), 0);
	st->total++;
	if (r.status == 0) {
		if (res.status == APPLY_OK) {
			if (out.len != gnu_len || memcmp(out.buf, gnu, gnu_len))
				fail_msg("%s fuzz %d: output differs from GNU "
					 "patch\n--- target:\n%s\n--- gnu:\n%s\n"
					 "--- ours:\n%s", label, fuzz, target,
					 gnu, out.buf);
			st->both_applied++;
		} else {
			bool brace = false;

			for (size_t i = 0; i < res.nr_hunks; i++)
				if (res.hunks[i].reason &&
				    strstr(res.hunks[i].reason, "brace lines"))
					brace = true;
			if (!brace)
				fail_msg("%s fuzz %d: GNU patch applied (%s), "
					 "we refused: %s", label, fuzz,
					 r.out.buf, res.hunks[0].reason ?
					 res.hunks[0].reason : "?");
			st->stricter++;
		}
	} else {
		if (res.status == APPLY_OK)
			fail_msg("%s fuzz %d: GNU patch refused (%s), we "
				 "applied:\n%s", label, fuzz, r.out.buf, out.buf);
		st->both_refused++;
	}
	file_result_release(&res);
	strbuf_release(&out);
	tl_run_release(&r);
	free(gnu);
	free(file);
}

static char *crlf(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		if (*s == '\n')
			strbuf_addch(&sb, '\r');
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

static void test_against_gnu_patch(void **state)
{
	struct lines base = { 0 }, fixed = { 0 };
	struct strbuf diff = STRBUF_INIT;
	struct patch p = PATCH_INIT;
	struct stats st = { 0 };
	char *dir = tl_tmpdir();
	char *patch_path = xstrfmt("%s/fix.patch", dir);
	char *srcdir = xstrfmt("%s/src", dir);
	char *base_text, *fixed_text, *label;
	unsigned seed = 20240101;
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, "mkdir", "-p", srcdir, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);

	make_base(&base, false);
	make_base(&fixed, true);
	base_text = lines_join(&base);
	fixed_text = lines_join(&fixed);
	assert_true(diff_files(&diff, "src/demo.c", base_text, strlen(base_text),
			       fixed_text, strlen(fixed_text), NULL) >= 3);
	tl_write_file(patch_path, diff.buf);
	assert_int_equal(patch_parse(&p, "fix.patch", diff.buf, diff.len, 1), 0);

	for (int fuzz = 0; fuzz <= 2; fuzz++) {
		char *special[4];

		special[0] = xstrdup(base_text);
		special[1] = xstrdup(fixed_text);
		special[2] = crlf(base_text);
		special[3] = xstrndup(base_text, strlen(base_text) - 1);
		for (size_t i = 0; i < ARRAY_SIZE(special); i++) {
			label = xstrfmt("special %zu", i);
			check_one(dir, patch_path, &p, special[i], fuzz, &st,
				  label);
			free(label);
			free(special[i]);
		}
	}

	for (int iter = 0; iter < 400; iter++) {
		struct lines t = { 0 };
		unsigned n = 1 + next_rand(&seed) % 3;
		char *text;

		lines_copy(&t, &base);
		for (unsigned m = 0; m < n; m++)
			mutate(&t, &seed);
		text = lines_join(&t);
		label = xstrfmt("variant %d", iter);
		for (int fuzz = 0; fuzz <= 2; fuzz++)
			check_one(dir, patch_path, &p, text, fuzz, &st, label);
		free(label);
		free(text);
		lines_release(&t);
	}
	print_message("%zu cases: %zu applied by both, %zu refused by both, "
		      "%zu refused only by us (brace-only fuzz)\n", st.total,
		      st.both_applied, st.both_refused, st.stricter);
	assert_true(st.both_applied > st.total / 4);
	assert_true(st.both_refused > 10);

	patch_release(&p);
	strbuf_release(&diff);
	lines_release(&base);
	lines_release(&fixed);
	free(base_text);
	free(fixed_text);
	tl_rmtree(dir);
	free(dir);
	free(patch_path);
	free(srcdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_gnu_patch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
