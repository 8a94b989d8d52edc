#!/usr/bin/env bash
# Installs every Debian package backport-mglru needs to build, test and run.
# Idempotent: packages already present are not downloaded again.
set -euo pipefail

pkgs=(
	build-essential cmake pkg-config git ca-certificates curl
	libgit2-dev libcmocka-dev
	patch quilt xz-utils bzip2
	clang llvm libclang-rt-14-dev
	bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	distcc ccache
	coccinelle
	time
	qemu-system-x86 qemu-system-arm libc6-dev-arm64-cross
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
