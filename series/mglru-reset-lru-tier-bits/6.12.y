# linux-6.12.y (stable 6.12.114)
mglru-reset-lru-tier-bits-6.12.patch -p1
