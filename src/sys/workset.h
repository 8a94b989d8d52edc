/*
 * The branches a command works on, and the locate step every command starts
 * with: read mm/vmscan.c and mm/mmap.c at the branch, classify.
 */
#ifndef BM_WORKSET_H
#define BM_WORKSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fix.h"
#include "core/locate.h"
#include "sys/repo.h"

/*
 * Resolves specs (nr_specs of them) and, with all, every stable branch,
 * dropping repeats of one commit reached by the same label.  No spec and no
 * all: every stable branch when the repository has any, else HEAD.
 * *out has *nr branches; free with branch_list_free().  -1 on error.
 */
int workset_select(struct repo *r, const char *const *specs, size_t nr_specs,
		   bool all, struct branch **out, size_t *nr);

/*
 * For each of branches[0..nr), taken into *res[i] (the branch left zeroed):
 * reads the kernel version, the fix's files and its precondition's file
 * (for the seed fix mm/vmscan.c and mm/mmap.c, from its descriptor) at its
 * commit and classifies them with the fix's rule.  *mmap[i], when mmap is
 * not NULL, receives the text read for the precondition (empty when the
 * tree has no such file), so later steps need not read it again.
 *
 * Runs on up to one thread per CPU, each with its own handle on r's
 * repository: a libgit2 repository is not to be shared between threads.
 * Every *res[i] is set up and must be released, even on error.  A tree
 * without a Makefile, or (for a fix with a rule) without the fix's first
 * file, is an error; -1 with the error of the
 * first failing branch, in order.
 */
int workset_locate_all(struct repo *r, const struct fix_desc *fix,
		       struct branch *branches, size_t nr,
		       struct locate_result *const *res, struct strbuf *const *mmap);

#endif
