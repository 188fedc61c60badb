# Sourced by test/check.sh: Debian's kernel (test/linux/fetch.sh) booted by
# `hotshim.efi boot` on two nodes with node 1 made hot-pluggable by the
# initrd's SRAT override, KASLR on (Debian's default).  Linux must print
# the SRAT lines hotshim's report prints for the same machine and initrd
# (test/qemu/ref/two-nodes-override.linux.txt), run with movable_node, and
# offline every memory block of node 1.  Plus a kernel that is no bzImage
# worth booting, refused.

log=$Q/linux-e2e.log
cat build/initrd/srat-override.cpio build/linux/e2e-initramfs.cpio >"$Q/e2e-initrd.img"
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 240 \
	--esp build/hotshim.efi:/hotshim.efi --esp build/linux/vmlinuz:/vmlinuz \
	--esp "$Q/e2e-initrd.img:/initrd.img" --log "$log" --until '^hotshim-e2e: done' \
	--cmd 'hotshim.efi boot kernel=\vmlinuz initrd=\initrd.img -- console=ttyS0 panic=-1'; then
	sed -n 's/^hotshim-e2e: dmesg: ACPI: \(SRAT: .*\)$/\1/p' "$log" >"$Q/linux-e2e.srat"
	sed -n 's/^ACPI: \(SRAT: .*\)$/\1/p' test/qemu/ref/two-nodes-override.linux.txt >"$Q/linux-e2e.want"
	if [ -s "$Q/linux-e2e.srat" ] && cmp -s "$Q/linux-e2e.srat" "$Q/linux-e2e.want"; then pass; else
		fail "linux e2e: Linux's SRAT lines differ from the reference"
		diff "$Q/linux-e2e.srat" "$Q/linux-e2e.want" | head -n 6
	fi
	if grep -qx 'hotshim-e2e: cmdline console=ttyS0 panic=-1 movable_node' "$log"; then pass; else
		fail "linux e2e: movable_node was not appended (see $log)"; fi
	line=$(grep -x 'hotshim-e2e: node 1 offlined [0-9]* of [0-9]* blocks' "$log")
	read -r ok total < <(echo "$line" | sed 's/.*offlined \([0-9]*\) of \([0-9]*\) blocks/\1 \2/')
	if [ -n "$line" ] && [ "$total" = 16 ] && [ "$ok" = "$total" ]; then pass; else
		fail "linux e2e: node 1: '${line:-no line}' (want all 16 blocks offline)"; fi
else
	fail "linux e2e: Linux did not reach its initramfs through hotshim (see $log)"
fi
echo "linux: end-to-end boot through hotshim done"
