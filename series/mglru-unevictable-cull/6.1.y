# linux-6.1.y (stable 6.1.191)
mglru-unevictable-cull-6.1.patch -p1
