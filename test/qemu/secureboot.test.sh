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
	grep -qxF 'hotpluggable: 0 B (0x0 bytes) in 0 ranges; SRAT from firmware (OEM ID "BOCHS ", table ID "BXPC    ", OEM revision 1, revision 1)' "$log"; then
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
	grep -qxF 'hotshim: boot: Secure Boot is on and the firmware cannot verify an ELF kernel: refusing \k.elf' "$log" &&
	! grep -q 'hotshim-testkernel' "$log"; then
	pass
else
	fail "qemu secure boot: signed hotshim did not refuse an ELF kernel (see $log)"
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
