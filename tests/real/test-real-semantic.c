/*
 * --semantic on a real tree: linux-6.1.y of $REAL_KERNEL_REPO with a vendor
 * check inserted before the pin (as vendor kernels carry), in a scratch
 * repository sharing the real one's objects.  The shipped series fails on
 * it; the full job with --semantic adapts it with spatch, compile-checks it
 * on x86_64, and writes a patch that quilt pushes at fuzz 0.
 */
#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

static char *cache_env;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		fail_msg("getcwd failed");
	cache_env = xstrfmt("%s/real-check-cache", cwd);
	setenv("BACKPORT_MGLRU_CACHE", cache_env, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cache_env);
	return 0;
}

#define VENDOR_CHECK "\tif (test_bit(MMF_OOM_SKIP, &mm->flags))\n\t\treturn true;\n\n"

/*
 * repo: a bare clone sharing $REAL_KERNEL_REPO's objects, whose linux-6.1.y
 * is a vendor commit on v6.1.192 adding VENDOR_CHECK before the pin, made
 * with plumbing only.
 */
static void vendor_repo(const char *repo)
{
	tl_sh("git clone -q --bare --shared '%s' '%s' && cd '%s' && "
	      "git show v6.1.192:mm/vmscan.c | "
	      "awk '/^static bool should_skip_mm/ { in_fn = 1 } "
	      "in_fn && /^\\treturn !mmget_not_zero\\(mm\\);$/ { printf \"%s\"; in_fn = 0 } "
	      "{ print }' > ../vmscan.c && grep -q MMF_OOM_SKIP ../vmscan.c && "
	      "blob=$(git hash-object -w ../vmscan.c) && export GIT_INDEX_FILE=../index && "
	      "git read-tree v6.1.192 && git update-index --cacheinfo 100644,$blob,mm/vmscan.c && "
	      "tree=$(git write-tree) && "
	      "c=$(GIT_AUTHOR_NAME=V GIT_AUTHOR_EMAIL=v@example.com GIT_COMMITTER_NAME=V "
	      "GIT_COMMITTER_EMAIL=v@example.com git commit-tree $tree -p v6.1.192^{commit} "
	      "-m 'vendor: skip mms the oom reaper is done with') && "
	      "git update-ref refs/heads/linux-6.1.y $c",
	      tl_env("REAL_KERNEL_REPO"), repo, repo, "\\tif (test_bit(MMF_OOM_SKIP, "
	      "&mm->flags))\\n\\t\\treturn true;\\n\\n");
}

static void test_vendor_check_on_real_6_1(void **state)
{
	char *dir = tl_tmpdir(), *repo = xstrfmt("%s/vendor.git", dir);
	char *out = xstrfmt("%s/out", dir), *text, *path;
	const char *argv[] = { tl_bin(), "--repo", repo, "--series", tl_env("SOURCE_DIR"),
			       "--branch", "6.1.y", "--arch", "x86_64", "--semantic",
			       "--output", out, "--json", NULL };
	struct tl_run r;

	(void)state;
	vendor_repo(repo);
	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"series\": \"backports/mglru-mmgrab/mglru-mmgrab.cocci\"");
	assert_contains(r.out.buf, "\"result\": \"applied\"");
	assert_contains(r.out.buf, "\"result\": \"ok\"");
	assert_not_contains(r.out.buf, "\"failed\": true");
	tl_run_release(&r);

	/* quilt push -a --fuzz=0 on the branch's mm/vmscan.c */
	tl_sh("mkdir '%s/x' && git -C '%s' archive linux-6.1.y mm/vmscan.c | tar -x -C '%s/x' && "
	      "cd '%s/x' && QUILT_PATCHES='%s/6.1.y' QUILT_SERIES=series quilt push -a "
	      "--fuzz=0 >/dev/null", dir, repo, dir, dir, out);
	path = xstrfmt("%s/x/mm/vmscan.c", dir);
	text = tl_read_file(path, NULL);
	assert_non_null(text);
	assert_contains(text, VENDOR_CHECK "\tmmgrab(mm);\n\treturn false;\n}");
	assert_contains(text, "\t\tmmdrop(*iter);\n");
	assert_not_contains(text, "mmget_not_zero(mm)");
	free(text);
	free(path);
	tl_rmtree(dir);
	free(out);
	free(repo);
	free(dir);
}

/* SIGINT while spatch runs: the scratch copy goes, and the tool dies of it. */
static void test_interrupted_spatch_leaves_nothing(void **state)
{
	char *tmp = tl_tmpdir(), *repo = xstrfmt("%s/vendor.git", tmp), *cmd;
	int st = 0, seen = 0;
	pid_t pid;

	(void)state;
	vendor_repo(repo);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		setenv("TMPDIR", tmp, 1);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execl(tl_bin(), tl_bin(), "apply", "--repo", repo, "--series",
		      tl_env("SOURCE_DIR"), "--branch", "6.1.y", "--semantic", "--dry-run",
		      (char *)NULL);
		_exit(127);
	}
	cmd = xstrfmt("ls -d '%s'/backport-mglru-spatch.* >/dev/null 2>&1", tmp);
	for (int i = 0; i < 3000 && !seen; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		seen = system(cmd) == 0;
		if (!seen && waitpid(pid, &st, WNOHANG) == pid)
			fail_msg("apply ended before spatch started (status %d)", st);
		if (!seen)
			nanosleep(&ts, NULL);
	}
	assert_true(seen);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGINT);
	/* no scratch copy left, and no spatch still running on it */
	assert_int_not_equal(system(cmd), 0);
	free(cmd);
	tl_rmtree(tmp);
	free(repo);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vendor_check_on_real_6_1),
		cmocka_unit_test(test_interrupted_spatch_leaves_nothing),
	};

	return cmocka_run_group_tests_name("real-semantic", tests, setup, teardown);
}
