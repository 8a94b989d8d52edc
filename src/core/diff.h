/*
 * Patch regeneration: a unified diff of two versions of one file, with three
 * lines of context and exact "@@" line numbers, so the result applies with
 * patch --fuzz=0 / quilt push --fuzz=0 and no offset.  Lines are compared
 * whole, final newline included ("\ No newline at end of file" is written
 * where one is missing).  The common prefix and suffix are trimmed first and
 * the middle is diffed with Myers' algorithm, so a few changed lines in a
 * large file cost little; past a few thousand differences the middle is
 * written as one replacement (still correct, just not minimal).
 */
#ifndef BM_DIFF_H
#define BM_DIFF_H

#include <stddef.h>

#include "core/strbuf.h"

struct diff_opts {
	const char *old_id; /* blob ids for the "index" line, or NULL */
	const char *new_id;
	const char *mode; /* e.g. "100644"; NULL: none on the index line */
	unsigned context; /* 0 means the default, 3 */
};

#define DIFF_OPTS_INIT                                                         \
	{                                                                      \
		NULL, NULL, NULL, 0                                            \
	}

/*
 * Appends to out "diff --git a/path b/path", the "index" line when both ids
 * are given, "--- a/path", "+++ b/path" and the hunks turning old into new.
 * Appends nothing when they are equal.  Returns the number of hunks.
 */
size_t diff_files(struct strbuf *out, const char *path, const char *old,
		  size_t old_len, const char *new_text, size_t new_len,
		  const struct diff_opts *opts);

#endif
