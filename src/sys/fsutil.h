/* Files: read whole, write atomically (temp file in the same directory, then rename). */
#ifndef BM_FSUTIL_H
#define BM_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/strbuf.h"

/*
 * Caps for fs_read_file().  FS_MAX_INPUT is for what the user hands the
 * tool: series files, series/shapes, patches (the man page says 16 MiB).
 * FS_MAX_OWN is for files the tool or kbuild wrote in the tool's own
 * directories: build logs, .cmd files, .config, records, manifests.
 */
#define FS_MAX_INPUT ((size_t)16 << 20)
#define FS_MAX_OWN ((size_t)256 << 20)

/*
 * Reads the regular file path whole into buf (reset first).  Anything else
 * (a FIFO, a device, a directory, a socket) is refused without blocking:
 * "cannot read 'X': not a regular file"; so is a file of more than max
 * bytes: "cannot read 'X': larger than 16 MiB".  -1 with error() set, buf
 * then empty.  A symbolic link to a regular file is read.
 */
int fs_read_file(const char *path, struct strbuf *buf, size_t max);
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

/*
 * Renames from to to only where to does not exist (RENAME_NOREPLACE: an
 * empty directory or a file that appeared there since it was looked at is
 * never replaced).  -1 with error() set, EEXIST when to is there.
 */
int fs_rename_new(const char *from, const char *to);

/* path made absolute against the current directory (as is when it cannot be). */
char *fs_absolute(const char *path);

#endif
