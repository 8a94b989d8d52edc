/*
 * The adapted series kept for each stable line: a directory holding
 * series/ (one quilt series file per line, plus series/shapes mapping a
 * located shape to a series for lines with no file of their own) and
 * backports/ (the patches).  See series/README.
 */
#ifndef BM_SERIESDIR_H
#define BM_SERIESDIR_H

#include <stddef.h>

#include "core/fix.h"
#include "core/locate.h"
#include "core/patch.h"
#include "core/series.h"
#include "core/strbuf.h"

struct series_set {
	char *file;		/* the series file read, e.g. "series/6.1.y"; owned */
	char *why;		/* how it was chosen, one line; owned */
	struct series series;
	struct patch *patches;	/* parsed, one per entry; owned */
	size_t nr_patches;
};

/* Returned by series_set_load() when no series fits the branch. */
#define SERIES_NONE 1

/*
 * The directory to read: opt when given; else the copy installed with the
 * tool when it runs installed; else the source tree's own.  -1 with error()
 * set when none exists or it lacks series/ and backports/.
 */
int seriesdir_find(const char *opt, struct strbuf *dir);

/*
 * Loads fix's series for stable line ("6.1.y") from fix->series_dir, its
 * patches from fix->patch_dir, or, with no file of that name, the one the
 * shapes file there names for shape.  SERIES_NONE (why set) when there is
 * none; -1 with error() set on unreadable or malformed files.
 */
int series_set_load(struct series_set *set, const struct fix_desc *fix, const char *line,
		    enum variant_shape shape);

/*
 * The shapes file in fix->series_dir and the descriptor's [shape] sections
 * must say the same (either may be absent when the other names nothing).
 * -1 with error() set when they differ.
 */
int seriesdir_check_shapes(const struct fix_desc *fix);
/*
 * --with-prerequisites: the shipped backports of fix's precondition's
 * commit, in fix->series_dir/<precondition series>/, one quilt series a
 * line: for line only its own when there is one, else every line's, in
 * version order, to be tried in turn.  *out (release each with
 * series_set_release(), then free) and *nr are empty when the descriptor
 * names none or the directory is not there (a flat --series DIR).  -1 with error() set on unreadable or malformed files.
 */
int prereq_forms_load(struct series_set **out, size_t *nr, const struct fix_desc *fix,
		      const char *line);
void series_set_release(struct series_set *set);

#endif
