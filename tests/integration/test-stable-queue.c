/*
 * --format stable-queue on the fixture repository: DIR/queue-X.Y/ with the
 * patch named from its subject and the "[ Upstream commit ]" line, which
 * quilt pushes at fuzz 0; for a branch the fix does not go to, a FAILED
 * text beside it naming the hunk, its function and why, which a later
 * success removes and which is never written over a file of the user's.
 */
#include "testlib.h"

#include "core/xalloc.h"

#define scratch tl_scratch

static int setup(void **state)
{
	struct scratch *s = tl_scratch_new();

	*state = s;
	return 0;
}

static int teardown(void **state)
{
	tl_scratch_free(*state);
	return 0;
}

static void apply_sq(struct tl_run *r, struct scratch *s, const char *extra)
{
	const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series", s->series,
			       "--branch", "6.1.y", "--output", s->out, "--format",
			       "stable-queue", extra, NULL };

	tl_run_argv(r, NULL, argv);
}

#define PATCH_NAME "mm-fixture-pin-the-mm_struct-not-the-address-space.patch"

static void test_queue_dir_pushes_cleanly(void **state)
{
	struct scratch *s = *state;
	char *q = xstrfmt("%s/queue-6.1", s->out), *path, *text;
	struct tl_run r;

	apply_sq(&r, s, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "wrote ");
	assert_contains(r.out.buf, "/out/queue-6.1\n");
	tl_run_release(&r);
	path = xstrfmt("%s/series", q);
	text = tl_read_file(path, NULL);
	assert_non_null(text);
	assert_contains(text, "\n" PATCH_NAME "\n");
	free(text);
	free(path);
	path = xstrfmt("%s/" PATCH_NAME, q);
	text = tl_read_file(path, NULL);
	assert_non_null(text);
	assert_true(!strncmp(text, "From 2222222222222222222222222222222222222222 Mon Sep 17", 56));
	assert_contains(text, "\nSubject: mm/fixture: pin the mm_struct, not the address space\n");
	assert_not_contains(text, "[PATCH");
	/* once, even though the patch's message has it already */
	assert_contains(text, "\n[ Upstream commit 2222222222222222222222222222222222222222 ]\n");
	assert_null(strstr(strstr(text, "[ Upstream commit") + 1, "[ Upstream commit"));
	free(text);
	free(path);

	/* quilt push -a --fuzz=0 on an export of the branch */
	tl_sh("mkdir '%s/x' && git -C '%s' archive linux-6.1.y | tar -x -C '%s/x' && "
	      "cd '%s/x' && QUILT_PATCHES='%s' QUILT_SERIES=series quilt push -a --fuzz=0 "
	      ">/dev/null && grep -q 'mmdrop(\\*iter)' mm/vmscan.c && "
	      "! grep -q mmget_not_zero mm/vmscan.c", s->dir, s->repo, s->dir, s->dir, q);
	free(q);
}

static void test_failed_text_for_a_refused_line(void **state)
{
	struct scratch *s = *state;
	char *failed = xstrfmt("%s/queue-6.1.FAILED.txt", s->out), *text;
	struct tl_run r;

	/* the unpin's context changed: hunk 2 cannot apply */
	tl_commit_edit(s->repo, "\t\tlast = false;\n\n\tif (*iter)",
		       "\t\tlast = !mm_state->nr_walkers;\n\n\tif (*iter)");
	apply_sq(&r, s, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "(why the fix does not go there)");
	tl_run_release(&r);
	text = tl_read_file(failed, NULL);
	assert_non_null(text);
	/* the fix as the catalogue names it (the fixture series carries the seed fix) */
	assert_true(!strncmp(text, "FAILED: \"mm/vmscan: prevent MGLRU reclaim from pinning "
			     "address space\" for linux-6.1.y\n", 86));
	assert_contains(text, "Upstream commit: d14514c66cb9721b54318850796c005c446d76d6\n");
	assert_contains(text, "Result: failed\n");
	assert_contains(text, "fixture-6.1.patch: mm/vmscan.c: hunk 2 ");
	assert_contains(text, "hunk 2 failed: not found in iterate_mm_list (lines ");
	assert_contains(text, "does not match line 42 of 'mm/vmscan.c'");
	assert_contains(text, "unpin: mm/vmscan.c:");
	free(text);
	tl_sh("test ! -e '%s/queue-6.1'", s->out);

	/* the JSON carries the same text */
	{
		const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series",
				       s->series, "--branch", "6.1.y", "--json", NULL };

		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 1);
		assert_contains(r.out.buf, "\"failed_text\": \"FAILED: \\\"mm/vmscan: prevent");
		assert_contains(r.out.buf, "\"failed_file\": null");
		assert_contains(r.out.buf, "\"refusal\": \"hunk-failed\"");
		tl_run_release(&r);
	}

	/* fixed on the branch: the queue is written and the stale FAILED goes */
	tl_commit_edit(s->repo, "\t\tlast = !mm_state->nr_walkers;\n\n\tif (*iter)",
		       "\t\tlast = false;\n\n\tif (*iter)");
	apply_sq(&r, s, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_sh("test -d '%s/queue-6.1' && test ! -e '%s'", s->out, failed);
	free(failed);
}

static void test_failed_text_never_over_users_file(void **state)
{
	struct scratch *s = *state;
	char *failed = xstrfmt("%s/queue-6.1.FAILED.txt", s->out);
	struct tl_run r;

	tl_commit_edit(s->repo, "mmput_async(*iter)", "mmdrop(*iter)");
	tl_sh("mkdir -p '%s' && printf 'my reply draft\\n' > '%s'", s->out, failed);
	apply_sq(&r, s, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "was not written by backport-mglru (--force replaces it)");
	tl_run_release(&r);
	tl_sh("grep -qx 'my reply draft' '%s'", failed);
	/* a link there is never written through, even with --force */
	tl_sh("rm '%s' && printf 'victim\\n' > '%s/victim' && ln -s '%s/victim' '%s'", failed,
	      s->dir, s->dir, failed);
	apply_sq(&r, s, "--force");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "it is a symbolic link");
	tl_run_release(&r);
	tl_sh("test -L '%s' && grep -qx victim '%s/victim'", failed, s->dir);
	/* --force over a plain file of the user's: written */
	tl_sh("rm '%s' && printf 'old\\n' > '%s'", failed, failed);
	apply_sq(&r, s, "--force");
	assert_int_equal(r.status, 1);
	tl_run_release(&r);
	tl_sh("grep -q '^FAILED: ' '%s' && grep -q 'half-applied' '%s'", failed, failed);
	free(failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_dir_pushes_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_text_for_a_refused_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failed_text_never_over_users_file, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
