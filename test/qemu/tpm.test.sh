# Sourced by test/check.sh: measured boot, with a TPM 2.0 (swtpm) under
# OVMF.  The same kernel, initrd and command line booted twice on the
# two-node machine: by Debian's systemd-boot 252 through the kernel's own
# EFI stub (the reference: the stub measures LoadOptions and the initrd
# into PCR 9, systemd-boot the command line into PCR 12), and by hotshim.
# In each guest the initramfs prints the PCRs and the event log Linux was
# handed; the log must replay (tpm2_eventlog) to the PCRs, and hotshim's
# PCR 9 and 12 must be systemd-boot's.

TPM_CMDLINE='console=ttyS0 panic=-1 hotshim-tpm movable_node'

# tpm_boot NAME ARGS...: qemu-run.py ARGS on the two-node machine with a
# fresh swtpm; serial log in $Q/tpm-NAME.log
tpm_boot() {
	local n=$1 d=$Q/tpm-$1 rc
	shift
	rm -rf "$d"
	mkdir -p "$d/state"
	swtpm socket --tpm2 --tpmstate dir="$d/state" --ctrl type=unixio,path="$d/sock" \
		--terminate >"$d/swtpm.log" 2>&1 &
	local pid=$!
	for _ in $(seq 100); do [ -S "$d/sock" ] && break; sleep 0.1; done
	python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 300 \
		--extra "-chardev socket,id=chrtpm,path=$d/sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0" \
		--log "$Q/tpm-$n.log" --until '^hotshim-e2e: done' "$@"
	rc=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $rc
}

# the systemd-boot ESP: its entry boots the same files with TPM_CMDLINE
printf 'timeout 0\ndefault tpm.conf\n' >"$Q/tpm-loader.conf"
printf 'title tpm\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n' "$TPM_CMDLINE" >"$Q/tpm-entry.conf"
# hotshim's configuration, which it measures into PCR 5
printf 'x2apic auto\r\n' >"$Q/tpm-hotshim.conf"
# systemd-boot puts "initrd=\initrd.img " before the entry's options; hotshim
# gets that same command line, so that the kernel sees the same bytes
tpm_boot sdboot --no-shell \
	--esp /usr/lib/systemd/boot/efi/systemd-bootx64.efi:/EFI/BOOT/BOOTX64.EFI \
	--esp "$Q/tpm-loader.conf:/loader/loader.conf" --esp "$Q/tpm-entry.conf:/loader/entries/tpm.conf" \
	--esp build/linux/vmlinuz:/vmlinuz --esp build/linux/e2e-initramfs.cpio:/initrd.img &
sd_pid=$!
tpm_boot hotshim --bare --esp build/hotshim.efi:/hotshim.efi --esp build/linux/vmlinuz:/vmlinuz \
	--esp build/linux/e2e-initramfs.cpio:/initrd.img --esp "$Q/tpm-hotshim.conf:/EFI/hotshim/hotshim.conf" \
	--cmd "fs0:\\hotshim.efi boot kernel=\\vmlinuz initrd=\\initrd.img -- initrd=\\initrd.img $TPM_CMDLINE"
hs_rc=$?
wait "$sd_pid"
sd_rc=$?

if [ "$sd_rc" = 0 ] && [ "$hs_rc" = 0 ] &&
	/usr/bin/python3 test/qemu/tpm_check.py "$Q/tpm-sdboot.log" "$Q/tpm-hotshim.log" \
		build/linux/e2e-initramfs.cpio "$Q/tpm-hotshim.conf" >"$Q/tpm-check.txt" 2>&1; then
	pass
	sed 's/^/qemu tpm: /' "$Q/tpm-check.txt"
else
	fail "qemu tpm: measured boot differs from systemd-boot's (boots $sd_rc/$hs_rc; see $Q/tpm-check.txt, $Q/tpm-*.log)"
	tail -n 12 "$Q/tpm-check.txt" 2>/dev/null
fi
# the summary line says the boot was measured
if grep -q '^hotshim: .*, measured; exiting boot services after ' "$Q/tpm-hotshim.log"; then
	pass
else
	fail "qemu tpm: hotshim's last line does not say it measured the boot (see $Q/tpm-hotshim.log)"
fi
echo "qemu: TPM checks done"
