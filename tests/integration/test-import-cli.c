/*
 * backport-mglru import: a format-patch file, a lore-style one-message mbox
 * and a plain diff become fix folders, a b4-style series mbox one folder per
 * patch (its cover letter skipped); every bad input is refused with one
 * line and nothing written (for a series: no folder at all); an imported
 * fix with no series is located generically and applied by placing its
 * hunks in their functions.
 */
#include "testlib.h"

#include <stdlib.h>

#include <string.h>

#include "core/xalloc.h"

#define IMPORTED_ID "mm-vmscan-skip-ownerless-mms-read-nr-walkers"
#define IMPORTED_UPSTREAM "0123456789abcdef0123456789abcdef01234567"

/* A scratch repository on the fixture tree, Linux 6.1.20 on linux-6.1.y. */
static char *make_repo(const char *dir)
{
	char *repo = xstrfmt("%s/repo", dir), *mm = tl_fixture_path("tree/mm");
	char *cmd = xstrfmt("cp -R '%s' '%s'/ && printf 'VERSION = 6\\nPATCHLEVEL = 1\\n"
			    "SUBLEVEL = 20\\nEXTRAVERSION =\\n' > '%s/Makefile'", mm, repo, repo);
	struct tl_run r;

	tl_git(dir, "init", "-q", "-b", "linux-6.1.y", "repo", NULL);
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_git(repo, "add", "-A", NULL);
	tl_git(repo, "commit", "-q", "-m", "Linux 6.1.20", NULL);
	free(cmd);
	free(mm);
	return repo;
}

static void import(struct tl_run *r, const char *fixes, const char *file, const char *id)
{
	const char *with_id[] = { tl_bin(), "import", "--fixes-dir", fixes, "--id", id, file,
				  NULL };
	const char *without[] = { tl_bin(), "import", "--fixes-dir", fixes, file, NULL };
	const char *const *argv = id ? with_id : without;

	tl_run_argv(r, NULL, argv);
}

/* The names in dir, one a line, sorted; "" when empty or missing. */
static char *listing(const char *dir)
{
	struct tl_run r;
	char *cmd = xstrfmt("ls -A '%s' 2>/dev/null | sort", dir), *out;

	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	out = xstrdup(r.out.buf);
	tl_run_release(&r);
	free(cmd);
	return out;
}

static void test_import_format_patch(void **state)
{
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir);
	char *patch = tl_fixture_path("fix/import.patch");
	char *conf = xstrfmt("%s/%s/fix.conf", fixes, IMPORTED_ID), *text, *ls;
	struct tl_run r;

	(void)state;
	import(&r, fixes, patch, NULL);
	if (r.status)
		fail_msg("import: %s", r.err.buf);
	assert_string_equal(r.out.buf, IMPORTED_ID "\n");
	tl_run_release(&r);
	text = tl_read_file(conf, NULL);
	assert_contains(text, "\tupstream = 0123456789abcdef0123456789abcdef01234567\n");
	assert_contains(text, "\tsubject = \"mm/vmscan: skip ownerless mms, read nr_walkers "
			      "once\"\n");
	assert_contains(text, "[file \"mm/vmscan.c\"]\n\tfunction = should_skip_mm\n"
			      "\tfunction = iterate_mm_list\n");
	free(text);
	ls = listing(fixes);
	assert_string_equal(ls, IMPORTED_ID "\n");	/* no temporary left */
	free(ls);

	tl_run(&r, NULL, tl_bin(), "fixes", "--fixes-dir", fixes, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, IMPORTED_ID "  0123456789ab  -                   mm/vmscan: skip");
	tl_run_release(&r);

	/* the same id again: refused, the folder unchanged */
	import(&r, fixes, patch, NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "fatal: a fix '" IMPORTED_ID "' is already in the catalogue");
	tl_run_release(&r);
	/* --id names it otherwise; an id that is a path is refused */
	import(&r, fixes, patch, "second");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out.buf, "second\n");
	tl_run_release(&r);
	import(&r, fixes, patch, "../escape");
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "'../escape' is not a fix id");
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, IMPORTED_ID "\nsecond\n");
	free(ls);
	tl_rmtree(dir);
	free(conf);
	free(patch);
	free(fixes);
	free(dir);
}

/* b4 / lore: "From mboxrd@z ..." and mail headers; a plain diff with --id. */
static void test_import_mbox_and_plain_diff(void **state)
{
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir);
	char *patch = tl_fixture_path("fix/import.patch");
	char *mbox = xstrfmt("%s/one.mbox", dir), *diff = xstrfmt("%s/plain.diff", dir);
	char *cmd = xstrfmt("{ echo 'From mboxrd@z Thu Jan  1 00:00:00 1970'; "
			    "echo 'Message-ID: <1@example.com>'; sed 1d '%s'; } > '%s' && "
			    "sed -n '/^--- a/,/^-- $/p' '%s' | sed '$d' > '%s'", patch, mbox,
			    patch, diff);
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	import(&r, fixes, mbox, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out.buf, IMPORTED_ID "\n");
	tl_run_release(&r);
	/*
	 * mboxrd: the sender's "From the report" and ">From a quote" lines
	 * were escaped with one more '>'; the patch kept is the mail as sent.
	 */
	{
		char *text = tl_fixture("fix/import.patch", NULL), *body = strstr(text, "\n\n");
		char *rd = xstrfmt("%s/rd.mbox", dir), *kept = xstrfmt("%s/rd/rd.patch", fixes);
		char *mail, *got;

		assert_non_null(body);
		*body = '\0';
		mail = xstrfmt("From mboxrd@z Thu Jan  1 00:00:00 1970\n%s\n\n>From the report:\n"
			       ">>From a quote\n>>>From deeper\n> From a reply\n%s",
			       strchr(text, '\n') + 1, body + 2);
		tl_write_file(rd, mail);
		import(&r, fixes, rd, "rd");
		if (r.status)
			fail_msg("import: %s", r.err.buf);
		tl_run_release(&r);
		got = tl_read_file(kept, NULL);
		assert_non_null(got);
		assert_contains(got, "\n\nFrom the report:\n>From a quote\n>>From deeper\n"
				      "> From a reply\nA hand-written fixture");
		free(got);
		free(mail);
		free(kept);
		free(rd);
		free(text);
	}

	import(&r, fixes, diff, NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "has no Subject: to name the fix after: give --id");
	tl_run_release(&r);
	import(&r, fixes, diff, "plain");
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "fixes", "--fixes-dir", fixes, "--fix", "plain", "--json",
	       NULL);
	assert_contains(r.out.buf, "\"upstream\": null,\n      \"subject\": \"plain\"");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(cmd);
	free(diff);
	free(mbox);
	free(patch);
	free(fixes);
	free(dir);
}

static void test_import_refuses_bad_input(void **state)
{
	static const struct {
		const char *fixture, *message;
	} cases[] = {
		/* a series is all or nothing: one bad message and no folder at all */
		{ "fix/two-messages.mbox", "message 2: fix id '" IMPORTED_ID "' is message 1's "
					   "too" },
		{ "fix/series-binary.mbox", "series-binary.mbox' message 3: patch '" },
		{ "fix/series-binary.mbox", "line 69: binary patches are not supported" },
		{ "fix/series-no-diff.mbox", "series-no-diff.mbox' message 2: patch 2/2 ('[PATCH "
					     "v2 2/2] mm/vmscan: read nr_walkers once') has no diff" },
		{ "fix/series-no-function.mbox", "series-no-function.mbox' message 3: cannot tell "
						 "which function hunk 1 of 'mm/vmscan.c' (line 71)" },
		{ "patch/binary.patch", "binary patches are not supported" },
		{ "patch/traversal.patch", "path with '..' component refused" },
		{ "patch/rename.patch", "renames and copies are not supported" },
		{ "fix/needs.c", "no diff found" },
		{ "fix/extra.patch", "cannot tell which function hunk 1 of 'mm/vmscan.c' (line "
				     "11) lives in" },
		{ "no/such/file.patch", "no/such/file.patch" },
	};
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *path = tl_fixture_path(cases[i].fixture), *ls;
		struct tl_run r;

		import(&r, fixes, path, NULL);
		if (r.status != 128)
			fail_msg("%s: exit %d", cases[i].fixture, r.status);
		assert_contains(r.err.buf, "fatal: ");
		assert_contains(r.err.buf, cases[i].message);
		assert_ptr_equal(strchr(r.err.buf, '\n'), r.err.buf + r.err.len - 1);
		assert_string_equal(r.out.buf, "");
		tl_run_release(&r);
		ls = listing(fixes);
		assert_string_equal(ls, "");	/* nothing written */
		free(ls);
		free(path);
	}
	{
		struct tl_run r;
		const char *argv[] = { tl_bin(), "import", NULL };

		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 129);
		assert_contains(r.err.buf, "no FILE given");
		tl_run_release(&r);
	}
	tl_rmtree(dir);
	free(fixes);
	free(dir);
}

#define SERIES_ID_1 "mm-vmscan-skip-ownerless-mms"
#define SERIES_ID_2 "mm-vmscan-read-nr-walkers-once"

/* The line of a table that starts with word and a space (caller frees). */
static char *table_line(const char *table, const char *word)
{
	char *needle = xstrfmt("\n%s ", word);
	const char *l = strstr(table, needle), *end;

	free(needle);
	if (!l)
		fail_msg("no line for '%s' in:\n%s", word, table);
	end = strchr(l + 1, '\n');
	return xstrndup(l + 1, end ? (size_t)(end - l - 1) : strlen(l + 1));
}

/* b4 / lore series: the cover letter skipped, one fix folder per patch. */
static void test_import_series_mbox(void **state)
{
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir), *repo = make_repo(dir);
	char *mbox = tl_fixture_path("fix/series.mbox"), *text = tl_read_file(mbox, NULL);
	char *p1 = xstrfmt("%s/" SERIES_ID_1 "/" SERIES_ID_1 ".patch", fixes);
	char *p2 = xstrfmt("%s/" SERIES_ID_2 "/" SERIES_ID_2 ".patch", fixes);
	char *second = strstr(text, "\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Fixture "
				    "Author <fixture@example.com>\nDate: Mon, 2 Mar 2026 10:00:01");
	char *third, *got, *ls;
	struct tl_run r;

	(void)state;
	assert_non_null(second);
	second++;
	third = strstr(second, "\nFrom mboxrd@z") + 1;
	import(&r, fixes, mbox, NULL);
	if (r.status)
		fail_msg("import: %s", r.err.buf);
	assert_string_equal(r.out.buf, SERIES_ID_1 "\n" SERIES_ID_2 "\n");	/* one a line */
	assert_contains(r.err.buf, "skipped '");
	assert_contains(r.err.buf, "series.mbox' message 1 (a cover letter or mail with no "
				   "diff): '[PATCH v2 0/2] mm/vmscan: two small walk fixes'\n");
	assert_contains(r.err.buf, "series.mbox' message 2 as ");
	assert_contains(r.err.buf, "series.mbox' message 3 as ");
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, SERIES_ID_2 "\n" SERIES_ID_1 "\n");	/* no temporary left */
	free(ls);
	/* each folder's patch is its own message */
	got = tl_read_file(p1, NULL);
	assert_int_equal(strlen(got), (size_t)(third - second));
	assert_memory_equal(got, second, strlen(got));
	free(got);
	got = tl_read_file(p2, NULL);
	assert_string_equal(got, third);
	free(got);

	tl_run(&r, NULL, tl_bin(), "fixes", "--fixes-dir", fixes, NULL);
	assert_int_equal(r.status, 0);
	{
		char *l1 = table_line(r.out.buf, SERIES_ID_1), *l2 = table_line(r.out.buf,
										SERIES_ID_2);

		/* no upstream id and no series; the upstream from "[ Upstream commit" */
		assert_contains(l1, "  -  ");
		assert_contains(l1, "  mm/vmscan: skip ownerless mms");
		assert_contains(l2, "  444444444444  ");
		assert_contains(l2, "  mm/vmscan: read nr_walkers once");
		free(l2);
		free(l1);
	}
	tl_run_release(&r);
	/* both fixes located on the scratch tree, from the code */
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       SERIES_ID_1, "--fix", SERIES_ID_2, "--json", NULL);
	if (r.status)
		fail_msg("locate: %s%s", r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"fix\": \"" SERIES_ID_1 "\"");
	assert_contains(r.out.buf, "\"fix\": \"" SERIES_ID_2 "\"");
	assert_not_contains(r.out.buf, "\"status\": \"conflict\"");
	assert_contains(r.out.buf, "\"status\": \"needs-fix\"");
	tl_run_release(&r);
	/* and each applied by placing its own hunk, all or nothing */
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       SERIES_ID_1, "--fix", SERIES_ID_2, "--dry-run", NULL);
	if (r.status)
		fail_msg("apply: %s%s", r.out.buf, r.err.buf);
	assert_contains(r.out.buf, SERIES_ID_1 ".patch itself, placed hunk by hunk");
	assert_contains(r.out.buf, SERIES_ID_2 ".patch itself, placed hunk by hunk");
	assert_contains(r.out.buf, "after: already-fixed: already fixed: every hunk (1) is in");
	tl_run_release(&r);

	/* again: the first id is taken, so neither is written */
	tl_rmtree(p2);
	{
		char *f2 = xstrfmt("%s/" SERIES_ID_2, fixes);

		tl_rmtree(f2);
		free(f2);
	}
	import(&r, fixes, mbox, NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "fatal: a fix '" SERIES_ID_1 "' is already in the catalogue");
	assert_ptr_equal(strchr(r.err.buf, '\n'), r.err.buf + r.err.len - 1);
	assert_string_equal(r.out.buf, "");
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, SERIES_ID_1 "\n");
	free(ls);

	/* --id with two patches is a usage error; nothing written */
	import(&r, fixes, mbox, "one");
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--id names one fix, and '");
	assert_contains(r.err.buf, "series.mbox' holds 2 patches");
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, SERIES_ID_1 "\n");
	free(ls);

	/* the cover letter and one patch: --id names that one */
	{
		char *short_mbox = xstrfmt("%s/short.mbox", dir);

		*third = '\0';
		tl_write_file(short_mbox, text);
		import(&r, fixes, short_mbox, "one");
		if (r.status)
			fail_msg("import --id: %s", r.err.buf);
		assert_string_equal(r.out.buf, "one\n");
		tl_run_release(&r);
		free(short_mbox);
	}
	ls = listing(fixes);
	assert_string_equal(ls, SERIES_ID_1 "\none\n");
	free(ls);
	tl_rmtree(dir);
	free(p2);
	free(p1);
	free(text);
	free(mbox);
	free(repo);
	free(fixes);
	free(dir);
}

/* --kconfig goes into the descriptor, checked as the catalogue checks it. */
static void test_import_kconfig(void **state)
{
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir);
	char *patch = tl_fixture_path("fix/import.patch"), *ls;
	const char *bad[] = { tl_bin(), "import", "--fixes-dir", fixes, "--kconfig", "lru_gen",
			      patch, NULL };
	const char *good[] = { tl_bin(), "import", "--fixes-dir", fixes, "--kconfig", "LRU_GEN",
			       "--id", "k", patch, NULL };
	struct tl_run r;

	(void)state;
	tl_run_argv(&r, NULL, bad);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "key 'fix.kconfig' is not a Kconfig symbol");
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, "");	/* the temporary folder is gone too */
	free(ls);
	tl_run_argv(&r, NULL, good);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "fixes", "--fixes-dir", fixes, "--fix", "k", "--json", NULL);
	assert_contains(r.out.buf, "\"kconfig\": [\"LRU_GEN\"]");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(patch);
	free(fixes);
	free(dir);
}

/* An imported fix with no series: located generically, placed hunk by hunk. */
static void test_imported_fix_applies_without_a_series(void **state)
{
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir), *repo = make_repo(dir);
	char *patch = tl_fixture_path("fix/import.patch");
	struct tl_run r;

	(void)state;
	import(&r, fixes, patch, "owner");
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "owner", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "owner", "--json", "--output", dir, NULL);
	if (r.status)
		fail_msg("apply: %s%s", r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"series\": null");
	assert_contains(r.out.buf, "owner.patch itself, placed hunk by hunk");
	assert_contains(r.out.buf, "\"result\": \"applied\"");
	assert_contains(r.out.buf, "\"after\": {\"status\": \"already-fixed\"");
	tl_run_release(&r);
	{
		char *series = xstrfmt("%s/6.1.y/series", dir);
		char *text = tl_read_file(series, NULL);

		assert_contains(text, "owner.patch");
		free(text);
		free(series);
	}
	/*
	 * The patch's message records no upstream commit; its "From <id>" line
	 * did, and fix.conf kept it: the stable-queue patch, the DEP-3 header
	 * and the commit all carry it.
	 */
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "owner", "--format", "stable-queue", "--output", dir, "--commit", NULL);
	if (r.status)
		fail_msg("apply: %s%s", r.out.buf, r.err.buf);
	tl_run_release(&r);
	{
		char *queued = xstrfmt("%s/queue-6.1/mm-vmscan-skip-ownerless-mms-read-nr_walkers-"
				       "once.patch", dir);
		char *text = tl_read_file(queued, NULL);
		char *msg = tl_git_out(repo, "log", "-1", "--format=%B",
				       "refs/heads/backport-mglru/6.1.y", NULL);

		assert_contains(text, "From " IMPORTED_UPSTREAM " Mon Sep 17 00:00:00 2001\n");
		assert_contains(text, "\n\n[ Upstream commit " IMPORTED_UPSTREAM " ]\n\n"
				      "A hand-written fixture");
		assert_string_equal(msg, "mm/vmscan: skip ownerless mms, read nr_walkers once\n\n"
					 "[ Upstream commit " IMPORTED_UPSTREAM " ]\n\n"
					 "A hand-written fixture in git format-patch form for "
					 "import: two hunks\nwhose @@ lines name their functions."
					 "\n\nSigned-off-by: Fixture Author "
					 "<fixture@example.com>");
		free(msg);
		free(text);
		free(queued);
	}
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "owner", "--format", "dep3", "--output", dir, NULL);
	if (r.status)
		fail_msg("apply: %s%s", r.out.buf, r.err.buf);
	tl_run_release(&r);
	{
		char *dep3 = xstrfmt("%s/6.1.y/owner.patch", dir);
		char *text = tl_read_file(dep3, NULL);

		assert_contains(text, "Origin: backport, https://git.kernel.org/linus/"
				      IMPORTED_UPSTREAM "\n");
		free(text);
		free(dep3);
	}
	tl_rmtree(dir);
	free(patch);
	free(repo);
	free(fixes);
	free(dir);
}

/*
 * A series whose second folder cannot be put in place (the disk fails
 * between the two renames: the failrename shim): the first one, renamed
 * already, goes again, with every temporary, and the error names the path.
 */
static void test_import_series_rolls_back(void **state)
{
	char *dir = tl_tmpdir(), *fixes = xstrfmt("%s/fixes", dir);
	char *mbox = tl_fixture_path("fix/series.mbox"), *ls;
	const char *asan = getenv("ASAN_OPTIONS");
	char *asan_preload = xstrfmt("%s%sverify_asan_link_order=0", asan ? asan : "",
				     asan ? ":" : "");
	struct tl_run r;

	(void)state;
	tl_sh("mkdir -p '%s' && touch '%s/keep'", fixes, fixes);
	setenv("LD_PRELOAD", tl_env("BM_FAILRENAME"), 1);
	setenv("BM_FAIL_RENAME_TO", SERIES_ID_2, 1);
	setenv("ASAN_OPTIONS", asan_preload, 1);
	import(&r, fixes, mbox, NULL);
	unsetenv("LD_PRELOAD");
	unsetenv("BM_FAIL_RENAME_TO");
	if (asan)
		setenv("ASAN_OPTIONS", asan, 1);
	else
		unsetenv("ASAN_OPTIONS");
	assert_int_equal(r.status, 128);
	assert_string_equal(r.out.buf, "");
	assert_contains(r.err.buf, "fatal: cannot rename '");
	assert_contains(r.err.buf, "/" SERIES_ID_2 "': Input/output error\n");
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, "keep\n");	/* the first folder went again; no temporary */
	free(ls);
	/* the same import with the disk well: both folders */
	import(&r, fixes, mbox, NULL);
	if (r.status)
		fail_msg("import: %s", r.err.buf);
	tl_run_release(&r);
	ls = listing(fixes);
	assert_string_equal(ls, "keep\n" SERIES_ID_2 "\n" SERIES_ID_1 "\n");
	free(ls);
	tl_rmtree(dir);
	free(asan_preload);
	free(mbox);
	free(fixes);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_format_patch),
		cmocka_unit_test(test_import_mbox_and_plain_diff),
		cmocka_unit_test(test_import_series_mbox),
		cmocka_unit_test(test_import_series_rolls_back),
		cmocka_unit_test(test_import_refuses_bad_input),
		cmocka_unit_test(test_import_kconfig),
		cmocka_unit_test(test_imported_fix_applies_without_a_series),
	};

	/* no per-user fixes directory: the tests say where fixes live */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
