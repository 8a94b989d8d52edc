/*
 * backport-mglru apply on scratch repositories holding the hand-written
 * fixture tree (tests/fixtures/tree) and the fixture series
 * (tests/fixtures/seriesdir): dry runs, outputs checked with quilt, patch and
 * git am, --commit leaving everything else alone, refusals, bad input.
 */
#include "testlib.h"

#include "core/xalloc.h"

struct scratch {
	char *dir;
	char *repo;
	char *series;
	char *out;
};

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));

	s->dir = tl_tmpdir();
	s->repo = xstrfmt("%s/repo", s->dir);
	s->series = tl_fixture_path("seriesdir");
	s->out = xstrfmt("%s/out", s->dir);
	/* libgit2 reads the committer from config: keep the user's out of it */
	setenv("HOME", s->dir, 1);
	setenv("XDG_CONFIG_HOME", s->dir, 1);
	tl_fixture_repo(s->repo);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	tl_rmtree(s->dir);
	free(s->dir);
	free(s->repo);
	free(s->series);
	free(s->out);
	free(s);
	return 0;
}

/* backport-mglru apply --repo R --series S <args...> */
static void apply(struct tl_run *r, struct scratch *s, ...)
{
	const char *argv[32] = { tl_bin(), "apply", "--repo", s->repo, "--series", s->series };
	size_t n = 6;
	va_list ap;
	const char *a;

	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) && n < ARRAY_SIZE(argv) - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	tl_run_argv(r, NULL, argv);
}

/* refs, HEAD, index and work tree, as one string to compare. */
static char *repo_state(const char *repo)
{
	char *refs = tl_git_out(repo, "for-each-ref", NULL);
	char *head = tl_git_out(repo, "symbolic-ref", "HEAD", NULL);
	char *index = tl_git_out(repo, "ls-files", "-s", "--debug", NULL);
	char *status = tl_git_out(repo, "status", "--porcelain", "--ignored", NULL);
	char *objects = tl_git_out(repo, "count-objects", "-v", NULL);
	char *all = xstrfmt("%s\n%s\n%s\n%s\n%s", refs, head, index, status, objects);

	free(refs);
	free(head);
	free(index);
	free(status);
	free(objects);
	return all;
}

static void test_dry_run_writes_nothing(void **state)
{
	struct scratch *s = *state;
	char *before = repo_state(s->repo), *after;
	struct tl_run r;

	apply(&r, s, "--branch", "6.1.y", "--dry-run", "--output", s->out, "--commit", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "applied");
	assert_contains(r.out.buf, "hunk 1 applied at line 13");
	assert_contains(r.out.buf, "after: pin mm/vmscan.c:16 (should_skip_mm) mmgrab");
	assert_contains(r.out.buf, "unpin mm/vmscan.c:46 (iterate_mm_list) mmdrop");
	assert_not_contains(r.out.buf, "wrote");
	tl_run_release(&r);
	tl_run(&r, NULL, "test", "-e", s->out, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);
	after = repo_state(s->repo);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_output_quilt_pushes_cleanly(void **state)
{
	struct scratch *s = *state;
	char *exp = xstrfmt("%s/export", s->dir), *pdir = xstrfmt("%s/6.1.y", s->out);
	char *patches = xstrfmt("QUILT_PATCHES=%s", pdir);
	char *vmscan = xstrfmt("%s/mm/vmscan.c", exp), *text, *series;
	struct tl_run r;

	apply(&r, s, "--branch", "6.1.y", "--output", s->out, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "wrote");
	tl_run_release(&r);

	text = xstrfmt("%s/series", pdir);
	series = tl_read_file(text, NULL);
	free(text);
	assert_non_null(series);
	assert_contains(series, "fixture-6.1.patch");
	free(series);

	/* quilt push -a --fuzz=0 on an export of the branch */
	text = xstrfmt("mkdir -p '%s' && git -C '%s' archive linux-6.1.y | tar -x -C '%s'",
		       exp, s->repo, exp);
	tl_run(&r, NULL, "sh", "-c", text, NULL);
	free(text);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run(&r, exp, "env", patches, "QUILT_SERIES=series", "quilt", "push", "-a",
	       "--fuzz=0", NULL);
	if (r.status)
		fail_msg("quilt push failed: %s%s", r.out.buf, r.err.buf);
	assert_not_contains(r.out.buf, "offset");
	assert_not_contains(r.out.buf, "fuzz");
	tl_run_release(&r);
	text = tl_read_file(vmscan, NULL);
	assert_contains(text, "\tmmgrab(mm);\n\treturn false;\n");
	assert_contains(text, "mmdrop(*iter);");
	assert_not_contains(text, "mmget_not_zero");
	free(text);
	free(vmscan);
	free(patches);
	free(pdir);
	free(exp);
}

static void test_output_dep3_and_mbox(void **state)
{
	struct scratch *s = *state;
	char *patch, *path = xstrfmt("%s/6.1.y/fixture-6.1.patch", s->out);
	char *clone = xstrfmt("%s/clone", s->dir);
	struct tl_run r;

	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);	/* 2026-01-01 */
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--format", "dep3", NULL);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	patch = tl_read_file(path, NULL);
	assert_contains(patch, "From: Test Author <author@example.com>\n");
	assert_contains(patch, "Subject: mm/fixture: pin the mm_struct, not the address space\n");
	assert_contains(patch, "Origin: backport, https://git.kernel.org/linus/"
			       "2222222222222222222222222222222222222222\n");
	assert_contains(patch, "Applied-Upstream: commit:2222222222222222222222222222222222222222\n");
	assert_contains(patch, "Forwarded: not-needed\n");
	assert_contains(patch, "Last-Update: 2026-01-01\n");
	assert_contains(patch, "\n@@ -13,7 +13,8 @@");
	free(patch);

	/* mbox: git am takes it, with the stable subject prefix */
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--format", "mbox", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	patch = tl_read_file(path, NULL);
	assert_contains(patch, "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n");
	assert_contains(patch, "Subject: [PATCH 6.1.y] mm/fixture:");
	assert_contains(patch, " mm/vmscan.c | 5 +++--\n 1 file changed, 3 insertions(+), 2 deletions(-)\n");
	free(patch);
	tl_git(s->dir, "clone", "-q", "-b", "linux-6.1.y", s->repo, clone, NULL);
	tl_git(clone, "am", "-q", path, NULL);
	patch = tl_git_out(clone, "log", "-1", "--format=%an <%ae>|%s", NULL);
	assert_string_equal(patch, "Test Author <author@example.com>|mm/fixture: pin the "
				   "mm_struct, not the address space");
	free(patch);
	free(clone);
	free(path);
}

static void test_commit_touches_nothing_else(void **state)
{
	struct scratch *s = *state;
	char *before = repo_state(s->repo), *after, *log, *before_objs;
	struct tl_run r;

	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "as refs/heads/backport-mglru/6.1.y");
	tl_run_release(&r);

	/* every ref but the new one, HEAD, index and work tree as they were */
	tl_git(s->repo, "update-ref", "-d", "refs/heads/backport-mglru/6.1.y", NULL);
	after = repo_state(s->repo);
	{
		/* objects were added (one pack), nothing else differs */
		char *cut_b = strstr(before, "\ncount:"), *cut_a = strstr(after, "\ncount:");

		assert_non_null(cut_b);
		assert_non_null(cut_a);
		*cut_b = *cut_a = '\0';
		assert_string_equal(before, after);
	}
	free(after);
	free(before);

	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	log = tl_git_out(s->repo, "log", "-1", "--format=%an <%ae>|%ad|%cn|%P|%s",
			 "--date=raw", "backport-mglru/6.1.y", NULL);
	{
		char *parent = tl_git_out(s->repo, "rev-parse", "linux-6.1.y", NULL);
		char *want = xstrfmt("Test Author <author@example.com>|1770110430 +0100|"
				     "C O Mitter|%s|mm/fixture: pin the mm_struct, not the "
				     "address space", parent);

		assert_string_equal(log, want);
		free(want);
		free(parent);
	}
	free(log);
	log = tl_git_out(s->repo, "show", "backport-mglru/6.1.y:mm/vmscan.c", NULL);
	assert_contains(log, "mmdrop(*iter);");
	assert_contains(log, "mmgrab(mm);");
	free(log);
	log = tl_git_out(s->repo, "log", "-1", "--format=%B", "backport-mglru/6.1.y", NULL);
	assert_contains(log, "[ Upstream commit 2222222222222222222222222222222222222222 ]");
	free(log);

	/* an existing ref is refused without --force, and nothing is written */
	before_objs = repo_state(s->repo);
	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "ref 'refs/heads/backport-mglru/6.1.y' already exists");
	tl_run_release(&r);
	after = repo_state(s->repo);
	assert_string_equal(before_objs, after);
	free(after);
	free(before_objs);

	apply(&r, s, "--branch", "6.1.y", "--commit", "--force", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);

	/* the committed tree has the fix: a second run says so */
	apply(&r, s, "--branch", "backport-mglru/6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "already-fixed");
	tl_run_release(&r);
}

static void test_failed_commit_leaves_no_objects(void **state)
{
	struct scratch *s = *state;
	char *before, *after;
	struct tl_run r;

	/* no committer identity anywhere: the commit fails */
	tl_git(s->repo, "config", "--unset", "user.name", NULL);
	tl_git(s->repo, "config", "--unset", "user.email", NULL);
	before = repo_state(s->repo);
	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "no committer identity");
	tl_run_release(&r);
	after = repo_state(s->repo);
	assert_string_equal(before, after);
	free(after);
	free(before);
}

static void test_half_applied_tree_refused(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	/* someone converted the unpin only: mmdrop with mmget_not_zero */
	tl_commit_edit(s->repo, "mmput_async(*iter)", "mmdrop(*iter)");
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--commit", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "refused");
	assert_contains(r.out.buf, "half-applied");
	assert_not_contains(r.out.buf, "wrote");
	tl_run_release(&r);
	tl_run(&r, NULL, "test", "-e", s->out, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);
	{
		char *refs = tl_git_out(s->repo, "for-each-ref", NULL);

		assert_not_contains(refs, "backport-mglru");
		free(refs);
	}
}

static void test_context_drift_fails_whole(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	/* the unpin's context changed: hunk 2 cannot apply, so neither does hunk 1 */
	tl_commit_edit(s->repo, "\t\tlast = false;\n\n\tif (*iter)",
		    "\t\tlast = !mm_state->nr_walkers;\n\n\tif (*iter)");
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "failed");
	assert_contains(r.out.buf, "hunk 2 failed");
	assert_contains(r.out.buf, "nothing was changed");
	tl_run_release(&r);
	tl_run(&r, NULL, "test", "-e", s->out, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);
}

/*
 * A decoy with the pin hunk's very lines (and a forward declaration that
 * gives it the same trailing context) sits where the hunk says; the real
 * should_skip_mm() moved 400 lines down.  GNU patch converts the decoy and
 * leaves the real pin: a half-applied fix that builds.  locate flags that
 * result; apply places the hunk in the function the locator found.
 */
static void test_decoy_gnu_patch_half_applies_we_relocate(void **state)
{
	struct scratch *s = *state;
	char *path = xstrfmt("%s/mm/vmscan.c", s->repo);
	char *text = tl_read_file(path, NULL);
	char *real = strstr(text, "static bool should_skip_mm");
	char *patch = tl_fixture_path("seriesdir/backports/fixture-6.1.patch");
	struct strbuf sb = STRBUF_INIT;
	struct tl_run r;

	strbuf_add(&sb, text, (size_t)(real - text));
	strbuf_addstr(&sb, "static bool debug_skip(struct mm_struct *mm)\n{\n"
			   "\tunsigned long pages = mm_pages(mm);\n\n"
			   "\tif (pages < MIN_BATCH)\n\t\treturn true;\n\n"
			   "\treturn !mmget_not_zero(mm);\n}\n\n"
			   "static bool iterate_mm_list(struct lruvec *lruvec, "
			   "struct lru_gen_mm_walk *walk,\n"
			   "\t\t\t    struct mm_struct **iter);\n\n");
	for (int i = 0; i < 50; i++)
		strbuf_addf(&sb, "static int filler_%d(int x)\n{\n\tint y = x * %d;\n\n"
				 "\ty += %d;\n\treturn y;\n}\n\n", i, i, i);
	strbuf_addstr(&sb, real);
	tl_write_file(path, sb.buf);
	tl_git(s->repo, "commit", "-q", "-a", "-m", "decoy", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);

	/* ours: hunk 1 relocated into should_skip_mm, both real sites converted */
	apply(&r, s, "--branch", "6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "hunk 1 relocated into should_skip_mm");
	assert_contains(r.out.buf, "after: pin mm/vmscan.c:429 (should_skip_mm) mmgrab");
	tl_run_release(&r);

	/* GNU patch: "succeeds" on the decoy */
	tl_run(&r, s->repo, "patch", "-p1", "-i", patch, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "Hunk #1 succeeded at 10");
	tl_run_release(&r);
	tl_git(s->repo, "commit", "-q", "-a", "-m", "patched by GNU patch", NULL);

	/* and locate says what that is */
	{
		const char *argv[] = { tl_bin(), "locate", "--repo", s->repo, "--branch",
				       "HEAD", NULL };

		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "half-applied");
		assert_contains(r.err.buf, "HALF-APPLIED");
		assert_contains(r.err.buf, "use-after-free");
		tl_run_release(&r);
	}
	strbuf_release(&sb);
	free(patch);
	free(text);
	free(path);
}

/* A mainline commit with the fixture patch's subject, dated after the patch. */
static char *commit_mainline_fix(struct scratch *s, const char *date)
{
	struct tl_run r;
	char *d = xstrfmt("GIT_COMMITTER_DATE=%s", date);

	/* the scratch repository is on master, which counts as mainline */
	tl_run(&r, s->repo, "env", d, "git", "commit", "-q", "--allow-empty", "-m",
	       "mm/fixture: pin the mm_struct, not the address space", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	free(d);
	return tl_git_out(s->repo, "rev-parse", "HEAD", NULL);
}

static void test_upstream_id_checked_against_mainline(void **state)
{
	struct scratch *s = *state;
	char *id = commit_mainline_fix(s, "@1780000000 +0000");
	char *copy = xstrfmt("%s/series-copy", s->dir);
	char *cmd = xstrfmt("cp -R '%s' '%s' && sed -i 's/2222222222222222222222222222222222222222/%s/' "
			    "'%s/backports/fixture-6.1.patch'", s->series, copy, id, copy);
	char *expect = xstrfmt("upstream commit %.12s confirmed in refs/heads/master", id);
	struct tl_run r;

	/* the recorded id (2222...) is not mainline's: refused, nothing written */
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "upstream id mismatch");
	assert_contains(r.out.buf, "recorded upstream commit 222222222222");
	tl_run_release(&r);
	tl_run(&r, NULL, "test", "-e", s->out, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);

	/* the same series with mainline's id: confirmed */
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	{
		const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series", copy,
				       "--branch", "6.1.y", "--output", s->out, NULL };

		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, expect);
		assert_contains(r.out.buf, "wrote");
		tl_run_release(&r);
	}
	free(expect);
	free(cmd);
	free(copy);
	free(id);
}

static void test_upstream_older_than_the_patch_is_not_it(void **state)
{
	struct scratch *s = *state;
	char *id = commit_mainline_fix(s, "@1112911993 +0000");
	struct tl_run r;

	/* mainline is there, but nothing as new as the patch has its subject */
	apply(&r, s, "--branch", "6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "no commit 'mm/fixture: pin the mm_struct, not the "
				   "address space' in mainline");
	tl_run_release(&r);
	free(id);
}

static void test_bad_input(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	const char *nowhere = "/nonexistent/series-dir";

	tl_run(&r, NULL, tl_bin(), "apply", "--repo", s->repo, "--series", nowhere, NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "series directory '/nonexistent/series-dir' has no series/");
	tl_run_release(&r);

	apply(&r, s, "--format", "rpm", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--format: expected quilt, dep3, mbox or stable-queue");
	tl_run_release(&r);

	apply(&r, s, "--fuzz", "x", NULL);
	assert_int_equal(r.status, 129);
	tl_run_release(&r);

	apply(&r, s, "--force", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--force goes with --commit");
	tl_run_release(&r);

	/* two branches of one line would write the same outputs */
	tl_git(s->repo, "tag", "v6.1.20", NULL);
	apply(&r, s, "--branch", "6.1.y", "--branch", "v6.1.20", "--output", s->out, NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "are both linux-6.1.y");
	tl_run_release(&r);

	/* no series/6.1.y: series/shapes decides; a malformed line is fatal */
	{
		char *dir = xstrfmt("%s/shapes-series", s->dir);
		char *cmd = xstrfmt("mkdir -p '%s/series' '%s/backports' && "
				    "echo '6.1-nr_walkers' > '%s/series/shapes'", dir, dir, dir);
		const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series", dir,
				       "--branch", "6.1.y", NULL };

		tl_run(&r, NULL, "sh", "-c", cmd, NULL);
		tl_run_release(&r);
		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 128);
		assert_contains(r.err.buf, "series/shapes:1: expected '<shape> <series-file>'");
		tl_run_release(&r);

		/* a shape mapped to "-" has no series: refused, exit 1 */
		free(cmd);
		cmd = xstrfmt("echo '6.1-nr_walkers -' > '%s/series/shapes'", dir);
		tl_run(&r, NULL, "sh", "-c", cmd, NULL);
		tl_run_release(&r);
		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 1);
		assert_contains(r.out.buf, "refused");
		assert_contains(r.out.buf, "series/shapes names no series for shape 6.1-nr_walkers");
		tl_run_release(&r);
		free(cmd);
		free(dir);
	}

	/* a series file naming a patch that is not there */
	{
		char *bad = xstrfmt("%s/badseries", s->dir);
		char *cmd = xstrfmt("mkdir -p '%s/series' '%s/backports' && "
				    "echo 'missing.patch -p1' > '%s/series/6.1.y'", bad, bad, bad);
		const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series", bad,
				       "--branch", "6.1.y", NULL };

		tl_run(&r, NULL, "sh", "-c", cmd, NULL);
		tl_run_release(&r);
		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 128);
		assert_contains(r.err.buf, "missing.patch");
		tl_run_release(&r);
		free(cmd);
		free(bad);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_quilt_pushes_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_dep3_and_mbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_touches_nothing_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_commit_leaves_no_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_applied_tree_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_drift_fails_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoy_gnu_patch_half_applies_we_relocate,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_upstream_id_checked_against_mainline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_upstream_older_than_the_patch_is_not_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
