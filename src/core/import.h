/*
 * What `backport-mglru import` makes of one patch, in memory: the fix's id,
 * its upstream commit, the functions its hunks live in, and the text of
 * its descriptor.  Pure; sys/import.c writes the folder.
 */
#ifndef BM_IMPORT_H
#define BM_IMPORT_H

#include <stddef.h>

#include "core/patch.h"

struct import_plan {
	char *id;		/* owned */
	char *upstream;		/* 40 hex digits, or NULL; owned */
	char *subject;		/* owned */
	char *patch_name;	/* "<id>.patch"; owned */
	char *conf;		/* the fix.conf text; owned */
};

/* What the command line adds to the patch. */
struct import_opts {
	const char *id;			/* --id, or NULL: from the subject */
	const char *const *kconfig;	/* --kconfig, without CONFIG_ */
	size_t nr_kconfig;
};

/*
 * Plans the import of p (parsed from text, len bytes, with -p1; name
 * names the input in messages).  -1 with error() set, naming the input:
 * more than one message, no subject and no --id, a bad --id, a hunk whose
 * function cannot be told (no definition line in it and no @@ function
 * name).  The Kconfig symbols are checked when the folder is read back.
 */
int import_plan_make(struct import_plan *ip, const struct patch *p, const char *text,
		     size_t len, const char *name, const struct import_opts *o);
void import_plan_release(struct import_plan *ip);

/*
 * The function a hunk lives in: a definition line among its lines before
 * the first change ("static bool f(struct x *y)" at column 0), else git's
 * @@ function text.  The name, or NULL (caller frees).
 */
char *import_hunk_function(const struct hunk *h);

#endif
