# Sourced by test/check.sh: hotshim as shim's second stage, the way a
# Debian 12 machine with Secure Boot runs.  OVMF's Secure Boot build with
# the snakeoil keys in db; Debian's shim 16.1 (shim-unsigned, Debian's CA
# built in) signed with the snakeoil key in place of Microsoft's signature,
# as \EFI\BOOT\BOOTX64.EFI; hotshim beside it as grubx64.efi, the second
# stage shim starts by default.  The kernel is Debian's, signed by Debian:
# OVMF's db alone refuses it (secureboot.test.sh); through shim it boots.

SHIM_SB=(--code /usr/share/OVMF/OVMF_CODE_4M.secboot.fd --vars /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
	--extra "-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on")
printf 'command boot\r\nkernel \\vmlinuz\r\ninitrd \\initrd.img\r\ncmdline console=ttyS0 panic=-1\r\n' \
	>"$Q/shim-linux.conf"
# the initrd carries an SRAT override, which a locked-down Linux ignores
cat build/initrd/srat-override.cpio build/linux/e2e-initramfs.cpio >"$Q/shim-initrd.img"
cp build/linux/vmlinuz "$Q/vmlinuz.unsigned"
sbattach --remove "$Q/vmlinuz.unsigned" >/dev/null 2>&1

# shim_boot NAME SECOND-STAGE KERNEL UNTIL: a boot through shim; log
# $Q/shim-NAME.log.  A refused second stage makes shim wait for a key
# under its message: UNTIL stops there.
shim_boot() {
	python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/demo.args \
		"${SHIM_SB[@]}" --timeout 300 --log "$Q/shim-$1.log" --until "$4" \
		--esp build/sb/shimx64.efi:/EFI/BOOT/BOOTX64.EFI --esp "$2:/EFI/BOOT/grubx64.efi" \
		--esp "$Q/shim-linux.conf:/EFI/hotshim/hotshim.conf" --esp "$3:/vmlinuz" \
		--esp "$Q/shim-initrd.img:/initrd.img"
}
KERNEL_UNTIL='^(hotshim-e2e: done|hotshim: boot: Secure Boot: shim refused[^\n]*)\n'
REFUSED_UNTIL='Verification failed: \(0x1A\) Security Violation'

shim_boot debian build/hotshim.signed.efi build/linux/vmlinuz "$KERNEL_UNTIL" &
p1=$!
shim_boot unsigned-kernel build/hotshim.signed.efi "$Q/vmlinuz.unsigned" "$KERNEL_UNTIL"
r2=$?
wait "$p1"
r1=$?

# Debian's own kernel, verified by shim against Debian's CA, boots locked
# down; hotshim plans with the firmware's SRAT and Linux ignores the
# initrd's; node 1 (hot-pluggable in the firmware's SRAT) can be offlined
# whole
log=$Q/shim-debian.log
if [ "$r1" = 0 ] && grep -qxF 'hotshim: boot: Secure Boot: shim verified \vmlinuz' "$log" &&
	grep -qxF 'hotshim: SRAT from firmware' "$log" &&
	grep -q 'Kernel is locked down from EFI Secure Boot' "$log" &&
	grep -q 'ACPI: kernel is locked down, ignoring table override' "$log" &&
	grep -qxF 'hotshim-e2e: dmesg: ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x17fffffff] hotplug' "$log" &&
	grep -q '^hotshim-e2e: verdict: node 1 is removable' "$log"; then
	pass
else
	fail "qemu shim: Debian's signed kernel did not boot locked down through shim and hotshim (see $log)"
fi
# a kernel without a signature: one line, and nothing runs
log=$Q/shim-unsigned-kernel.log
if [ "$r2" = 0 ] &&
	grep -qxF 'hotshim: boot: Secure Boot: shim refused \vmlinuz (EFI_SECURITY_VIOLATION)' "$log" &&
	! grep -q 'hotshim-e2e\|Linux version' "$log"; then
	pass
else
	fail "qemu shim: an unsigned kernel was not refused through shim (see $log)"
fi

# shim refuses hotshim without its signature, or signed without .sbat
shim_boot nosbat build/sb/hotshim-nosbat.efi build/linux/vmlinuz "$REFUSED_UNTIL" &
p1=$!
shim_boot unsigned-hotshim build/hotshim.efi build/linux/vmlinuz "$REFUSED_UNTIL"
r2=$?
wait "$p1"
r1=$?
for n in nosbat:$r1 unsigned-hotshim:$r2; do
	log=$Q/shim-${n%%:*}.log
	if [ "${n#*:}" = 0 ] && grep -qF 'Verification failed: (0x1A) Security Violation' "$log" &&
		! grep -q '^hotshim' "$log"; then
		pass
	else
		fail "qemu shim: shim started hotshim ${n%%:*} (see $log)"
	fi
done
echo "qemu: shim checks done"
