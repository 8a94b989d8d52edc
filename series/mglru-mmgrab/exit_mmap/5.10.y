# quilt series for linux-5.10.y: the backport of the fix's prerequisite, upstream
# 64591e8605d6 ("mm: protect free_pgtables with mmap_lock write lock in exit_mmap"),
# applied before the fix by --with-prerequisites (patches are resolved in
# ../../../backports/mglru-mmgrab/).  Written from the 5.10 shape of exit_mmap();
# checked at fuzz 0 against the hand-written fixture tests/fixtures/vendor/mmap-5.10.c,
# and on Debian 11's real 5.10.262 (tests/real/test-real-prereq.c): placed
# by the tool at fuzz 0 as GNU patch places it, and compile-checked (x86_64
# defconfig, mm/mmap.o).
exit_mmap-write-lock-5.10.patch -p1
