#!/usr/bin/env bash
# bench/locate: `backport-mglru locate --all` against the loop a maintainer
# would otherwise run: for each stable branch, `git grep -n -W` for the pin
# and for the unpin in mm/vmscan.c.  Both run in this same run on the same
# repository, N rounds each, interleaved; prints the ratio (ours / git grep;
# goal <= 1.0) and the peak RSS of `locate --all`.
#
# usage: bench/locate.sh [ROUNDS]     (default 20)
# env:   BACKPORT_MGLRU (binary; default build/release/backport-mglru)
#        BACKPORT_MGLRU_REPO (default: scripts/make-kernel-repo.sh --print-path)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
bin=${BACKPORT_MGLRU:-build/release/backport-mglru}
if [ ! -x "$bin" ]; then
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBACKPORT_MGLRU_TESTS=OFF >/dev/null
	cmake --build build/release -j"$(nproc)" >/dev/null
fi
repo=${BACKPORT_MGLRU_REPO:-$(scripts/make-kernel-repo.sh --print-path)}
mapfile -t branches < <(git --git-dir="$repo" for-each-ref --format='%(refname:short)' 'refs/heads/linux-*')

ours() {
	"$bin" locate --repo "$repo" --all >/dev/null
}
by_hand() {
	local b
	for b in "${branches[@]}"; do
		git --git-dir="$repo" grep -n -W 'mmget_not_zero' "$b" -- mm/vmscan.c >/dev/null
		git --git-dir="$repo" grep -n -W 'mmput_async(\*iter)' "$b" -- mm/vmscan.c >/dev/null
	done
}
now() { date +%s%N; }

ours; by_hand # warm the page cache for both
t_ours=0 t_hand=0
for ((i = 0; i < rounds; i++)); do
	t0=$(now); ours; t1=$(now); by_hand; t2=$(now)
	t_ours=$((t_ours + t1 - t0))
	t_hand=$((t_hand + t2 - t1))
done
rss=$( { /usr/bin/time -f '%M' "$bin" locate --repo "$repo" --all >/dev/null; } 2>&1 | tail -n1)
awk -v o="$t_ours" -v h="$t_hand" -v n="$rounds" -v nb="${#branches[@]}" -v rss="$rss" 'BEGIN {
	printf "bench/locate: %d branches, %d rounds\n", nb, n
	printf "  locate --all          %8.1f ms/run\n", o / n / 1e6
	printf "  git grep -n -W loop   %8.1f ms/run\n", h / n / 1e6
	printf "  ratio (ours/by hand)  %8.3f   (goal <= 1.0)\n", o / h
	printf "  peak RSS locate --all %8.1f MiB\n", rss / 1024
}'
