/*
 * The generic status on the real stable repository ($REAL_KERNEL_REPO): the
 * seed fix's shipped patches imported as fixes with no rule, located hunk
 * by hunk on every release, and applied without a series.
 */
#include "testlib.h"

#include <stdlib.h>

#include "core/xalloc.h"

struct scratch {
	char *dir, *fixes;
};

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	static const char *const imports[][2] = {
		{ "generic-6.1", "mglru-mmgrab-6.1.patch" },
		{ "generic-6.12", "mglru-mmgrab-get_next_mm.patch" },
	};

	s->dir = tl_tmpdir();
	s->fixes = xstrfmt("%s/fixes", s->dir);
	for (size_t i = 0; i < ARRAY_SIZE(imports); i++) {
		char *patch = xstrfmt("%s/backports/mglru-mmgrab/%s", tl_env("SOURCE_DIR"),
				      imports[i][1]);
		const char *argv[] = { tl_bin(), "import", "--fixes-dir", s->fixes, "--id",
				       imports[i][0], patch, NULL };
		struct tl_run r;

		tl_run_argv(&r, NULL, argv);
		if (r.status)
			fail_msg("import %s: %s", imports[i][1], r.err.buf);
		tl_run_release(&r);
		free(patch);
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	tl_rmtree(s->dir);
	free(s->fixes);
	free(s->dir);
	free(s);
	return 0;
}

/* Every release, both imported fixes: the status and what names it. */
static void test_status_on_every_release(void **state)
{
	static const struct {
		const char *fix, *tag, *status, *text;
		int exit_code;
	} cases[] = {
		{ "generic-6.1", "v6.1.170", "needs-fix",
		  "hunk 1 of mm/vmscan.c: needs-fix (should_skip_mm() at line 3444)", 0 },
		{ "generic-6.1", "v6.1.192", "needs-fix",
		  "hunk 2 of mm/vmscan.c: needs-fix (iterate_mm_list() at line 3470)", 0 },
		/* 6.12 has no should_skip_mm(): the 6.1 patch does not fit it */
		{ "generic-6.1", "v6.12.117", "conflict",
		  "hunk 1 of mm/vmscan.c: should_skip_mm() is not in the file", 1 },
		{ "generic-6.12", "v6.12.107", "needs-fix",
		  "hunk 1 of mm/vmscan.c: needs-fix (get_next_mm() at line", 0 },
		{ "generic-6.12", "v6.12.117", "needs-fix",
		  "hunk 2 of mm/vmscan.c: needs-fix (iterate_mm_list() at line 2972)", 0 },
		{ "generic-6.12", "v6.1.192", "conflict", "hunk 1 of mm/vmscan.c", 1 },
	};
	struct scratch *s = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[] = { tl_bin(), "locate", "--repo", tl_env("REAL_KERNEL_REPO"),
				       "--fixes-dir", s->fixes, "--fix", cases[i].fix,
				       "--branch", cases[i].tag, "--json", NULL };
		char *want = xstrfmt("\"status\": \"%s\"", cases[i].status);
		struct tl_run r;

		tl_run_argv(&r, NULL, argv);
		if (r.status != cases[i].exit_code)
			fail_msg("%s on %s: exit %d: %s", cases[i].fix, cases[i].tag, r.status,
				 r.err.buf);
		assert_contains(r.out.buf, want);
		assert_contains(r.out.buf, cases[i].text);
		tl_run_release(&r);
		free(want);
	}
}

/* No series: the patch's hunks placed in their functions, then re-checked. */
static void test_apply_without_a_series(void **state)
{
	struct scratch *s = *state;
	const char *argv[] = { tl_bin(), "apply", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--fixes-dir", s->fixes, "--fix", "generic-6.1", "--branch",
			       "v6.1.170", "--branch", "v6.12.117", NULL };
	struct tl_run r;

	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 1);	/* 6.12 refused */
	assert_contains(r.out.buf, "v6.1.170: generic-6.1.patch: mm/vmscan.c: hunk 1 applied "
				   "at line 3462 (offset -2); hunk 2 applied at line 3540 "
				   "(offset -2)\n");
	assert_contains(r.out.buf, "v6.1.170: after: already-fixed: already fixed: every hunk "
				   "(2) is in\n");
	assert_contains(r.out.buf, "v6.12.117: refused: not patched: the tree is conflict");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_on_every_release),
		cmocka_unit_test(test_apply_without_a_series),
	};

	/* no per-user fixes directory: the tests say where fixes live */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
