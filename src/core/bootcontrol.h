/*
 * The boot test's negative control: a deliberately half-applied fix, only
 * the unpin converted (mmput_async -> mmdrop) and the pin left as
 * mmget_not_zero, the use-after-free the MGLRU fix must never become.  Only
 * `--boot-control` builds it, never as an output patch.
 */
#ifndef BM_BOOTCONTROL_H
#define BM_BOOTCONTROL_H

#include <stddef.h>

#include "core/locate.h"

/*
 * The text of mm/vmscan.c (vmscan[0..len), located as v: needs-fix) with
 * only the unpin call turned into mmdrop(), checked by locating again: the
 * result must classify as half-applied.  Returns the new text (caller
 * frees, *out_len its length), or NULL with error() set when v is not an
 * unfixed pair of sites or the result is not half-applied.
 */
char *control_unpin_only(const char *vmscan, size_t len, const struct variant *v,
			 size_t *out_len);

#endif
