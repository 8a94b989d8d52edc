#!/usr/bin/env bash
# bench/apply: "does the series apply to branch X", answered in memory by
# `backport-mglru apply --dry-run`, against the way it is done by hand today:
# `git worktree add` of the branch, then `quilt push -a` of the same series.
# Both run in this same run on the same repository (a --shared clone of the
# kernel repository, so the cache is not touched), for every stable branch;
# prints the per-branch times and the ratio (by hand / ours; goal >= 100).
#
# usage: bench/apply.sh [ROUNDS]     (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bin=${BACKPORT_MGLRU:-build/release/backport-mglru}
if [ ! -x "$bin" ]; then
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBACKPORT_MGLRU_TESTS=OFF >/dev/null
	cmake --build build/release -j"$(nproc)" >/dev/null
fi
origin=${BACKPORT_MGLRU_REPO:-$(scripts/make-kernel-repo.sh --print-path)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-apply.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo.git
git clone -q --bare --shared "$origin" "$repo"
mapfile -t branches < <(git --git-dir="$repo" for-each-ref --format='%(refname:short)' 'refs/heads/linux-*')
now() { date +%s%N; }

t_ours=0 t_hand=0
for b in "${branches[@]}"; do
	line=${b#linux-}
	"$bin" apply --repo "$repo" --series . --branch "$b" --dry-run >/dev/null # warm
	for ((i = 0; i < rounds; i++)); do
		t0=$(now)
		"$bin" apply --repo "$repo" --series . --branch "$b" --dry-run >/dev/null
		t1=$(now)
		git --git-dir="$repo" worktree add -q --detach "$tmp/wt" "$b"
		(cd "$tmp/wt" && QUILT_PATCHES="$OLDPWD/backports" QUILT_SERIES="$OLDPWD/series/$line" \
			QUILT_PC="$tmp/pc" quilt push -a -q --fuzz=0 >/dev/null)
		t2=$(now)
		git --git-dir="$repo" worktree remove --force "$tmp/wt"
		rm -rf "$tmp/pc"
		t_ours=$((t_ours + t1 - t0))
		t_hand=$((t_hand + t2 - t1))
		printf '  %-14s ours %7.1f ms   worktree add + quilt push %8.1f ms\n' "$b" \
			"$(echo "($t1 - $t0) / 1000000" | bc -l)" "$(echo "($t2 - $t1) / 1000000" | bc -l)"
	done
done
awk -v o="$t_ours" -v h="$t_hand" -v n="$((rounds * ${#branches[@]}))" 'BEGIN {
	printf "bench/apply: %d runs each\n", n
	printf "  apply --dry-run (in memory)   %9.1f ms/run\n", o / n / 1e6
	printf "  worktree add + quilt push -a  %9.1f ms/run\n", h / n / 1e6
	printf "  ratio (by hand / ours)        %9.1f x   (goal >= 100)\n", h / o
}'
