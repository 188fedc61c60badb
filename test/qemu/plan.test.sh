# Sourced by test/check.sh: `report` given the same arguments as `boot`
# prints the very placement lines `boot` then commits (one plan, decided
# once in core/plan.c), for an ELF kernel and for Debian's bzImage; and a
# firmware that loads hotshim into hot-pluggable memory gets everything
# placed outside it.  Placements are checked against the SRAT's
# hot-pluggable ranges by test/qemu/placements.py, not by hotshim's flags.

EXIT_DEV='-device isa-debug-exit,iobase=0xf4,iosize=0x04'
# same_plan NAME: report (command 0) and boot (command 1) placed alike
same_plan() {
	segment "$1" 0 >"$Q/$2.report"
	sed -n '/^hotshim-run: begin 1$/,$p' "$1" >"$Q/$2.boot"
	if python3 test/qemu/placements.py "$Q/$2.boot" --srat "$Q/$2.report" --same "$Q/$2.report"; then
		pass
	else
		fail "qemu plan $2: report and boot placed differently, or in hot-pluggable memory"
	fi
}

# ELF, with the override in the initrd making node 1 hot-pluggable
log=$Q/plan-elf.log
args='kernel=\k.elf initrd=\good.img module=\k.elf -- console=ttyS0'
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--extra "$EXIT_DEV" --esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf \
	--esp build/initrd/good.img:/good.img --log "$log" \
	--cmd "hotshim.efi report $args" --cmd "hotshim.efi boot $args"
rc=$?
if [ $rc = 1 ] && grep -qx 'hotshim-testkernel: PASS' "$log"; then pass; else
	fail "qemu plan elf: the test kernel did not pass (QEMU exit $rc, see $log)"; fi
same_plan "$log" plan-elf

# Debian's bzImage on the demo machine (node 1 hot-pluggable in the
# firmware's SRAT), to Linux's verdict
log=$Q/plan-linux.log
args='kernel=\vmlinuz initrd=\initrd.img -- console=ttyS0 quiet panic=-1'
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/demo.args --timeout 240 \
	--esp build/hotshim.efi:/hotshim.efi --esp build/linux/vmlinuz:/vmlinuz \
	--esp build/linux/e2e-initramfs.cpio:/initrd.img --log "$log" --until '^hotshim-e2e: done' \
	--cmd "hotshim.efi report $args" --cmd "hotshim.efi boot $args" &&
	grep -qx 'hotshim-e2e: verdict: node 1 is removable: all 16 memory blocks went offline, 2048 MiB were in ZONE_MOVABLE' "$log"; then
	pass
else
	fail "qemu plan linux: no removable verdict for node 1 (see $log)"
fi
same_plan "$log" plan-linux

# hotshim itself in hot-pluggable memory: placed in node 0, node 1 marked
log=$Q/plan-image-hot.log
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/image-hot.args --timeout 180 \
	--extra "$EXIT_DEV" --esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf \
	--log "$log" --cmd 'hotshim.efi report kernel=\k.elf' --cmd 'hotshim.efi boot kernel=\k.elf'
rc=$?
if [ $rc = 1 ] && grep -qx 'hotshim-testkernel: PASS' "$log" &&
	grep -qx 'hotshim-testkernel: ok hotplug-equals-srat' "$log" &&
	grep -qE '^  hotshim      \[mem 0x7[0-9a-f]{7}-0x7[0-9a-f]{7}\] node 1 \(hot-pluggable: the firmware loaded hotshim there; its pages are free RAM after the jump\)$' "$log"; then
	pass
else
	fail "qemu plan image-hot: QEMU exit $rc, or no line saying where hotshim runs (see $log)"
fi
same_plan "$log" plan-image-hot
echo "qemu: plan checks done"
