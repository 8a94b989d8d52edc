# linux-6.12.y (stable 6.12.114)
mglru-unevictable-cull-6.12.patch -p1
