# Sourced by test/check.sh: the same \path arguments read the same files
# wherever hotshim starts (README, "Paths").  A path starting with \ is on
# hotshim's own volume, as the Linux EFI stub reads initrd=\path; fsN:
# mappings and relative paths go through the shell.  The second disk holds
# files of the same names with other contents, so reading the wrong
# volume shows.  Uses pass/fail, segment, status_of.

EXIT_DEV='-device isa-debug-exit,iobase=0xf4,iosize=0x04'
good='kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 2 > 1)'
same='kernel/firmware/acpi/srat.aml at offset 0x208: rejected: not a higher OEM revision (1 <= 1)'

# From the shell's first prompt (Shell>, no current directory), then from
# fs1:\sub: x.cpio and rel.img are the override on fs0: and the same-rev
# table on fs1:.
log=$Q/paths-shell.log
python3 tools/qemu-run.py --quiet --bare --machine test/qemu/machines/two-nodes.args \
	--timeout 180 --extra "$EXIT_DEV" --log "$log" \
	--esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf \
	--esp build/initrd/good.img:/x.cpio --esp build/initrd/good.img:/rel.img \
	--disk2 build/initrd/same-rev.img:/x.cpio --disk2 build/initrd/same-rev.img:/sub/rel.img \
	--cmd 'fs0:\hotshim.efi report initrd=\x.cpio' \
	--cmd 'fs0:\hotshim.efi report initrd=rel.img' \
	--cmd 'fs0:\hotshim.efi report initrd=\nope.cpio' \
	--cmd 'fs1:' --cmd 'cd sub' \
	--cmd 'fs0:\hotshim.efi report initrd=\x.cpio' \
	--cmd 'fs0:\hotshim.efi report initrd=/x.cpio' \
	--cmd 'fs0:\hotshim.efi report initrd=rel.img' \
	--cmd 'fs0:\hotshim.efi report initrd=fs0:\rel.img' \
	--cmd 'fs0:\hotshim.efi report initrd=nope.img' \
	--cmd 'fs0:\hotshim.efi report initrd=fs9:\x.cpio' \
	--cmd 'fs0:\hotshim.efi boot kernel=\k.elf initrd=\x.cpio'
rc=$?
# path N STATUS 'exact line': command N returned STATUS and printed the line
path() {
	if [ "$(status_of "$log" "$1")" = "$2" ] && segment "$log" "$1" | grep -qxF -- "$3"; then
		pass
	else
		fail "qemu paths: command $1 returned" \
			"'$(status_of "$log" "$1")': want $2 and '$3' (see $log)"
	fi
}
path 0 0x0 "initrd \\x.cpio: $good"
path 1 0x0 "initrd rel.img: $good"
path 2 0xE "hotshim: initrd \\nope.cpio: no such file on hotshim's volume FS0: (EFI_NOT_FOUND)"
path 5 0x0 "initrd \\x.cpio: $good"
path 6 0x0 "initrd /x.cpio: $good"
path 7 0x0 "initrd rel.img: $same"
path 8 0x0 "initrd fs0:\\rel.img: $good"
path 9 0xE "hotshim: initrd nope.img: no such file in the shell's current directory FS1:\\sub (EFI_NOT_FOUND)"
path 10 0xE "hotshim: initrd fs9:\\x.cpio: the shell has no volume named fs9: (EFI_NOT_FOUND)"
if [ $rc = 1 ] && grep -qx 'hotshim-testkernel: PASS' "$log" &&
	grep -qE '^hotshim-testkernel: hotplug bytes 0x80000000 ' "$log"; then
	pass
else
	fail "qemu paths: boot kernel=\\k.elf initrd=\\x.cpio from fs1:\\sub: QEMU exit $rc (want 1) (see $log)"
fi

# A boot entry made with the shell's bcfg, its load options the same
# arguments; the next boot starts it from NVRAM, with no shell.
vars=$Q/paths-vars.fd
rm -f "$vars"
log=$Q/paths-bcfg.log
# the options as efibootmgr --unicode writes them: UCS-2 text
printf 'boot kernel=\\k.elf initrd=\\x.cpio -- from the entry' | iconv -t UCS-2LE >"$Q/opts.bin"
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--vars-file "$vars" --log "$log" --esp build/hotshim.efi:/hotshim.efi \
	--esp "$Q/opts.bin:/opts.bin" \
	--cmd 'bcfg boot add 0 fs0:\hotshim.efi "hotshim"' --cmd 'bcfg boot -opt 0x0 fs0:\opts.bin'
log=$Q/paths-entry.log
python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/two-nodes.args \
	--timeout 180 --vars-file "$vars" --extra "$EXIT_DEV" --log "$log" \
	--esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf \
	--esp build/initrd/good.img:/x.cpio
rc=$?
if [ $rc = 1 ] && grep -q '^BdsDxe: starting Boot0004 "hotshim" from .*/\\hotshim.efi$' "$log" &&
	grep -qx 'hotshim-testkernel: PASS' "$log" &&
	grep -qx 'hotshim-testkernel: cmdline "from the entry"' "$log" &&
	grep -qE '^hotshim-testkernel: hotplug bytes 0x80000000 ' "$log"; then
	pass
else
	fail "qemu paths: boot entry with kernel=\\k.elf initrd=\\x.cpio: QEMU exit $rc (want 1) (see $log)"
fi
echo "qemu: path checks done"
