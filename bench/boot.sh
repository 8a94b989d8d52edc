#!/usr/bin/env bash
# bench/boot.sh: the boot test against the bare commands it stands for.
#
# Prints, in one run and on the same branch (x86_64):
#  (0) the cold `check --boot` (empty scratch cache: tree export, compile
#      check, tinyconfig + KASAN configure and the whole bzImage), untimed
#      against anything, for the record;
#  (a) a warm `check --boot` re-run after a one-line change in mm/vmscan.c
#      (a comment edit in the series' patch) against the bare
#      `make bzImage` after a one-line change in the exported tree plus the
#      bare qemu run with the same command line, interleaved, medians of 3,
#      and the ratio;
#  (b) the guest test itself: qemu's wall time as the tool measured it.
# Goals: (a) <= 1.3, (b) < 60 s under TCG.
#
# usage: bench/boot.sh [REPO]   (default: the make-kernel-repo.sh repository)
# Runs the release build of backport-mglru (built if missing) with a scratch
# cache and a scratch copy of series/ and backports/.  Needs qemu-system-x86.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
repo=${1:-${BACKPORT_MGLRU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-mglru}/linux-stable.git}
b1=${BENCH_BRANCH:-v6.12.117}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/bench-boot.XXXXXX")
export LC_ALL=C
trap 'rm -rf "$scratch"' EXIT

bin=${BACKPORT_MGLRU:-$src/build/release/backport-mglru}
if [ ! -x "$bin" ]; then
	cmake -S "$src" -B "$src/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DBACKPORT_MGLRU_TESTS=OFF >/dev/null
	cmake --build "$src/build/release" -j2 >/dev/null
fi
command -v qemu-system-x86_64 >/dev/null || { echo "bench/boot: qemu-system-x86_64 not found" >&2; exit 1; }
series=$scratch/series-dir
mkdir -p "$series"
cp -R "$src/series" "$src/backports" "$series/"
# A one-line change: the added mmgrab line gets a different comment.
edit() {
	sed -i "s|^+\tmmgrab(mm);.*|+\tmmgrab(mm); /* $1 */|" "$series"/backports/mglru-mmgrab/*.patch
}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

cache=$scratch/cache
boot() {
	BACKPORT_MGLRU_CACHE=$cache "$bin" check --repo "$repo" --series "$series" \
		--branch "$b1" --arch x86_64 --boot --json "$@"
}
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$2" | tail -1; }

echo "bench/boot: repo $repo, branch $b1, $(nproc) cores"
t=$(now)
boot >"$scratch/cold.json"
cold=$(elapsed "$t")
printf '(0) cold check --boot %6.1fs  (boot build %ss, guest %ss)\n' "$cold" \
	"$(field build_seconds "$scratch/cold.json")" "$(field guest_seconds "$scratch/cold.json")"
grep -q '"result": "pass"' "$scratch/cold.json" || { echo "bench/boot: the cold boot did not pass" >&2; exit 1; }

tree=$(ls -d "$cache"/trees/*/ | head -1)
tree=${tree%/}
dir=$cache/boot/$(basename "$tree")-x86_64
qemu_bare() {
	qemu-system-x86_64 -accel tcg -m 512M -smp 1 -display none -vga none -monitor none \
		-serial stdio -no-reboot -kernel "$dir/arch/x86/boot/bzImage" \
		-initrd "$dir/initramfs.cpio" -append "console=ttyS0 panic=-1 panic_on_warn=1 \
oops=panic rdinit=/init lru_walk_rounds=30" </dev/null >"$scratch/bare-console.log" 2>&1
}
tools=() bares=() guests=()
for round in 1 2 3; do
	edit "bench edit $round"
	t=$(now)
	boot >"$scratch/a.json"
	tools+=("$(elapsed "$t")")
	guests+=("$(field guest_seconds "$scratch/a.json")")
	grep -q '"result": "pass"' "$scratch/a.json" || { echo "bench/boot: a warm boot did not pass" >&2; exit 1; }
	# the bare side: one line changed in the tree, make bzImage, qemu
	echo "/* bare edit $round */" >>"$tree/mm/vmscan.c"
	t=$(now)
	make -s -C "$tree" O="$dir" ARCH=x86_64 -j"$(nproc)" bzImage >/dev/null 2>&1
	qemu_bare
	bares+=("$(elapsed "$t")")
	grep -q 'lru-walk: summary' "$scratch/bare-console.log" || { echo "bench/boot: the bare boot did not finish" >&2; exit 1; }
done
a_tool=$(median "${tools[@]}")
a_bare=$(median "${bares[@]}")
printf '(a) warm check --boot %6.1fs  bare make bzImage + qemu %6.1fs  ratio %s  (goal <= 1.3; medians of 3: ours %s, bare %s)\n' \
	"$a_tool" "$a_bare" "$(ratio "$a_tool" "$a_bare")" "${tools[*]}" "${bares[*]}"
printf '(b) guest under TCG %ss  (goal < 60 s; rounds %s)\n' "$(median "${guests[@]}")" "${guests[*]}"
