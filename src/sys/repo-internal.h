/*
 * What repo.c and repo-refs.c share, and nothing else includes: the
 * definition of struct repo (opaque everywhere else, see sys/repo.h) and the
 * libgit2 error message helper.  Together these two files are the repo
 * module; with sys/fixconf.c (fix descriptors), the only code that
 * includes <git2.h>.
 */
#ifndef BM_REPO_INTERNAL_H
#define BM_REPO_INTERNAL_H

#include <git2.h>

#include "sys/repo.h"

struct repo {
	git_repository *git;
	char *path;
	/*
	 * Where repo_commit() builds objects before they are known to be
	 * wanted: added to the object database once, at top priority, and
	 * emptied after every commit.
	 */
	git_odb_backend *mempack;
};

/* libgit2's message for its last error, never NULL. */
static inline const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

#endif
