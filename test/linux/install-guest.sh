#!/bin/sh
# /sbin/init of the Debian-like disk test/qemu/install.test.sh boots four
# times (test/linux/disk.sh builds it; /root holds hotshim's .deb and the
# SRAT override): each boot does the next stage, counted on the root file
# system, prints what it finds as "hotshim-e2e: ..." lines, and powers off.
#   1 (GRUB)     a "debian" boot option as Debian's installer leaves it;
#                dpkg -i hotshim (no boot option may change); a refusal for
#                lack of room on the ESP; hotshim-install --override (BootNext)
#   2 (hotshim)  the trial boot: entry, variables, node 1 offlined;
#                --default; a new kernel announced through postinst.d
#   3 (hotshim)  the new kernel's entry; an initrd rebuilt (post-update.d);
#                the old kernel removed (postrm.d); hotshim-install remove
#   4 (GRUB)     the machine as before install
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
say() { echo "hotshim-e2e: $*"; }
# run WHAT CMD...: CMD's output, each line as "hotshim-e2e: WHAT: ...",
# then "hotshim-e2e: WHAT: status N"
run() {
	what=$1
	shift
	{
		"$@" 2>&1
		echo "status $?"
	} | sed "s|^|hotshim-e2e: $what: |"
}
efivar() { # NAME: a systemd boot-loader interface variable (UTF-16) as text
	f=/sys/firmware/efi/efivars/$1-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
	if [ -e "$f" ]; then tail -c +5 "$f" | tr -d '\000'; else echo "(none)"; fi
}
esp_tree() { (cd /boot/efi && find . | LC_ALL=C sort | tr '\n' ' '); }
. /offline-block.sh
offline_node1() {
	total=0 ok=0
	for m in /sys/devices/system/node/node1/memory[0-9]*; do
		[ -e "$m/state" ] || continue
		total=$((total + 1))
		if offline_block "$m"; then ok=$((ok + 1)); fi
	done
	say "node 1 offlined $ok of $total blocks"
}
booted() {
	say "cmdline $(cat /proc/cmdline)"
	say "LoaderInfo $(efivar LoaderInfo)"
	say "LoaderEntrySelected $(efivar LoaderEntrySelected)"
	say "LoaderDevicePartUUID $(efivar LoaderDevicePartUUID)"
	say "BootCurrent $(efibootmgr | sed -n 's/^BootCurrent: //p')"
}

mount -t proc proc /proc
mount -t sysfs sys /sys
[ -e /dev/sda ] || mount -t devtmpfs dev /dev
mount -t tmpfs tmpfs /run
for m in efivarfs vfat nls_cp437 nls_ascii nls_utf8; do
	modprobe "$m" || say "modprobe $m failed"
done
mount -t efivarfs efivarfs /sys/firmware/efi/efivars || say "no efivarfs"
mount -t vfat /dev/sda1 /boot/efi || say "no ESP at /dev/sda1"
mkdir -p /var/lib/hotshim-test
stage=$(($(cat /var/lib/hotshim-test/stage 2>/dev/null || echo 0) + 1))
echo "$stage" >/var/lib/hotshim-test/stage
VER=$(uname -r)
NEW=6.1.0-999-amd64
say "stage $stage"
booted

case $stage in
1)
	run create efibootmgr --create --disk /dev/sda --part 1 --loader '\EFI\debian\grubx64.efi' --label debian
	(cd /boot/efi && md5sum EFI/BOOT/BOOTX64.EFI EFI/debian/grubx64.efi) >/var/lib/hotshim-test/grub.md5
	efibootmgr -v >/var/lib/hotshim-test/nvram-before
	grep -v '^BootCurrent' /var/lib/hotshim-test/nvram-before >/var/lib/hotshim-test/nvram-before.cmp
	run dpkg-i dpkg -i /root/hotshim_0.1.0_amd64.deb
	say "dpkg status $(dpkg-query -W -f='${Status} ${Version}' hotshim)"
	if efibootmgr -v | cmp -s - /var/lib/hotshim-test/nvram-before && [ ! -e /boot/efi/EFI/hotshim ]; then
		say "the package changed no boot option and no ESP file"
	fi
	# two kernels too big for the ESP together: refused before any write
	for v in 6.1.0-997-amd64 6.1.0-998-amd64; do
		cp "/boot/vmlinuz-$VER" "/boot/vmlinuz-$v"
		truncate -s 120M "/boot/vmlinuz-$v"
	done
	run full hotshim-install --override /root/srat-override.aml
	say "esp after the refusal: $(esp_tree)"
	rm -f /boot/vmlinuz-6.1.0-997-amd64 /boot/vmlinuz-6.1.0-998-amd64
	run install hotshim-install --override /root/srat-override.aml
	run efibootmgr efibootmgr -v
	run status hotshim-install status
	;;
2)
	offline_node1
	run status hotshim-install status
	run default hotshim-install --default
	run efibootmgr efibootmgr -v
	# a kernel package's postinst: files in /boot, Debian's links, the hooks
	cp "/boot/vmlinuz-$VER" "/boot/vmlinuz-$NEW"
	cp "/boot/initrd.img-$VER" "/boot/initrd.img-$NEW"
	ln -sfn "boot/vmlinuz-$NEW" /vmlinuz
	ln -sfn "boot/initrd.img-$NEW" /initrd.img
	run postinst run-parts --arg="$NEW" --arg="/boot/vmlinuz-$NEW" /etc/kernel/postinst.d
	say "entries $(ls /boot/efi/loader/entries | tr '\n' ' ')"
	;;
3)
	offline_node1
	# update-initramfs -u: a rebuilt initrd (zeros after a newc archive are
	# padding to the kernel), then post-update.d
	head -c 4096 /dev/zero >>"/boot/initrd.img-$NEW"
	run post-update run-parts --arg="$NEW" --arg="/boot/initrd.img-$NEW" /etc/initramfs/post-update.d
	if cmp -s "/boot/initrd.img-$NEW" "/boot/efi/EFI/hotshim/$NEW/initrd.img"; then
		say "the ESP's initrd is the rebuilt one"
	fi
	# the old kernel package removed: its files gone, then postrm.d
	rm "/boot/vmlinuz-$VER" "/boot/initrd.img-$VER"
	run postrm run-parts --arg="$VER" --arg="/boot/vmlinuz-$VER" /etc/kernel/postrm.d
	say "entries $(ls /boot/efi/loader/entries | tr '\n' ' ')"
	run remove hotshim-install remove
	run efibootmgr efibootmgr -v
	say "esp after remove: $(esp_tree)"
	if (cd /boot/efi && md5sum -c /var/lib/hotshim-test/grub.md5 >/dev/null 2>&1); then
		say "GRUB's files are as they were"
	fi
	;;
4)
	run efibootmgr efibootmgr -v
	if efibootmgr -v | grep -v '^BootCurrent' | cmp -s - /var/lib/hotshim-test/nvram-before.cmp; then
		say "the boot options are as they were before install"
	fi
	;;
esac
sync
umount /boot/efi
umount /sys/firmware/efi/efivars
mount -o remount,ro /
say "stage $stage done"
poweroff -f
