#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine as root: installs what it
# needs, builds the real kernel repository if the cache lacks it, builds with
# AddressSanitizer + UndefinedBehaviorSanitizer, and runs every test (unit,
# integration, real-kernel) under ctest.  Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
repo=$(scripts/make-kernel-repo.sh --print-path)
repo_prereq=$(scripts/make-kernel-repo.sh --prerequisite-lines --print-path)
build=${BACKPORT_MGLRU_TEST_BUILD:-build/test}
jobs=$(nproc)

# Each fuzz target (tests/fuzz) runs this long.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug \
	-DBACKPORT_MGLRU_SANITIZE=ON -DREAL_KERNEL_REPO="$repo" \
	-DREAL_KERNEL_REPO_PREREQ="$repo_prereq" \
	-DBACKPORT_MGLRU_FUZZ_SECONDS="${BACKPORT_MGLRU_FUZZ_SECONDS:-25}" >/dev/null
cmake --build "$build" -j"$jobs"
# -Werror at -O2 too: some warnings only show with optimisation.
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBACKPORT_MGLRU_TESTS=OFF >/dev/null
cmake --build build/release -j"$jobs" >/dev/null
# The sanitizers at -O2 (with glibc's fortify checks, as Debian's packages
# build): gcc 12 warns there of things -O0 never sees.  Built, not run.
cmake -S . -B build/relsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DBACKPORT_MGLRU_SANITIZE=ON -DCMAKE_C_FLAGS=-D_FORTIFY_SOURCE=2 \
	-DREAL_KERNEL_REPO="$repo" >/dev/null
cmake --build build/relsan -j"$jobs" >/dev/null
ctest --test-dir "$build" --output-on-failure -j"$jobs"
