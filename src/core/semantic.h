/*
 * Semantic backports (apply --semantic): what a semantic patch (spatch)
 * made of a tree no shipped series fits is checked here and turned into an
 * ordinary patch, so that it is applied, located again and written like a
 * shipped one.  Pure.
 */
#ifndef BM_SEMANTIC_H
#define BM_SEMANTIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/locate.h"
#include "core/patch.h"
#include "core/strbuf.h"

/* The comment line of a .cocci file naming the patch its headers come from. */
#define SEMANTIC_HEADERS_KEY "backport-mglru-headers:"

/*
 * The patch file name a .cocci text names after SEMANTIC_HEADERS_KEY, into
 * out; false when it names none (or a name with '/').
 */
bool semantic_headers_name(const char *cocci, struct strbuf *out);

/*
 * Whether before and after differ only inside the functions that hold the
 * pin and the unpin (before's located in vb, after's in va): the text
 * outside those two functions must be the same, line for line.  On false,
 * *why (owned by the caller) says where.
 */
bool semantic_only_sites_changed(const char *before, size_t blen, const struct variant *vb,
				 const char *after, size_t alen, const struct variant *va,
				 char **why);

/*
 * Appends a patch file: the mail headers and message of hdr, the note line
 * after its "[ Upstream commit ]" line (or first), then the diff of path
 * from before to after.
 */
void semantic_patch_text(struct strbuf *out, const struct patch *hdr, const char *note,
			 const char *path, const char *before, size_t blen,
			 const char *after, size_t alen);

#endif
