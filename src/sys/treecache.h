/*
 * Source trees of the repository's branches, exported into the tool's cache
 * (<cache>/trees/<X.Y.y>/) and kept across runs.  An export writes only the
 * files whose content differs from what the tree should hold, so a file that
 * did not change keeps its mtime and kbuild rebuilds nothing it need not; a
 * file that changed, or changed back, is written anew and gets a new mtime.
 *
 * Each tree has a manifest beside it (<cache>/trees/<X.Y.y>.manifest): the
 * commit last exported and the blob ids of the files that were overridden.
 * With it, a re-export only visits the files that differ between the two
 * commits plus the old and new overrides.  The manifest is removed before the
 * first write and written again (atomically) only once the tree is
 * consistent, so an interrupted export makes the next one compare every file
 * with its blob.  Files are not fsynced: the manifest records the boot it was
 * written in (/proc/sys/kernel/random/boot_id) and is not trusted after a
 * reboot, when the page cache it relied on may have been lost; where there is
 * no boot id, the export ends with a syncfs() instead.
 */
#ifndef BM_TREECACHE_H
#define BM_TREECACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "sys/repo.h"

/* Returned by treecache_export() when SIGINT/SIGTERM arrived (see build.h). */
#define TREECACHE_EINTR (-2)

struct treecache_stats {
	bool full_scan;		/* no usable manifest: every file compared */
	size_t visited;		/* files looked at */
	size_t written;		/* files (re)written */
	size_t removed;		/* files deleted */
};

/*
 * The cache root: $BACKPORT_MGLRU_CACHE, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/backport-mglru, made absolute against the
 * current directory.  Caller frees.
 */
char *cache_root(void);

/* <root>/trees/<name>; caller frees. */
char *treecache_path(const char *root, const char *name);

/*
 * Makes <root>/trees/<name> hold commit's tree with files[0..nr) replacing
 * the files of the same paths (each must be a regular file at commit).  The
 * caller holds the cache lock.  Returns 0, -1 with error() set, or
 * TREECACHE_EINTR (tree left for a full compare next time).  st may be NULL.
 */
int treecache_export(struct repo *r, const char *root, const char *name,
		     const char *commit, const struct commit_file *files, size_t nr,
		     struct treecache_stats *st);

#endif
