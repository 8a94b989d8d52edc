/*
 * An LD_PRELOAD shim for the tests of all-or-nothing writes: rename() and
 * renameat2() to a path whose last component is $BM_FAIL_RENAME_TO fail with
 * EIO; every other rename goes through.  A failure the tool cannot arrange
 * by itself (the disk failing between two renames), with no test hook in the
 * tool.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int refused(const char *to)
{
	const char *name = getenv("BM_FAIL_RENAME_TO"), *base = strrchr(to, '/');

	base = base ? base + 1 : to;
	if (!name || strcmp(base, name))
		return 0;
	errno = EIO;
	return 1;
}

int rename(const char *from, const char *to)
{
	int (*real)(const char *, const char *) =
		(int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");

	return refused(to) ? -1 : real(from, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
	int (*real)(int, const char *, int, const char *, unsigned int) =
		(int (*)(int, const char *, int, const char *, unsigned int))
			dlsym(RTLD_NEXT, "renameat2");

	return refused(to) ? -1 : real(fromfd, from, tofd, to, flags);
}
