/*
 * The directory one branch's patches are written to, DIR/<X.Y.y>: vetted
 * before anything is written, filled in a temp directory beside it, then put
 * in its place in one rename.  It holds a manifest, OUTDIR_MANIFEST, with the
 * blob id of every file the tool wrote there, so that a later run replaces
 * only what the tool itself wrote and nobody changed since.  Nothing here
 * follows a symbolic link: a link where the tool would write is refused, and
 * removing an old directory removes links as links (fs_remove_tree()).
 */
#ifndef BM_OUTDIR_H
#define BM_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

#define OUTDIR_MANIFEST ".backport-mglru"

struct outdir {
	char *final;		/* DIR/<name>; owned */
	char *tmp;		/* the temp directory beside it while filling; owned */
	struct strbuf manifest;	/* "<blob id> <name>\n" a file written */
};

#define OUTDIR_INIT { NULL, NULL, STRBUF_INIT }

/*
 * Whether final may be replaced.  0 when it does not exist, is an empty
 * directory, or holds only files the tool wrote, unchanged since: those its
 * manifest lists with their blob ids, or, in a directory written before
 * manifests were kept, a series file with the tool's header and the patches
 * it names.  With force, any directory.  A symbolic link there (to a
 * directory, to a file, dangling) or anything but a directory is refused even
 * with force.  -1 with error() naming the path and why.
 */
int outdir_vet(const char *final, bool force);

/*
 * A single file the tool writes beside the directories (a FAILED text):
 * whether path may be written.  0 when it does not exist or is a regular
 * file whose text starts with mark (the tool wrote it); with force, any
 * regular file.  A link or a non-regular file is refused even with force.
 */
int outdir_vet_file(const char *path, const char *mark, bool force);
/* Vets path again and writes it atomically (temp file, rename). */
int outdir_write_file(const char *path, const char *mark, bool force, const char *data,
		      size_t len);
/* Removes path if it is a regular file starting with mark; errors are ignored. */
void outdir_drop_file(const char *path, const char *mark);

/* Makes DIR (mkdir -p) and the temp directory beside DIR/<name>. */
int outdir_begin(struct outdir *o, const char *dir, const char *name);
/* Writes one file (a plain name, no '/') into the temp directory. */
int outdir_add(struct outdir *o, const char *name, const char *data, size_t len);
/*
 * Writes the manifest, vets final again (it may have changed since the
 * caller's outdir_vet()), and puts the temp directory in its place.
 */
int outdir_finish(struct outdir *o, bool force);
/* Removes the temp directory if it is still there; frees o. */
void outdir_release(struct outdir *o);

#endif
