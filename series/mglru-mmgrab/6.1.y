# quilt series for linux-6.1.y (patches are resolved in ../../backports/mglru-mmgrab/)
# shape: 6.1-nr_walkers; checked against v6.1.170 and v6.1.192
mglru-mmgrab-6.1.patch -p1
