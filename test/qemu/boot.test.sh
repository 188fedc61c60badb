# Sourced by test/check.sh: `hotshim.efi boot` starts build/test-kernel.elf,
# which checks the protocol from the inside and leaves QEMU through
# isa-debug-exit (status 1 = PASS, 3 = FAIL).  Then bad inputs, each with
# its one line, its EFI status, and no page left behind.

EXIT_DEV='-device isa-debug-exit,iobase=0xf4,iosize=0x04'

# boot_ok NAME MACHINE CMD [ESP...] -- LINE-REGEX...
boot_ok() {
	local name=$1 machine=$2 cmd=$3 log=$Q/boot-$1.log rc l ok=1
	shift 3
	local esp=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do esp+=(--esp "$1"); shift; done
	shift
	python3 tools/qemu-run.py --quiet --machine "test/qemu/machines/$machine.args" \
		--timeout 180 --extra "$EXIT_DEV" --esp build/hotshim.efi:/hotshim.efi \
		--esp build/test-kernel.elf:/k.elf "${esp[@]}" --cmd "$cmd" --log "$log"
	rc=$?
	for l in 'hotshim-testkernel: PASS' "$@"; do
		grep -qxE -- "$l" "$log" || { ok=0; echo "  missing: $l"; }
	done
	if [ $rc = 1 ] && [ $ok = 1 ]; then pass; else
		fail "qemu boot $name: QEMU exit $rc (want 1 = PASS) (see $log)"
		grep -a 'hotshim-testkernel: FAIL' "$log" | head -n 3
	fi
}

boot_ok one-node one-node 'hotshim.efi boot kernel=\k.elf -- console=ttyS0 x=1' -- \
	'hotshim-testkernel: cmdline "console=ttyS0 x=1"' \
	'hotshim-testkernel: ok acpi-override \(none\)' \
	'hotshim-testkernel: hotplug bytes 0x0 \(SRAT at 0x0, 0 nodes\)'
# node 1 ([4 GiB, 6 GiB), above the PCI hole) made hot-pluggable by the
# initrd's override: the kernel gets a rebuilt RSDP, and 2 GiB marked
boot_ok two-nodes-override two-nodes 'hotshim.efi boot kernel=\k.elf initrd=\good.img module=\k.elf' \
	build/initrd/good.img:/good.img -- \
	'  initrd       \[mem 0x[0-9a-f]{8}-0x[0-9a-f]{8}\] node 0, 1.1 KiB' \
	'hotshim-testkernel: ok acpi-override' \
	'hotshim-testkernel: hotplug bytes 0x80000000 \(SRAT at 0x[0-9a-f]+, 2 nodes\)' \
	'hotshim-testkernel: module 1 \\k.elf base 0x[0-9a-f]+ length 0x[0-9a-f]+ head 7f 45 4c 46' \
	'hotshim-testkernel: ok page-tables'
# a PIE: placed by the allocator, its RELATIVE relocations applied
boot_ok pie two-nodes 'hotshim.efi boot kernel=\pie.elf initrd=\good.img' \
	build/test-kernel-pie.elf:/pie.elf build/initrd/good.img:/good.img -- \
	'  kernel       \[mem 0x[0-9a-f]{8}-0x[0-9a-f]{8}\] node 0, [0-9.]+ KiB' \
	'hotshim-testkernel: ok kernel-reserved' \
	'hotshim-testkernel: hotplug bytes 0x80000000 \(SRAT at 0x[0-9a-f]+, 2 nodes\)'
boot_ok four-unequal four-unequal 'hotshim.efi boot kernel=\k.elf' -- \
	'hotshim-testkernel: ok hotplug-equals-srat'

# A firmware map of more than 128 descriptors (test-fragment.efi keeps 300
# pages of alternating types), and a machine with more than 4 GiB
log=$Q/boot-fragmented.log
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--extra "$EXIT_DEV" --esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf \
	--esp build/test-fragment.efi:/frag.efi --log "$log" \
	--cmd 'frag.efi 300' --cmd 'memmap' --cmd 'hotshim.efi boot kernel=\k.elf'
rc=$?
ndesc=$(segment "$log" 1 | grep -c -E '^[A-Za-z_]+ +[0-9A-F]{16}-[0-9A-F]{16} ')
if [ $rc = 1 ] && [ "$ndesc" -gt 128 ] && grep -qx 'hotshim-testkernel: PASS' "$log"; then pass; else
	fail "qemu boot fragmented: QEMU exit $rc, $ndesc descriptors (want 1, > 128) (see $log)"
fi

# No shell: a boot entry starts hotshim, hotshim.conf says what to boot
log=$Q/boot-conf.log
printf 'command boot\r\nkernel \\k.elf\r\ncmdline from the file\r\n' >"$Q/boot.conf"
python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
	--timeout 180 --extra "$EXIT_DEV" --esp build/hotshim.efi:/EFI/BOOT/BOOTX64.EFI \
	--esp build/test-kernel.elf:/k.elf --esp "$Q/boot.conf:/EFI/hotshim/hotshim.conf" --log "$log"
rc=$?
if [ $rc = 1 ] && grep -qx 'hotshim-testkernel: PASS' "$log" &&
	grep -qx 'hotshim-testkernel: cmdline "from the file"' "$log"; then pass; else
	fail "qemu boot from hotshim.conf: QEMU exit $rc (want 1 = PASS) (see $log)"
fi

# Bad inputs on two-nodes: one line each, the EFI status, and the same
# loader pages after each as before them all: every page hotshim takes
# (files, placements) is EfiLoaderData.  Free pages are not compared: the
# shell's own pool grows by a page now and then over a long script.
log=$Q/boot-bad.log
python3 tools/elf-patch.py build/test-kernel.elf "$Q/arm.elf" machine=183
python3 tools/elf-patch.py build/test-kernel.elf "$Q/low.elf" move=-0x1800000
python3 tools/elf-patch.py build/test-kernel.elf "$Q/huge.elf" pie-memsz=0xe0000000
bad_cmds=('hotshim.efi boot kernel=\missing.elf' 'hotshim.efi boot kernel=\hotshim.efi'
	'hotshim.efi boot kernel=\arm.elf' 'hotshim.efi boot kernel=\low.elf'
	'hotshim.efi boot kernel=\huge.elf initrd=\good.img'
	'hotshim.efi boot kernel=\k.elf initrd=\nope.img' 'hotshim.efi boot')
cmds=(--cmd 'hotshim.efi --version' --cmd memmap)
for c in "${bad_cmds[@]}"; do cmds+=(--cmd "$c" --cmd memmap); done
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf \
	--esp "$Q/arm.elf:/arm.elf" --esp "$Q/low.elf:/low.elf" --esp "$Q/huge.elf:/huge.elf" \
	--esp build/initrd/good.img:/good.img --log "$log" "${cmds[@]}"; then
	pages() { segment "$log" "$1" | grep -E '^  (LoaderData|LoaderCode) *:'; }
	# bad K STATUS 'last line': bad command K (from 0), then its memmap
	bad() {
		local n=$((2 * $1 + 2)) st last
		st=$(status_of "$log" "$n")
		last=$(segment "$log" "$n" | tail -n 1)
		if [ "$st" = "$2" ] && [ "$last" = "$3" ]; then pass; else
			fail "qemu boot bad input $1: status '$st', last line '$last' (want '$2', '$3')"; fi
		if [ -n "$(pages 1)" ] && [ "$(pages 1)" = "$(pages $((n + 1)))" ]; then pass; else
			fail "qemu boot bad input $1: pages differ afterwards"
			diff <(pages 1) <(pages $((n + 1)))
		fi
	}
	bad 0 0xE "hotshim: boot: kernel \\missing.elf: no such file on hotshim's volume FS0: (EFI_NOT_FOUND)"
	bad 1 0x2 'hotshim: boot: kernel \hotshim.efi: neither a bzImage nor an ELF kernel: a PE/COFF image ("MZ") without a Linux setup header: an EFI application, not a bzImage (EFI_INVALID_PARAMETER)'
	bad 2 0x2 'hotshim: boot: kernel \arm.elf: ELF machine 183 is not x86-64 (62) (EFI_INVALID_PARAMETER)'
	bad 3 0xF "hotshim: boot: kernel segments [mem 0x00800000-0x00808fff]: the firmware's ACPI memory [mem 0x00806000-0x00807fff] lies in it (EFI_ACCESS_DENIED)"
	bad 4 0x9 'hotshim: boot: kernel (3.5 GiB): no room outside hot-pluggable memory (EFI_OUT_OF_RESOURCES)'
	bad 5 0xE "hotshim: boot: initrd \\nope.img: no such file on hotshim's volume FS0: (EFI_NOT_FOUND)"
	bad 6 0x2 'hotshim: boot: kernel=PATH is required (EFI_INVALID_PARAMETER)'
else
	fail "qemu boot bad inputs: boot did not finish (see $log)"
fi
echo "qemu: boot checks done"
