#!/usr/bin/env bash
# bench/apply: "does the series apply to branch X", answered in memory by
# `backport-mglru apply --dry-run`, against the way it is done by hand today:
# `git worktree add` of the branch, then `quilt push -a` of the same series.
# Both run in this same run on the same repository (a --shared clone of the
# kernel repository, so the cache is not touched), for every stable branch;
# prints the per-branch times and the ratio (by hand / ours; goal >= 100).
#
# Then the --semantic path, on a vendor variant of each branch (a vendor
# check before the pin, so that the series fails and spatch adapts it):
# `apply --dry-run --semantic` against the plain applier on the branch, and
# against spatch run by hand on the same mm/vmscan.c.
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
		(cd "$tmp/wt" && QUILT_PATCHES="$OLDPWD/backports/mglru-mmgrab" QUILT_SERIES="$OLDPWD/series/mglru-mmgrab/$line" \
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

# The --semantic path: a vendor check before the pin on each branch.
cocci=backports/mglru-mmgrab/mglru-mmgrab.cocci
t_plain=0 t_sem=0 t_spatch=0
for b in "${branches[@]}"; do
	git --git-dir="$repo" show "$b:mm/vmscan.c" |
		awk '/^static bool should_skip_mm/ { f = 1; r = "true" }
		     /^static struct mm_struct \*get_next_mm/ { f = 1; r = "NULL" }
		     f && /^\treturn !mmget_not_zero\(mm\);$|^\treturn mmget_not_zero\(mm\) \? mm : NULL;$/ {
			print "\tif (test_bit(MMF_OOM_SKIP, &mm->flags))"; print "\t\treturn " r ";"; print ""; f = 0 }
		     { print }' >"$tmp/vmscan.c"
	blob=$(git --git-dir="$repo" hash-object -w "$tmp/vmscan.c")
	GIT_INDEX_FILE=$tmp/index git --git-dir="$repo" read-tree "$b"
	GIT_INDEX_FILE=$tmp/index git --git-dir="$repo" update-index --cacheinfo "100644,$blob,mm/vmscan.c"
	tree=$(GIT_INDEX_FILE=$tmp/index git --git-dir="$repo" write-tree)
	c=$(GIT_AUTHOR_NAME=V GIT_AUTHOR_EMAIL=v@example.com GIT_COMMITTER_NAME=V \
		GIT_COMMITTER_EMAIL=v@example.com git --git-dir="$repo" commit-tree "$tree" -p "$b" -m vendor)
	git --git-dir="$repo" update-ref "refs/heads/vendor-$b" "$c"
	"$bin" apply --repo "$repo" --series . --branch "vendor-$b" --dry-run --semantic >/dev/null
	for ((i = 0; i < rounds; i++)); do
		t0=$(now)
		"$bin" apply --repo "$repo" --series . --branch "$b" --dry-run >/dev/null
		t1=$(now)
		"$bin" apply --repo "$repo" --series . --branch "vendor-$b" --dry-run --semantic >/dev/null
		t2=$(now)
		git --git-dir="$repo" show "vendor-$b:mm/vmscan.c" >"$tmp/hand.c"
		spatch --very-quiet --no-includes --sp-file "$cocci" "$tmp/hand.c" -o "$tmp/hand-out.c" >/dev/null 2>&1
		t3=$(now)
		t_plain=$((t_plain + t1 - t0)) t_sem=$((t_sem + t2 - t1)) t_spatch=$((t_spatch + t3 - t2))
		printf '  %-14s plain %7.1f ms   --semantic %7.1f ms   spatch by hand %7.1f ms\n' "$b" \
			"$(echo "($t1 - $t0) / 1000000" | bc -l)" "$(echo "($t2 - $t1) / 1000000" | bc -l)" \
			"$(echo "($t3 - $t2) / 1000000" | bc -l)"
	done
done
awk -v p="$t_plain" -v s="$t_sem" -v h="$t_spatch" -v n="$((rounds * ${#branches[@]}))" 'BEGIN {
	printf "bench/apply --semantic: %d runs each\n", n
	printf "  apply --dry-run, shipped series          %9.1f ms/branch\n", p / n / 1e6
	printf "  apply --dry-run --semantic (vendor tree) %9.1f ms/branch\n", s / n / 1e6
	printf "  spatch by hand on mm/vmscan.c            %9.1f ms/branch\n", h / n / 1e6
	printf "  ratio --semantic / plain applier         %9.2f x\n", s / p
	printf "  ratio --semantic / spatch by hand        %9.2f x   (the rest is locate, apply, check)\n", s / h
}'
