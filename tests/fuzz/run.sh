#!/bin/sh
# Builds the patch parser/applier fuzz target with libFuzzer, ASan and UBSan
# against the pure core, and runs it for SECONDS (default 60) on a scratch
# copy of the seed corpus.  Usage: tests/fuzz/run.sh [SECONDS]
set -eu
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz-patch.XXXXXX")}
rm -rf "$out/corpus"
mkdir -p "$out/corpus"
cp "$here"/corpus/patch/* "$out/corpus/"
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/src" \
	-o "$out/fuzz-patch" "$here/fuzz-patch.c" \
	"$root/src/core/patch.c" "$root/src/core/apply.c" \
	"$root/src/core/diff.c" "$root/src/core/strbuf.c" \
	"$root/src/core/xalloc.c" "$root/src/core/error.c"
echo "fuzzing for ${seconds}s in $out" >&2
cd "$out"
./fuzz-patch -max_total_time="$seconds" -max_len=4096 -timeout=10 \
	-artifact_prefix="$out/" "$out/corpus" >"$out/fuzz.log" 2>&1 || {
	tail -n 40 "$out/fuzz.log"
	exit 1
}
tail -n 3 "$out/fuzz.log"
