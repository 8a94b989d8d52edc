/*
 * Helpers shared by the cmocka test programs: fixtures, scratch directories,
 * and running a child (git, backport-mglru, patch) with its output captured.
 */
#ifndef BM_TESTLIB_H
#define BM_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/strbuf.h"

/* $FIXTURES/<rel>, read whole; aborts the test when missing. Caller frees. */
char *tl_fixture(const char *rel, size_t *len);
/* Path of $FIXTURES/<rel>; caller frees. */
char *tl_fixture_path(const char *rel);
/* Reads a file whole; NULL when it cannot be read. Caller frees. */
char *tl_read_file(const char *path, size_t *len);
void tl_write_file(const char *path, const char *content);
/* Environment variable that must be set; fails the test otherwise. */
const char *tl_env(const char *name);

/* A new empty directory under $TMPDIR; tl_rmtree() removes it. Caller frees. */
char *tl_tmpdir(void);
void tl_rmtree(const char *path);

struct tl_run {
	int status;	/* exit code, or 128 + signal */
	struct strbuf out;
	struct strbuf err;
};

/*
 * Runs argv (NULL-terminated) in dir (NULL: current) with stdin from
 * /dev/null, capturing stdout and stderr.  Release with tl_run_release().
 */
void tl_run_argv(struct tl_run *r, const char *dir, const char *const *argv);
/* Same, argv given as a NULL-terminated list of strings. */
void tl_run(struct tl_run *r, const char *dir, ...);
void tl_run_release(struct tl_run *r);

/* Runs git with a fixed identity and dates in dir; fails the test on error. */
void tl_git(const char *dir, ...);
/* Like tl_git, returns stdout with the trailing newline removed. Caller frees. */
char *tl_git_out(const char *dir, ...);

/* Runs a shell command made from fmt; fails the test when it fails. */
void tl_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A new git repository at repo holding the fixture tree ($FIXTURES/tree) in
 * one commit "Linux 6.1.20", branch linux-6.1.y on it, a fixed committer.
 */
void tl_fixture_repo(const char *repo);
/* Replaces from by to in repo's mm/vmscan.c, commits, moves linux-6.1.y there. */
void tl_commit_edit(const char *repo, const char *from, const char *to);

/*
 * A scratch directory for a CLI test: repo holds the fixture repository
 * (tl_fixture_repo()), series is the fixture series directory, out is
 * where outputs go (not made), and HOME and the XDG directories point into
 * dir so that no user's config or fixes are read.  tl_scratch_free()
 * removes it all.
 */
struct tl_scratch {
	char *dir, *repo, *series, *out;
};

struct tl_scratch *tl_scratch_new(void);
/* series becomes a copy of the fixture series plus the shipped .cocci and its headers. */
void tl_scratch_semantic_series(struct tl_scratch *s);
void tl_scratch_free(struct tl_scratch *s);

/* The path of the backport-mglru binary under test ($BACKPORT_MGLRU). */
const char *tl_bin(void);

struct fix_desc;
/*
 * The seed fix's descriptor, as backports/mglru-mmgrab/fix.conf says it,
 * built through fix_desc_set() (unit tests do not link libgit2); release
 * with fix_desc_release().
 */
void tl_seed_fix(struct fix_desc *fix);

/* A NULL haystack fails (cmocka's assert_non_null() may return). */
#define assert_contains(hay, needle)                                          \
	do {                                                                  \
		const char *h_ = (hay), *n_ = (needle);                        \
		if (!h_ || !strstr(h_, n_))                                   \
			fail_msg("expected to find '%s' in:\n%s", n_,         \
				 h_ ? h_ : "(null)");                         \
	} while (0)
#define assert_not_contains(hay, needle)                                      \
	do {                                                                  \
		const char *h_ = (hay), *n_ = (needle);                        \
		if (!h_ || strstr(h_, n_))                                    \
			fail_msg("did not expect '%s' in:\n%s", n_,           \
				 h_ ? h_ : "(null)");                         \
	} while (0)

#endif
