/*
 * Recompiling the touched objects with kbuild's own saved command instead
 * of make, when make would run nothing else.
 *
 * A make of one object in a configured build directory spends 1.5-2 s
 * before the compiler starts (regenerating the Makefile, the objtool and
 * prepare sub-makes, checksyscalls), more than half of a compile of
 * mm/vmscan.c.  On a re-check after a patch edit none of that can change:
 * the tree differs from the last build only in the patched .c files.
 *
 * The shortcut is taken only when all of this holds, else make runs:
 *  - every patched file is a .c file, at the last make and now (a patched
 *    header can change what prepare generates); the caller's part;
 *  - the build directory's last make succeeded (ST_BUILD) and recorded a
 *    key (<dir>/.backport-mglru-built): the configure stamp, the .config,
 *    the compiler wrapper, the resolved <cross>gcc (path, size, mtime),
 *    the environment variables kbuild takes flags from and $PATH; the key
 *    now is the same;
 *  - for each target, its .cmd file has a command, its source is the
 *    expected file of the tree, and every other prerequisite it lists
 *    exists and is not newer than the target: make's own test, done here.
 * Any make in the directory first removes the record.
 *
 * The commands then run with their outputs moved to <dir>/.backport-mglru-
 * direct/ (<target>, and its .d file), so the build directory is left as
 * the last make left it: its objects stay older than the changed source,
 * and the next make rebuilds them with fixdep's dependency update.
 */
#ifndef BM_SAVEDCMD_H
#define BM_SAVEDCMD_H

#include <stdbool.h>
#include <stddef.h>

#include "sys/build.h"

/* The directory, under the build directory, the moved outputs go to. */
#define SAVEDCMD_OUTDIR ".backport-mglru-direct"

/*
 * The key of the inputs a build in bc->dir depends on besides the tree:
 * stamp (the configure stamp's text), the .config text, the compiler and
 * the flag variables.  Caller frees.
 */
char *savedcmd_key(const struct build_config *bc, const char *stamp, const char *config);

/* After a make of the targets succeeded under key: -1 (error() set) on I/O errors. */
int savedcmd_record(const char *dir, const char *key);
/* Before any make in dir. */
void savedcmd_forget(const char *dir);

/*
 * The /bin/sh script that recompiles targets[0..nr) (paths relative to the
 * build directory, "mm/vmscan.o") from their .cmd files, the commands at
 * once when parallel, else one after the other; the script exits non-zero
 * when one of them failed.  NULL with error() set to why make is needed.
 * Creates the output directories and removes the outputs of an earlier
 * run.  Caller frees.
 */
char *savedcmd_script(const struct build_config *bc, const char *key,
		      const char *const *targets, size_t nr, bool parallel);

/* "<dir>/.backport-mglru-direct": where the script's outputs are. Caller frees. */
char *savedcmd_outdir(const char *dir);

#endif
