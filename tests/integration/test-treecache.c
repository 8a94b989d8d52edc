/*
 * The tree cache on a scratch repository: a first export writes every file,
 * a second one nothing; a manifest from another boot is not trusted; an
 * export interrupted by SIGINT leaves a tree that the next export completes.
 */
#include "testlib.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/repo.h"
#include "sys/treecache.h"

struct scratch {
	char *dir;	/* the scratch directory */
	char *repo;	/* dir/repo: a work-tree repository */
	char *cache;	/* dir/cache: the cache root */
	char *tree;	/* cache/trees/t */
	char *manifest;	/* cache/trees/t.manifest */
	struct repo *r;
};

static void put(const char *repo, const char *rel, const char *content)
{
	char *path = xstrfmt("%s/%s", repo, rel);
	char *dir = xstrdup(path);
	struct tl_run run;

	*strrchr(dir, '/') = '\0';
	tl_run(&run, NULL, "mkdir", "-p", dir, NULL);
	tl_run_release(&run);
	tl_write_file(path, content);
	free(dir);
	free(path);
}

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	char *script;

	s->dir = tl_tmpdir();
	s->repo = xstrfmt("%s/repo", s->dir);
	s->cache = xstrfmt("%s/cache", s->dir);
	s->tree = xstrfmt("%s/trees/t", s->cache);
	s->manifest = xstrfmt("%s/trees/t.manifest", s->cache);
	tl_git(s->dir, "init", "-q", "repo", NULL);
	put(s->repo, "Makefile", "VERSION = 6\n");
	put(s->repo, "mm/vmscan.c", "int vmscan;\n");
	put(s->repo, "mm/old.c", "int old;\n");
	put(s->repo, "scripts/config", "#!/bin/sh\n");
	script = xstrfmt("%s/scripts/config", s->repo);
	assert_int_equal(chmod(script, 0755), 0);
	free(script);
	tl_git(s->repo, "add", "-A", NULL);
	tl_git(s->repo, "commit", "-q", "-m", "A", NULL);
	tl_git(s->repo, "tag", "A", NULL);
	put(s->repo, "mm/vmscan.c", "int vmscan_b;\n");
	put(s->repo, "mm/new.c", "int new_b;\n");
	tl_git(s->repo, "rm", "-q", "mm/old.c", NULL);
	tl_git(s->repo, "add", "-A", NULL);
	tl_git(s->repo, "commit", "-q", "-m", "B", NULL);
	tl_git(s->repo, "tag", "B", NULL);
	if (repo_open(&s->r, s->repo) < 0)
		fail_msg("%s", error_last());
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	repo_free(s->r);
	tl_rmtree(s->dir);
	free(s->dir);
	free(s->repo);
	free(s->cache);
	free(s->tree);
	free(s->manifest);
	free(s);
	return 0;
}

static char *commit_of(const struct scratch *s, const char *tag)
{
	return tl_git_out(s->repo, "rev-parse", tag, NULL);
}

static int export(struct scratch *s, const char *tag, struct treecache_stats *st)
{
	char *commit = commit_of(s, tag);
	int rc = treecache_export(s->r, s->cache, "t", commit, NULL, 0, st);

	free(commit);
	return rc;
}

static char *in_tree(const struct scratch *s, const char *rel)
{
	char *path = xstrfmt("%s/%s", s->tree, rel);
	char *text = access(path, F_OK) ? NULL : tl_read_file(path, NULL);

	free(path);
	return text;
}

static double mtime_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
}

/* The tree is exactly B: changed file rewritten, new one there, old one gone. */
static void assert_tree_is_b(const struct scratch *s)
{
	char *v = in_tree(s, "mm/vmscan.c"), *n = in_tree(s, "mm/new.c");
	char *o = in_tree(s, "mm/old.c");

	assert_non_null(v);
	assert_string_equal(v, "int vmscan_b;\n");
	assert_non_null(n);
	assert_string_equal(n, "int new_b;\n");
	assert_null(o);
	free(v);
	free(n);
}

static void test_export_then_reuse(void **state)
{
	struct scratch *s = *state;
	struct treecache_stats st;
	char *script = xstrfmt("%s/scripts/config", s->tree);
	char *make = xstrfmt("%s/Makefile", s->tree);
	struct stat sb;
	double t;

	assert_int_equal(export(s, "A", &st), 0);
	assert_true(st.full_scan);
	assert_int_equal(st.written, 4);
	assert_int_equal(stat(script, &sb), 0);
	assert_true(sb.st_mode & 0100);
	t = mtime_of(make);

	/* the same commit again: the manifest says it is all there */
	assert_int_equal(export(s, "A", &st), 0);
	assert_false(st.full_scan);
	assert_int_equal(st.visited, 0);

	/* on to B: only what differs is visited and written */
	assert_int_equal(export(s, "B", &st), 0);
	assert_false(st.full_scan);
	assert_int_equal(st.visited, 3);
	assert_int_equal(st.written, 2);
	assert_int_equal(st.removed, 1);
	assert_tree_is_b(s);
	assert_true(mtime_of(make) == t);	/* unchanged: not rewritten */
	free(script);
	free(make);
}

/* A manifest written under another boot may describe data never written. */
static void test_manifest_of_another_boot(void **state)
{
	struct scratch *s = *state;
	struct treecache_stats st;
	char *text, *boot, *forged, *make = xstrfmt("%s/Makefile", s->tree);
	size_t len;
	double t;

	assert_int_equal(export(s, "A", &st), 0);
	text = tl_read_file(s->manifest, &len);
	boot = strstr(text, "\nboot ");
	assert_non_null(boot);	/* Linux has /proc/sys/kernel/random/boot_id */
	t = mtime_of(make);

	*boot = '\0';
	forged = xstrfmt("%s\nboot 00000000-0000-0000-0000-000000000000\n", text);
	tl_write_file(s->manifest, forged);
	assert_int_equal(export(s, "A", &st), 0);
	assert_true(st.full_scan);
	assert_int_equal(st.visited, 4);
	assert_int_equal(st.written, 0);	/* compared, all still right */
	assert_true(mtime_of(make) == t);
	free(text);

	/* and the manifest is this boot's again: the next export trusts it */
	text = tl_read_file(s->manifest, NULL);
	assert_not_contains(text, "boot 00000000-");
	assert_int_equal(export(s, "A", &st), 0);
	assert_int_equal(st.visited, 0);
	free(text);
	free(forged);
	free(make);
}

/* SIGINT during an export: no manifest, and the next export completes it. */
static void test_interrupted_export_completes(void **state)
{
	struct scratch *s = *state;
	struct treecache_stats st;

	assert_int_equal(export(s, "A", &st), 0);
	build_signals_install();
	raise(SIGINT);
	assert_true(build_interrupted());
	assert_int_equal(export(s, "B", &st), TREECACHE_EINTR);
	build_signals_restore();
	assert_int_equal(access(s->manifest, F_OK), -1);
	/* a new run: installing the handlers forgets the old signal */
	build_signals_install();
	build_signals_restore();

	/* a file the interrupted run may have left half-written */
	put(s->tree, "mm/vmscan.c", "int vmsc");
	assert_int_equal(export(s, "B", &st), 0);
	assert_true(st.full_scan);
	assert_tree_is_b(s);
	assert_int_equal(access(s->manifest, F_OK), 0);
}

/*
 * The cache is shared by repositories: a tree last exported from a commit
 * this repository does not have is compared file by file, not diffed.
 */
static void test_commit_from_another_repository(void **state)
{
	struct scratch *s = *state;
	char *other = xstrfmt("%s/other", s->dir);
	char *commit;
	struct repo *r2 = NULL;
	struct treecache_stats st;

	/* another repository, with a commit this one has never seen */
	tl_git(s->dir, "clone", "-q", "repo", "other", NULL);
	put(other, "mm/vmscan.c", "int vmscan_elsewhere;\n");
	tl_git(other, "commit", "-q", "-am", "C", NULL);
	commit = tl_git_out(other, "rev-parse", "HEAD", NULL);
	if (repo_open(&r2, other) < 0)
		fail_msg("%s", error_last());
	assert_int_equal(treecache_export(r2, s->cache, "t", commit, NULL, 0, &st), 0);
	repo_free(r2);
	free(commit);
	/* back in the first repository: B, whatever the manifest names */
	if (export(s, "B", &st) < 0)
		fail_msg("%s", error_last());
	assert_true(st.full_scan);
	assert_tree_is_b(s);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export_then_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_of_another_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_from_another_repository, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_export_completes, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
