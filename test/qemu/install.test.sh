# Sourced by test/check.sh: hotshim installed on a real disk the way a
# Debian administrator does it, and kept current by Debian's kernel hooks.
# The Debian package is built the Debian way (tools/deb.sh: dpkg-buildpackage,
# then lintian); test/linux/disk.sh makes a GPT disk with an ESP holding
# GRUB and an ext4 root holding a small Debian (dpkg, efibootmgr, Debian's
# kernel); test/linux/install-guest.sh is its init, one stage per boot, and
# the four boots share one OVMF variable store, as a real machine does:
#   1. GRUB: dpkg -i (no boot option, no ESP file changes); a refusal for
#      lack of room; hotshim-install --override (a trial: BootNext)
#   2. the firmware starts hotshim from its boot option; node 1 goes
#      offline; --default; a new kernel announced through postinst.d
#   3. hotshim boots the new kernel's entry; post-update.d, postrm.d;
#      hotshim-install remove
#   4. GRUB again, with the boot options and GRUB's files as before.
# Uses pass/fail.

I=$Q/install
rm -rf "$I"
mkdir -p "$I/extra/root"
if tools/deb.sh >"$I/deb.log" 2>&1 && grep -qx 'deb: build/deb/hotshim_0.1.0_amd64.deb ([0-9]* bytes), lintian: 0 tags' "$I/deb.log"; then
	pass
else
	fail "install: the Debian package did not build lintian-clean (see $I/deb.log, build/deb/lintian.txt)"
fi
cp build/deb/hotshim_0.1.0_amd64.deb "$I/extra/root/" 2>/dev/null
cp build/fixtures/override-two-nodes.aml "$I/extra/root/srat-override.aml"
test/linux/disk.sh test/linux/install-guest.sh "$I/extra" >"$I/disk.log" 2>&1 || cat "$I/disk.log"
for stage in 1 2 3 4; do
	python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
		--timeout 420 --esp-image build/linux/disk/disk.img --vars-file "$I/vars.fd" \
		--log "$I/stage$stage.log" --until '^hotshim-e2e: stage [0-9]+ done'
done

KVER=$(sed 's/^linux-image-//; s/ .*//' build/linux/vmlinuz.version)
NEW=6.1.0-999-amd64
ESP_UUID=0b0075a1-e5f0-4e5a-9d1b-5ec0ffee0001
GRUB_TREE='. ./EFI ./EFI/BOOT ./EFI/BOOT/BOOTX64.EFI ./EFI/debian ./EFI/debian/grubx64.efi '
# has LOG LINE...: every LINE is a whole line of LOG, after "hotshim-e2e: "
has() {
	local log=$1 l
	shift
	for l in "$@"; do grep -qxF "hotshim-e2e: $l" "$log" || { echo "install: no line '$l' in $log"; return 1; }; done
}
s1=$I/stage1.log s2=$I/stage2.log s3=$I/stage3.log s4=$I/stage4.log
# the option hotshim-install created, as efibootmgr -v shows it after install
opt=$(sed -n 's/^hotshim-e2e: efibootmgr: Boot\([0-9A-F]\{4\}\)\* hotshim\tHD(1,GPT,'"$ESP_UUID"',0x800,0x64000)\/File(\\EFI\\hotshim\\hotshimx64\.efi)$/\1/p' "$s1")
if has "$s1" 'stage 1 done' "LoaderInfo (none)" \
	"cmdline BOOT_IMAGE=/vmlinuz root=/dev/sda2 console=ttyS0 panic=-1 rw quiet" \
	'dpkg-i: status 0' 'dpkg status install ok installed 0.1.0' \
	'the package changed no boot option and no ESP file'; then pass; else
	fail "install: stage 1, GRUB boot and dpkg -i (see $s1)"; fi
if grep -qE '^hotshim-e2e: full: hotshim-install: /boot/efi has [0-9.]+ MiB free and this needs [0-9.]+ MiB: make room on the ESP, or keep fewer kernels \(hotshim-install --kernels 1\)$' "$s1" &&
	has "$s1" 'full: status 1' "esp after the refusal: $GRUB_TREE"; then pass; else
	fail "install: no refusal, or ESP files written, when the kernels do not fit (see $s1)"; fi
if [ -n "$opt" ] && has "$s1" 'install: status 0' "install: created Boot$opt \"hotshim\"" \
	"efibootmgr: BootNext: $opt" "install: wrote /EFI/hotshim/$KVER/vmlinuz (8247232 bytes from /boot/vmlinuz-$KVER)" \
	"install: wrote /loader/entries/hotshim-$KVER.conf (477 bytes)" \
	"status: boot option: Boot$opt \"hotshim\", not in BootOrder; BootNext: the next boot tries it once" &&
	! grep -qE "^hotshim-e2e: efibootmgr: BootOrder: .*$opt" "$s1"; then pass; else
	fail "install: hotshim-install --override did not install a trial boot (see $s1)"; fi
# booted_hotshim LOG ENTRY: the firmware started hotshim's option, hotshim
# booted ENTRY with the override (movable_node added), node 1 went offline
booted_hotshim() {
	grep -qxF "BdsDxe: starting Boot$opt \"hotshim\" from HD(1,GPT,${ESP_UUID^^},0x800,0x64000)/\\EFI\\hotshim\\hotshimx64.efi" "$1" &&
		grep -qxF "hotshim: booting \\loader\\entries\\$2" "$1" &&
		grep -qE '^hotshim: kernel \[mem .*none in hot-pluggable memory.*rebuilt RSDP with the override, movable_node; exiting boot services after [0-9]+\.[0-9] ms$' "$1" &&
		has "$1" "cmdline root=/dev/sda2 console=ttyS0 panic=-1 rw quiet movable_node" \
			'LoaderInfo hotshim 0.1.0' "LoaderEntrySelected $2" \
			"LoaderDevicePartUUID ${ESP_UUID^^}" "BootCurrent $opt" \
			'node 1 offlined 16 of 16 blocks'
}
# status after node 1 went offline: hotshim-report's after-boot verdict
if booted_hotshim "$s2" "hotshim-$KVER.conf" && has "$s2" 'stage 2 done' \
	"status: this boot: hotshim 0.1.0, entry hotshim-$KVER.conf" \
	'status: boot loader: /EFI/hotshim/hotshimx64.efi is current' &&
	grep -qE '^hotshim-e2e: status: now: node 1: removable: its 16 memory blocks \([0-9]+-[0-9]+\) are offline$' "$s2"; then pass; else
	fail "install: stage 2, the trial boot through hotshim (see $s2)"; fi
if [ -n "$opt" ] && grep -qE "^hotshim-e2e: efibootmgr: BootOrder: $opt,0004(,|\$)" "$s2" &&
	has "$s2" 'default: status 0' "default: Boot$opt is first in BootOrder: hotshim starts every boot" \
		'postinst: status 0' "postinst: wrote /loader/entries/hotshim-$NEW.conf (480 bytes)" \
		"postinst: /boot/efi: 3 files written, 6 current, 0 removed; default entry hotshim-$NEW.conf" \
		"entries hotshim-$KVER.conf hotshim-$NEW.conf "; then pass; else
	fail "install: stage 2, --default and the postinst.d hook (see $s2)"; fi
if booted_hotshim "$s3" "hotshim-$NEW.conf" && has "$s3" 'stage 3 done' \
	'post-update: status 0' "the ESP's initrd is the rebuilt one" \
	'postrm: status 0' "entries hotshim-$NEW.conf "; then pass; else
	fail "install: stage 3, the new kernel's entry, post-update.d and postrm.d (see $s3)"; fi
if has "$s3" 'remove: status 0' "esp after remove: $GRUB_TREE" "GRUB's files are as they were" &&
	! grep -q '^hotshim-e2e: efibootmgr: .*hotshim' "$s3"; then pass; else
	fail "install: stage 3, hotshim-install remove left something behind (see $s3)"; fi
if has "$s4" 'stage 4 done' 'LoaderInfo (none)' 'BootCurrent 0004' \
	"cmdline BOOT_IMAGE=/vmlinuz root=/dev/sda2 console=ttyS0 panic=-1 rw quiet" \
	'the boot options are as they were before install'; then pass; else
	fail "install: stage 4, the machine does not boot as before install (see $s4)"; fi
echo "linux: hotshim-install on a Debian disk done"
