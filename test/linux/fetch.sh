#!/bin/bash
# Fetches Debian's linux-image-amd64 kernel once into build/linux/vmlinuz
# (apt-get download; the package name and version go to vmlinuz.version),
# and the few modules a test guest loads into build/linux/modules/ (the
# ESP's disk and file system, efivarfs; ext4 and crc32c for a root file
# system), in load order in load-order.  modules.list records MODULES, so a
# cache fetched for another list is fetched again.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=build/linux
mkdir -p "$cache"
MODULES="efivarfs vfat nls_cp437 nls_ascii nls_utf8 ahci sd_mod ext4 crc32c_generic"
[ -s "$cache/vmlinuz" ] && [ -s "$cache/modules/load-order" ] &&
	[ "$(cat "$cache/modules/modules.list" 2>/dev/null)" = "$MODULES" ] && exit 0
resolve() { apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1; }
pkg=$(resolve)
[ -n "$pkg" ] || { apt-get update -qq >/dev/null 2>&1 || true; pkg=$(resolve); }
[ -n "$pkg" ] || { echo "fetch: cannot resolve linux-image-amd64 (apt-get update?)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) || {
	echo "fetch: apt-get download $pkg failed" >&2; exit 1; }
dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/x"
kdir=$(echo "$tmp"/x/lib/modules/*)
rm -rf "$cache/modules"
mkdir -p "$cache/modules"
python3 test/linux/modules.py "$kdir" $MODULES >"$cache/modules/load-order.part"
while read -r m; do
	mkdir -p "$cache/modules/$(dirname "$m")"
	cp "$kdir/$m" "$cache/modules/$m"
done <"$cache/modules/load-order.part"
echo "$MODULES" >"$cache/modules/modules.list"
mv "$cache/modules/load-order.part" "$cache/modules/load-order"
cp "$tmp"/x/boot/vmlinuz-* "$cache/vmlinuz.part"
mv "$cache/vmlinuz.part" "$cache/vmlinuz"
echo "$pkg $(apt-cache show "$pkg" | sed -n 's/^Version: //p' | head -n 1)" >"$cache/vmlinuz.version"
echo "fetch: $(cat "$cache/vmlinuz.version")"
