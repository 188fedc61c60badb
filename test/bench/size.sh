#!/bin/bash
# make bench: hotshim.efi's size beside Debian's systemd-boot (the
# systemd-boot-efi package), section by section, and the 96 KiB budget
# that test/host/binary.sh holds it to.
set -eu
cd "$(dirname "$0")/../.."
sd=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
sections() {
	objdump -h "$1" | while read -r idx name size _; do
		[[ $idx =~ ^[0-9]+$ ]] && printf '%s %d  ' "$name" $((16#$size))
	done
}
h=$(stat -c %s build/hotshim.efi)
s=$(stat -c %s "$sd")
v=$(dpkg-query -W -f '${Version}' systemd-boot-efi)
printf 'size: hotshim.efi          %7d bytes (%s), budget 96 KiB, %s left\n' "$h" "$(kib "$h")" \
	"$(kib $((96 * 1024 - h)))"
printf 'size:   sections: %s\n' "$(sections build/hotshim.efi)"
printf 'size: systemd-bootx64.efi  %7d bytes (%s), systemd-boot-efi %s\n' "$s" "$(kib "$s")" "$v"
printf 'size:   sections: %s\n' "$(sections "$sd")"
printf 'size: hotshim is %d%% of systemd-boot\n' $((h * 100 / s))
