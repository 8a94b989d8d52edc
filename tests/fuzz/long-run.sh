#!/bin/sh
# A long fuzzing run of TARGET (see run.sh) for SECONDS that keeps what it
# learnt: the inputs it found that reach new code are merged (libFuzzer
# -merge=1: only those that add coverage) into tests/fuzz/corpus/TARGET/,
# to be reviewed and committed.  A crash ends the run with exit 1 and its
# input left in the output directory (printed): fix the bug, then add the
# input to the corpus as a regression seed.
# Usage: tests/fuzz/long-run.sh TARGET SECONDS
# (FUZZ_CORPUS=DIR merges into DIR instead; FUZZ_OUT=DIR works in DIR.)
set -eu
if [ $# -ne 2 ]; then
	echo "usage: tests/fuzz/long-run.sh TARGET SECONDS" >&2
	exit 129
fi
target=$1
seconds=$2
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
corpus=${FUZZ_CORPUS:-$fuzz_here/corpus/$target}
out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz-long-$target.XXXXXX")}
max_len=$(fuzz_max_len "$target")
fuzz_build "$target" "$out"
rm -rf "$out/new" "$out/seeds"
mkdir -p "$out/new"
seeds=$(fuzz_seeds "$target" "$out")
echo "fuzzing $target for ${seconds}s in $out" >&2
rc=0
# shellcheck disable=SC2086
(cd "$out" && "./fuzz-$target" -max_total_time="$seconds" -max_len="$max_len" \
	-timeout=10 -artifact_prefix="$out/" "$out/new" "$corpus" $seeds \
	>"$out/fuzz.log" 2>&1) || rc=$?
grep -h "^Done [0-9]* runs" "$out/fuzz.log" >&2 || true
before=$(ls "$corpus" | wc -l)
(cd "$out" && "./fuzz-$target" -merge=1 -max_len="$max_len" "$corpus" "$out/new" \
	>"$out/merge.log" 2>&1) || { tail -n 20 "$out/merge.log" >&2; exit 1; }
after=$(ls "$corpus" | wc -l)
echo "$target: corpus $before -> $after inputs in $corpus" >&2
if [ "$rc" -ne 0 ]; then
	tail -n 40 "$out/fuzz.log" >&2
	echo "$target: failed; inputs kept:" >&2
	ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null >&2 || true
	exit 1
fi
