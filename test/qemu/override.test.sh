# Sourced by test/check.sh: hotshim.efi judging initrd overrides on the
# two-nodes machine (QEMU's SRAT: OEM revision 1), one boot, five cases.
# The accepted case is also checked against Linux in report.test.sh
# (machine two-nodes-override).  Uses pass/fail, segment, status_of.

log=$Q/override.log
cases=(same-rev bad-sum compressed missing good)
esp=(--esp build/hotshim.efi:/hotshim.efi)
cmds=()
for c in "${cases[@]}"; do
	[ "$c" = missing ] || esp+=(--esp "build/initrd/$c.img:/$c.img")
	cmds+=(--cmd "hotshim.efi report initrd=\\$c.img")
done
# a path with the shell's volume prefix, and one relative to its directory
cases+=(fs0-prefix relative two-initrds)
cmds+=(--cmd 'hotshim.efi report initrd=fs0:\good.img' --cmd 'hotshim.efi report initrd=good.img'
	--cmd 'hotshim.efi report initrd=\srat-override.cpio initrd=\same-rev.img')
esp+=(--esp build/initrd/srat-override.cpio:/srat-override.cpio)
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	"${esp[@]}" "${cmds[@]}" --log "$log"; then
	# has N STATUS 'exact line'...: command N returned STATUS and printed each line
	has() {
		local n=$1 st=$2 l ok=1
		shift 2
		segment "$log" "$n" >"$Q/override-$n.out"
		[ "$(status_of "$log" "$n")" = "$st" ] || ok=0
		for l in "$@"; do grep -qxF -- "$l" "$Q/override-$n.out" || ok=0; done
		if [ $ok = 1 ]; then pass; else
			fail "qemu override ${cases[$n]}: status $(status_of "$log" "$n"), want $st and: $*"
		fi
	}
	fw='SRAT from firmware: OEM ID "BOCHS ", table ID "BXPC    ", OEM revision 1, revision 1'
	has 0 0x0 \
		'initrd \same-rev.img: kernel/firmware/acpi/srat.aml at offset 0x208: rejected: not a higher OEM revision (1 <= 1)' \
		"hotpluggable: 0 B (0x0 bytes) in 0 ranges; $fw"
	has 1 0x0 \
		'initrd \bad-sum.img: kernel/firmware/acpi/srat.aml at offset 0x208: rejected: bad checksum' \
		"hotpluggable: 0 B (0x0 bytes) in 0 ranges; $fw"
	has 2 0x0 \
		'initrd \compressed.img: no file under kernel/firmware/acpi/ in its leading cpio archives' \
		'initrd \compressed.img: Linux stops looking at offset 0x0: gzip-compressed data' \
		"hotpluggable: 0 B (0x0 bytes) in 0 ranges; $fw"
	has 3 0xE "hotshim: initrd \\missing.img: no such file on hotshim's volume FS0: (EFI_NOT_FOUND)"
	has 4 0x0 \
		'initrd \good.img: kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 2 > 1)' \
		'SRAT: Node 1 PXM 1 [mem 0x100000000-0x17fffffff] hotplug' \
		'hotpluggable: 2 GiB (0x80000000 bytes) in 1 range; SRAT from initrd override kernel/firmware/acpi/srat.aml (OEM rev 2 > 1): OEM ID "BOCHS ", table ID "BXPC    ", OEM revision 2, revision 3'
	has 5 0x0 \
		'initrd fs0:\good.img: kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 2 > 1)'
	has 6 0x0 \
		'initrd good.img: kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 2 > 1)'
	# initrd= twice: the files one after the other, as the EFI stub loads
	# them; the override in the first, the second's table behind it
	has 7 0x0 \
		'initrd \srat-override.cpio + \same-rev.img: kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 2 > 1)'
else
	fail "qemu override: boot did not finish (see $log)"
fi

# No shell: the firmware starts hotshim as \EFI\BOOT\BOOTX64.EFI, and
# \EFI\hotshim\hotshim.conf says what to do.
log=$Q/conf.log
printf 'command report\r\ninitrd \\good.img   # the override\r\n' >"$Q/hotshim.conf"
if python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
	--timeout 180 --until '^hotpluggable: [^\n]*\n' --log "$log" \
	--esp build/hotshim.efi:/EFI/BOOT/BOOTX64.EFI --esp "$Q/hotshim.conf:/EFI/hotshim/hotshim.conf" \
	--esp build/initrd/good.img:/good.img &&
	grep -qxF 'initrd \good.img: kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 2 > 1)' "$log"; then
	pass
else
	fail "qemu config file: no report with the override (see $log)"
fi

# A bad line in the configuration file: one line naming file, line, why.
log=$Q/conf-bad.log
printf 'command report\nfrobnicate yes\n' >"$Q/bad.conf"
if python3 tools/qemu-run.py --quiet --machine test/qemu/machines/one-node.args --timeout 180 \
	--esp build/hotshim.efi:/hotshim.efi --esp "$Q/bad.conf:/EFI/hotshim/hotshim.conf" \
	--cmd 'hotshim.efi' --log "$log" &&
	[ "$(status_of "$log" 0)" = 0x2 ] &&
	[ "$(segment "$log" 0)" = "hotshim: \\EFI\\hotshim\\hotshim.conf line 2: unknown key 'frobnicate' (EFI_INVALID_PARAMETER)" ]; then
	pass
else
	fail "qemu config file: bad line not reported as expected (see $log)"
fi
echo "qemu: override and configuration file checks done"
