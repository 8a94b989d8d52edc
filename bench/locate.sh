#!/usr/bin/env bash
# bench/locate: `backport-mglru locate` against the loop a maintainer would
# otherwise run: for each ref, `git grep -n -W` for the pin and for the
# unpin in mm/vmscan.c.  Three cases on the same repository: `--all` (every
# stable branch), every release tag, and `--fix all` on every release tag
# (against a `git grep -W` of every function and file-scope macro of every
# fix of the catalogue, read from each backports/<fix>/fix.conf with git
# config).
# Both sides run in this same run,
# N rounds each, interleaved; prints the ratios (ours / git grep; goal
# <= 1.0) and the peak RSS of `locate --all`.
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
mapfile -t tags < <(git --git-dir="$repo" for-each-ref --format='%(refname:short)' 'refs/tags/v*')
now() { date +%s%N; }

by_hand() {
	local b
	for b in "$@"; do
		git --git-dir="$repo" grep -n -W 'mmget_not_zero' "$b" -- mm/vmscan.c >/dev/null
		git --git-dir="$repo" grep -n -W 'mmput_async(\*iter)' "$b" -- mm/vmscan.c >/dev/null
	done
}

# Every fix's (file, pattern) pairs, "file<TAB>pattern", from its descriptor:
# "function(" for each function, "#define MACRO" for each file-scope macro.
fix_functions() {
	local conf
	for conf in backports/*/fix.conf; do
		git config -f "$conf" --get-regexp '^file\..*\.(function|macro)$' |
			sed -E -e 's/^file\.(.*)\.function (.*)$/\1\t\2(/' \
				-e 's/^file\.(.*)\.macro (.*)$/\1\t#define \2/'
	done
}
mapfile -t fix_pairs < <(fix_functions)

by_hand_fixes() {
	local b pair
	for b in "$@"; do
		for pair in "${fix_pairs[@]}"; do
			git --git-dir="$repo" grep -n -W "${pair#*$'\t'}" "$b" -- "${pair%%$'\t'*}" \
				>/dev/null || true
		done
	done
}

# bench CASE OURS-ARGS... -- REFS...   (BY_HAND: the loop to compare with)
bench() {
	local name=$1 t0 t1 t2 t_ours=0 t_hand=0 i hand=${BY_HAND:-by_hand}
	shift
	local ours=() refs=()
	while [ "$1" != "--" ]; do ours+=("$1"); shift; done
	shift
	refs=("$@")
	# exit 1 is a branch status (unknown, conflict), not a failure of the run
	"$bin" locate --repo "$repo" "${ours[@]}" >/dev/null || [ $? -eq 1 ]; "$hand" "${refs[@]}" # warm
	for ((i = 0; i < rounds; i++)); do
		t0=$(now)
		"$bin" locate --repo "$repo" "${ours[@]}" >/dev/null || [ $? -eq 1 ]
		t1=$(now)
		"$hand" "${refs[@]}"
		t2=$(now)
		t_ours=$((t_ours + t1 - t0))
		t_hand=$((t_hand + t2 - t1))
	done
	awk -v o="$t_ours" -v h="$t_hand" -v n="$rounds" -v c="$name" -v nb="${#refs[@]}" 'BEGIN {
		printf "  %-22s %d refs: locate %7.1f ms, git grep loop %7.1f ms, ratio %.3f\n",
			c, nb, o / n / 1e6, h / n / 1e6, o / h
	}'
}

echo "bench/locate: $rounds rounds each (goal: ratio ours/by hand <= 1.0)"
bench "locate --all" --all -- "${branches[@]}"
tag_args=()
for t in "${tags[@]}"; do tag_args+=(--branch "$t"); done
bench "locate (release tags)" "${tag_args[@]}" -- "${tags[@]}"
BY_HAND=by_hand_fixes bench "--fix all (release tags)" --fix all "${tag_args[@]}" -- "${tags[@]}"
rss=$( { /usr/bin/time -f '%M' "$bin" locate --repo "$repo" --all >/dev/null; } 2>&1 | tail -n1)
awk -v rss="$rss" 'BEGIN { printf "  peak RSS of locate --all: %.1f MiB\n", rss / 1024 }'
