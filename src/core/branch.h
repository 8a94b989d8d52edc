/* A branch of the repository as the user named it and as it resolved. */
#ifndef BM_BRANCH_H
#define BM_BRANCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/kversion.h"

struct branch {
	char *spec;		/* as given ("6.1.y"), or the ref's short name for --all; owned */
	char *ref;		/* full ref name, NULL for a bare commit id; owned */
	char *label;		/* display name: "linux-6.1.y", "stable/linux-6.1.y", "v6.1.192"; owned */
	char commit[41];	/* hex */
	bool has_version;
	struct kversion version;	/* from the Makefile at commit */
};

/*
 * The name of the branch's line for series, outputs and refs: "6.1.y" from
 * its version; with none (a vendor tree with no top-level Makefile) its
 * label, every character but [A-Za-z0-9._-] made '_' -- a name, never a
 * version guessed from it.
 */
void branch_line_name(const struct branch *b, char *buf, size_t n);
/* "6.1.192", or "?" when the tree shows no version. */
void branch_version_name(const struct branch *b, char *buf, size_t n);

void branch_release(struct branch *b);
void branch_list_free(struct branch *list, size_t nr);

#endif
