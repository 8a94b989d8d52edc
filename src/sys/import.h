/*
 * backport-mglru import: a patch file becomes a fix folder <dir>/<id>/
 * (fix.conf and the patch as <id>.patch; no series: apply places the
 * patch's hunks in their functions on each line), written all or
 * nothing: into a temporary directory beside it, read back as the
 * catalogue would read it, then renamed into place.
 */
#ifndef BM_SYS_IMPORT_H
#define BM_SYS_IMPORT_H

#include "core/import.h"
#include "sys/catalogue.h"

/*
 * Reads and plans the import of path (o: --id, --kconfig) into ip.  -1 with
 * error() set naming path: unreadable, not a patch, binary, a path outside
 * the tree, more than one message, a hunk whose function cannot be told.
 */
int import_read(struct import_plan *ip, const char *path, const struct import_opts *o);

/*
 * Writes ip's folder into dir (created when missing): refused when cat
 * (may be NULL) or dir already has a fix of that id.  Nothing is left
 * behind on failure.  *folder (caller frees) is the folder written.
 * -1 with error() set.
 */
int import_write(const struct import_plan *ip, const char *path, const char *dir,
		 const struct catalogue *cat, char **folder);

#endif
