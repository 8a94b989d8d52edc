/*
 * The fix catalogue from the command line: a series directory in the new
 * layout (backports/<id>/fix.conf) read, and every kind of bad descriptor
 * refused with one line naming the file and the key, exit code 128, and
 * nothing on stdout.
 */
#include "testlib.h"

#include <stdlib.h>

#include <string.h>
#include <sys/stat.h>

#include "core/xalloc.h"

static const char good_conf[] =
	"[fix]\n"
	"\tid = one\n"
	"\tsubject = mm: one fix\n"
	"\tkconfig = LRU_GEN\n"
	"[file \"mm/vmscan.c\"]\n"
	"\tfunction = f\n";

/* dir/backports/<id>/fix.conf = conf, dir/series/<id>/ made. */
static char *make_catalogue(const char *id, const char *conf)
{
	char *dir = tl_tmpdir();
	char *b = xstrfmt("%s/backports/%s", dir, id), *s = xstrfmt("%s/series/%s", dir, id);
	char *path = xstrfmt("%s/fix.conf", b);
	struct tl_run r;

	tl_run(&r, NULL, "mkdir", "-p", b, s, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	if (conf)
		tl_write_file(path, conf);
	free(path);
	free(b);
	free(s);
	return dir;
}

/* apply --series dir on no repository: the catalogue is read first. */
static void apply_on(struct tl_run *r, const char *dir)
{
	tl_run(r, NULL, tl_bin(), "apply", "--repo", "/nonexistent/repo", "--series", dir,
	       NULL);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct bad_case {
	const char *id;		/* folder name */
	const char *conf;	/* NULL: no fix.conf */
	const char *message;	/* after "fatal: " */
};

static void test_bad_descriptors(void **state)
{
	static const struct bad_case cases[] = {
		{ "one", "[fix\n\tid = one\n", "bad fix descriptor '%s': " },
		{ "one", "[fix]\n\tid = one\n\tsubject = s\n\tfoo = 1\n"
			 "[file \"mm/vmscan.c\"]\n\tfunction = f\n",
		  "bad fix descriptor '%s': unknown key 'fix.foo'" },
		{ "one", "[fix]\n\tid = one\n[file \"mm/vmscan.c\"]\n\tfunction = f\n",
		  "bad fix descriptor '%s': missing key 'fix.subject'" },
		{ "two", good_conf,
		  "bad fix descriptor '%s': key 'fix.id' is 'one', but the folder is 'two'" },
		{ "one", "[fix]\n\tid = one\n\tsubject = s\n\tupstream = xyz\n"
			 "[file \"mm/vmscan.c\"]\n\tfunction = f\n",
		  "bad fix descriptor '%s': key 'fix.upstream' is not a commit id" },
		{ "one", "[fix]\n\tid = one\n  [ IncludeIf \"gitdir:/\"]\n\tpath = /etc/passwd\n",
		  "bad fix descriptor '%s': key 'include' (line 3): includes are not allowed" },
		{ "one", "[fix]\n\tid = one\n\tsubject = s\n\trule = mglru-mmgrab\n"
			 "[file \"mm/vmscan.c\"]\n\tfunction = f\n",
		  "bad fix descriptor '%s': key 'precondition': rule 'mglru-mmgrab' reads "
		  "one precondition" },
		/* the keys this change added: fix.semantic, precondition commit/subject */
		{ "one", "[fix]\n\tid = one\n\tsubject = s\n\tsemantic = ../x.cocci\n"
			 "[file \"mm/vmscan.c\"]\n\tfunction = f\n",
		  "bad fix descriptor '%s': key 'fix.semantic' is not a file name in the fix "
		  "folder" },
		{ "one", "[fix]\n\tid = one\n\tsubject = s\n\tpatch = p.patch\n"
			 "\tsemantic = x.cocci\n[file \"mm/vmscan.c\"]\n\tfunction = f\n",
		  "bad fix descriptor '%s': key 'fix.semantic' needs 'fix.rule'" },
		{ "one", "[fix]\n\tid = one\n\tsubject = s\n\trule = mglru-mmgrab\n"
			 "[file \"mm/vmscan.c\"]\n\tfunction = f\n[precondition \"p\"]\n"
			 "\tfile = mm/mmap.c\n\tfunction = exit_mmap\n\tcommit = nothex\n",
		  "bad fix descriptor '%s': key 'precondition.p.commit' is not a commit id" },
		{ "one", NULL, "cannot read fix descriptor '%s': no such file" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *dir = make_catalogue(cases[i].id, cases[i].conf);
		char *path = xstrfmt("%s/backports/%s/fix.conf", dir, cases[i].id);
		char *want = xstrfmt(cases[i].message, path);
		struct tl_run r;

		apply_on(&r, dir);
		if (r.status != 128)
			fail_msg("case %zu: exit %d: %s", i, r.status, r.err.buf);
		assert_contains(r.err.buf, "fatal: ");
		assert_contains(r.err.buf, want);
		assert_int_equal(count_lines(r.err.buf), 1);
		assert_string_equal(r.out.buf, "");
		tl_run_release(&r);
		tl_rmtree(dir);
		free(want);
		free(path);
		free(dir);
	}
}

/* series/<id>/shapes and the descriptor's [shape] sections must agree. */
static void test_shapes_disagree(void **state)
{
	char *dir = make_catalogue("mglru-mmgrab", NULL);
	char *cmd = xstrfmt("cp '%s/backports/mglru-mmgrab/fix.conf' '%s/backports/mglru-mmgrab/' && "
			    "cp '%s/series/mglru-mmgrab/shapes' '%s/series/mglru-mmgrab/' && "
			    "sed -i 's/^6.1-nr_walkers.*/6.1-nr_walkers\t6.6.y/' "
			    "'%s/series/mglru-mmgrab/shapes'", tl_env("SOURCE_DIR"), dir,
			    tl_env("SOURCE_DIR"), dir, dir);
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	apply_on(&r, dir);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "series/mglru-mmgrab/shapes' maps shape 6.1-nr_walkers "
				   "to '6.6.y', but '");
	assert_contains(r.err.buf, "fix.conf' says '6.1.y'");
	assert_int_equal(count_lines(r.err.buf), 1);
	tl_run_release(&r);
	tl_rmtree(dir);
	free(cmd);
	free(dir);
}

/* Two folders, one id: refused (the folder check makes this a copy). */
static void test_good_catalogue_reaches_the_repository(void **state)
{
	char *dir = make_catalogue("mglru-mmgrab", NULL);
	char *cmd = xstrfmt("cp -R '%s/backports' '%s/series' '%s'/", tl_env("SOURCE_DIR"),
			    tl_env("SOURCE_DIR"), dir);
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	/* the catalogue is fine: the next error is the repository's */
	apply_on(&r, dir);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "/nonexistent/repo");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(cmd);
	free(dir);
}

/* A scratch repository on the fixture tree, Linux 6.1.20 on linux-6.1.y. */
static char *make_repo(const char *dir)
{
	char *repo = xstrfmt("%s/repo", dir), *mm = tl_fixture_path("tree/mm");
	char *cmd = xstrfmt("cp -R '%s' '%s'/ && printf 'VERSION = 6\nPATCHLEVEL = 1\n"
			    "SUBLEVEL = 20\nEXTRAVERSION =\n' > '%s/Makefile'",
			    mm, repo, repo);
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

/*
 * An extra fix folder dir/fixes/<id>/ with no rule: its patch
 * (tests/fixtures/fix/extra.patch, two hunks in should_skip_mm() and
 * iterate_mm_list() of the fixture tree) and a series for 6.1.y.
 */
static char *make_fixes_dir(const char *dir, const char *id)
{
	char *fixes = xstrfmt("%s/fixes", dir), *patch = tl_fixture_path("fix/extra.patch");
	char *conf = xstrfmt("%s/%s/fix.conf", fixes, id);
	char *series = xstrfmt("%s/%s/series/6.1.y", fixes, id);
	char *mk = xstrfmt("mkdir -p '%s/%s/series' && cp '%s' '%s/%s/extra.patch'", fixes, id,
			   patch, fixes, id);
	char *text = xstrfmt("[fix]\n\tid = %s\n\tsubject = mm: %s\n\tkconfig = LRU_GEN\n"
			     "\tpatch = extra.patch\n"
			     "[file \"mm/vmscan.c\"]\n\tfunction = should_skip_mm\n"
			     "\tfunction = iterate_mm_list\n", id, id);
	struct tl_run r;

	tl_run(&r, NULL, "sh", "-c", mk, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_write_file(conf, text);
	tl_write_file(series, "extra.patch -p1\n");
	free(text);
	free(mk);
	free(series);
	free(conf);
	free(patch);
	return fixes;
}

/* Commits on a new branch of repo the fixture tree changed by sed script. */
static void branch_with(const char *repo, const char *branch, const char *script)
{
	char *cmd = xstrfmt("cd '%s' && git checkout -q -b '%s' linux-6.1.y && "
			    "sed -i '%s' mm/vmscan.c && git commit -q -a -m '%s'", repo, branch,
			    script, branch);
	struct tl_run r;

	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	if (r.status)
		fail_msg("%s: %s", cmd, r.err.buf);
	tl_run_release(&r);
	tl_git(repo, "checkout", "-q", "linux-6.1.y", NULL);
	free(cmd);
}

/* The generic status of a fix with no rule, branch by branch, from the code. */
static void test_generic_status_per_branch(void **state)
{
	static const struct {
		const char *branch, *status;
		int exit_code;
		const char *reason;
	} cases[] = {
		{ "linux-6.1.y", "needs-fix", 0, "needs the fix: no hunk of 2 is in" },
		{ "fixed", "already-fixed", 0, "already fixed: every hunk (2) is in" },
		{ "half", "half-applied", 0, "HALF-APPLIED FIX: hunks 1 are in, hunks 2 are not" },
		{ "conflict", "conflict", 1, "hunk 2 of mm/vmscan.c cannot be placed: "
		  "iterate_mm_list() at line 19 holds neither the lines the fix removes nor "
		  "those it adds" },
		{ "gone", "not-affected", 0, "not affected: the code the fix changes is not here" },
		{ "nofile", "not-affected", 0, "hunk 1 of mm/vmscan.c: the file is not in the tree" },
	};
	char *dir = tl_tmpdir(), *repo = make_repo(dir), *fixes = make_fixes_dir(dir, "extra");
	struct tl_run r;

	(void)state;
	branch_with(repo, "fixed", "s/^\tif (pages < MIN_BATCH)$/\tif (pages < MIN_BATCH || "
		    "!mm->owner)/; s/^\tif (mm_state->nr_walkers)$/\tif "
		    "(READ_ONCE(mm_state->nr_walkers))/");
	branch_with(repo, "half", "s/^\tif (pages < MIN_BATCH)$/\tif (pages < MIN_BATCH || "
		    "!mm->owner)/");
	branch_with(repo, "conflict", "s/^\tif (mm_state->nr_walkers)$/\tif "
		    "(atomic_read(mm_state->walkers))/");
	branch_with(repo, "gone", "s/should_skip_mm/skip_mm/g; s/iterate_mm_list/next_mm/g");
	{
		char *cmd = xstrfmt("cd '%s' && git checkout -q -b nofile linux-6.1.y && "
				    "git rm -q mm/vmscan.c && git commit -q -m nofile && "
				    "git checkout -q linux-6.1.y", repo);

		tl_run(&r, NULL, "sh", "-c", cmd, NULL);
		assert_int_equal(r.status, 0);
		tl_run_release(&r);
		free(cmd);
	}
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[] = { tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes,
				       "--fix", "extra", "--branch", cases[i].branch, "--json",
				       NULL };
		char *want = xstrfmt("\"status\": \"%s\",\n      \"reason\": ", cases[i].status);

		tl_run_argv(&r, NULL, argv);
		if (r.status != cases[i].exit_code)
			fail_msg("%s: exit %d: %s%s", cases[i].branch, r.status, r.out.buf,
				 r.err.buf);
		assert_contains(r.out.buf, "\"fix\": \"extra\"");
		assert_contains(r.out.buf, want);
		assert_contains(r.out.buf, cases[i].reason);
		tl_run_release(&r);
		free(want);
	}

	/* apply: the series placed, then the status re-checked generically */
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "extra", "--branch", "linux-6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "/fixes/extra/series/6.1.y  applied\n");
	assert_contains(r.out.buf, "hunk 1 applied at line 10; hunk 2 applied at line 38\n");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "extra", "--branch", "backport-mglru/6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "already-fixed");
	tl_run_release(&r);
	/* a half-applied branch is refused, exit 1, nothing written */
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes, "--fix",
	       "extra", "--branch", "half", "--dry-run", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "refused");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(fixes);
	free(repo);
	free(dir);
}

static void test_fixes_lists_the_catalogue(void **state)
{
	char *dir = tl_tmpdir(), *fixes = make_fixes_dir(dir, "extra");
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, tl_bin(), "fixes", "--fixes-dir", "/nonexistent/fixes", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "fixes directory '/nonexistent/fixes' is not a directory");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "fixes", NULL);
	assert_int_equal(r.status, 0);
	/* the shipped catalogue: the seed fix and the real stable fixes beside it */
	assert_contains(r.out.buf,
			"FIX                               UPSTREAM      LINES               "
			"SUBJECT\n");
	assert_contains(r.out.buf,
			"mglru-cgroup-v1-dirty-throttling  13b6b6209104  6.12.y              "
			"mm: vmscan: fix dirty folios throttling on cgroup v1 for MGLRU\n");
	assert_contains(r.out.buf,
			"mglru-memcg-disabled-lruvec       -             6.12.y              "
			"mm: multi-gen LRU: fix NULL lruvec->pgdat deref with memcg"
			" disabled on cmdline\n");
	assert_contains(r.out.buf,
			"mglru-mmgrab                      d14514c66cb9  6.1.y,6.6.y,6.12.y  "
			"mm/vmscan: prevent MGLRU reclaim from pinning address space\n");
	assert_contains(r.out.buf,
			"mglru-reset-lru-tier-bits         -             6.12.y              "
			"mm/mglru: reset page lru tier bits when activating\n");
	assert_contains(r.out.buf,
			"mglru-skip-special-vmas           c28ac3c7eb94  6.1.y,6.12.y        "
			"mm/mglru: skip special VMAs in lru_gen_look_around()\n");
	assert_contains(r.out.buf,
			"mglru-unevictable-cull            f7e698e326b2  6.1.y,6.12.y        "
			"mm/mglru: fix and remove redundant unevictable folio handling\n");
	assert_null(strstr(r.out.buf, "extra"));
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "fixes", "--fixes-dir", fixes, "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"schema\": \"backport-mglru.fixes/1\"");
	assert_contains(r.out.buf, "\"fix\": \"extra\",\n      \"upstream\": null");
	assert_contains(r.out.buf, "\"lines\": [\"6.1.y\", \"6.6.y\", \"6.12.y\"]");
	assert_contains(r.out.buf, "\"lines\": [\"6.1.y\"]");
	tl_run_release(&r);

	/* the per-user default: $XDG_DATA_HOME/backport-mglru/fixes */
	{
		char *xdg = xstrfmt("XDG_DATA_HOME=%s/data", dir);
		char *mv = xstrfmt("mkdir -p '%s/data/backport-mglru' && cp -R '%s' "
				   "'%s/data/backport-mglru/fixes'", dir, fixes, dir);

		tl_run(&r, NULL, "sh", "-c", mv, NULL);
		assert_int_equal(r.status, 0);
		tl_run_release(&r);
		tl_run(&r, NULL, "env", xdg, tl_bin(), "fixes", "--fix", "extra", NULL);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "extra  -         6.1.y  mm: extra\n");
		assert_null(strstr(r.out.buf, "mglru-mmgrab"));
		tl_run_release(&r);
		/* --fixes-dir replaces the default: extra is not read twice */
		tl_run(&r, NULL, "env", xdg, tl_bin(), "fixes", "--fixes-dir", fixes, NULL);
		assert_int_equal(r.status, 0);
		tl_run_release(&r);
		free(mv);
		free(xdg);
	}
	tl_rmtree(dir);
	free(fixes);
	free(dir);
}

static void test_fix_option(void **state)
{
	char *dir = tl_tmpdir(), *repo = make_repo(dir), *fixes = make_fixes_dir(dir, "extra");
	struct tl_run r;

	(void)state;
	/* no --fix: the seed fix, and every record says so */
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "{\n      \"fix\": \"mglru-mmgrab\",\n      \"spec\": ");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fix", "nope", NULL);
	assert_int_equal(r.status, 128);
	assert_string_equal(r.err.buf, "fatal: unknown fix 'nope' (run 'backport-mglru fixes' "
				       "for the list)\n");
	assert_string_equal(r.out.buf, "");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fix", "", NULL);
	assert_int_equal(r.status, 129);
	tl_run_release(&r);

	/* all: every fix, one table each */
	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes,
	       "--fix", "all", NULL);
	assert_contains(r.out.buf, "fix extra: mm: extra\n");
	assert_contains(r.out.buf, "fix mglru-mmgrab: mm/vmscan: prevent MGLRU reclaim");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes,
	       "--fix", "extra", "--fix", "mglru-mmgrab", "--dry-run", "--json", NULL);
	assert_contains(r.out.buf, "    {\n      \"fix\": \"extra\",\n      \"locate\": ");
	assert_contains(r.out.buf, "    {\n      \"fix\": \"mglru-mmgrab\",\n      \"locate\": ");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fixes-dir", fixes,
	       "--fix", "all", "--commit", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--commit takes one fix");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(fixes);
	free(repo);
	free(dir);
}

/*
 * check with two fixes: one pipeline and one set of compile checks each
 * (make fails on the fixture tree: the flow, not the build, is tested),
 * and a flat --series DIR with --fix all holds the seed fix's series.
 */
static void test_check_with_two_fixes(void **state)
{
	char *dir = tl_tmpdir(), *repo = make_repo(dir), *fixes = make_fixes_dir(dir, "extra");
	char *cache = xstrfmt("BACKPORT_MGLRU_CACHE=%s/cache", dir);
	char *flat = tl_fixture_path("seriesdir");
	struct tl_run r;
	const char *at;

	(void)state;
	tl_run(&r, NULL, "env", cache, tl_bin(), "check", "--repo", repo, "--fixes-dir", fixes,
	       "--series", flat, "--fix", "all", "--arch", "x86_64", NULL);
	assert_int_equal(r.status, 1);
	at = strstr(r.out.buf, "fix extra: mm: extra\n");
	assert_non_null(at);
	assert_non_null(strstr(at, "COMPILE CHECKS\n"));
	at = strstr(at, "fix mglru-mmgrab: ");
	assert_non_null(at);
	assert_contains(at, "series/6.1.y  applied\n");	/* the flat directory's */
	assert_non_null(strstr(at, "COMPILE CHECKS\n"));
	tl_run_release(&r);
	tl_rmtree(dir);
	free(flat);
	free(cache);
	free(fixes);
	free(repo);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_descriptors),
		cmocka_unit_test(test_shapes_disagree),
		cmocka_unit_test(test_good_catalogue_reaches_the_repository),
		cmocka_unit_test(test_fixes_lists_the_catalogue),
		cmocka_unit_test(test_fix_option),
		cmocka_unit_test(test_generic_status_per_branch),
		cmocka_unit_test(test_check_with_two_fixes),
	};

	/* no per-user fixes directory: the tests say where fixes live */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
