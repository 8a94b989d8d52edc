#!/bin/sh
# Builds the libFuzzer target TARGET (tests/fuzz/fuzz-TARGET.c: patch,
# locate, series, kbuild-cmd) and runs it for SECONDS (default 60) on a
# scratch copy of its seed corpus tests/fuzz/corpus/TARGET/ (and, for
# locate, seeds made from tests/fixtures/locate/).  The repository's corpus
# is not changed: long-run.sh is for that.  A crash, leak or timeout fails
# with the end of the log, its input kept in the output directory.  Prints
# the run count.  Usage: tests/fuzz/run.sh [TARGET] [SECONDS]  (TARGET: patch)
set -eu
target=patch
case ${1:-} in
'' | *[!0-9]*) target=${1:-patch}; [ $# -gt 0 ] && shift ;;
esac
seconds=${1:-60}
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")}
fuzz_build "$target" "$out"
rm -rf "$out/corpus" "$out/seeds"
mkdir -p "$out/corpus"
cp "$fuzz_here/corpus/$target"/* "$out/corpus/"
seeds=$(fuzz_seeds "$target" "$out")
echo "fuzzing $target for ${seconds}s in $out" >&2
cd "$out"
# shellcheck disable=SC2086
"./fuzz-$target" -max_total_time="$seconds" -max_len="$(fuzz_max_len "$target")" \
	-timeout=10 -artifact_prefix="$out/" "$out/corpus" $seeds >"$out/fuzz.log" 2>&1 || {
	tail -n 40 "$out/fuzz.log"
	exit 1
}
tail -n 3 "$out/fuzz.log"
