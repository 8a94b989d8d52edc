/*
 * Compiler diagnostics from a kbuild log: gcc's "file:line:col: error:
 * message" lines and make's "*** ... Error N" lines, with paths made relative
 * to the kernel tree, and the warnings of a patched build that are new
 * against the baseline build of the same object.
 */
#ifndef BM_DIAG_H
#define BM_DIAG_H

#include <stdbool.h>
#include <stddef.h>

enum diag_kind {
	DIAG_ERROR,		/* "error:" and "fatal error:" */
	DIAG_WARNING,
	DIAG_MAKE_ERROR,	/* make: *** [...] Error N */
};

struct diag {
	enum diag_kind kind;
	char *file;		/* relative to the tree when under it; owned; NULL for make */
	size_t line, col;	/* 0 when not given */
	char *message;		/* without the "error: " prefix; owned */
};

struct diag_list {
	struct diag *items;
	size_t nr, alloc;
};

#define DIAG_LIST_INIT { NULL, 0, 0 }

void diag_list_release(struct diag_list *l);
/* Appends a copy of d. */
void diag_list_add(struct diag_list *l, const struct diag *d);

/*
 * Appends the diagnostics in text (a build log) to out, in log order.
 * Paths under one of roots[0..nr_roots) (the source tree, the build
 * directory: absolute, without a trailing slash) are made relative to it; a
 * leading "./" is dropped.  gcc's quotes in a UTF-8 locale become "'".  Duplicates (same kind, file, line, col and
 * message) are kept once.  Lines that are not diagnostics are skipped.
 */
void diag_parse(struct diag_list *out, const char *text, size_t len,
		const char *const *roots, size_t nr_roots);

/* The first error (DIAG_ERROR before DIAG_MAKE_ERROR), or NULL. */
const struct diag *diag_first_error(const struct diag_list *l);
size_t diag_count(const struct diag_list *l, enum diag_kind kind);

/*
 * Appends to out the warnings of now that the baseline does not have.  A
 * warning matches a baseline warning of the same file and message (line
 * numbers shift under a patch, so they are not compared); each baseline
 * warning matches at most one.  out must not be baseline or now.
 */
void diag_new_warnings(const struct diag_list *baseline, const struct diag_list *now,
		       struct diag_list *out);

/* "mm/vmscan.c:3470: 'foo' undeclared" into sb-like storage: caller frees. */
char *diag_format(const struct diag *d);

/*
 * A line-based serialisation for the baseline cache: one diagnostic per
 * line, kind, line, col, file and message separated by tabs (tabs and
 * newlines in fields become spaces).  diag_load() appends what it reads and
 * returns -1 (error() set) on a malformed line.
 */
char *diag_dump(const struct diag_list *l);
int diag_load(struct diag_list *out, const char *text, size_t len);

#endif
