/* Files: read whole, write atomically (temp file in the same directory, then rename). */
#ifndef BM_FSUTIL_H
#define BM_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

/* Reads path whole into buf (reset first); -1 with error() set. */
int fs_read_file(const char *path, struct strbuf *buf);
/* Whether path exists (any type). */
bool fs_exists(const char *path);
bool fs_is_dir(const char *path);
/* mkdir -p; -1 with error() set. */
int fs_mkdirs(const char *path);
/*
 * Writes data to path through path.tmp-XXXXXX in the same directory, fsync,
 * rename.  Nothing is left at path or beside it on failure.
 */
int fs_write_atomic(const char *path, const char *data, size_t len);

/* Removes a directory and the files in it (not recursive); -1 with error(). */
int fs_remove_flat_dir(const char *path);
/*
 * Makes a new empty directory beside final (final.tmp-XXXXXX) for files to
 * be written into, and later puts it in place of final in one rename
 * (an old final is moved aside first and removed after).  Caller frees tmp.
 */
int fs_tmpdir_beside(const char *final, char **tmp);
int fs_replace_dir(const char *tmp, const char *final);

/* path made absolute against the current directory (as is when it cannot be). */
char *fs_absolute(const char *path);

#endif
