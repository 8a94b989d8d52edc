/*
 * Series and patch files that are not regular files, or too large: a FIFO,
 * /dev/zero, /dev/urandom, a directory, a file one byte over the 16 MiB cap,
 * each named as series/6.1.y, as a patch in backports/, and as
 * series/shapes, in a --series DIR of a scratch directory.  Each is one
 * line on stderr naming the file, exit 128, in bounded time (the child runs
 * under timeout(1): a hang fails the test instead of hanging it), and
 * nothing at --output.
 */
#include "testlib.h"

#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

/* What a child may take before timeout(1) kills it, and what we accept. */
#define KILL_AFTER "30"
#define MAX_SECONDS 15.0

struct scratch {
	char *dir;
	char *repo;
	char *series;	/* dir/series-dir: a copy of tests/fixtures/seriesdir */
	char *out;
};

static void sh(const char *cmd)
{
	struct tl_run r;

	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	if (r.status)
		fail_msg("'%s' failed (%d): %s", cmd, r.status, r.err.buf);
	tl_run_release(&r);
}

/* A fresh copy of the fixture series directory at s->series. */
static void reset_series(struct scratch *s)
{
	char *src = tl_fixture_path("seriesdir");
	char *cmd = xstrfmt("rm -rf '%s' && cp -R '%s' '%s'", s->series, src, s->series);

	sh(cmd);
	free(cmd);
	free(src);
}

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	char *tree = tl_fixture_path("tree"), *cmd;

	s->dir = tl_tmpdir();
	s->repo = xstrfmt("%s/repo", s->dir);
	s->series = xstrfmt("%s/series-dir", s->dir);
	s->out = xstrfmt("%s/out", s->dir);
	tl_git(s->dir, "init", "-q", "repo", NULL);
	cmd = xstrfmt("cp -R '%s'/. '%s'/", tree, s->repo);
	sh(cmd);
	tl_git(s->repo, "add", "-A", NULL);
	tl_git(s->repo, "commit", "-q", "-m", "Linux 6.1.20", NULL);
	tl_git(s->repo, "branch", "linux-6.1.y", NULL);
	reset_series(s);
	free(cmd);
	free(tree);
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

enum kind { FIFO, DEV_ZERO, DEV_URANDOM, DIRECTORY, OVERSIZE };

static const char *const kind_name[] = { "a FIFO", "/dev/zero", "/dev/urandom",
					 "a directory", "16 MiB + 1 byte" };

/* Puts a thing of that kind at path (which exists or not). */
static void make_special(const char *path, enum kind k)
{
	static const char *const how[] = {
		[FIFO] = "mkfifo '%s'",
		[DEV_ZERO] = "ln -s /dev/zero '%s'",
		[DEV_URANDOM] = "ln -s /dev/urandom '%s'",
		[DIRECTORY] = "mkdir '%s'",
		[OVERSIZE] = "truncate -s 16777217 '%s'",
	};
	char *rm = xstrfmt("rm -f '%s'", path), *cmd = xstrfmt(how[k], path);

	sh(rm);
	sh(cmd);
	free(rm);
	free(cmd);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The names in s->dir, one a line, to see that nothing was added. */
static char *listing(const char *dir)
{
	struct tl_run r;
	char *all;

	tl_run(&r, dir, "ls", "-A", NULL);
	assert_int_equal(r.status, 0);
	all = strbuf_detach(&r.out, NULL);
	tl_run_release(&r);
	return all;
}

/*
 * apply --output with the thing at path: exit 128, stderr exactly
 * "fatal: cannot read 'path': why", stdout empty, quickly, no output.
 */
static void expect_refused(struct scratch *s, const char *path, enum kind k)
{
	const char *argv[] = { "timeout", "-s", "KILL", KILL_AFTER, tl_bin(), "apply",
			       "--repo", s->repo, "--series", s->series, "--branch", "6.1.y",
			       "--output", s->out, NULL };
	const char *why = k == OVERSIZE ? "larger than 16 MiB" : "not a regular file";
	char *want = xstrfmt("fatal: cannot read '%s': %s\n", path, why);
	char *before = listing(s->dir), *after;
	struct tl_run r;
	double t0 = now(), took;

	tl_run_argv(&r, NULL, argv);
	took = now() - t0;
	if (r.status != 128 || strcmp(r.err.buf, want) || r.out.len || took > MAX_SECONDS)
		fail_msg("%s as '%s': exit %d after %.1fs, stderr:\n%s\nstdout:\n%s\n"
			 "wanted exit 128 and stderr:\n%s", kind_name[k], path, r.status,
			 took, r.err.buf, r.out.buf, want);
	after = listing(s->dir);
	assert_string_equal(before, after);
	assert_int_not_equal(access(s->out, F_OK), 0);
	tl_run_release(&r);
	free(before);
	free(after);
	free(want);
}

static void test_series_file(void **state)
{
	struct scratch *s = *state;
	char *path = xstrfmt("%s/series/6.1.y", s->series);

	for (enum kind k = FIFO; k <= OVERSIZE; k++) {
		reset_series(s);
		make_special(path, k);
		expect_refused(s, path, k);
	}
	free(path);
}

static void test_patch_file(void **state)
{
	struct scratch *s = *state;
	char *path = xstrfmt("%s/backports/fixture-6.1.patch", s->series);

	for (enum kind k = FIFO; k <= OVERSIZE; k++) {
		reset_series(s);
		make_special(path, k);
		expect_refused(s, path, k);
	}
	free(path);
}

/* No series/6.1.y: series/shapes is read, and is held to the same rule. */
static void test_shapes_file(void **state)
{
	struct scratch *s = *state;
	char *series = xstrfmt("%s/series/6.1.y", s->series);
	char *shapes = xstrfmt("%s/series/shapes", s->series);

	for (enum kind k = FIFO; k <= OVERSIZE; k++) {
		reset_series(s);
		unlink(series);
		make_special(shapes, k);
		expect_refused(s, shapes, k);
	}
	free(series);
	free(shapes);
}

/* The same series, untouched, applies: the refusals above are the files'. */
static void test_regular_files_still_apply(void **state)
{
	struct scratch *s = *state;
	const char *argv[] = { "timeout", "-s", "KILL", KILL_AFTER, tl_bin(), "apply",
			       "--repo", s->repo, "--series", s->series, "--branch", "6.1.y",
			       "--output", s->out, NULL };
	char *link = xstrfmt("%s/series/6.1.y", s->series);
	char *cmd = xstrfmt("mv '%s' '%s.real' && ln -s 6.1.y.real '%s'", link, link, link);
	struct tl_run r;

	/* a symbolic link to a regular file is read like the file */
	sh(cmd);
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "wrote");
	tl_run_release(&r);
	free(cmd);
	free(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_series_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_patch_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shapes_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regular_files_still_apply, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
