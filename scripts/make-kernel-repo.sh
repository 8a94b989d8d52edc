#!/usr/bin/env bash
# Builds a stable-style kernel git repository from Debian's linux-source-X.Y
# packages: one branch linux-X.Y.y per package, one commit per point release in
# version order, one annotated tag vX.Y.N per commit.  Dates, authors and
# messages are fixed, so the same releases always give the same commit ids.
#
# usage: make-kernel-repo.sh [--prerequisite-lines] [--print-path] [--force]
#
# The repository is bare and lives in
#   ${BACKPORT_MGLRU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-mglru}/linux-stable.git
# With --prerequisite-lines, a repository of its own, linux-prereq.git beside
# it, holds linux-5.10.y (Debian 11's linux-source-5.10) and linux-5.15.y
# (Ubuntu 22.04's linux-source-5.15.0: Debian packages no 5.15), fetched with
# curl and checked against the SHA256 pinned below: lines without MGLRU whose
# exit_mmap() predates upstream 64591e8605d6, for the compile check of the
# prerequisite's backports; the main repository keeps the lines the fix goes to.
# It is rebuilt only when missing or damaged (its stamp does not match the
# release list, or a tag does not resolve).  Downloaded .deb files are kept in
# debs/ beside it.  The repository is built in a temp directory and renamed
# into place, so an interrupted run never leaves a half-built repository.
set -euo pipefail

# package:debian-version, oldest first within each package.  Pinned, so the
# line numbers the real-kernel tests check stay true; `apt-cache policy
# linux-source-6.1` lists what Debian serves.
RELEASES=(
	linux-source-6.1:6.1.170-3
	linux-source-6.1:6.1.192-2
	linux-source-6.12:6.12.107-1~deb12u1
	linux-source-6.12:6.12.117-1~deb12u1
)
name=linux-stable.git

# Releases Debian 12's apt sources do not carry: "URL SHA256 TAG LINE ORIGIN",
# the SHA256 as the archive's Packages index gives it, the tag and the line
# (linux-LINE.y) the release gets, and the distribution it comes from.
declare -A FETCH=(
	[linux-source-5.10:5.10.262-1]="http://deb.debian.org/debian-security/pool/updates/main/l/linux/linux-source-5.10_5.10.262-1_all.deb 4f01148344ca9e5c1c9743ab4a084cf61c437548f803443ccc044602278b52bc v5.10.262 5.10 Debian-11"
	[linux-source-5.15.0:5.15.0-204.214]="http://archive.ubuntu.com/ubuntu/pool/main/l/linux/linux-source-5.15.0_5.15.0-204.214_all.deb cd087cc6e12f5bed5f2d53051d3f090ec0c579339c0a9f379bd304957cccf1d5 Ubuntu-5.15.0-204.214 5.15 Ubuntu-22.04"
)

print_path=0 force=0
while [ $# -gt 0 ]; do
	case $1 in
	--print-path) print_path=1 ;;
	--force) force=1 ;;
	--prerequisite-lines)
		RELEASES=(linux-source-5.10:5.10.262-1 linux-source-5.15.0:5.15.0-204.214)
		name=linux-prereq.git ;;
	-h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "make-kernel-repo: unknown option '$1'" >&2; exit 129 ;;
	esac
	shift
done

cache=${BACKPORT_MGLRU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-mglru}
repo=$cache/$name
debs=$cache/debs
stamp_want=$(printf '%s\n' "${RELEASES[@]}" | sha1sum | cut -c1-40)

upstream_version() { # 6.1.170-3 -> 6.1.170
	echo "${1%%-*}"
}

fetch_field() { # release field-number (1 URL, 2 SHA256, 3 tag, 4 line, 5 origin)
	echo "${FETCH[$1]}" | cut -d' ' -f"$2"
}

release_tag() { # linux-source-6.1:6.1.170-3 -> v6.1.170
	if [ -n "${FETCH[$1]:-}" ]; then fetch_field "$1" 3; else echo "v$(upstream_version "${1#*:}")"; fi
}

repo_is_sound() {
	[ -f "$repo/backport-mglru.stamp" ] || return 1
	[ "$(cat "$repo/backport-mglru.stamp")" = "$stamp_want" ] || return 1
	local r t
	for r in "${RELEASES[@]}"; do
		t=$(release_tag "$r")
		git --git-dir="$repo" rev-parse -q --verify "refs/tags/$t^{tree}" >/dev/null || return 1
		git --git-dir="$repo" cat-file -e "$t:mm/vmscan.c" 2>/dev/null || return 1
	done
}

if [ $force -eq 0 ] && repo_is_sound; then
	[ $print_path -eq 1 ] && echo "$repo"
	exit 0
fi

mkdir -p "$cache" "$debs"
exec 9>"$cache/make-kernel-repo.lock"
flock 9
if [ $force -eq 0 ] && repo_is_sound; then # another run built it meanwhile
	[ $print_path -eq 1 ] && echo "$repo"
	exit 0
fi

tmp=$(mktemp -d "$cache/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
new=$tmp/linux-stable.git
work=$tmp/work

export LANG=C LC_ALL=C TZ=UTC
export GIT_AUTHOR_NAME="Debian kernel import" GIT_AUTHOR_EMAIL="import@backport-mglru.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q --bare "$new"
git --git-dir="$new" config core.autocrlf false
git --git-dir="$new" config gc.auto 0

n=0
for r in "${RELEASES[@]}"; do
	pkg=${r%%:*} dver=${r#*:}
	v=$(upstream_version "$dver")
	series=${pkg#linux-source-}
	origin=Debian tag=$(release_tag "$r")
	if [ -n "${FETCH[$r]:-}" ]; then
		series=$(fetch_field "$r" 4)
		origin=$(fetch_field "$r" 5 | tr - ' ')
	fi
	branch=linux-$series.y
	deb=$(ls "$debs/${pkg}_${dver/\~/%7e}_all.deb" "$debs/${pkg}_${dver}_all.deb" 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ] && [ -n "${FETCH[$r]:-}" ]; then
		url=$(fetch_field "$r" 1)
		echo "make-kernel-repo: downloading $url" >&2
		curl -fsS -m 1800 -o "$tmp/fetch.deb" "$url" || {
			echo "make-kernel-repo: cannot download '$url'" >&2
			exit 1
		}
		mv "$tmp/fetch.deb" "$debs/${pkg}_${dver}_all.deb"
		deb=$debs/${pkg}_${dver}_all.deb
	fi
	if [ -n "${FETCH[$r]:-}" ] &&
	   [ "$(sha256sum "$deb" | cut -c1-64)" != "$(fetch_field "$r" 2)" ]; then
		echo "make-kernel-repo: '$deb' does not have the pinned SHA256 $(fetch_field "$r" 2): removed" >&2
		rm -f "$deb"
		exit 1
	fi
	if [ -z "$deb" ]; then
		echo "make-kernel-repo: downloading $pkg=$dver" >&2
		(cd "$debs" && apt-get download -q "$pkg=$dver" >/dev/null 2>"$tmp/apt.err") || {
			echo "make-kernel-repo: cannot download '$pkg=$dver': $(tail -n1 "$tmp/apt.err")" >&2
			exit 1
		}
		deb=$(ls "$debs/${pkg}_"*"${v}"*"_all.deb" | head -n1)
	fi
	echo "make-kernel-repo: importing $tag onto $branch" >&2
	rm -rf "$work"
	mkdir -p "$work"
	# Debian: usr/src/PKG.tar.xz; Ubuntu: usr/src/PKG/PKG.tar.bz2
	if [ "$origin" = Debian ] || [ "${origin#Debian }" != "$origin" ]; then
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO --wildcards "./usr/src/$pkg.tar.xz" |
			xz -dc -T0 | tar -x -C "$work" --strip-components=1
	else
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO "./usr/src/$pkg/$pkg.tar.bz2" |
			bzip2 -dc | tar -x -C "$work" --strip-components=1
	fi
	export GIT_INDEX_FILE=$tmp/index
	rm -f "$GIT_INDEX_FILE"
	git --git-dir="$new" --work-tree="$work" add -A -f .
	tree=$(git --git-dir="$new" write-tree)
	n=$((n + 1))
	export GIT_AUTHOR_DATE="@$((1700000000 + n * 86400)) +0000"
	export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
	parent=()
	if git --git-dir="$new" rev-parse -q --verify "refs/heads/$branch" >/dev/null; then
		parent=(-p "refs/heads/$branch")
	fi
	commit=$(printf 'Linux %s\n\nImported from %s %s %s.\n' "${tag#v}" "$origin" "$pkg" "$dver" |
		git --git-dir="$new" commit-tree "$tree" "${parent[@]}")
	git --git-dir="$new" update-ref "refs/heads/$branch" "$commit"
	git --git-dir="$new" tag -a -m "Linux ${tag#v}" "$tag" "$commit"
done
unset GIT_INDEX_FILE
rm -rf "$work"
# HEAD of a stable repository points at the newest line (the last imported).
git --git-dir="$new" symbolic-ref HEAD "refs/heads/$branch"
echo "make-kernel-repo: packing" >&2
git --git-dir="$new" gc -q --prune=now
echo "$stamp_want" >"$new/backport-mglru.stamp"
rm -rf "$repo.old"
[ -e "$repo" ] && mv "$repo" "$repo.old"
mv "$new" "$repo"
rm -rf "$repo.old"
[ $print_path -eq 1 ] && echo "$repo"
exit 0
