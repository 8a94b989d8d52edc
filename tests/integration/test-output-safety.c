/*
 * The output directory never loses a user's data (issue 13): a symbolic
 * link, a file, or a directory holding files the tool did not write where
 * the tool would write DIR/<X.Y.y> is refused before anything is written;
 * a victim directory outside DIR and DIR itself are compared byte for byte
 * before and after.  --force replaces only a directory, and removes the
 * links in it as links.  SIGINT / SIGTERM while writing leave no temp
 * directory behind and the last line says what was written.  Modes follow
 * the umask.
 */
#include "testlib.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"

#define scratch tl_scratch

static char *victim;	/* outside DIR (s->out) */

static int setup(void **state)
{
	struct scratch *s = tl_scratch_new();

	victim = xstrfmt("%s/victim", s->dir);
	/* the victim: files, a subdirectory, a link, modes of its own */
	tl_sh("mkdir -p '%s/sub' && printf 'keep me\\n' > '%s/a' && printf 'b\\n' > '%s/b' && "
	   "printf 'c\\n' > '%s/sub/c' && chmod 0600 '%s/b' && ln -s a '%s/link' && "
	   "mkdir -p '%s'", victim, victim, victim, victim, victim, victim, s->out);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	tl_scratch_free(*state);
	free(victim);
	victim = NULL;
	return 0;
}

/* Every entry under dir with its type, mode, size, link target and content hash. */
static char *snapshot(const char *dir)
{
	char *cmd = xstrfmt("cd '%s' && find . -printf '%%p %%y %%m %%s %%l\\n' | sort && "
			    "find . -type f -print0 | sort -z | xargs -0 -r sha1sum", dir);
	struct tl_run r;
	char *snap;

	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	snap = strbuf_detach(&r.out, NULL);
	tl_run_release(&r);
	free(cmd);
	return snap;
}

static void apply(struct tl_run *r, struct scratch *s, ...)
{
	const char *argv[32] = { tl_bin(), "apply", "--repo", s->repo, "--series", s->series,
				 "--branch", "6.1.y", "--output", s->out };
	size_t n = 10;
	va_list ap;
	const char *a;

	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) && n < ARRAY_SIZE(argv) - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	tl_run_argv(r, NULL, argv);
}

/* A refused run: exit 1, the message, DIR and the victim as they were. */
static void assert_refused(struct scratch *s, const char *msg, const char *force)
{
	char *out_before = snapshot(s->out), *victim_before = snapshot(victim);
	char *out_after, *victim_after;
	struct tl_run r;

	apply(&r, s, force, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, msg);
	assert_not_contains(r.out.buf, ": wrote ");
	tl_run_release(&r);
	out_after = snapshot(s->out);
	victim_after = snapshot(victim);
	assert_string_equal(out_before, out_after);
	assert_string_equal(victim_before, victim_after);
	free(out_before);
	free(out_after);
	free(victim_before);
	free(victim_after);
}

static void test_symlink_is_refused(void **state)
{
	struct scratch *s = *state;
	char *msg = xstrfmt("refusing to write '%s/6.1.y': it is a symbolic link", s->out);
	static const char *targets[] = { "victim", "victim/a", "nowhere" };

	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		tl_sh("rm -f '%s/6.1.y' && ln -s '%s/%s' '%s/6.1.y'", s->out, s->dir, targets[i],
		   s->out);
		assert_refused(s, msg, NULL);
		/* --force replaces directories, never what a link points to */
		assert_refused(s, msg, "--force");
	}
	free(msg);
}

static void test_file_is_refused(void **state)
{
	struct scratch *s = *state;
	char *msg = xstrfmt("refusing to write '%s/6.1.y': it exists and is not a directory",
			    s->out);

	tl_sh("printf 'my notes\\n' > '%s/6.1.y'", s->out);
	assert_refused(s, msg, NULL);
	assert_refused(s, msg, "--force");
	/* a FIFO is not a directory either, and nothing opens it */
	tl_sh("rm '%s/6.1.y' && mkfifo '%s/6.1.y'", s->out, s->out);
	assert_refused(s, msg, "--force");
	free(msg);
}

static void test_foreign_files_need_force(void **state)
{
	struct scratch *s = *state;
	char *final = xstrfmt("%s/6.1.y", s->out);
	char *msg = xstrfmt("'%s/NOTES' was not written by backport-mglru (--force replaces "
			    "'%s')", final, final);
	char *edited = xstrfmt("'%s/fixture-6.1.patch' was changed since backport-mglru "
			       "wrote it", final);
	char *notes, *victim_before = snapshot(victim), *victim_after;
	struct tl_run r;

	/* written once, then written again over its own files: fine */
	apply(&r, s, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	apply(&r, s, "--format", "dep3", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "wrote");
	tl_run_release(&r);

	/* a maintainer's notes beside the patches: refused, kept */
	tl_sh("printf 'do not lose\\n' > '%s/NOTES'", final);
	assert_refused(s, msg, NULL);
	/* a link in there is not ours either (and is never followed) */
	tl_sh("rm '%s/NOTES' && ln -s '%s' '%s/NOTES'", final, victim, final);
	assert_refused(s, msg, NULL);
	tl_sh("rm '%s/NOTES'", final);

	/* a patch edited since (quilt refresh): refused, kept */
	tl_sh("printf '# reviewed\\n' >> '%s/fixture-6.1.patch'", final);
	assert_refused(s, edited, NULL);

	/* --force replaces the directory; the link inside goes as a link */
	tl_sh("ln -s '%s' '%s/victim-link' && mkdir '%s/sub' && ln -s '%s/a' '%s/sub/l'",
	   victim, final, final, victim, final);
	apply(&r, s, "--force", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	notes = xstrfmt("%s/fixture-6.1.patch", final);
	{
		char *text = tl_read_file(notes, NULL);

		assert_non_null(text);
		assert_not_contains(text, "# reviewed");
		free(text);
	}
	victim_after = snapshot(victim);
	assert_string_equal(victim_before, victim_after);
	tl_sh("test ! -e '%s/victim-link' && test ! -e '%s/sub' && "
	   "test -z \"$(ls -A '%s' | grep -e '\\.tmp-' -e '\\.old-')\"", final, final, s->out);

	/* a directory the tool wrote before it kept a manifest is its own */
	tl_sh("rm '%s/.backport-mglru'", final);
	apply(&r, s, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_sh("rm '%s/.backport-mglru' && printf 'x\\n' > '%s/NOTES'", final, final);
	assert_refused(s, msg, NULL);
	free(notes);
	free(victim_before);
	free(victim_after);
	free(final);
	free(msg);
	free(edited);
}

static void test_force_only_with_output(void **state)
{
	struct scratch *s = *state;
	struct tl_run r;

	tl_run(&r, NULL, tl_bin(), "apply", "--repo", s->repo, "--series", s->series,
	       "--force", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--force goes with --commit or --output");
	tl_run_release(&r);
	tl_run(&r, NULL, tl_bin(), "--repo", s->repo, "--force", NULL);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--force goes with --output");
	tl_run_release(&r);
}

/* A dry run vets too, and writes nothing. */
static void test_dry_run_says_refused(void **state)
{
	struct scratch *s = *state;
	char *msg = xstrfmt("refusing to write '%s/6.1.y': it is a symbolic link", s->out);

	tl_sh("ln -s '%s' '%s/6.1.y'", victim, s->out);
	assert_refused(s, msg, "--dry-run");
	free(msg);
}

/* One branch refused: the other lines are not written either. */
static void test_one_refusal_writes_nothing(void **state)
{
	struct scratch *s = *state;
	char *before, *after;
	struct tl_run r;

	tl_git(s->repo, "checkout", "-q", "-b", "linux-6.2.y", NULL);
	tl_sh("sed -i 's/^PATCHLEVEL = 1$/PATCHLEVEL = 2/' '%s/Makefile'", s->repo);
	tl_git(s->repo, "commit", "-q", "-am", "Linux 6.2.3", NULL);
	tl_sh("ln -s '%s' '%s/6.1.y'", victim, s->out);
	before = snapshot(s->out);
	apply(&r, s, "--branch", "6.2.y", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "it is a symbolic link");
	assert_contains(r.out.buf, "not written: the output of 'linux-6.1.y' was refused");
	tl_run_release(&r);
	after = snapshot(s->out);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static void test_modes_follow_umask(void **state)
{
	struct scratch *s = *state;
	static const struct { mode_t mask, dir, file; } cases[] = {
		{ 022, 0755, 0644 }, { 027, 0750, 0640 }, { 002, 0775, 0664 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		mode_t old = umask(cases[i].mask);
		char *final = xstrfmt("%s/6.1.y", s->out);
		char *patch = xstrfmt("%s/fixture-6.1.patch", final);
		struct tl_run r;

		apply(&r, s, NULL);
		umask(old);
		assert_int_equal(r.status, 0);
		tl_run_release(&r);
		assert_int_equal(mode_of(final), cases[i].dir);
		assert_int_equal(mode_of(patch), cases[i].file);
		free(final);
		free(patch);
	}
}

/* Many lines, so that a signal sent once writing began lands in the middle. */
#define NR_LINES 40

static void make_lines(struct scratch *s)
{
	tl_sh("cd '%s' && for k in $(seq 2 %d); do git checkout -q -b linux-6.$k.y linux-6.1.y && "
	   "sed -i \"s/^PATCHLEVEL = 1$/PATCHLEVEL = $k/\" Makefile && "
	   "git -c user.name=T -c user.email=t@example.com commit -q -am \"Linux 6.$k.1\"; "
	   "done", s->repo, NR_LINES);
}

static bool has_entry(const char *dir)
{
	char *cmd = xstrfmt("test -n \"$(ls -A '%s')\"", dir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

/*
 * Runs apply --all --output, sends sig once DIR has an entry; the exit
 * code, or 1000 + the signal that killed it.
 */
static int apply_signalled(struct scratch *s, int sig, const char *errpath)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout) || !freopen(errpath, "w", stderr))
			_exit(127);
		execl(tl_bin(), tl_bin(), "apply", "--repo", s->repo, "--series", s->series,
		      "--all", "--output", s->out, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 20000 && !has_entry(s->out); i++) {
		struct timespec ts = { 0, 200000 };

		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
		nanosleep(&ts, NULL);
	}
	kill(pid, sig);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static void test_signal_leaves_no_temp(void **state)
{
	struct scratch *s = *state;
	char *errpath = xstrfmt("%s/err", s->dir);
	static const int sigs[] = { SIGINT, SIGTERM };
	int caught = 0;

	make_lines(s);
	for (int round = 0; round < 6; round++) {
		int status;
		char *err;

		tl_sh("rm -rf '%s' && mkdir '%s'", s->out, s->out);
		status = apply_signalled(s, sigs[round % 2], errpath);
		err = tl_read_file(errpath, NULL);
		assert_non_null(err);
		/* never a temp or an old directory left, whatever happened */
		tl_sh("test -z \"$(ls -A '%s' | grep -e '\\.tmp-' -e '\\.old-')\"", s->out);
		if (status == 0) {	/* all written before the signal */
			free(err);
			continue;
		}
		/* 130 from the tool itself, not a death by the signal (1000 + sig) */
		assert_int_equal(status, 130);
		/* the last line says what was written and what was not */
		{
			char *l = err + strlen(err);

			while (l > err && l[-1] == '\n')
				l--;
			while (l > err && l[-1] != '\n')
				l--;
			assert_true(!strncmp(l, "fatal: interrupted", 18));
			assert_contains(l, "not written: linux-6.");
			/* every complete directory is named as written, and is whole */
			for (int k = 1; k <= NR_LINES; k++) {
				char *d = xstrfmt("%s/6.%d.y", s->out, k);
				char *named = xstrfmt("'%s'", d);
				struct stat st;

				if (!lstat(d, &st)) {
					assert_contains(l, named);
					tl_sh("test -f '%s/series' && test -f '%s/.backport-mglru'",
					   d, d);
				} else {
					assert_not_contains(l, named);
				}
				free(d);
				free(named);
			}
		}
		caught++;
		free(err);
	}
	/* the test has teeth only if some signal came in the middle */
	assert_true(caught > 0);
	free(errpath);
}

/*
 * fs_rename_new() (import puts its folders in place with it) never replaces
 * what is at the target, not even an empty directory, which rename() would.
 */
static void test_rename_new_never_replaces(void **state)
{
	char *dir = tl_tmpdir(), *from = xstrfmt("%s/from", dir), *to = xstrfmt("%s/to", dir);
	char *kept = xstrfmt("%s/from/kept", dir), *got;
	struct stat st;

	(void)state;
	tl_sh("mkdir '%s' '%s' && echo data > '%s'", from, to, kept);
	assert_int_equal(fs_rename_new(from, to), -1);
	assert_int_equal(errno, EEXIST);
	assert_contains(error_last(), "cannot rename '");
	error_clear();
	assert_int_equal(lstat(to, &st), 0);	/* still the empty directory */
	assert_int_equal(rmdir(to), 0);
	assert_int_equal(fs_rename_new(from, to), 0);
	free(kept);
	kept = xstrfmt("%s/kept", to);
	got = tl_read_file(kept, NULL);
	assert_string_equal(got, "data\n");
	free(got);
	tl_rmtree(dir);
	free(kept);
	free(to);
	free(from);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_symlink_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_files_need_force, setup, teardown),
		cmocka_unit_test_setup_teardown(test_force_only_with_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_says_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_refusal_writes_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_modes_follow_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_leaves_no_temp, setup, teardown),
		cmocka_unit_test(test_rename_new_never_replaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
