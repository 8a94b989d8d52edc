/*
 * The fix catalogue: every fix folder the tool knows.  The series directory
 * (the installed copy, the source tree's, or --series DIR) holds one folder
 * per fix in backports/<id>/ (fix.conf and the patches) and series/<id>/
 * (one quilt series per stable line, plus shapes); an extra fixes directory
 * (--fixes-dir, default ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes)
 * holds self-contained folders <id>/ (fix.conf, the patches, series/).
 *
 * A --series DIR in the older flat layout (series/<X.Y.y> and
 * backports/<patch> with no fix folders) is still read: it then replaces
 * the series of the one fix the caller names (flat_fix), and the
 * descriptors come from the default series directory.
 */
#ifndef BM_CATALOGUE_H
#define BM_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fix.h"
#include "core/strbuf.h"

struct catalogue {
	struct fix_desc *fixes;	/* sorted by id; owned */
	size_t nr, alloc;
	char *root;		/* the series directory read; owned */
	bool held;		/* libgit2 kept set up until release */
};

#define CATALOGUE_INIT { NULL, 0, 0, NULL, false }

/*
 * Loads the catalogue.  series_opt: --series DIR or NULL; fixes_dir:
 * --fixes-dir DIR (must exist) or NULL for the per-user default (read when
 * it exists).  -1 with error() set on a missing directory, a bad
 * descriptor, a fix defined twice, or series/<id>/shapes disagreeing with
 * the descriptor's shapes.
 */
int catalogue_load(struct catalogue *c, const char *series_opt, const char *fixes_dir,
		   const char *flat_fix);

/* ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes, or NULL; caller frees. */
char *catalogue_default_fixes_dir(void);

/* The fix called id, or NULL. */
const struct fix_desc *catalogue_find(const struct catalogue *c, const char *id);

void catalogue_release(struct catalogue *c);

#endif
