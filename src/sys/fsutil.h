/* Files: read whole, write atomically (temp file in the same directory, then rename). */
#ifndef BM_FSUTIL_H
#define BM_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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

/*
 * The process umask, read once (the first call, made from main() before any
 * thread starts, sets it back at once).  Files and directories the tool
 * writes get 0666 / 0777 less it, as git and quilt do.
 */
mode_t fs_umask(void);

/*
 * Removes the directory path and everything under it without following a
 * symbolic link anywhere: links are removed as links (their targets are
 * never opened), path itself must be a directory and not a link, and a
 * file system mounted inside is an error, never emptied.  0 when path does
 * not exist; -1 with error().
 */
int fs_remove_tree(const char *path);
/*
 * Makes a new empty directory beside final (final.tmp-XXXXXX) for files to
 * be written into, and later puts it in place of final: its mode set from
 * the umask, an old final directory moved aside in one rename (a link or a
 * non-directory at final is refused: nothing is followed), tmp renamed to
 * final, and the old one removed with fs_remove_tree().  Caller frees tmp.
 */
int fs_tmpdir_beside(const char *final, char **tmp);
int fs_replace_dir(const char *tmp, const char *final);

/* path made absolute against the current directory (as is when it cannot be). */
char *fs_absolute(const char *path);

#endif
