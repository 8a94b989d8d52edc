# linux-6.1.y: the 6.1 form (stable 6.1.177)
mglru-skip-special-vmas-6.1.patch -p1
