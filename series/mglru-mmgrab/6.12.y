# quilt series for linux-6.12.y and later (patches are resolved in ../../backports/mglru-mmgrab/)
# shape: mainline-get_next_mm; checked against v6.12.107 and v6.12.117
mglru-mmgrab-get_next_mm.patch -p1
