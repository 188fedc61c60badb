# Sourced by test/check.sh: Debian's kernel (test/linux/fetch.sh) booted by
# `hotshim.efi boot` on two nodes with node 1 made hot-pluggable by the
# initrd's SRAT override, KASLR on (Debian's default).  Linux must print
# the SRAT lines hotshim's report prints for the same machine and initrd
# (test/qemu/ref/two-nodes-override.linux.txt), run with movable_node, and
# offline every memory block of node 1.  Plus a kernel that is no bzImage
# worth booting, refused.

# after_boot LOG NAME VERDICT STATUS: what hotshim-report said in the guest
# (test/linux/initramfs.sh) before the initramfs offlined node 1: its
# verdict for node 1 is VERDICT ("removable" or "NOT removable"), as the
# offlining then found; exit status STATUS; the JSON valid against
# docs/report.schema.json and saying the same; the Prometheus text parsed
# by prometheus_client with the same node_removable.
after_boot() {
	local log=$1 name=$2 want=$3 status=$4 v e2e
	v=$(sed -n 's/^hotshim-e2e: text: node 1: \(removable\|NOT removable\): .*/\1/p' "$log")
	e2e=$(sed -n 's/^hotshim-e2e: verdict: node 1 is \(removable\|NOT removable\): .*/\1/p' "$log")
	if [ "$v" = "$want" ] && [ "$e2e" = "$want" ]; then pass; else
		fail "linux $name: hotshim-report said node 1 is '${v:-nothing}', offlining found '${e2e:-nothing}' (want $want; see $log)"; fi
	if grep -qx "hotshim-e2e: report text exit $status" "$log" &&
		grep -qx "hotshim-e2e: report json exit $status" "$log" &&
		grep -qx "hotshim-e2e: report prometheus exit $status" "$log"; then pass; else
		fail "linux $name: hotshim-report's exit status is not $status: $(grep 'report .* exit' "$log" | tr '\n' ' ')"; fi
	sed -n 's/^hotshim-e2e: json: //p' "$log" >"$Q/$name.json"
	sed -n 's/^hotshim-e2e: prometheus: //p' "$log" >"$Q/$name.prom"
	local j p
	j=$(/usr/bin/python3 test/host/formats.py json "$Q/$name.json" 2>&1) &&
		[ "$(/usr/bin/python3 test/host/formats.py get "$Q/$name.json" \
			'[n["removable"] for n in d["running"]["nodes"] if n["node"] == 1]')" = \
			"[$([ "$want" = removable ] && echo true || echo false)]" ] && pass ||
		fail "linux $name: the guest's JSON: ${j:-removable differs} ($Q/$name.json)"
	p=$(/usr/bin/python3 test/host/formats.py prometheus "$Q/$name.prom" 2>&1) &&
		grep -qx "hotshim_node_removable{node=\"1\"} $([ "$want" = removable ] && echo 1 || echo 0)" "$Q/$name.prom" &&
		pass || fail "linux $name: the guest's metrics: $p ($Q/$name.prom)"
}

log=$Q/linux-e2e.log
cat build/initrd/srat-override.cpio build/linux/e2e-initramfs.cpio >"$Q/e2e-initrd.img"
# started as a Linux user starts the EFI stub: fs0:\vmlinuz initrd=\initrd.img,
# from the shell's first prompt (no current directory)
if python3 tools/qemu-run.py --quiet --bare --machine test/qemu/machines/two-nodes.args \
	--timeout 420 --esp build/hotshim.efi:/hotshim.efi --esp build/linux/vmlinuz:/vmlinuz \
	--esp "$Q/e2e-initrd.img:/initrd.img" --log "$log" --until '^hotshim-e2e: done' \
	--cmd 'fs0:\hotshim.efi boot kernel=\vmlinuz initrd=\initrd.img -- console=ttyS0 panic=-1'; then
	sed -n 's/^hotshim-e2e: dmesg: ACPI: \(SRAT: .*\)$/\1/p' "$log" >"$Q/linux-e2e.srat"
	sed -n 's/^ACPI: \(SRAT: .*\)$/\1/p' test/qemu/ref/two-nodes-override.linux.txt >"$Q/linux-e2e.want"
	if [ -s "$Q/linux-e2e.srat" ] && cmp -s "$Q/linux-e2e.srat" "$Q/linux-e2e.want"; then pass; else
		fail "linux e2e: Linux's SRAT lines differ from the reference"
		diff "$Q/linux-e2e.srat" "$Q/linux-e2e.want" | head -n 6
	fi
	# screen_info from GOP: Linux's efifb takes the framebuffer
	if grep -qx 'hotshim-e2e: fb0 EFI VGA' "$log"; then pass; else
		fail "linux e2e: no EFI framebuffer in Linux (see $log)"; fi
	# said before the jump: nothing that cannot move lies in node 1
	if grep -qx 'node 1: nothing the firmware placed pins it' "$log"; then pass; else
		fail "linux e2e: no pins line for node 1 before the jump (see $log)"; fi
	if grep -qx 'hotshim-e2e: cmdline console=ttyS0 panic=-1 movable_node' "$log"; then pass; else
		fail "linux e2e: movable_node was not appended (see $log)"; fi
	line=$(grep -x 'hotshim-e2e: node 1 offlined [0-9]* of [0-9]* blocks' "$log")
	read -r ok total < <(echo "$line" | sed 's/.*offlined \([0-9]*\) of \([0-9]*\) blocks/\1 \2/')
	if [ -n "$line" ] && [ "$total" = 16 ] && [ "$ok" = "$total" ]; then pass; else
		fail "linux e2e: node 1: '${line:-no line}' (want all 16 blocks offline)"; fi
	after_boot "$log" hotshim removable 0
else
	fail "linux e2e: Linux did not reach its initramfs through hotshim (see $log)"
fi
# The same machine and initrd, the kernel started by its own EFI stub from
# the shell with the command line a distribution gives it (no
# movable_node): Linux onlines node 1 in zone Normal, and hotshim-report
# in the guest must say so, and why, before the initramfs tries to offline
# it.  (With movable_node added by hand the outcome depends on where the
# stub's KASLR puts the kernel: in node 1 about half the time, which pins
# it.  hotshim-report agreed with offlining both ways when tried.)
log=$Q/linux-stub.log
if python3 tools/qemu-run.py --quiet --bare --machine test/qemu/machines/two-nodes.args \
	--timeout 420 --esp build/linux/vmlinuz:/vmlinuz --esp "$Q/e2e-initrd.img:/initrd.img" \
	--log "$log" --until '^hotshim-e2e: done' \
	--cmd 'fs0:\vmlinuz initrd=\initrd.img console=ttyS0 panic=-1'; then
	after_boot "$log" stub "NOT removable" 3
	if grep -q '^hotshim-e2e: text: node 1: NOT removable: memory blocks 32-47 are in zone Normal (16 of 16 blocks outside zone Movable): movable_node is not on the kernel command line$' "$log"; then
		pass
	else
		fail "linux stub: hotshim-report's reason for node 1 is not the missing movable_node (see $log)"
	fi
else
	fail "linux stub: Linux did not reach its initramfs through its EFI stub (see $log)"
fi
# A firmware map that makes more than 128 e820 entries: the rest go in a
# SETUP_E820_EXT setup_data node, and Linux sees them all.
log=$Q/linux-e820.log
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/one-node.args --timeout 240 \
	--esp build/hotshim.efi:/hotshim.efi --esp build/linux/vmlinuz:/vmlinuz \
	--esp build/linux/e2e-initramfs.cpio:/initrd.img --esp build/test-fragment.efi:/frag.efi \
	--log "$log" --until '^hotshim-e2e: done' --cmd 'frag.efi 300 reserved' \
	--cmd 'hotshim.efi boot kernel=\vmlinuz initrd=\initrd.img -- console=ttyS0 panic=-1'; then
	n=$(sed -n 's/^hotshim-e2e: e820 128 entries, \([0-9]*\) extended$/\1/p' "$log")
	if [ -n "$n" ] && [ "$n" -gt 128 ]; then pass; else
		fail "linux e820: Linux's extended e820 table has '${n:-no}' entries (want 128 in the zero page, more extended)"; fi
else
	fail "linux e820: Linux did not reach its initramfs with a long map (see $log)"
fi
# The boot logo in hot-pluggable memory: on image-hot OVMF puts the BGRT's
# image in node 1's boot-services memory; hotshim keeps it there (Linux
# 6.1 ignores a logo that is not boot-services data, and reserves it where
# it lies), and Linux takes it into /sys/firmware/acpi/bgrt.
log=$Q/linux-bgrt.log
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/image-hot.args --timeout 420 \
	--esp build/hotshim.efi:/hotshim.efi --esp build/linux/vmlinuz:/vmlinuz \
	--esp build/linux/e2e-initramfs.cpio:/initrd.img --log "$log" --until '^hotshim-e2e: done' \
	--cmd 'hotshim.efi boot kernel=\vmlinuz initrd=\initrd.img -- console=ttyS0 panic=-1'; then
	if grep -q '^node 1: EFI boot-services code/data \[mem 0x[0-9a-f]*-0x[0-9a-f]*\] (.*) in memory block [0-9]*: kept: it holds the boot logo (BGRT), which Linux reserves where it lies$' "$log"; then
		pass
	else
		fail "linux bgrt: hotshim did not say it keeps the logo in node 1 (see $log)"
	fi
	# Linux took the logo (no "Ignoring BGRT"), sized it from its BMP header,
	# and it still starts "BM" when the initramfs runs.  It did not before
	# hotshim gave the logo's pages a descriptor of their own
	# (handover_split_logo): here the kept descriptor also held the MEMATTR
	# table, which efi_memattr_init() reserves first, so
	# efi_reserve_boot_services() reserved none of the rest, and an early
	# memblock allocation ([0x7d400000-0x7e3fffff], memblock=debug) landed
	# on the logo before efi_bgrt_init() reserved it: 0000 where a direct
	# EFI-stub boot of the same machine reads 424d.
	if grep -qE '^hotshim-e2e: bgrt image 424d [1-9][0-9]* bytes$' "$log" &&
		! grep -q 'Ignoring BGRT' "$log"; then pass; else
		fail "linux bgrt: Linux has no boot logo: '$(grep -E 'bgrt image|BGRT' "$log" | tr '\n' ' ')' (see $log)"
	fi
else
	fail "linux bgrt: Linux did not reach its initramfs on image-hot (see $log)"
fi
echo "linux: end-to-end boot through hotshim done"
