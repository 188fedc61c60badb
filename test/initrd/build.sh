#!/bin/bash
# Builds the initrds the override tests use, into build/initrd/:
#   srat-override.cpio  override-two-nodes.asl as hotshim-mkoverride makes it
#                       (OEM revision 2 over QEMU's 1)
#   main.cpio.gz        stands for a distribution initrd: a compressed cpio
#   good.img            override + main: node 1 becomes hot-pluggable
#   same-rev.img        the same table at OEM revision 1: not higher
#   bad-sum.img         good.img with one byte of the table changed
#   compressed.img      main + override: Linux never sees the override
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/initrd
mk=build/host/hotshim-mkoverride
src=test/fixtures/override-two-nodes.asl
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$mk" --no-firmware --oem-revision 2 -o "$out/srat-override.cpio" "$src" >/dev/null
"$mk" --no-firmware --oem-revision 1 -o "$tmp/same.cpio" "$src" >/dev/null

mkdir -p "$tmp/main/etc"
echo "hotshim test initrd" >"$tmp/main/etc/motd"
(cd "$tmp/main" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) |
	gzip -9n >"$out/main.cpio.gz"

cat "$out/srat-override.cpio" "$out/main.cpio.gz" >"$out/good.img"
cat "$tmp/same.cpio" "$out/main.cpio.gz" >"$out/same-rev.img"
cat "$out/main.cpio.gz" "$out/srat-override.cpio" >"$out/compressed.img"
# flip one reserved byte of the SRAT header (offset 40 of the table)
cp "$out/good.img" "$out/bad-sum.img"
off=$(grep -abo 'SRAT' "$out/good.img" | head -n 1 | cut -d: -f1)
printf '\x01' | dd of="$out/bad-sum.img" bs=1 seek=$((off + 40)) conv=notrunc status=none
