# linux-6.12.y (stable 6.12.117)
mglru-memcg-disabled-lruvec-6.12.patch -p1
