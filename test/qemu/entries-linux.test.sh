# Sourced by test/check.sh: Debian's kernel booted from boot entries
# through hotshim on the same disk and NVRAM, three boots in a row, with
# Debian's own bootctl and systemd-bless-boot in the guest
# (test/linux/bootctl.sh) and node 1 hot-pluggable by the first of two
# initrds (the override cpio, concatenated as the EFI stub does).
#   1. debian-6.1.0-28+1.conf, the default, one try: renamed +0-1 before
#      it boots; in the guest, bootctl list marks it selected,
#      systemd-bless-boot good renames it back to debian-6.1.0-28.conf,
#      and bootctl set-oneshot picks debian-6.1.0-27.conf for the next boot
#   2. the one-shot entry boots, once
#   3. the default again
# Every boot offlines all 16 blocks of node 1.  Uses pass/fail.

L=$Q/entries-linux
rm -rf "$L"
mkdir -p "$L"
printf 'default debian-*\ntimeout 0\n' >"$L/loader.conf"
lx_entry() { # FILE VERSION 'more options'
	printf 'title      Debian GNU/Linux 12\nversion    %s\nsort-key   debian\nlinux      /vmlinuz\ninitrd     /srat-override.cpio\ninitrd     /bootctl-initramfs.cpio\noptions    console=ttyS0 panic=-1 quiet %s\n' \
		"$2" "$3" >"$L/$1"
}
lx_entry debian-6.1.0-28+1.conf 6.1.0-28-amd64 'hotshim.bless=good hotshim.oneshot=debian-6.1.0-27.conf'
lx_entry debian-6.1.0-27.conf 6.1.0-27-amd64 ''
for run in 1 2 3; do
	python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
		--timeout 420 --esp-image "$L/esp.img" --vars-file "$L/vars.fd" --log "$L/run$run.log" \
		--until '^hotshim-e2e: done' \
		--esp build/hotshim.efi:/EFI/BOOT/BOOTX64.EFI --esp build/linux/vmlinuz:/vmlinuz \
		--esp build/initrd/srat-override.cpio:/srat-override.cpio \
		--esp build/linux/bootctl-initramfs.cpio:/bootctl-initramfs.cpio \
		--esp "$L/loader.conf:/loader/loader.conf" \
		--esp "$L/debian-6.1.0-28+1.conf:/loader/entries/debian-6.1.0-28+1.conf" \
		--esp "$L/debian-6.1.0-27.conf:/loader/entries/debian-6.1.0-27.conf"
	echo "rc=$?" >>"$L/run$run.log"
	mdir -b -i "$L/esp.img" ::/loader/entries | sed 's#.*/##' | sort | tr '\n' ' ' >"$L/names$run"
done
# booted LOG FILE ID: hotshim booted that file, the guest saw that id
# selected (efivar and bootctl list), and node 1 went offline
booted() {
	grep -qxF "hotshim: booting \\loader\\entries\\$2" "$1" &&
		grep -qxF "hotshim-e2e: efivar LoaderEntrySelected $3" "$1" &&
		grep -qx 'hotshim-e2e: node 1 offlined 16 of 16 blocks' "$1"
}
sel() { # LOG VERSION: bootctl list marks the entry of that version selected
	grep -qE "^hotshim-bootctl-list: +title: Debian GNU/Linux 12 \\($2\\)( \\(default\\))? \\(selected\\)\$" "$1"
}
r1=$L/run1.log r2=$L/run2.log r3=$L/run3.log
if booted "$r1" debian-6.1.0-28+0-1.conf debian-6.1.0-28.conf && sel "$r1" 6.1.0-28-amd64 &&
	grep -qxF 'hotshim-e2e: efivar LoaderBootCountPath \loader\entries\debian-6.1.0-28+0-1.conf' "$r1" &&
	grep -qxF "hotshim-e2e: bless: Marked boot as 'good'. (Boot attempt counter is at 1.)" "$r1" &&
	grep -qxF 'hotshim-e2e: efivar LoaderInfo hotshim 0.1.0' "$r1" &&
	grep -qE '^hotshim-bootctl: +Product: hotshim 0.1.0$' "$r1" &&
	[ "$(cat "$L/names1")" = "debian-6.1.0-27.conf debian-6.1.0-28.conf " ]; then
	pass
else
	fail "linux entries: boot 1 (counting, bootctl, bless, set-oneshot) (see $r1)"
fi
if booted "$r2" debian-6.1.0-27.conf debian-6.1.0-27.conf && sel "$r2" 6.1.0-27-amd64; then pass; else
	fail "linux entries: boot 2 did not take bootctl set-oneshot's entry (see $r2)"; fi
if booted "$r3" debian-6.1.0-28.conf debian-6.1.0-28.conf && sel "$r3" 6.1.0-28-amd64; then pass; else
	fail "linux entries: boot 3 did not go back to the default (see $r3)"; fi
echo "linux: boot entries, bootctl and systemd-bless-boot done"
