/*
 * Output patches, regenerated against one branch's exact tree: the forms a
 * stable maintainer queues (quilt), a Debian packager drops into
 * debian/patches (DEP-3), and git am takes (mbox).  Pure: renders into a
 * strbuf.
 */
#ifndef BM_RENDER_H
#define BM_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/patch.h"
#include "core/strbuf.h"

enum render_format {
	RENDER_QUILT,
	RENDER_DEP3,
	RENDER_MBOX,
	RENDER_STABLE_QUEUE,	/* stable-queue's queue-X.Y/: named from the subject */
};

/* "quilt", "dep3", "mbox", "stable-queue" -> format; false for anything else. */
bool render_format_parse(const char *s, enum render_format *out);
const char *render_format_name(enum render_format f);

struct render_info {
	const struct patch *patch;	/* headers and message come from here */
	const char *line;		/* "6.1.y", for the mbox subject prefix */
	const char *diff;		/* the regenerated diff text */
	const char *upstream;		/* 40-hex upstream commit, or NULL */
	const char *today;		/* "YYYY-MM-DD" for DEP-3 Last-Update */
	const char *version;		/* the tool's version, for the mbox signature */
	const char *note;		/* a bracketed backport note for the message
					   (after its "[ Upstream commit ]" line), or NULL */
};

/*
 * The name stable-queue gives a patch: the subject lower-cased, every run of
 * characters other than [a-z0-9_] one '-', no '-' at either end, at most 100
 * characters, ".patch" appended ("mm/vmscan: fix foo()" ->
 * "mm-vmscan-fix-foo.patch").  Appended to out.
 */
void render_stable_queue_name(struct strbuf *out, const char *subject);
/* The directory of one line's outputs: "6.1.y", or "queue-6.1" for stable-queue. */
void render_output_dir_name(struct strbuf *out, enum render_format f, const char *line);

/* Appends the whole patch file to out. */
void render_patch(struct strbuf *out, enum render_format f, const struct render_info *ri);

/*
 * The upstream commit named by a "[ Upstream commit <hex> ]" or "commit <hex>
 * upstream." line of message, into out (41 bytes); false when none.
 */
bool render_upstream_id(const char *message, char out[41]);

/*
 * Splits "Name <email>" into name and email (both owned by the caller).
 * Returns false when there is no <email>.
 */
bool render_parse_ident(const char *from, char **name, char **email);
/*
 * Parses an RFC 2822 date ("Sun, 22 Mar 2026 07:08:43 +0000", weekday
 * optional) into seconds since the epoch and the zone in minutes east.
 */
bool render_parse_date(const char *date, long long *when, int *offset);

#endif
