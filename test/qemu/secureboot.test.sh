# Sourced by test/check.sh: Secure Boot on OVMF's Secure Boot build with
# Debian's snakeoil keys enrolled.  OVMF refuses its own shell there, so
# hotshim starts as \EFI\BOOT\BOOTX64.EFI and reads hotshim.conf.

SB=(--code /usr/share/OVMF/OVMF_CODE_4M.secboot.fd --vars /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
	--extra "-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on")
printf 'command report\r\ninitrd \\good.img\r\n' >"$Q/sb.conf"

# Signed: hotshim runs, and the override in the initrd is refused, as a
# locked-down Linux would refuse it.
log=$Q/secureboot-signed.log
if python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
	"${SB[@]}" --timeout 180 --until '^hotpluggable: [^\n]*\n' --log "$log" \
	--esp build/hotshim.signed.efi:/EFI/BOOT/BOOTX64.EFI \
	--esp "$Q/sb.conf:/EFI/hotshim/hotshim.conf" --esp build/initrd/good.img:/good.img &&
	grep -qxF 'Secure Boot is on: Linux will be locked down and ignore every table override in the initrd' "$log" &&
	grep -qxF "initrd \\good.img: kernel/firmware/acpi/srat.aml at offset 0x208: refused under Secure Boot (Linux's lockdown ignores table overrides)" "$log" &&
	grep -qxF 'hotpluggable: 0 B (0x0 bytes) in 0 ranges; SRAT from firmware: OEM ID "BOCHS ", table ID "BXPC    ", OEM revision 1, revision 1' "$log"; then
	pass
else
	fail "qemu secure boot: signed hotshim did not refuse the override (see $log)"
fi

# Signed hotshim asked to boot an ELF kernel: refused, since nothing can
# verify it (the firmware checks PE signatures only).
log=$Q/secureboot-boot.log
printf 'command boot\r\nkernel \\k.elf\r\n' >"$Q/sb-boot.conf"
if python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
	"${SB[@]}" --timeout 180 --until '^hotshim: boot: [^\n]*\n' --log "$log" \
	--esp build/hotshim.signed.efi:/EFI/BOOT/BOOTX64.EFI \
	--esp "$Q/sb-boot.conf:/EFI/hotshim/hotshim.conf" --esp build/test-kernel.elf:/k.elf &&
	grep -qxF 'hotshim: boot: Secure Boot is on and the firmware cannot verify an ELF kernel: refusing \k.elf (EFI_SECURITY_VIOLATION)' "$log" &&
	! grep -q 'hotshim-testkernel' "$log"; then
	pass
else
	fail "qemu secure boot: signed hotshim did not refuse an ELF kernel (see $log)"
fi

# A bzImage under Secure Boot: the firmware verifies it (LoadImage) before
# hotshim boots it, and Linux is told Secure Boot is on, so it locks itself
# down and ignores the initrd's table, as hotshim's report said it would.
# Debian's own signature chains to a key OVMF's snakeoil store lacks: refused.
printf 'command boot\r\nkernel \\vmlinuz\r\ninitrd \\initrd.img\r\ncmdline console=ttyS0 panic=-1\r\n' \
	>"$Q/sb-linux.conf"
cat build/initrd/srat-override.cpio build/linux/e2e-initramfs.cpio >"$Q/sb-initrd.img"
sbsign --key build/sb/snakeoil.key --cert /usr/share/ovmf/PkKek-1-snakeoil.pem \
	--output "$Q/vmlinuz.snakeoil" build/linux/vmlinuz >/dev/null 2>&1
# sb_linux NAME KERNEL: boots KERNEL under Secure Boot, log in $Q/secureboot-NAME.log
sb_linux() {
	python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
		"${SB[@]}" --timeout 240 --log "$Q/secureboot-$1.log" \
		--until '^(hotshim-e2e: done|hotshim: boot: Secure Boot: the firmware refused[^\n]*)\n' \
		--esp build/hotshim.signed.efi:/EFI/BOOT/BOOTX64.EFI \
		--esp "$Q/sb-linux.conf:/EFI/hotshim/hotshim.conf" --esp "$2:/vmlinuz" \
		--esp "$Q/sb-initrd.img:/initrd.img"
}
log=$Q/secureboot-linux-signed.log
if sb_linux linux-signed "$Q/vmlinuz.snakeoil" &&
	grep -qxF 'hotshim: boot: Secure Boot: the firmware verified \vmlinuz' "$log" &&
	grep -q 'Kernel is locked down from EFI Secure Boot' "$log" &&
	grep -qxF 'hotshim-e2e: dmesg: ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x17fffffff]' "$log"; then
	pass
else
	fail "qemu secure boot: a snakeoil-signed kernel did not boot locked down (see $log)"
fi
log=$Q/secureboot-linux-debian.log
if sb_linux linux-debian build/linux/vmlinuz &&
	grep -qxF 'hotshim: boot: Secure Boot: the firmware refused \vmlinuz (LoadImage: EFI_ACCESS_DENIED) (EFI_SECURITY_VIOLATION)' "$log" &&
	! grep -q 'hotshim-e2e' "$log"; then
	pass
else
	fail "qemu secure boot: a kernel the firmware cannot verify was not refused (see $log)"
fi

# Unsigned: the firmware refuses to start it.
log=$Q/secureboot-unsigned.log
if python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
	"${SB[@]}" --timeout 180 --until 'Access Denied' --log "$log" \
	--esp build/hotshim.efi:/EFI/BOOT/BOOTX64.EFI --esp "$Q/sb.conf:/EFI/hotshim/hotshim.conf" &&
	grep -q 'failed to load Boot.*: Access Denied' "$log" && ! grep -q '^hotshim ' "$log"; then
	pass
else
	fail "qemu secure boot: the firmware started an unsigned hotshim (see $log)"
fi
echo "qemu: Secure Boot checks done"
