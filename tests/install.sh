#!/bin/sh
# cmake --install puts the binary, the man page, series/ and backports/ in
# place, and the installed series directory is complete: every patch each
# series names is there.  usage: tests/install.sh BUILD_DIR
set -eu
build=$1
dest=$(mktemp -d "${TMPDIR:-/tmp}/bm-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
cmake --install "$build" --prefix "$dest" >/dev/null
share=$dest/share/backport-mglru
for f in "$dest/bin/backport-mglru" "$dest/share/man/man1/backport-mglru.1" \
	"$share/series/README" "$share/series/shapes" "$share/series/6.1.y" \
	"$share/series/6.6.y" "$share/series/6.12.y" "$share/guest/lru-walk.c"; do
	[ -e "$f" ] || { echo "install: missing $f"; exit 1; }
done
for s in "$share"/series/[0-9]*; do
	sed 's/#.*//' "$s" | while read -r name _; do
		[ -z "$name" ] && continue
		[ -f "$share/backports/$name" ] || { echo "install: $s names missing $name"; exit 1; }
	done
done
"$dest/bin/backport-mglru" --version >/dev/null
echo "install: ok"
