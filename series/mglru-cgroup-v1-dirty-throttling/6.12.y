# linux-6.12.y (stable 6.12.117)
mglru-cgroup-v1-dirty-throttling-6.12.patch -p1
