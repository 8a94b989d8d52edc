/*
 * Running a semantic patch: spatch (Coccinelle) on a scratch copy of one
 * file, never in the user's tree.  The judgement of what it made is core's
 * (core/semantic.h).
 */
#ifndef BM_SEMANTIC_RUN_H
#define BM_SEMANTIC_RUN_H

#include <stddef.h>

#include "core/strbuf.h"

/*
 * Runs spatch --sp-file cocci on text (len bytes, named path, e.g.
 * "mm/vmscan.c") in a new scratch directory under $TMPDIR, removed after;
 * after gets the result (the text itself when nothing changed).  timeout
 * <= 0: none.  -1 with error() set when spatch is not installed, fails, is
 * interrupted or times out.
 */
int semantic_spatch(const char *cocci, const char *path, const char *text, size_t len,
		    double timeout, struct strbuf *after);

#endif
