# Sourced by run.sh and long-run.sh: what every fuzz target shares.
# A target is tests/fuzz/fuzz-NAME.c (LLVMFuzzerTestOneInput) with its seed
# corpus in tests/fuzz/corpus/NAME/; the CMake list of fuzz tests is the
# glob of those files, so a new target needs no other edit.

fuzz_here=$(cd "$(dirname "$0")" && pwd)
fuzz_root=$(cd "$fuzz_here/../.." && pwd)

# fuzz_build TARGET OUTDIR: OUTDIR/fuzz-TARGET, with ASan and UBSan, against
# the whole pure core (src/core: no libgit2, no I/O).
fuzz_build() {
	src="$fuzz_here/fuzz-$1.c"
	if [ ! -f "$src" ] || [ ! -d "$fuzz_here/corpus/$1" ]; then
		echo "no fuzz target '$1' (want $src and $fuzz_here/corpus/$1/)" >&2
		exit 2
	fi
	mkdir -p "$2"
	clang -std=c11 -g -O1 -Wall -Wextra -Werror -Wmissing-prototypes \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined \
		-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$fuzz_root/src" \
		-o "$2/fuzz-$1" "$src" "$fuzz_root"/src/core/*.c
}

# fuzz_max_len TARGET: the longest input to try.
fuzz_max_len() {
	case $1 in
	locate) echo 16384 ;;	# C files: give them room
	*) echo 4096 ;;
	esac
}

# fuzz_seeds TARGET OUTDIR: prints extra seed directories made in OUTDIR
# from the hand-written test fixtures (read only; new inputs never go there).
fuzz_seeds() {
	case $1 in
	locate)
		# each fixture as mm/vmscan.c, a NUL, then an exit_mmap() file
		fixtures="$fuzz_root/tests/fixtures/locate"
		mkdir -p "$2/seeds"
		for f in "$fixtures"/*.c; do
			{ cat "$f"; printf '\0'; cat "$fixtures/mmap-safe.c"; } \
				>"$2/seeds/$(basename "$f")"
		done
		echo "$2/seeds"
		;;
	esac
}
