#!/bin/sh
# cmake --install puts the binary, the man page, series/ and backports/ in
# place, and the installed catalogue is complete: every fix folder has its
# descriptor and every patch each series names is there, and the installed
# binary reads it.  usage: tests/install.sh BUILD_DIR
set -eu
build=$1
dest=$(mktemp -d "${TMPDIR:-/tmp}/bm-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
cmake --install "$build" --prefix "$dest" >/dev/null
share=$dest/share/backport-mglru
for f in "$dest/bin/backport-mglru" "$dest/share/man/man1/backport-mglru.1" \
	"$share/series/README" "$share/backports/mglru-mmgrab/fix.conf" \
	"$share/series/mglru-mmgrab/shapes" "$share/series/mglru-mmgrab/6.1.y" \
	"$share/series/mglru-mmgrab/6.6.y" "$share/series/mglru-mmgrab/6.12.y" \
	"$share/guest/lru-walk.c"; do
	[ -e "$f" ] || { echo "install: missing $f"; exit 1; }
done
for d in "$share"/series/*/; do
	id=$(basename "$d")
	[ -f "$share/backports/$id/fix.conf" ] || { echo "install: no backports/$id/fix.conf"; exit 1; }
	for s in "$d"[0-9]*; do
		sed 's/#.*//' "$s" | while read -r name _; do
			[ -z "$name" ] && continue
			[ -f "$share/backports/$id/$name" ] ||
				{ echo "install: $s names missing $name"; exit 1; }
		done
	done
done
"$dest/bin/backport-mglru" --version >/dev/null
# the installed catalogue reads as one (a temporary prefix is not BINDIR, so
# the binary is pointed at it with --series)
"$dest/bin/backport-mglru" fixes --series "$share" --json |
	grep -q "\"descriptor\": \"$share/backports/mglru-mmgrab/fix.conf\"" ||
	{ echo "install: the installed catalogue does not read"; exit 1; }
echo "install: ok"
