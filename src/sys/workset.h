/*
 * The branches a command works on, and the locate step every command starts
 * with: read mm/vmscan.c and mm/mmap.c at the branch, classify.
 */
#ifndef BM_WORKSET_H
#define BM_WORKSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/report.h"
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
 * Reads the files at b's commit and classifies them into res, taking
 * ownership of *b (left zeroed).  A tree without mm/vmscan.c is an error.
 * mmap_text, when not NULL, receives the text read for exit_mmap() (empty
 * when the tree has no mm/mmap.c), so later steps need not read it again.
 */
int workset_locate(struct repo *r, struct branch *b, struct locate_result *res,
		   struct strbuf *mmap_text);

#endif
