/*
 * backport-mglru import: a format-patch file, a lore-style one-message mbox
 * and a plain diff become fix folders; every bad input is refused with one
 * line and nothing written; an imported fix with no series is located
 * generically and applied by placing its hunks in their functions.
 */
#include "testlib.h"

#include <stdlib.h>

#include <string.h>

#include "core/xalloc.h"

#define IMPORTED_ID "mm-vmscan-skip-ownerless-mms-read-nr-walkers"

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
		{ "fix/two-messages.mbox", "holds 2 messages: import takes one patch" },
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
	tl_rmtree(dir);
	free(patch);
	free(repo);
	free(fixes);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_format_patch),
		cmocka_unit_test(test_import_mbox_and_plain_diff),
		cmocka_unit_test(test_import_refuses_bad_input),
		cmocka_unit_test(test_import_kconfig),
		cmocka_unit_test(test_imported_fix_applies_without_a_series),
	};

	/* no per-user fixes directory: the tests say where fixes live */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
