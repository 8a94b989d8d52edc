/* The exit_mmap() precondition of the fix: see precondition.c. */
#ifndef BM_PRECONDITION_H
#define BM_PRECONDITION_H

#include <stddef.h>

#include "core/locate.h"

/*
 * Reads every definition of function ("exit_mmap", from the fix's
 * descriptor) in mmap (the text of the file that
 * defines it; NULL when none was found) and fills pre: checked when it was
 * found, holds when each call that frees the VMA tree (free_pgtables,
 * remove_vma, __mt_destroy, mt_destroy, vm_area_free) runs with
 * mmap_write_lock(mm) held, reason in every case.  An unlock whose next
 * statement is "return" is an early exit ("if (!vma) { mmap_write_unlock(mm);
 * return; }"): the code after it is still read as locked.
 */
void precondition_check(struct precondition *pre, const char *function,
			const char *mmap, size_t mmap_len);

#endif
