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
 * Reads and plans the import of path (o: --id, --kconfig) into s: one plan
 * per patch (a format-patch file, a diff, each patch of a b4 / lore mbox;
 * its cover letter skipped).  -1 with error() set naming path (and the
 * message): unreadable, not a patch, binary, a path outside the tree, a
 * hunk whose function cannot be told, two patches of one id;
 * IMPORT_USAGE when --id is given for more than one patch.
 */
int import_read(struct import_series *s, const char *path, const struct import_opts *o);

/*
 * Writes one folder per plan of s into dir (created when missing), all or
 * nothing: refused before anything is written when cat (may be NULL) or
 * dir already has a fix of one of the ids; every folder is written and
 * read back beside its place before the first is renamed into it, and a
 * failed rename takes the folders already renamed back out.  (*folders)[i]
 * (caller frees each and the array) is plan i's folder.  -1 with error()
 * set.
 */
int import_write(const struct import_series *s, const char *dir,
		 const struct catalogue *cat, char ***folders);

#endif
