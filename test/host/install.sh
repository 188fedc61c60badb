# Sourced by test/check.sh: build/host/hotshim-install on this machine,
# with a system tree (--root: Debian's kernel as three versions) and an ESP
# that is a plain directory (HOTSHIM_RELAX_ESP_CHECKS=1, no EFI variables):
# the files it writes, keeping them current, taking away exactly its own,
# and the one line each refusal prints with nothing changed.  The real ESP,
# efibootmgr and Debian's hooks are test/qemu/install.test.sh's.  Uses
# pass/fail.

I=$PWD/build/host/hotshim-install
T=$PWD/$LOG/install
rm -rf "$T"
mkdir -p "$T"
R=$T/root E=$T/esp
mkdir -p "$R/boot" "$R/etc/kernel" "$E/EFI/debian" "$E/EFI/hotshim" "$E/loader/entries"
# a kernel in /boot as Debian's packages leave it: vmlinuz and initrd.img
kernel() { # VERSION
	cp build/linux/vmlinuz "$R/boot/vmlinuz-$1"
	printf 'initrd of %s\n' "$1" >"$R/boot/initrd.img-$1"
}
kernel 6.1.0-27-amd64
kernel 6.1.0-28-amd64
kernel 6.1.0-9-amd64
printf 'root=/dev/sda2 ro\n# comment\nquiet\n' >"$R/etc/kernel/cmdline"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n' >"$R/etc/os-release"
printf '0b0075a1e5f04e5a9d1b5ec0ffee0000\n' >"$R/etc/machine-id"
# another loader's files, and the administrator's hotshim.conf
printf 'grub\n' >"$E/EFI/debian/grubx64.efi"
printf 'command report\n' >"$E/EFI/hotshim/hotshim.conf"
printf 'title other\nlinux /x\n' >"$E/loader/entries/other.conf"
inst() { HOTSHIM_RELAX_ESP_CHECKS=1 "$I" "$@" --esp "$E" --root "$R" --efi build/hotshim.efi --no-variables; }
tree() { (cd "$E" && find . -type f | LC_ALL=C sort | xargs md5sum); }
tree >"$T/before"

# install: the two newest kernels, the override first, loader.conf (there was none)
if inst install --override test/fixtures/override-two-nodes.asl >"$T/install.out" 2>&1 &&
	[ "$(cd "$E" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" = "./EFI/debian/grubx64.efi ./EFI/hotshim/6.1.0-27-amd64/initrd.img ./EFI/hotshim/6.1.0-27-amd64/vmlinuz ./EFI/hotshim/6.1.0-28-amd64/initrd.img ./EFI/hotshim/6.1.0-28-amd64/vmlinuz ./EFI/hotshim/hotshim.conf ./EFI/hotshim/hotshimx64.efi ./EFI/hotshim/installed ./EFI/hotshim/srat-override.cpio ./loader/entries/hotshim-6.1.0-27-amd64.conf ./loader/entries/hotshim-6.1.0-28-amd64.conf ./loader/entries/other.conf ./loader/loader.conf " ] &&
	cmp -s "$E/EFI/hotshim/hotshimx64.efi" build/hotshim.efi &&
	cmp -s "$E/EFI/hotshim/6.1.0-28-amd64/vmlinuz" build/linux/vmlinuz &&
	cmp -s "$E/EFI/hotshim/6.1.0-27-amd64/initrd.img" "$R/boot/initrd.img-6.1.0-27-amd64" &&
	[ "$(cpio -it --quiet <"$E/EFI/hotshim/srat-override.cpio" | tr '\n' ' ')" = "kernel kernel/firmware kernel/firmware/acpi kernel/firmware/acpi/srat.aml " ] &&
	(cd "$T" && cpio -i --quiet --to-stdout kernel/firmware/acpi/srat.aml <"$E/EFI/hotshim/srat-override.cpio") |
	cmp -s - build/fixtures/override-two-nodes.aml &&
	grep -qxF 'initrd     /EFI/hotshim/srat-override.cpio' "$E/loader/entries/hotshim-6.1.0-28-amd64.conf" &&
	grep -qxF 'options    root=/dev/sda2 ro quiet' "$E/loader/entries/hotshim-6.1.0-28-amd64.conf" &&
	grep -qxF "$E: 9 files written, 0 current, 0 removed; default entry hotshim-6.1.0-28-amd64.conf" "$T/install.out" &&
	grep -qxF 'file /loader/loader.conf' "$E/EFI/hotshim/installed" &&
	! grep -q 'hotshim.conf\|other.conf\|debian\|^dir /EFI$\|^dir /loader' "$E/EFI/hotshim/installed"; then
	pass
else
	fail "hotshim-install install: the ESP is not as planned (see $T/install.out)"
fi
# every entry it wrote is one hotshim's own reader takes, in the order
# the menu shows (hotshim-install status reads them with core/entries.c)
if inst status >"$T/status.out" 2>&1 &&
	grep -qxF "entries: 3 in /loader/entries, the default is hotshim-6.1.0-28-amd64.conf" "$T/status.out" &&
	grep -qxF "installed: 9 files, entries for up to 2 kernels (newest first), with the SRAT override /EFI/hotshim/srat-override.cpio" "$T/status.out" &&
	grep -qxF "boot loader: /EFI/hotshim/hotshimx64.efi is current" "$T/status.out" &&
	grep -qxF "EFI variables: not read (--no-variables)" "$T/status.out" &&
	grep -qxF "files: current with /boot" "$T/status.out" &&
	grep -q '^verdict: ' "$T/status.out"; then
	pass
else
	fail "hotshim-install status (see $T/status.out)"
fi

# again: nothing to write; update keeps install's choices
tree >"$T/installed"
if inst install >"$T/again.out" 2>&1 && inst update >"$T/update0.out" 2>&1 &&
	grep -qxF "$E: 0 files written, 9 current, 0 removed; default entry hotshim-6.1.0-28-amd64.conf" "$T/update0.out" &&
	tree | cmp -s - "$T/installed"; then
	pass
else
	fail "hotshim-install install/update twice changed the ESP (see $T/update0.out)"
fi

# a kernel upgrade: 6.1.0-29 in, 6.1.0-27 (now third) out, its directory too
kernel 6.1.0-29-amd64
if inst update >"$T/update1.out" 2>&1 &&
	grep -qxF "$E: 3 files written, 6 current, 3 removed; default entry hotshim-6.1.0-29-amd64.conf" "$T/update1.out" &&
	[ ! -e "$E/EFI/hotshim/6.1.0-27-amd64" ] && [ ! -e "$E/loader/entries/hotshim-6.1.0-27-amd64.conf" ] &&
	[ -f "$E/loader/entries/hotshim-6.1.0-29-amd64.conf" ] &&
	grep -qxF 'removed /loader/entries/hotshim-6.1.0-27-amd64.conf' "$T/update1.out" &&
	! grep -q '6.1.0-27' "$E/EFI/hotshim/installed"; then
	pass
else
	fail "hotshim-install update after a kernel upgrade (see $T/update1.out)"
fi
# an initrd rebuilt: that copy only; --dry-run first changes nothing
printf 'rebuilt\n' >>"$R/boot/initrd.img-6.1.0-29-amd64"
tree >"$T/pre-dry"
if inst update --dry-run >"$T/dry.out" 2>&1 && tree | cmp -s - "$T/pre-dry" &&
	grep -qxF "would write /EFI/hotshim/6.1.0-29-amd64/initrd.img ($(stat -c %s "$R/boot/initrd.img-6.1.0-29-amd64") bytes from $R/boot/initrd.img-6.1.0-29-amd64)" "$T/dry.out" &&
	inst update >"$T/update2.out" 2>&1 &&
	grep -qxF "$E: 1 file written, 8 current, 0 removed; default entry hotshim-6.1.0-29-amd64.conf" "$T/update2.out" &&
	cmp -s "$E/EFI/hotshim/6.1.0-29-amd64/initrd.img" "$R/boot/initrd.img-6.1.0-29-amd64" &&
	! ls "$E/EFI/hotshim/6.1.0-29-amd64/" | grep -q hotshim-new; then
	pass
else
	fail "hotshim-install update after an initrd rebuild (see $T/dry.out, $T/update2.out)"
fi

# install left a record of its ESP on the system: update finds it there
# without --esp; status tells /boot is ahead of the ESP (a kernel arrived,
# without its initrd) and changes nothing; a file a crash cut off is
# cleaned up; the missing initrd is warned about
rec() { HOTSHIM_RELAX_ESP_CHECKS=1 "$I" "$@" --root "$R" --efi build/hotshim.efi --no-variables; }
kernel 6.1.0-31-amd64
rm "$R/boot/initrd.img-6.1.0-31-amd64"
printf 'cut off\n' >"$E/EFI/hotshim/6.1.0-29-amd64/vmlinuz.hotshim-new"
tree >"$T/pre-status"
if [ "$(cat "$R/var/lib/hotshim/esp")" = "$E" ] && rec status >"$T/status3.out" 2>&1 &&
	grep -qxF "files: not current: update would write 2 and remove 3: run hotshim-install update" "$T/status3.out" &&
	tree | cmp -s - "$T/pre-status" &&
	rec update >"$T/update3.out" 2>"$T/update3.err" &&
	grep -qxF "removed /EFI/hotshim/6.1.0-29-amd64/vmlinuz.hotshim-new, left by a run that was cut off" "$T/update3.out" &&
	grep -qxF "hotshim-install: warning: $R/boot/vmlinuz-6.1.0-31-amd64 has no initrd.img-6.1.0-31-amd64 beside it: its entry has no initrd, and a Debian kernel needs one to find its root" "$T/update3.err" &&
	[ ! -e "$E/EFI/hotshim/6.1.0-29-amd64/vmlinuz.hotshim-new" ] &&
	grep -qxF "$E: 2 files written, 6 current, 3 removed; default entry hotshim-6.1.0-31-amd64.conf" "$T/update3.out"; then
	pass
else
	fail "hotshim-install: the ESP record, status against /boot, a cut-off file (see $T/status3.out, $T/update3.out)"
fi
rm "$R/boot/vmlinuz-6.1.0-31-amd64"
rec update >"$T/update4.out" 2>&1 || fail "hotshim-install update back to 6.1.0-29 (see $T/update4.out)"
# loader.conf changed by the administrator is theirs from then on: kept
# by update and by remove; written again once it is gone
sed -i 's/^timeout 3$/timeout 10/' "$E/loader/loader.conf"
if inst update >"$T/update5.out" 2>&1 &&
	grep -qxF 'kept /loader/loader.conf: changed since hotshim-install wrote it (its default decides)' "$T/update5.out" &&
	grep -qx 'timeout 10' "$E/loader/loader.conf" && ! grep -q 'loader.conf' "$E/EFI/hotshim/installed" &&
	rm "$E/loader/loader.conf" && inst update >"$T/update6.out" 2>&1 &&
	grep -qxF 'wrote /loader/loader.conf (147 bytes)' "$T/update6.out" &&
	grep -qxF 'file /loader/loader.conf' "$E/EFI/hotshim/installed"; then
	pass
else
	fail "hotshim-install and the administrator's edit of its loader.conf (see $T/update5.out, $T/update6.out)"
fi
# remove --dry-run: every file once, the count what remove would take
files=$(grep -c '^file ' "$E/EFI/hotshim/installed")
if inst remove --dry-run >"$T/rdry.out" 2>&1 &&
	[ "$(grep '^would remove /[^ ]*$' "$T/rdry.out" | sort | uniq -d | wc -l)" = 0 ] &&
	[ "$(grep -c '^would remove /[^ ]*$' "$T/rdry.out")" = $((files + 1)) ] &&
	grep -qxF "$E: $files files to remove" "$T/rdry.out"; then
	pass
else
	fail "hotshim-install remove --dry-run (see $T/rdry.out)"
fi

# refusals: exit 1, one line on stderr, the ESP as it was
tree >"$T/good"
refuse() { # 'stderr line' args...
	local want=$1 rc first
	shift
	"$@" >"$T/r.out" 2>"$T/r.err"
	rc=$?
	first=$(cat "$T/r.err")
	if [ "$rc" = 1 ] && [ "$first" = "$want" ] && tree | cmp -s - "$T/good"; then pass; else
		fail "hotshim-install refusal: exit $rc, '$first' (want 1, '$want')"
	fi
}
head -c 70000 /dev/zero >"$R/boot/vmlinuz-6.1.0-30-amd64"
refuse "hotshim-install: $R/boot/vmlinuz-6.1.0-30-amd64: neither a bzImage nor an ELF kernel: of an unknown format (first bytes 00 00 00 00)" inst update
cp build/test-kernel.elf "$R/boot/vmlinuz-6.1.0-30-amd64"
refuse "hotshim-install: $R/boot/vmlinuz-6.1.0-30-amd64 is an ELF kernel, not a bzImage: entries boot Linux's bzImage" inst update
# a bzImage of boot protocol 2.12 cannot take the override's RSDP
cp build/linux/vmlinuz "$R/boot/vmlinuz-6.1.0-30-amd64"
printf '\x0c\x02' | dd of="$R/boot/vmlinuz-6.1.0-30-amd64" bs=1 seek=$((0x206)) conv=notrunc status=none
refuse "hotshim-install: $R/boot/vmlinuz-6.1.0-30-amd64: boot protocol 2.12 ignores acpi_rsdp_addr (2.14 and later), so it would not see the SRAT override" inst update
rm -f "$R/boot/vmlinuz-6.1.0-30-amd64"
refuse "hotshim-install: update writes the ESP and EFI variables: run it as root (or with --dry-run)" \
	setpriv --reuid 65534 --regid 65534 --clear-groups env HOTSHIM_RELAX_ESP_CHECKS=1 "$I" update --esp "$E" --root "$R" --efi build/hotshim.efi --no-variables
refuse "hotshim-install: $T is not a FAT file system, so it is not an ESP" "$I" update --esp "$T" --root "$R" --no-variables
refuse "hotshim-install: $T/nowhere: No such file or directory" "$I" status --esp "$T/nowhere"
refuse "hotshim-install: $T/none.efi: No such file or directory (the hotshim.efi to install; see --efi)" \
	env HOTSHIM_RELAX_ESP_CHECKS=1 "$I" update --esp "$E" --root "$R" --efi "$T/none.efi" --no-variables
refuse "hotshim-install: README.md is not an x86-64 EFI application (PE32+, subsystem 10): not hotshim.efi" \
	env HOTSHIM_RELAX_ESP_CHECKS=1 "$I" install --esp "$E" --root "$R" --efi README.md --no-variables
mv "$R/etc/kernel/cmdline" "$T/cmdline"
refuse "hotshim-install: $R/etc/kernel/cmdline: No such file or directory: with --root the command line must be there" inst update
mv "$T/cmdline" "$R/etc/kernel/cmdline"
cp "$E/EFI/hotshim/installed" "$T/manifest"
printf 'file /../../etc/passwd\n' >>"$E/EFI/hotshim/installed"
tree >"$T/good"
refuse "hotshim-install: $E/EFI/hotshim/installed: line $(wc -l <"$E/EFI/hotshim/installed"): file \"/../../etc/passwd\" is not one hotshim-install writes" inst remove
cp "$T/manifest" "$E/EFI/hotshim/installed"
tree >"$T/good"
# usage: exit 2, one line
for args in "--frob" "frob" "update --kernels 3" "install --kernels 0" "install --graceful" \
	"update --override x.asl" "install --override x --no-override" "install --esp" \
	"install --once --default" "update --once" "install --default --no-variables" \
	"install --once --root /tmp" "update --shim" "install --shim --no-shim" "install --sign k" \
	"status --sign k c" "install --sign k c --no-sign"; do
	# shellcheck disable=SC2086
	"$I" $args >"$T/u.out" 2>"$T/u.err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$T/u.err")" = 1 ] && [ ! -s "$T/u.out" ]; then pass; else
		fail "hotshim-install $args: exit $rc with $(wc -l <"$T/u.err") lines (want 2, one line)"
	fi
done

# not installed: update says so, --graceful says nothing
mkdir -p "$T/empty-esp"
if HOTSHIM_RELAX_ESP_CHECKS=1 "$I" update --esp "$T/empty-esp" --root "$R" --no-variables >"$T/g.out" 2>"$T/g.err"; then
	fail "hotshim-install update on an ESP without hotshim succeeded"
elif grep -qxF "hotshim-install: hotshim is not installed on $T/empty-esp (no /EFI/hotshim/installed): run hotshim-install install" "$T/g.err" &&
	HOTSHIM_RELAX_ESP_CHECKS=1 "$I" update --graceful --esp "$T/empty-esp" --root "$R" --no-variables >"$T/g.out" 2>&1 &&
	[ ! -s "$T/g.out" ] && [ -z "$(ls -A "$T/empty-esp")" ]; then
	pass
else
	fail "hotshim-install update where it is not installed (see $T/g.err, $T/g.out)"
fi

# remove: exactly what was there before install, the other loader's files,
# the administrator's hotshim.conf and the other entry kept
if inst remove >"$T/remove.out" 2>&1 && tree | cmp -s - "$T/before" &&
	[ "$(cd "$E" && find . | LC_ALL=C sort | tr '\n' ' ')" = ". ./EFI ./EFI/debian ./EFI/debian/grubx64.efi ./EFI/hotshim ./EFI/hotshim/hotshim.conf ./loader ./loader/entries ./loader/entries/other.conf " ]; then
	pass
else
	fail "hotshim-install remove did not give back the ESP as it was (see $T/remove.out)"
fi
# a loader.conf that was there stays the administrator's
printf 'default other.conf\n' >"$E/loader/loader.conf"
if inst install --kernels 1 >"$T/install2.out" 2>&1 &&
	grep -qxF 'kept /loader/loader.conf: not written by hotshim-install (its default decides)' "$T/install2.out" &&
	[ "$(cat "$E/loader/loader.conf")" = "default other.conf" ] &&
	inst status >"$T/status2.out" 2>&1 &&
	grep -qxF "entries: 2 in /loader/entries, the default is other.conf" "$T/status2.out" &&
	inst remove >"$T/remove2.out" 2>&1 && [ "$(cat "$E/loader/loader.conf")" = "default other.conf" ] &&
	[ ! -e "$E/loader/entries/hotshim-6.1.0-29-amd64.conf" ]; then
	pass
else
	fail "hotshim-install with the administrator's loader.conf (see $T/install2.out, $T/status2.out)"
fi
# on an empty ESP every directory is hotshim-install's; one the
# administrator put a file in stays, with that file
if HOTSHIM_RELAX_ESP_CHECKS=1 "$I" install --esp "$T/empty-esp" --root "$R" --efi build/hotshim.efi --no-variables >"$T/i3.out" 2>&1 &&
	printf 'command report\n' >"$T/empty-esp/EFI/hotshim/hotshim.conf" &&
	HOTSHIM_RELAX_ESP_CHECKS=1 "$I" remove --esp "$T/empty-esp" --no-variables >"$T/r3.out" 2>&1 &&
	grep -qxF "left /EFI/hotshim/: it holds what hotshim-install did not put there" "$T/r3.out" &&
	[ "$(cd "$T/empty-esp" && find . | LC_ALL=C sort | tr '\n' ' ')" = ". ./EFI ./EFI/hotshim ./EFI/hotshim/hotshim.conf " ]; then
	pass
else
	fail "hotshim-install remove on an ESP it made its directories on (see $T/r3.out)"
fi
# --shim and --sign: shim as shimx64.efi, hotshim signed with the machine
# owner's key as grubx64.efi beside it (shim's default second stage); the
# signed copy kept, so that update writes nothing new; the mokutil step
# printed; --no-shim --no-sign back to the plain layout
S=$T/shim-esp
mkdir -p "$S"
sinst() { HOTSHIM_RELAX_ESP_CHECKS=1 "$I" "$@" --esp "$S" --root "$R" --efi build/hotshim.efi --no-variables; }
cert=/usr/share/ovmf/PkKek-1-snakeoil.pem
if sinst install --kernels 1 --shim-efi build/sb/shimx64.efi --sign build/sb/snakeoil.key "$cert" \
	>"$T/shim.out" 2>&1 &&
	[ "$(cd "$S" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" = "./EFI/hotshim/6.1.0-29-amd64/initrd.img ./EFI/hotshim/6.1.0-29-amd64/vmlinuz ./EFI/hotshim/grubx64.efi ./EFI/hotshim/installed ./EFI/hotshim/mmx64.efi ./EFI/hotshim/shimx64.efi ./loader/entries/hotshim-6.1.0-29-amd64.conf ./loader/loader.conf " ] &&
	cmp -s "$S/EFI/hotshim/shimx64.efi" build/sb/shimx64.efi &&
	cmp -s "$S/EFI/hotshim/mmx64.efi" build/sb/mmx64.efi &&
	sbverify --cert "$cert" "$S/EFI/hotshim/grubx64.efi" >/dev/null 2>&1 &&
	cmp -s "$S/EFI/hotshim/grubx64.efi" "$R/var/lib/hotshim/hotshimx64.efi.signed" &&
	grep -qxF "shim $PWD/build/sb/shimx64.efi" "$S/EFI/hotshim/installed" &&
	grep -qxF "sign-key $PWD/build/sb/snakeoil.key" "$S/EFI/hotshim/installed" &&
	grep -qxF "sign-cert $cert" "$S/EFI/hotshim/installed" &&
	grep -qxF "no boot option made (--root): make one with efibootmgr --create --disk DISK --part N --loader '\\EFI\\hotshim\\shimx64.efi' --label hotshim" "$T/shim.out" &&
	grep -qxF "  openssl x509 -in $cert -outform DER -out /root/hotshim-mok.der" "$T/shim.out" &&
	grep -qxF "  mokutil --import /root/hotshim-mok.der" "$T/shim.out" &&
	sinst update >"$T/shim-update.out" 2>&1 &&
	grep -qxF "$S: 0 files written, 7 current, 0 removed; default entry hotshim-6.1.0-29-amd64.conf" "$T/shim-update.out" &&
	sinst status >"$T/shim-status.out" 2>&1 &&
	grep -qxF "boot loader: /EFI/hotshim/grubx64.efi is current" "$T/shim-status.out" &&
	grep -qxF "secure boot: started by shim (/EFI/hotshim/shimx64.efi, from $PWD/build/sb/shimx64.efi), signed with $cert" "$T/shim-status.out" &&
	sinst install --no-shim --no-sign >"$T/noshim.out" 2>&1 &&
	[ "$(cd "$S" && find EFI/hotshim -maxdepth 1 -type f | LC_ALL=C sort | tr '\n' ' ')" = "EFI/hotshim/hotshimx64.efi EFI/hotshim/installed " ] &&
	cmp -s "$S/EFI/hotshim/hotshimx64.efi" build/hotshim.efi &&
	! grep -q '^shim \|^sign-' "$S/EFI/hotshim/installed"; then
	pass
else
	fail "hotshim-install --shim/--sign (see $T/shim.out, $T/shim-update.out, $T/shim-status.out, $T/noshim.out)"
fi
tree >"$T/good"
refuse "hotshim-install: --sign $T/none.key: No such file or directory" \
	sinst install --sign "$T/none.key" "$cert"
refuse "hotshim-install: --shim-efi $T/none.efi: No such file or directory" \
	env HOTSHIM_RELAX_ESP_CHECKS=1 "$I" install --esp "$S" --root "$R" --efi build/hotshim.efi --no-variables --shim-efi "$T/none.efi"
echo "host: hotshim-install checks done"
