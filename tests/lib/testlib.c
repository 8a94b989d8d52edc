#include "testlib.h"

#include "core/error.h"
#include "core/fix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xalloc.h"

const char *tl_env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("environment variable %s is not set (run through ctest)", name);
	return v;
}

char *tl_fixture_path(const char *rel)
{
	return xstrfmt("%s/%s", tl_env("FIXTURES"), rel);
}

char *tl_read_file(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	close(fd);
	if (n < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, len);
}

char *tl_fixture(const char *rel, size_t *len)
{
	char *path = tl_fixture_path(rel);
	char *data = tl_read_file(path, len);

	if (!data)
		fail_msg("cannot read fixture '%s': %s", path, strerror(errno));
	free(path);
	return data;
}

void tl_write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot write '%s': %s", path, strerror(errno));
	fputs(content, f);
	if (fclose(f))
		fail_msg("cannot write '%s': %s", path, strerror(errno));
}

char *tl_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xstrfmt("%s/bm-test.XXXXXX", base && *base ? base : "/tmp");

	if (!mkdtemp(tmpl))
		fail_msg("mkdtemp: %s", strerror(errno));
	return tmpl;
}

void tl_rmtree(const char *path)
{
	struct tl_run r;

	tl_run(&r, NULL, "rm", "-rf", path, NULL);
	tl_run_release(&r);
}

static void slurp_fd(int fd, struct strbuf *sb)
{
	char buf[65536];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(sb, buf, (size_t)n);
	close(fd);
}

static int tmpfile_fd(void)
{
	FILE *f = tmpfile();
	int fd;

	if (!f)
		fail_msg("tmpfile: %s", strerror(errno));
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

void tl_run_argv(struct tl_run *r, const char *dir, const char *const *argv)
{
	int out = tmpfile_fd(), err = tmpfile_fd(), st;
	pid_t pid;

	strbuf_init(&r->out, 0);
	strbuf_init(&r->err, 0);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		fail_msg("fork: %s", strerror(errno));
	if (!pid) {
		int in = open("/dev/null", O_RDONLY);

		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (dir && chdir(dir))
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			fail_msg("waitpid: %s", strerror(errno));
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp_fd(out, &r->out);
	slurp_fd(err, &r->err);
}

static const char **collect_args(const char *first, va_list ap, const char *prefix[],
				 size_t nprefix)
{
	size_t nr = 0, alloc = 0;
	const char **argv = NULL;
	const char *a;

	for (size_t i = 0; i < nprefix; i++) {
		ALLOC_GROW(argv, nr + 1, alloc);
		argv[nr++] = prefix[i];
	}
	for (a = first; a; a = va_arg(ap, const char *)) {
		ALLOC_GROW(argv, nr + 1, alloc);
		argv[nr++] = a;
	}
	ALLOC_GROW(argv, nr + 1, alloc);
	argv[nr] = NULL;
	return argv;
}

void tl_run(struct tl_run *r, const char *dir, ...)
{
	va_list ap;
	const char **argv;
	const char *first;

	va_start(ap, dir);
	first = va_arg(ap, const char *);
	argv = collect_args(first, ap, NULL, 0);
	va_end(ap);
	tl_run_argv(r, dir, argv);
	free(argv);
}

void tl_run_release(struct tl_run *r)
{
	strbuf_release(&r->out);
	strbuf_release(&r->err);
}

static void git_env(void)
{
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("GIT_AUTHOR_DATE", "@1112911993 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "@1112911993 +0000", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("TZ", "UTC", 1);
	setenv("LANG", "C", 1);
}

static void vgit(struct tl_run *r, const char *dir, const char *first, va_list ap)
{
	const char *prefix[] = { "git", "-c", "init.defaultBranch=master",
				 "-c", "advice.detachedHead=false" };
	const char **argv = collect_args(first, ap, prefix, ARRAY_SIZE(prefix));

	git_env();
	tl_run_argv(r, dir, argv);
	if (r->status)
		fail_msg("git %s failed (%d): %s", first, r->status, r->err.buf);
	free(argv);
}

void tl_git(const char *dir, ...)
{
	va_list ap;
	struct tl_run r;
	const char *first;

	va_start(ap, dir);
	first = va_arg(ap, const char *);
	vgit(&r, dir, first, ap);
	va_end(ap);
	tl_run_release(&r);
}

char *tl_git_out(const char *dir, ...)
{
	va_list ap;
	struct tl_run r;
	const char *first;

	va_start(ap, dir);
	first = va_arg(ap, const char *);
	vgit(&r, dir, first, ap);
	va_end(ap);
	strbuf_rtrim(&r.out);
	strbuf_release(&r.err);
	return strbuf_detach(&r.out, NULL);
}

const char *tl_bin(void)
{
	return tl_env("BACKPORT_MGLRU");
}

void tl_sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	struct tl_run r;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	tl_run(&r, NULL, "sh", "-c", cmd.buf, NULL);
	if (r.status)
		fail_msg("'%s' failed: %s", cmd.buf, r.err.buf);
	tl_run_release(&r);
	strbuf_release(&cmd);
}

void tl_fixture_repo(const char *repo)
{
	char *tree = tl_fixture_path("tree");

	tl_sh("git init -q '%s' && cp -R '%s'/. '%s'/", repo, tree, repo);
	tl_git(repo, "config", "user.name", "C O Mitter", NULL);
	tl_git(repo, "config", "user.email", "committer@example.com", NULL);
	tl_git(repo, "add", "-A", NULL);
	tl_git(repo, "commit", "-q", "-m", "Linux 6.1.20", NULL);
	tl_git(repo, "branch", "linux-6.1.y", NULL);
	free(tree);
}

void tl_commit_edit(const char *repo, const char *from, const char *to)
{
	char *path = xstrfmt("%s/mm/vmscan.c", repo);
	char *text = tl_read_file(path, NULL);
	char *at = strstr(text, from);
	struct strbuf sb = STRBUF_INIT;

	assert_non_null(at);
	strbuf_add(&sb, text, (size_t)(at - text));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	tl_write_file(path, sb.buf);
	tl_git(repo, "commit", "-q", "-a", "-m", "edit", NULL);
	tl_git(repo, "branch", "-f", "linux-6.1.y", NULL);
	strbuf_release(&sb);
	free(text);
	free(path);
}

void tl_seed_fix(struct fix_desc *fix)
{
	static const char *const kv[][2] = {
		{ "fix.id", "mglru-mmgrab" },
		{ "fix.upstream", "d14514c66cb9721b54318850796c005c446d76d6" },
		{ "fix.subject", "mm/vmscan: prevent MGLRU reclaim from pinning address space" },
		{ "fix.rule", "mglru-mmgrab" },
		{ "fix.kconfig", "LRU_GEN" },
		{ "fix.enable", "LRU_GEN_ENABLED" },
		{ "file.mm/vmscan.c.function", "get_next_mm" },
		{ "file.mm/vmscan.c.function", "should_skip_mm" },
		{ "file.mm/vmscan.c.function", "iterate_mm_list" },
		{ "precondition.exit_mmap.file", "mm/mmap.c" },
		{ "precondition.exit_mmap.function", "exit_mmap" },
		{ "shape.mainline-get_next_mm.series", "6.12.y" },
		{ "shape.6.6-do-while.series", "6.6.y" },
		{ "shape.6.1-nr_walkers.series", "6.1.y" },
		{ "shape.vendor-nodemask.series", "vendor-nodemask" },
	};

	fix_desc_init(fix);
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (fix_desc_set(fix, "seed", kv[i][0], kv[i][1]) < 0)
			fail_msg("tl_seed_fix: %s", error_last());
	if (fix_desc_finish(fix, "seed", NULL) < 0)
		fail_msg("tl_seed_fix: %s", error_last());
}

struct tl_scratch *tl_scratch_new(void)
{
	struct tl_scratch *s = xcalloc(1, sizeof(*s));

	s->dir = tl_tmpdir();
	s->repo = xstrfmt("%s/repo", s->dir);
	s->series = tl_fixture_path("seriesdir");
	s->out = xstrfmt("%s/out", s->dir);
	/* libgit2 and the catalogue read the user's config and data: not here */
	setenv("HOME", s->dir, 1);
	setenv("XDG_CONFIG_HOME", s->dir, 1);
	setenv("XDG_DATA_HOME", s->dir, 1);
	tl_fixture_repo(s->repo);
	return s;
}

void tl_scratch_semantic_series(struct tl_scratch *s)
{
	const char *src = tl_env("SOURCE_DIR");
	char *fixture = s->series;

	s->series = xstrfmt("%s/series", s->dir);
	tl_sh("cp -R '%s' '%s' && cp '%s/backports/mglru-mmgrab/mglru-mmgrab.cocci' "
	      "'%s/backports/mglru-mmgrab/mglru-mmgrab-get_next_mm.patch' '%s/backports/'",
	      fixture, s->series, src, src, s->series);
	free(fixture);
}

void tl_scratch_free(struct tl_scratch *s)
{
	tl_rmtree(s->dir);
	free(s->dir);
	free(s->repo);
	free(s->series);
	free(s->out);
	free(s);
}
