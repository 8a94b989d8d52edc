# quilt series for linux-6.6.y (patches are resolved in ../../backports/mglru-mmgrab/)
# shape: 6.6-do-while; context taken from 6.6-era sources, not tested on a 6.6.y tree
mglru-mmgrab-6.6.patch -p1
