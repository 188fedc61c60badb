# Sourced by test/check.sh: hotshim as the boot loader, started by the
# firmware as \EFI\BOOT\BOOTX64.EFI with no shell, booting Boot Loader
# Specification entries from \loader\entries with the test kernel (which
# prints its command line: each entry's options name it).  Uses pass/fail.

EXIT_DEV='-device isa-debug-exit,iobase=0xf4,iosize=0x04'
E=$Q/entries
rm -rf "$E"
mkdir -p "$E"
# entry NAME 'options' [more lines]: an entry file of the debian sort-key
entry() {
	local name=$1 opts=$2 version
	version=${name#debian-}
	shift 2
	{
		echo "title      Debian GNU/Linux 12"
		echo "version    ${version%%+*}"
		echo "sort-key   debian"
		echo "linux      /k.elf"
		echo "options    $opts"
		for l in "$@"; do echo "$l"; done
	} >"$E/$name.conf"
}
entry debian-6.1.0-28 'entry=new'
entry debian-6.1.0-27 'entry=old'
printf 'title nothing\n' >"$E/empty.conf"                    # no linux line
printf 'title bin\nlinux /k\000.elf\n' >"$E/bin.conf"        # binary
printf 'title dup\r\ntitle dup2\r\nlinux /k.elf\r\noptions entry=crlf\r\n' >"$E/crlf.conf"
printf 'default debian-*\ntimeout 0\n' >"$E/loader.conf"
esp_entries() { # the ESP's files: hotshim, the kernel, loader.conf and entries
	local f
	echo --esp build/hotshim.efi:/EFI/BOOT/BOOTX64.EFI --esp build/test-kernel.elf:/k.elf \
		--esp "$E/loader.conf:/loader/loader.conf"
	for f in "$@"; do echo --esp "$E/$f:/loader/entries/$f"; done
}
# boots NAME LOG...: the entry whose options say NAME booted, and PASSed
boots() {
	grep -qx "hotshim-testkernel: cmdline \"entry=$1\"" "$2" &&
		grep -qx 'hotshim-testkernel: PASS' "$2"
}

# 1. timeout 0: the default (newest of the debian sort-key) boots at once;
#    the bad files are one line each, the others still boot
log=$Q/entries-default.log
# shellcheck disable=SC2046
python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
	--timeout 180 --extra "$EXIT_DEV" --log "$log" \
	$(esp_entries debian-6.1.0-28.conf debian-6.1.0-27.conf empty.conf bin.conf crlf.conf)
rc=$?
if [ $rc = 1 ] && boots new "$log" &&
	grep -qxF "hotshim: \\loader\\entries\\empty.conf: no 'linux' line, nothing to boot; skipped" "$log" &&
	grep -qxF 'hotshim: \loader\entries\bin.conf line 2: binary data (a NUL byte), not an entry; skipped' "$log" &&
	grep -qxF "hotshim: note: \\loader\\entries\\crlf.conf line 2: 'title' again: this one wins" "$log" &&
	grep -qxF 'hotshim: booting \loader\entries\debian-6.1.0-28.conf' "$log"; then
	pass
else
	fail "qemu entries default: QEMU exit $rc (want 1), or lines missing (see $log)"
fi

# 2. a countdown, stopped by a key: "2" boots the second entry
printf 'default debian-*\ntimeout 5\n' >"$E/loader.conf"
log=$Q/entries-key.log
# shellcheck disable=SC2046
python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
	--timeout 180 --extra "$EXIT_DEV" --log "$log" --send 'a key stops the countdown=r' \
	--send 'press a key to return to the menu=x' --send 'boot menu=2\r' \
	$(esp_entries debian-6.1.0-28.conf debian-6.1.0-27.conf crlf.conf)
rc=$?
# the report for the highlighted entry first ("r"), back to the menu, "2"
# moves the highlight (the menu drawn a third time), Enter boots it
if [ $rc = 1 ] && boots old "$log" &&
	grep -q '^Placement plan, as `boot` would make it, for an ELF kernel' "$log" &&
	[ "$(grep -c '^hotshim 0.1.0 boot menu$' "$log")" = 3 ] &&
	grep -qE '^ > 2  Debian GNU/Linux 12 \(6\.1\.0-27\)$' "$log" &&
	grep -qE '^ > 1  Debian GNU/Linux 12 \(6\.1\.0-28\) +\* default$' "$log" &&
	grep -qE '^   2  Debian GNU/Linux 12 \(6\.1\.0-27\)$' "$log"; then
	pass
else
	fail "qemu entries key: QEMU exit $rc, want entry=old booted from the menu (see $log)"
fi

# 3. boot counting: a new entry with two tries whose kernel never comes up
#    is tried twice (renamed +1-1, then +0-2), then the older one boots by
#    itself; the same disk and NVRAM from boot to boot, as on a machine
printf 'default debian-*\ntimeout 0\n' >"$E/loader.conf"
entry debian-6.1.0-29+2 'entry=broken hotshim-testkernel.crash'
img=$Q/entries-count.img
rm -f "$img" "$Q/entries-count.fd"
names=()
for try in 1 2 3; do
	log=$Q/entries-count-$try.log
	# shellcheck disable=SC2046
	python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
		--timeout 180 --extra "$EXIT_DEV" --log "$log" --esp-image "$img" \
		--vars-file "$Q/entries-count.fd" \
		$(esp_entries debian-6.1.0-29+2.conf debian-6.1.0-28.conf)
	echo "rc=$?" >>"$log"
	names+=("$(mdir -b -i "$img" ::/loader/entries | sed 's#.*/##' | sort | tr '\n' ' ')")
done
if grep -qxF 'hotshim: booting \loader\entries\debian-6.1.0-29+1-1.conf' "$Q/entries-count-1.log" &&
	grep -qx 'rc=5' "$Q/entries-count-1.log" &&
	grep -qxF 'hotshim: booting \loader\entries\debian-6.1.0-29+0-2.conf' "$Q/entries-count-2.log" &&
	grep -qx 'rc=5' "$Q/entries-count-2.log" &&
	boots new "$Q/entries-count-3.log" &&
	[ "${names[0]}" = "debian-6.1.0-28.conf debian-6.1.0-29+1-1.conf " ] &&
	[ "${names[1]}" = "debian-6.1.0-28.conf debian-6.1.0-29+0-2.conf " ] &&
	[ "${names[2]}" = "debian-6.1.0-28.conf debian-6.1.0-29+0-2.conf " ]; then
	pass
else
	fail "qemu entries boot counting: names '${names[*]}' (see $Q/entries-count-*.log)"
fi

# 4. the default's kernel cannot boot (an ELF for another machine): its
#    line, then the next entry boots; an entry whose kernel is not there
#    at all is skipped when the entries are read, as systemd-boot does
python3 tools/elf-patch.py build/test-kernel.elf "$E/arm.elf" machine=183
entry debian-6.1.0-30 'entry=arm' 'linux /arm.elf'
entry debian-6.1.0-31 'entry=missing' 'linux /nope.elf'
log=$Q/entries-next.log
# shellcheck disable=SC2046
python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
	--timeout 180 --extra "$EXIT_DEV" --log "$log" --esp "$E/arm.elf:/arm.elf" \
	$(esp_entries debian-6.1.0-31.conf debian-6.1.0-30.conf debian-6.1.0-28.conf)
rc=$?
if [ $rc = 1 ] && boots new "$log" &&
	grep -qxF 'hotshim: \loader\entries\debian-6.1.0-31.conf: its linux \nope.elf is not on hotshim'"'"'s volume; skipped' "$log" &&
	grep -qxF 'hotshim: boot: kernel \arm.elf: ELF machine 183 is not x86-64 (62) (EFI_INVALID_PARAMETER)' "$log" &&
	grep -qxF 'hotshim: debian-6.1.0-30.conf could not be booted; trying the next entry' "$log"; then
	pass
else
	fail "qemu entries next: QEMU exit $rc, want the next entry after the bad kernel (see $log)"
fi

# 4b. a countdown nobody stops: the default boots by itself
printf 'default debian-*\ntimeout 1\n' >"$E/loader.conf"
log=$Q/entries-countdown.log
# shellcheck disable=SC2046
python3 tools/qemu-run.py --quiet --no-shell --machine test/qemu/machines/one-node.args \
	--timeout 180 --extra "$EXIT_DEV" --log "$log" \
	$(esp_entries debian-6.1.0-28.conf debian-6.1.0-27.conf)
rc=$?
if [ $rc = 1 ] && boots new "$log" &&
	grep -qx 'hotshim: booting Debian GNU/Linux 12 (6.1.0-28) in 1 s; a key stops the countdown' "$log"; then
	pass
else
	fail "qemu entries countdown: QEMU exit $rc, want the default after 1 s (see $log)"
fi
printf 'default debian-*\ntimeout 0\n' >"$E/loader.conf"
# 5. nothing can boot: hotshim says so and returns an error, and the
#    firmware goes on to its next boot option (the UEFI shell here). The
#    order: hotshim first (bcfg, as efibootmgr would make it), then the rest.
vars=$Q/entries-fw.fd
rm -f "$vars"
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/one-node.args --timeout 180 \
	--vars-file "$vars" --log "$Q/entries-fw-setup.log" --esp build/hotshim.efi:/hotshim.efi \
	--cmd 'bcfg boot add 0 fs0:\hotshim.efi "hotshim"'
log=$Q/entries-fw.log
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/one-node.args --timeout 180 \
	--vars-file "$vars" --log "$log" --until '^hotshim-run: end' \
	--esp build/hotshim.efi:/hotshim.efi --esp "$E/debian-6.1.0-30.conf:/loader/entries/a.conf" \
	--esp "$E/arm.elf:/arm.elf" \
	--cmd 'echo the firmware went on to the shell'
rc=$?
if [ $rc = 0 ] && grep -q '^BdsDxe: starting Boot0004 "hotshim"' "$log" &&
	grep -qxF 'hotshim: no boot entry could be booted; back to the firmware'"'"'s next boot option (EFI_NOT_FOUND)' "$log" &&
	grep -qx 'the firmware went on to the shell' "$log"; then
	pass
else
	fail "qemu entries: nothing bootable did not end in the firmware's next option (see $log)"
fi
# 6. many and bad entries from the shell: `hotshim.efi list` reads 200
#    entries, a huge one and the bad ones, says one line for each bad one,
#    and leaves no page behind (the shell's memmap before and after)
M=$E/many
mkdir -p "$M"
many=()
for i in $(seq 1 200); do
	printf 'title many %d\nversion 1.%d\nlinux /k.elf\n' "$i" "$i" >"$M/m$i.conf"
	many+=(--esp "$M/m$i.conf:/loader/entries/m$i.conf")
done
head -c 70000 /dev/zero | tr '\0' '#' >"$M/huge.conf"
log=$Q/entries-many.log
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/one-node.args --timeout 240 \
	--log "$log" --esp build/hotshim.efi:/hotshim.efi --esp build/test-kernel.elf:/k.elf "${many[@]}" \
	--esp "$M/huge.conf:/loader/entries/huge.conf" --esp "$E/bin.conf:/loader/entries/bin.conf" \
	--esp "$E/crlf.conf:/loader/entries/crlf.conf" \
	--cmd memmap --cmd 'hotshim.efi list' --cmd memmap
pages() { segment "$log" "$1" | grep -E '^  (LoaderData|LoaderCode) *:'; }
if [ "$(status_of "$log" 1)" = 0x0 ] && [ "$(segment "$log" 1 | grep -c '^m[0-9]*\.conf many ')" = 200 ] &&
	segment "$log" 1 | grep -qx 'm200.conf many 200 (1.200) (default)' &&
	segment "$log" 1 | grep -qxF 'hotshim: \loader\entries\huge.conf: 70000 bytes, more than an entry needs (65536); skipped' &&
	segment "$log" 1 | grep -qxF 'hotshim: \loader\entries\bin.conf line 2: binary data (a NUL byte), not an entry; skipped' &&
	[ -n "$(pages 0)" ] && [ "$(pages 0)" = "$(pages 2)" ]; then
	pass
else
	fail "qemu entries: 200 entries, a huge and a binary one, no page left behind (see $log)"
fi
echo "qemu: boot entry checks done"
