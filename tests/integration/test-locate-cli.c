/*
 * backport-mglru locate on scratch repositories: branch resolution (local,
 * remote-tracking, tags, commits, ambiguity, absence), --all ordering, bad
 * input, and that nothing in the repository changes.
 */
#include "testlib.h"

#include "core/xalloc.h"

struct scratch {
	char *dir;	/* the scratch directory */
	char *repo;	/* dir/repo: a work-tree repository */
};

/* Writes the fixture tree with the Makefile saying version.patchlevel.sublevel. */
static void write_tree(const char *repo, int v, int p, int s)
{
	char *src = tl_fixture_path("tree/mm");
	char *mk = xstrfmt("%s/Makefile", repo);
	char *text = xstrfmt("VERSION = %d\nPATCHLEVEL = %d\nSUBLEVEL = %d\n"
			     "EXTRAVERSION =\nNAME = Fixture\n", v, p, s);
	struct tl_run r;

	tl_run(&r, NULL, "cp", "-R", src, repo, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_write_file(mk, text);
	free(text);
	free(mk);
	free(src);
}

static void commit_version(const char *repo, int v, int p, int s)
{
	char *msg = xstrfmt("Linux %d.%d.%d", v, p, s);

	write_tree(repo, v, p, s);
	tl_git(repo, "add", "-A", NULL);
	tl_git(repo, "commit", "-q", "-m", msg, NULL);
	free(msg);
}

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));

	s->dir = tl_tmpdir();
	s->repo = xstrfmt("%s/repo", s->dir);
	tl_git(s->dir, "init", "-q", "repo", NULL);
	commit_version(s->repo, 6, 1, 20);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	tl_rmtree(s->dir);
	free(s->dir);
	free(s->repo);
	free(s);
	return 0;
}

/* Runs backport-mglru locate --repo <repo> <args...> --json */
static void locate(struct tl_run *r, const char *repo, ...)
{
	const char *argv[32] = { tl_bin(), "locate", "--repo", repo };
	size_t n = 4;
	va_list ap;
	const char *a;

	va_start(ap, repo);
	while ((a = va_arg(ap, const char *)) && n < ARRAY_SIZE(argv) - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	tl_run_argv(r, NULL, argv);
}

static void test_local_branch(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	tl_git(s->repo, "branch", "linux-6.1.y", NULL);
	locate(&r, s->repo, "--branch", "6.1.y", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"ref\": \"refs/heads/linux-6.1.y\"");
	assert_contains(r.out.buf, "\"version\": \"6.1.20\"");
	assert_contains(r.out.buf, "\"status\": \"needs-fix\"");
	tl_run_release(&r);

	/* linux-6.1.y spelled out resolves the same way */
	locate(&r, s->repo, "--branch", "linux-6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "linux-6.1.y");
	assert_contains(r.out.buf, "mm/vmscan.c:16 (should_skip_mm)");
	assert_contains(r.out.buf, "mm/vmscan.c:45 (iterate_mm_list)");
	tl_run_release(&r);
}

static void test_remote_tracking_branch(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	tl_git(s->repo, "update-ref", "refs/remotes/stable/linux-6.6.y", "HEAD", NULL);
	locate(&r, s->repo, "--branch", "6.6.y", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"ref\": \"refs/remotes/stable/linux-6.6.y\"");
	assert_contains(r.out.buf, "\"label\": \"stable/linux-6.6.y\"");
	tl_run_release(&r);

	locate(&r, s->repo, "--branch", "stable/linux-6.6.y", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"label\": \"stable/linux-6.6.y\"");
	tl_run_release(&r);
}

static void test_two_remotes_are_ambiguous(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	tl_git(s->repo, "update-ref", "refs/remotes/stable/linux-6.6.y", "HEAD", NULL);
	tl_git(s->repo, "update-ref", "refs/remotes/origin/linux-6.6.y", "HEAD", NULL);
	locate(&r, s->repo, "--branch", "6.6.y", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "branch '6.6.y' is ambiguous");
	assert_contains(r.err.buf, "origin/linux-6.6.y");
	assert_contains(r.err.buf, "stable/linux-6.6.y");
	assert_string_equal(r.out.buf, "");
	tl_run_release(&r);

	/* a local branch settles it */
	tl_git(s->repo, "branch", "linux-6.6.y", NULL);
	locate(&r, s->repo, "--branch", "6.6.y", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"ref\": \"refs/heads/linux-6.6.y\"");
	tl_run_release(&r);
}

static void test_highest_tag(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	commit_version(s->repo, 6, 9, 2);
	tl_git(s->repo, "tag", "v6.9.2", NULL);
	commit_version(s->repo, 6, 9, 10);
	tl_git(s->repo, "tag", "-a", "-m", "Linux 6.9.10", "v6.9.10", NULL);
	commit_version(s->repo, 6, 9, 9);
	tl_git(s->repo, "tag", "v6.9.9", NULL);
	tl_git(s->repo, "tag", "v6.10.1", NULL);
	locate(&r, s->repo, "--branch", "6.9.y", "--json", NULL);
	assert_int_equal(r.status, 0);
	/* numeric order: 10 > 9 > 2, and v6.10.1 is another line */
	assert_contains(r.out.buf, "\"ref\": \"refs/tags/v6.9.10\"");
	assert_contains(r.out.buf, "\"version\": \"6.9.10\"");
	tl_run_release(&r);

	/* a tag by name; an annotated one peels to its commit */
	locate(&r, s->repo, "--branch", "v6.9.2", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "\"version\": \"6.9.2\"");
	tl_run_release(&r);
}

static void test_commit_id(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	char *head = tl_git_out(s->repo, "rev-parse", "HEAD", NULL);
	char *expect = xstrfmt("\"commit\": \"%s\"", head);

	locate(&r, s->repo, "--branch", head, "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, expect);
	assert_contains(r.out.buf, "\"ref\": null");
	tl_run_release(&r);
	free(expect);
	free(head);
}

static void test_unknown_branch(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	locate(&r, s->repo, "--branch", "5.4.y", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "unknown branch '5.4.y'");
	assert_int_equal(strchr(r.err.buf, '\n') - r.err.buf + 1, r.err.len);
	assert_string_equal(r.out.buf, "");
	tl_run_release(&r);

	locate(&r, s->repo, "--branch", "no-such-thing", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "unknown branch 'no-such-thing'");
	tl_run_release(&r);
}

static void test_all_in_version_order(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	const char *a, *b, *c;

	tl_git(s->repo, "branch", "linux-6.12.y", NULL);
	tl_git(s->repo, "branch", "linux-6.6.y", NULL);
	tl_git(s->repo, "branch", "linux-6.1.y", NULL);
	tl_git(s->repo, "branch", "feature", NULL);
	/* a remote-tracking copy of a line with a local branch is left out */
	tl_git(s->repo, "update-ref", "refs/remotes/stable/linux-6.6.y", "HEAD", NULL);
	tl_git(s->repo, "update-ref", "refs/remotes/stable/linux-5.15.y", "HEAD", NULL);
	locate(&r, s->repo, "--all", NULL);
	assert_int_equal(r.status, 0);
	a = strstr(r.out.buf, "\nlinux-6.1.y ");
	b = strstr(r.out.buf, "\nlinux-6.6.y ");
	c = strstr(r.out.buf, "\nlinux-6.12.y ");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a < b && b < c);
	assert_true(strstr(r.out.buf, "\nstable/linux-5.15.y ") < a);
	assert_not_contains(r.out.buf, "stable/linux-6.6.y");
	assert_not_contains(r.out.buf, "feature");
	tl_run_release(&r);
}

static void test_not_a_repository(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	char *empty = xstrfmt("%s/empty", s->dir);

	tl_run(&r, NULL, "mkdir", empty, NULL);
	tl_run_release(&r);
	locate(&r, empty, "--all", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "not a git repository");
	assert_contains(r.err.buf, empty);
	tl_run_release(&r);
	free(empty);
}

static void test_tree_without_vmscan(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	tl_git(s->repo, "rm", "-q", "mm/vmscan.c", NULL);
	tl_git(s->repo, "commit", "-q", "-m", "no vmscan", NULL);
	locate(&r, s->repo, "--branch", "HEAD", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "cannot read 'mm/vmscan.c' at 'HEAD': path not in tree");
	tl_run_release(&r);
}

/*
 * Branches are located on several threads: the report keeps the branches'
 * order, and of several that fail, the first in order is the one named.
 */
static void test_many_branches_keep_order_and_first_error(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;
	const char *prev = NULL;
	char *tags[8];

	for (int i = 0; i < 8; i++) {
		tags[i] = xstrfmt("v6.1.%d", 30 + i);
		commit_version(s->repo, 6, 1, 30 + i);
		tl_git(s->repo, "tag", tags[i], NULL);
	}
	locate(&r, s->repo, "--branch", tags[5], "--branch", tags[0], "--branch", tags[7],
	       "--branch", tags[2], "--branch", tags[6], "--branch", tags[1],
	       "--branch", tags[4], "--branch", tags[3], NULL);
	assert_int_equal(r.status, 0);
	for (int k = 0; k < 8; k++) {
		static const int order[] = { 5, 0, 7, 2, 6, 1, 4, 3 };
		char *row = xstrfmt("\n%s  6.1.%d ", tags[order[k]], 30 + order[k]);
		const char *at = strstr(r.out.buf, row);

		if (!at || (prev && at < prev))
			fail_msg("row '%s' missing or out of order in:\n%s", row + 1, r.out.buf);
		prev = at;
		free(row);
	}
	tl_run_release(&r);

	/* two later commits lack mm/vmscan.c; the one asked for first is named */
	tl_git(s->repo, "rm", "-q", "mm/vmscan.c", NULL);
	tl_git(s->repo, "commit", "-q", "-m", "no vmscan", NULL);
	tl_git(s->repo, "tag", "gone-1", NULL);
	tl_git(s->repo, "commit", "-q", "--allow-empty", "-m", "still none", NULL);
	tl_git(s->repo, "tag", "gone-2", NULL);
	locate(&r, s->repo, "--branch", tags[0], "--branch", "gone-2", "--branch", tags[1],
	       "--branch", "gone-1", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "at 'gone-2': path not in tree");
	assert_not_contains(r.err.buf, "gone-1");
	assert_int_equal(r.out.len, 0);
	tl_run_release(&r);
	for (int i = 0; i < 8; i++)
		free(tags[i]);
}

static void test_unknown_status_exits_1(void **state)
{
	struct scratch *s = *state;
	char *path = xstrfmt("%s/mm/vmscan.c", s->repo);
	char *text = xstrfmt("static bool iterate_mm_list(struct lruvec *l, "
			     "struct mm_struct **iter)\n{\n\tmmput_async(*iter);\n"
			     "\t*iter = NULL;\n\t/* never closed\n}\n");
	struct tl_run r;

	tl_write_file(path, text);
	tl_git(s->repo, "commit", "-q", "-a", "-m", "broken", NULL);
	locate(&r, s->repo, "--branch", "HEAD", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "unknown");
	tl_run_release(&r);
	free(text);
	free(path);
}

/*
 * On a branch of its own, made from HEAD by cmd (sh, in the work tree),
 * with an MGLRU Kconfig: locate says "unknown", the reason, exit 1.
 */
static void expect_not_a_source(struct scratch *s, const char *name, const char *cmd,
				const char *reason)
{
	char *kconfig = xstrfmt("%s/mm/Kconfig", s->repo);
	char *line = xstrfmt("%s: unknown: %s\n", name, reason);
	struct tl_run r;

	tl_git(s->repo, "checkout", "-q", "-b", name, "master", NULL);
	tl_write_file(kconfig, "config LRU_GEN\n\tbool \"Multi-Gen LRU\"\n"
			       "\tdepends on MMU\n");
	tl_run(&r, s->repo, "sh", "-c", cmd, NULL);
	if (r.status)
		fail_msg("'%s' failed: %s", cmd, r.err.buf);
	tl_run_release(&r);
	tl_git(s->repo, "add", "-A", NULL);
	tl_git(s->repo, "commit", "-q", "-m", name, NULL);
	tl_git(s->repo, "checkout", "-q", "-f", "master", NULL);

	locate(&r, s->repo, "--branch", name, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, line);
	assert_not_contains(r.out.buf, "not-affected");
	assert_string_equal(r.err.buf, "");
	tl_run_release(&r);
	locate(&r, s->repo, "--branch", name, "--json", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"status\": \"unknown\"");
	assert_contains(r.out.buf, reason);
	tl_run_release(&r);
	free(line);
	free(kconfig);
}

/* A tree whose mm/vmscan.c (or mm/mmap.c) is there but is no C file to read. */
static void test_vmscan_not_a_file(void **state)
{
	struct scratch *s = *state;
	char *head = tl_git_out(s->repo, "rev-parse", "HEAD", NULL);
	char *gitlink = xstrfmt("git rm -q --cached mm/vmscan.c && "
				"git update-index --add --cacheinfo 160000,%s,mm/vmscan.c",
				head);

	expect_not_a_source(s, "empty", ": > mm/vmscan.c", "mm/vmscan.c is empty");
	/* the link's target is a real MGLRU file: still not read through it */
	expect_not_a_source(s, "symlink",
			    "mv mm/vmscan.c mm/real-vmscan.c && ln -s real-vmscan.c mm/vmscan.c",
			    "mm/vmscan.c is a symbolic link, not a file");
	expect_not_a_source(s, "dangling", "rm mm/vmscan.c && ln -s nowhere.c mm/vmscan.c",
			    "mm/vmscan.c is a symbolic link, not a file");
	expect_not_a_source(s, "directory",
			    "mv mm/vmscan.c mm/x.c && mkdir mm/vmscan.c && mv mm/x.c mm/vmscan.c/",
			    "mm/vmscan.c is a directory, not a file");
	expect_not_a_source(s, "mmap-symlink",
			    "mv mm/mmap.c mm/real-mmap.c && ln -s real-mmap.c mm/mmap.c",
			    "mm/mmap.c is a symbolic link, not a file");
	expect_not_a_source(s, "mmap-empty", ": > mm/mmap.c", "mm/mmap.c is empty");

	/* a submodule (gitlink) where the file should be */
	{
		struct tl_run r;

		tl_git(s->repo, "checkout", "-q", "-b", "submodule", "master", NULL);
		tl_run(&r, s->repo, "sh", "-c", gitlink, NULL);
		assert_int_equal(r.status, 0);
		tl_run_release(&r);
		tl_git(s->repo, "commit", "-q", "-m", "submodule", NULL);
		locate(&r, s->repo, "--branch", "submodule", NULL);
		assert_int_equal(r.status, 1);
		assert_contains(r.out.buf,
				"submodule: unknown: mm/vmscan.c is a submodule, not a file\n");
		tl_run_release(&r);
	}

	/* the untouched tree still needs the fix */
	{
		struct tl_run r;

		locate(&r, s->repo, "--branch", "master", NULL);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "needs-fix");
		tl_run_release(&r);
	}
	free(gitlink);
	free(head);
}

static void test_bare_repository_and_env(void **state)
{
	struct scratch *s = *state;
	char *bare = xstrfmt("%s/bare.git", s->dir);
	struct tl_run r;
	const char *argv[] = { tl_bin(), "locate", "--branch", "6.1.y", NULL };

	tl_git(s->repo, "branch", "linux-6.1.y", NULL);
	tl_git(s->dir, "clone", "-q", "--bare", s->repo, bare, NULL);
	locate(&r, bare, "--branch", "6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);

	/* $BACKPORT_MGLRU_REPO when there is no --repo */
	setenv("BACKPORT_MGLRU_REPO", bare, 1);
	tl_run_argv(&r, "/", argv);
	unsetenv("BACKPORT_MGLRU_REPO");
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);

	/* else the repository holding the current directory */
	{
		char *sub = xstrfmt("%s/mm", s->repo);

		tl_run_argv(&r, sub, argv);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "needs-fix");
		tl_run_release(&r);
		free(sub);
	}
	free(bare);
}

static void test_repository_untouched(void **state)
{
	struct scratch *s = *state;
	char *before_refs, *before_head, *before_status, *after;
	struct tl_run r;

	tl_git(s->repo, "branch", "linux-6.1.y", NULL);
	before_refs = tl_git_out(s->repo, "for-each-ref", NULL);
	before_head = tl_git_out(s->repo, "symbolic-ref", "HEAD", NULL);
	before_status = tl_git_out(s->repo, "status", "--porcelain", "--ignored", NULL);
	locate(&r, s->repo, "--all", "--json", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	after = tl_git_out(s->repo, "for-each-ref", NULL);
	assert_string_equal(before_refs, after);
	free(after);
	after = tl_git_out(s->repo, "symbolic-ref", "HEAD", NULL);
	assert_string_equal(before_head, after);
	free(after);
	after = tl_git_out(s->repo, "status", "--porcelain", "--ignored", NULL);
	assert_string_equal(before_status, after);
	free(after);
	free(before_refs);
	free(before_head);
	free(before_status);
}

static void test_usage(void **state)
{
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, tl_bin(), "locate", "-h", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "usage: backport-mglru locate");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "locate", "--bogus", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "'--bogus'");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "locate", "--branch", NULL);
	assert_int_equal(r.status, 129);
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "frobnicate", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "unknown command 'frobnicate'");
	tl_run_release(&r);

	tl_run(&r, NULL, tl_bin(), "-h", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "locate");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_branch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote_tracking_branch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_remotes_are_ambiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_highest_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_branch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_in_version_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_repository, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_without_vmscan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_branches_keep_order_and_first_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_status_exits_1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmscan_not_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bare_repository_and_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repository_untouched, setup, teardown),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
