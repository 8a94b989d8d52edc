/*
 * What `backport-mglru import` makes of one patch, in memory: the fix's id,
 * its upstream commit, the functions its hunks live in, and the text of
 * its descriptor.  Pure; sys/import.c writes the folder.
 */
#ifndef BM_IMPORT_H
#define BM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/patch.h"

struct import_plan {
	size_t message;		/* 1-based message of the file; 0: the file is one */
	char *id;		/* owned */
	char *upstream;		/* 40 hex digits, or NULL; owned */
	char *subject;		/* owned */
	char *patch_name;	/* "<id>.patch"; owned */
	char *conf;		/* the fix.conf text; owned */
	char *patch_text;	/* what <id>.patch holds: the message; owned */
	size_t patch_len;
};

/* What the command line adds to the patch. */
struct import_opts {
	const char *id;			/* --id, or NULL: from the subject */
	const char *const *kconfig;	/* --kconfig, without CONFIG_ */
	size_t nr_kconfig;
};

/*
 * Plans the import of p, one message (parsed from text, len bytes, with
 * -p1; name names the input in messages).  -1 with error() set, naming the
 * input: no subject and no --id, a bad --id, a hunk whose function cannot
 * be told (no definition line in it and no @@ function name).  The Kconfig
 * symbols are checked when the folder is read back.  ip->patch_text is
 * not set: import_series_make() sets it.
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

/* A message import skipped: a cover letter or another message with no diff. */
struct import_skip {
	size_t message;		/* 1-based */
	char *subject;		/* as written, or NULL; owned */
};

/* Every patch of one input file, planned. */
struct import_series {
	struct import_plan *plans;	/* one per patch message, in order; owned */
	size_t nr;
	struct import_skip *skipped;	/* owned */
	size_t nr_skipped;
	size_t nr_messages;		/* messages in the file (1 for a plain diff) */
};

#define IMPORT_SERIES_INIT { NULL, 0, NULL, 0, 0 }

/* import_series_make()'s return when the options do not fit the input. */
#define IMPORT_USAGE (-2)

/*
 * Plans the import of every patch in text (len bytes; name names the file):
 * a git format-patch file, a plain diff, or an mbox of several messages
 * (b4, lore: "From " separator lines), where a cover letter ("[PATCH 0/N]",
 * or any message with no diff) is skipped and each other message is one
 * patch.  All or nothing: -1 with error() set naming the file, the message
 * and the problem when any message is bad (a numbered "[PATCH k/N]" with no
 * diff, a reply ("Re: ...") with a diff, no patch at all, two messages
 * giving one id, and everything
 * patch_parse() and import_plan_make() refuse); IMPORT_USAGE with error()
 * set when o->id is given and the file holds more than one patch.  One
 * message in the file: errors are import_plan_make()'s and patch_parse()'s
 * as they are, and the patch text is the whole file.
 */
int import_series_make(struct import_series *s, const char *text, size_t len,
		       const char *name, const struct import_opts *o);
void import_series_release(struct import_series *s);

/*
 * Whether the subject (a Subject: value as written, NULL allowed) numbers
 * its message in a leading "[...]" tag: "[PATCH v2 2/3] mm: x" gives *k 2
 * and *n 3; a cover letter is k 0.  false (and 0, 0) when it has none.
 */
bool import_subject_number(const char *subject, size_t *k, size_t *n);

#endif
