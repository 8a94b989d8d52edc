#!/usr/bin/env bash
# The main job end to end, on a fresh Debian 12 machine as root: installs what
# it needs, builds backport-mglru, builds the real stable kernel repository
# from Debian's linux-source packages if the cache lacks it, and runs
# the full job on every stable branch of it: locate, apply, compile-check,
# and write the patches to ./backport-mglru-out/.  Extra arguments go to
# backport-mglru instead (e.g. `locate --all`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBACKPORT_MGLRU_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
repo=$(scripts/make-kernel-repo.sh --print-path)
echo "repository: $repo" >&2
if [ $# -eq 0 ]; then
	exec "$build/backport-mglru" --repo "$repo" --all -j2 --output backport-mglru-out
fi
case $1 in
-*) exec "$build/backport-mglru" --repo "$repo" "$@" ;;
*) exec "$build/backport-mglru" "$1" --repo "$repo" "${@:2}" ;;
esac
