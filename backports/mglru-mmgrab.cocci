// SPDX-License-Identifier: GPL-2.0
// mm/vmscan: prevent MGLRU reclaim from pinning address space
// (mainline d14514c66cb9721b54318850796c005c446d76d6), said by meaning
// rather than by lines, for trees no shipped series fits: vendor kernels,
// layouts no shape rule knows.
//
// In the lru_gen mm walk, the function that takes an mm off the mm list
// pins the mm_struct (mmgrab) instead of the address space
// (mmget_not_zero), keeping its success path; the iterator releases the
// previous mm with mmdrop instead of mmput_async.  Everything around those
// two statements (vendor checks, trace hooks) is kept.  Both sites or
// neither: the pin rules need the unpin, the unpin rule needs a pin.
//
// backport-mglru runs this on a scratch copy of mm/vmscan.c (apply
// --semantic), locates the result, and keeps it only when both sites are
// converted and nothing changed outside their two functions.
//
// backport-mglru-headers: mglru-mmgrab-get_next_mm.patch

@has_unpin@
identifier fn, iter;
typedef bool;
@@
 bool fn(..., struct mm_struct **iter)
 {
   <...
   mmput_async(*iter);
   ...>
 }

// 6.1 / 6.6 / vendor: should_skip_mm() ends with the pin
@pin_bool depends on has_unpin@
identifier fn, mm;
@@
 bool fn(struct mm_struct *mm, ...)
 {
   ...
-  return !mmget_not_zero(mm);
+  mmgrab(mm);
+  return false;
 }

// mainline / 6.12: get_next_mm() returns the pinned mm
@pin_ptr depends on has_unpin@
identifier fn;
expression mm;
@@
 struct mm_struct *fn(...)
 {
   ...
-  return mmget_not_zero(mm) ? mm : NULL;
+  mmgrab(mm);
+  return mm;
 }

@unpin depends on pin_bool || pin_ptr@
identifier has_unpin.fn, has_unpin.iter;
@@
 bool fn(..., struct mm_struct **iter)
 {
   <...
-  mmput_async(*iter);
+  mmdrop(*iter);
   ...>
 }
