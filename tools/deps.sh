#!/bin/sh
# Installs the Debian 12 packages hotshim's build, run and tests need.
# Idempotent and quiet when everything is present.  Arguments name more
# packages (the end-to-end benchmark's boot loaders).
set -eu
PKGS="make gcc clang libclang-rt-14-dev binutils gnu-efi libcmocka-dev acpica-tools
ovmf qemu-system-x86 mtools dosfstools python3 cpio busybox-static sbsigntool openssl
libsystemd-shared fdisk efibootmgr e2fsprogs grub-efi-amd64-bin debhelper lintian
swtpm swtpm-tools tpm2-tools systemd-boot-efi python3-jsonschema python3-prometheus-client
shim-unsigned
$*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
