# Sourced by test/check.sh: the firmware says no.  test-faults.efi
# (test/efi/faults.c) starts hotshim again and again with the Nth call of
# one service failing, for every N up to the number of calls hotshim makes
# (counted in a run stopped at ExitBootServices), for report and for boot
# with a kernel and an override initrd, and for the boot entries (no
# arguments: loader.conf, the entries, systemd's variables, the boot);
# each run must end in one error
# line naming the status hotshim returns, with no page, pool or open file
# left, or go on having taken the failure in its stride.  Then the real
# boot with ExitBootServices refusing a stale map key once (the retry
# boots the test kernel) and twice (hotshim says so on COM1 and resets).
# Uses pass/fail.

F=$Q/faults
mkdir -p "$F"
printf 'timeout 0\n' >"$F/loader.conf"
printf 'title Faults\nversion 1\nlinux /k.elf\ninitrd /good.img\noptions console=ttyS0\n' >"$F/faults-1.conf"
EXIT_DEV='-device isa-debug-exit,iobase=0xf4,iosize=0x04'
FESP=(--esp build/hotshim.efi:/hotshim.efi --esp build/test-faults.efi:/faults.efi
	--esp build/test-kernel.elf:/k.elf --esp build/initrd/good.img:/good.img
	--esp "$F/loader.conf:/loader/loader.conf" --esp "$F/faults-1.conf:/loader/entries/faults-1.conf")
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 600 \
	"${FESP[@]}" --log "$F/sweep.log" \
	--cmd 'faults.efi sweep report kernel=\k.elf initrd=\good.img' \
	--cmd 'faults.efi sweep boot kernel=\k.elf initrd=\good.img' --cmd 'faults.efi sweep'
# sweep N CMD [SERVICE...]: command N swept every service, these each
# called at least once, and no run went wrong
sweep() {
	local seg s n=$1 what=$2
	shift 2
	seg=$(segment "$F/sweep.log" "$n")
	for s in AllocatePages AllocatePool GetMemoryMap HandleProtocol LocateProtocol OpenVolume \
		File.Open File.Read File.GetInfo GetVariable "$@"; do
		if ! grep -qE "^faults: $s: [1-9][0-9]* calls, 0 bad\$" <<<"$seg"; then
			fail "qemu faults: $what: $s not called, or a run went wrong (see $F/sweep.log)"
			grep -E "^faults: $s( #|:)" <<<"$seg" | grep -v ': ok$' | head -n 5
			return
		fi
	done
	if grep -qE '^faults: [0-9]+ runs, 0 bad$' <<<"$seg" && [ "$(status_of "$F/sweep.log" "$n")" = 0x0 ]; then
		pass
	else
		fail "qemu faults: $what: runs went wrong (see $F/sweep.log)"
		grep '^faults: .*BAD' <<<"$seg" | head -n 5
	fi
}
sweep 0 report
sweep 1 boot
sweep 2 entries SetVariable
# the lines themselves, for a few of them (the call numbers and the map's
# size follow hotshim's own calls and image size, so they are patterns)
sl=$F/sweep.log
for l in '^faults: File\.Read #1 EFI_DEVICE_ERROR: returned EFI_DEVICE_ERROR, said "hotshim: boot: kernel \\k\.elf: cannot read its 20680 bytes \(EFI_DEVICE_ERROR\)"; left 0 pages, 0 pools, 0 files, map 0 pages: ok$' \
	'^faults: AllocatePool #[0-9]+ EFI_OUT_OF_RESOURCES: returned EFI_OUT_OF_RESOURCES, said "hotshim: boot: initrd \\good\.img: no pool for its file information \(EFI_OUT_OF_RESOURCES\)"; left 0 pages, 0 pools, 0 files, map 0 pages: ok$' \
	'^faults: GetMemoryMap #3 EFI_INVALID_PARAMETER: returned EFI_INVALID_PARAMETER, said "hotshim: boot: the final memory map does not fit its [0-9]+ bytes \(EFI_INVALID_PARAMETER\)"; left 0 pages, 0 pools, 0 files, map 0 pages: ok$'; do
	if grep -qE "$l" "$sl"; then pass; else fail "qemu faults: no line matching '$l' (see $sl)"; fi
done

# stale map key once: the retry boots; twice: COM1 says so, the machine resets
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--extra "$EXIT_DEV" "${FESP[@]}" --log "$F/stale1.log" \
	--cmd 'faults.efi stale 1 boot kernel=\k.elf initrd=\good.img'
rc=$?
if [ $rc = 1 ] && grep -qx 'hotshim-testkernel: PASS' "$F/stale1.log"; then pass; else
	fail "qemu faults: a stale map key once: QEMU exit $rc, no PASS from the kernel (see $F/stale1.log)"; fi
python3 tools/qemu-run.py --quiet --machine test/qemu/machines/two-nodes.args --timeout 180 \
	--extra "$EXIT_DEV -no-reboot" "${FESP[@]}" --log "$F/stale2.log" \
	--cmd 'faults.efi stale 2 boot kernel=\k.elf initrd=\good.img'
rc=$?
if [ $rc = 0 ] && grep -qx 'hotshim: ExitBootServices failed twice; resetting' "$F/stale2.log" &&
	! grep -q 'hotshim-testkernel' "$F/stale2.log"; then pass; else
	fail "qemu faults: a stale map key twice: QEMU exit $rc, no reset line (see $F/stale2.log)"; fi
echo "qemu: fault injection done"
