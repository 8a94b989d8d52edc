# linux-6.12.y: the fix as 6.12 has it from v6.7 (no stable backport was
# ever needed; the form lets the generic status find it on 6.12)
mglru-skip-special-vmas-6.12.patch -p1
