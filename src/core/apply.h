/*
 * The hunk applier: parsed patches applied in memory, all or nothing.
 *
 * Placement follows GNU patch 2.7 (locate_hunk): each hunk is searched for
 * from its stated line plus the offset the previous hunk was found at,
 * alternating after and before, never before the last line an earlier hunk
 * changed; first exactly, then, only when opts.fuzz > 0, ignoring up to
 * fuzz leading and trailing context lines.  A hunk with less leading than
 * trailing context must match at the start of the file, and the other way
 * round at the end.  Where GNU patch applies every hunk (patch -N, no
 * --binary) the output is byte for byte what it writes, missing final
 * newlines and CRLF files included.  Where this applier is stricter:
 *
 *   - fuzz never matches when the context left after ignoring lines is only
 *     blank or brace lines ("}", "{", "};", whitespace);
 *   - a hunk that does not apply makes the whole patch (and series) fail and
 *     nothing changes;
 *   - a patch whose hunks are all already there (it reverse-applies) is
 *     reported as already applied and changes nothing; one that is partly
 *     there fails.
 *
 * Relocation: with opts.find_span set, each hunk's placement is checked
 * against the span (a function's lines, say) the callback gives for it; a
 * hunk found outside the span, or nowhere, is searched for inside the span
 * only, and reported as relocated into it.  The "@@ ... @@ name" text is
 * handed to the callback with the hunk but is only git's heuristic.
 *
 * Errors (-1, error() set) are only for what is not an outcome: a fetch or
 * span callback that fails, or a span outside the file.
 */
#ifndef BM_APPLY_H
#define BM_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/patch.h"
#include "core/strbuf.h"

enum hunk_status {
	HUNK_APPLIED,	      /* at line, maybe with an offset and fuzz */
	HUNK_RELOCATED,	      /* inside the span find_span gave */
	HUNK_ALREADY_APPLIED, /* its new lines are there, its old are not */
	HUNK_FAILED,	      /* reason says why */
};

struct hunk_result {
	enum hunk_status status;
	size_t line;	/* 1-based input line where the hunk's old (for
			   already applied: new) lines start; 0 if failed */
	long offset;	/* line minus the line the hunk states */
	unsigned fuzz;	/* context lines ignored at each end */
	char *function; /* HUNK_RELOCATED: the span's name; owned */
	char *reason;	/* HUNK_FAILED: why, naming the line that did
			   not match and where; owned */
};

enum apply_status {
	APPLY_OK,	       /* every hunk applied */
	APPLY_ALREADY_APPLIED, /* every hunk already there; nothing changed */
	APPLY_FAILED,	       /* something did not apply; nothing changed */
};

/* A range of lines of the target, 1-based, inclusive. */
struct span {
	size_t first_line, last_line;
	const char *name; /* e.g. the function's name; borrowed, copied */
};

/*
 * Returns 1 with *span set when the hunk belongs in a known span of the
 * content (of path), 0 when the callback has no opinion (the hunk is placed
 * as GNU patch would), -1 with error() set on failure.
 */
typedef int (*find_span_fn)(void *ctx, const char *path, const char *content,
			    size_t len, const struct hunk *h,
			    struct span *span);

/*
 * Fetches the original content of path.  Returns 0 with *content a buffer
 * from malloc() that the applier then owns and frees, or -1 with error() set
 * (a path not in the tree is an error: the caller names the tree).
 */
typedef int (*fetch_fn)(void *ctx, const char *path, char **content,
			size_t *len);

struct apply_opts {
	unsigned fuzz;		/* 0 by default */
	find_span_fn find_span; /* NULL: no relocation */
	void *span_ctx;
	/*
	 * In a series, a patch that is already applied is skipped instead of
	 * failing the series (which is the default: a half-fixed tree).
	 */
	bool skip_applied;
};

#define APPLY_OPTS_INIT                                                        \
	{                                                                      \
		0                                                              \
	}

struct file_result {
	char *path; /* owned */
	enum apply_status status;
	struct hunk_result *hunks; /* one per hunk of the file diff; owned */
	size_t nr_hunks;
};

/*
 * Applies one file diff to len bytes of content.  Returns 0 with the outcome
 * in res (file_result_release() frees it); on APPLY_OK the new content is
 * appended to out, otherwise out is left alone.  Returns -1 (error() set)
 * only when the span callback fails or gives a span outside the content.
 */
int apply_file_diff(const struct file_diff *fd, const char *content, size_t len,
		    const struct apply_opts *opts, struct file_result *res,
		    struct strbuf *out);
void file_result_release(struct file_result *res);

struct patch_result {
	char *name; /* the patch's name; owned */
	enum apply_status status;
	struct file_result *files; /* one per file diff; owned */
	size_t nr_files;
};

struct applied_file {
	char *path;    /* owned */
	char *content; /* the new content; owned */
	size_t len;
	bool changed; /* differs from what fetch returned */
};

struct apply_result {
	/*
	 * APPLY_OK: every patch applied (or, with skip_applied, was already
	 * there); APPLY_ALREADY_APPLIED: every patch was already there;
	 * otherwise APPLY_FAILED.
	 */
	enum apply_status status;
	struct patch_result *patches; /* one per patch, in order; owned */
	size_t nr_patches;
	/* Every file the patches touch, with its new content; APPLY_OK only. */
	struct applied_file *files;
	size_t nr_files, alloc_files;
};

#define APPLY_RESULT_INIT                                                      \
	{                                                                      \
		0                                                              \
	}

/*
 * Applies nr patches in order, each seeing the files as the patches before
 * it left them, to files fetched with fetch(fetch_ctx, path, ...), each at
 * most once.  Returns 0 with the outcome in res (release it with
 * apply_result_release(), whatever the return), or -1 with error() set when
 * a callback fails.  A failed patch is reported and the following ones are
 * still tried (on the files without it), for their results.
 */
int apply_patches(const struct patch *const *patches, size_t nr, fetch_fn fetch,
		  void *fetch_ctx, const struct apply_opts *opts,
		  struct apply_result *res);
void apply_result_release(struct apply_result *res);

/* "applied at line 12 (offset 3, fuzz 1)", "failed: ..." appended to out. */
void hunk_result_describe(const struct hunk_result *r, struct strbuf *out);
/* "applied", "already-applied", "failed" */
const char *apply_status_name(enum apply_status status);
const char *hunk_status_name(enum hunk_status status);

#endif
