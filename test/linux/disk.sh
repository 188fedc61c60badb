#!/bin/bash
# Builds build/linux/disk/disk.img, a raw GPT disk of a small Debian 12-like
# machine, without loop mounts (sfdisk, mkfs.fat + mtools, mke2fs -d, each
# at its offset in the one file; under fakeroot when not root):
#
#   test/linux/disk.sh GUEST_INIT_SCRIPT [EXTRA_DIR]
#
# GUEST_INIT_SCRIPT becomes the root's /sbin/init (run by dash); EXTRA_DIR's
# contents are copied into the root, owned by root (e.g. root/hello.deb).
#   disk GUID    0B0075A1-E5F0-4E5A-9D1B-5EC0FFEE0000
#   partition 1  ESP, FAT32, 200 MiB, PARTUUID 0B0075A1-E5F0-4E5A-9D1B-5EC0FFEE0001:
#                Debian's GRUB (grub-mkimage) as \EFI\BOOT\BOOTX64.EFI and
#                \EFI\debian\grubx64.efi, finding the root as grub-install's does
#   partition 2  ext4 root, 400 MiB, PARTUUID 0B0075A1-E5F0-4E5A-9D1B-5EC0FFEE0002,
#                file system UUID 0b0075a1-e5f0-4e5a-9d1b-5ec0ffee2000: merged
#                /usr; Debian's kernel (build/linux/vmlinuz) and a busybox
#                initrd in /boot, /vmlinuz and /initrd.img links, grub.cfg;
#                the ESP's and efivarfs' modules; the host's files of
#                busybox-static, libc-bin, dpkg, dash, efibootmgr and their
#                dependencies, recorded in /var/lib/dpkg, so that `dpkg -i`
#                installs a package depending on them.
# The image is built (about 3 s) into pristine.img only when an input
# changed (this script, the init, EXTRA_DIR, the kernel, the host packages);
# every run copies it to disk.img (under a second), so every caller starts
# from a fresh disk, and boots after that keep what the guest wrote.
set -euo pipefail
if ! { [ $# = 1 ] || { [ $# = 2 ] && [ -d "$2" ]; }; } || [ ! -f "$1" ]; then
	echo "usage: test/linux/disk.sh GUEST_INIT_SCRIPT [EXTRA_DIR]" >&2; exit 2
fi
self=$(realpath "$0")
init=$(realpath "$1")
extra=${2:+$(realpath "$2")}
cd "$(dirname "$self")/../.."
out=build/linux/disk
if [ -z "${FAKEROOTKEY:-}" ]; then
	tools/deps.sh grub-efi-amd64-bin grub-common fdisk e2fsprogs efibootmgr fakeroot
	test/linux/fetch.sh
	# the files' owners go into the image: fake them as root's
	[ "$(id -u)" = 0 ] || exec fakeroot -- "$self" "$init" ${extra:+"$extra"}
fi
DISK_GUID=0B0075A1-E5F0-4E5A-9D1B-5EC0FFEE0000
ESP_UUID=0B0075A1-E5F0-4E5A-9D1B-5EC0FFEE0001 ROOT_UUID=0B0075A1-E5F0-4E5A-9D1B-5EC0FFEE0002
FS_UUID=0b0075a1-e5f0-4e5a-9d1b-5ec0ffee2000
CMDLINE="root=/dev/sda2 console=ttyS0 panic=-1 rw quiet"
ESP_MIB=200 ROOT_MIB=400
VER=$(sed 's/^linux-image-//; s/ .*//' build/linux/vmlinuz.version)
# Debian's signed GRUB's modules, less file systems and crypto unused here
GRUB_MODULES="part_gpt part_msdos fat ext2 normal configfile search search_fs_uuid
search_fs_file search_label linux boot echo test ls cat minicmd sleep reboot halt
loadenv gzio all_video efi_gop font gfxterm"

# closure PKG...: the installed packages PKG... need (Pre-Depends and
# Depends; of alternatives the first; architecture qualifiers dropped)
closure() {
	local todo=" $* " seen=" " p
	while [ -n "${todo// /}" ]; do
		read -r p todo <<<"$todo"
		case $seen in *" $p "*) continue ;; esac
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || continue
		seen="$seen$p "
		todo="$todo $(dpkg-query -W -f='${Pre-Depends}, ${Depends}' "$p" |
			tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:[a-z0-9]*//; s/ //g' | tr '\n' ' ')"
	done
	echo "$seen"
}
# dash as /bin/sh, as on Debian: Debian's busybox sh prefers its own
# applets to PATH (FEATURE_SH_STANDALONE), so under it a script's `dpkg`,
# `dpkg-deb` or `tar` would be busybox's, which lack most options
pkgs=$(closure busybox-static libc-bin dpkg dash efibootmgr)

mkdir -p "$out"
stamp=$({
	sha256sum "$self" "$init" test/linux/offline-block.sh build/linux/vmlinuz build/linux/modules/load-order
	cat build/linux/vmlinuz.version
	[ -z "$extra" ] || (cd "$extra" && find . -printf '%p %m %l\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
	# shellcheck disable=SC2086
	dpkg-query -W $pkgs grub-efi-amd64-bin grub-common
} | sha256sum | cut -d' ' -f1)
fresh() { cp --sparse=always "$out/pristine.img" "$out/disk.img.part" && mv "$out/disk.img.part" "$out/disk.img"; }
if [ -s "$out/pristine.img" ] && [ "$(cat "$out/pristine.stamp" 2>/dev/null)" = "$stamp" ]; then
	fresh
	exit 0
fi
start=$(date +%s)
w=$(mktemp -d "$out/work.XXXXXX")
trap 'rm -rf "$w"' EXIT
root=$w/root
mkdir -p "$root"/usr/{bin,sbin,lib,lib64}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
mkdir -p "$root"/{dev,proc,sys,run,mnt,home,boot/efi,boot/grub,etc/kernel,var/log}
install -d -m 1777 "$root/tmp" "$root/var/tmp"
install -d -m 700 "$root/root"

# The packages' files and directories as dpkg -L lists them on this machine,
# through the merged-/usr links (the host's /lib etc. are links too: left
# out); directories made first, with their modes (tar as non-root could not
# read /var/cache/ldconfig, mode 700)
# shellcheck disable=SC2086
dpkg-query -L $pkgs | LC_ALL=C sort -u | grep -vxE '/\.|/(bin|sbin|lib|lib32|lib64|libx32)' >"$w/files"
while read -r f; do
	if [ -d "$f" ] && [ ! -L "$f" ]; then install -d -m "$(stat -c %a "$f")" "$root$f"; fi
done <"$w/files"
while read -r f; do
	if [ -L "$f" ] || { [ -e "$f" ] && [ ! -d "$f" ]; }; then echo "${f#/}"; fi
done <"$w/files" | tar -C / -cf - --no-recursion -T - | tar -C "$root" -xpf - --keep-directory-symlink
# busybox applets for all no package brought (mount, modprobe, sed, ...)
busybox --list-full | while read -r a; do
	case $a in sbin/init | linuxrc) continue ;; esac
	[ -e "$root/$a" ] || [ -L "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

# dpkg's database: the host's records of exactly these packages
db=$root/var/lib/dpkg
mkdir -p "$db"/{info,updates,triggers,alternatives,parts} "$root/etc/alternatives"
: >"$db/available"; : >"$db/statoverride"; : >"$db/triggers/Unincorp"
WANT='BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) k[w[i]] = 1 }'
awk -v want="$pkgs" "$WANT"' BEGIN { RS = ""; ORS = "\n\n" }
	match($0, /^Package: [^\n]*/) && (substr($0, 10, RLENGTH - 9) in k)' /var/lib/dpkg/status >"$db/status"
# diversions come in threes: path, diverted-to path, package (dash's /bin/sh)
awk -v want="$pkgs" "$WANT"' { l[NR % 3] = $0 } NR % 3 == 0 && ($0 in k) { print l[1]; print l[2]; print }' \
	/var/lib/dpkg/diversions >"$db/diversions"
# format 1: "libc6:amd64.list" for Multi-Arch: same packages (without it
# dpkg looks for libc6.list)
cp /var/lib/dpkg/info/format "$db/info/"
for p in $pkgs; do
	for f in /var/lib/dpkg/info/"$p".* /var/lib/dpkg/info/"$p":*.*; do [ ! -e "$f" ] || cp -p "$f" "$db/info/"; done
done
# trigger interests (file: "PATH PKG[/noawait]", named: "PKG[/noawait]")
# of these packages only, so libc-bin still runs ldconfig for a new library
for t in /var/lib/dpkg/triggers/*; do
	n=${t##*/}
	case $n in Lock | Unincorp) continue ;; esac
	awk -v want="$pkgs" "$WANT"'{ p = $NF; sub(/[\/:].*/, "", p) } p in k' "$t" >"$db/triggers/$n"
	[ -s "$db/triggers/$n" ] || [ "$n" = File ] || rm "$db/triggers/$n"
done

cp /usr/lib/os-release "$root/usr/lib/os-release"
ln -sf ../usr/lib/os-release "$root/etc/os-release"
echo 0b0075a1e5f04e5a9d1b5ec0ffee0000 >"$root/etc/machine-id"
echo "$CMDLINE" >"$root/etc/kernel/cmdline"
echo hotshim-disk >"$root/etc/hostname"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"
install -m 755 "$init" "$root/sbin/init"
install -m 644 test/linux/offline-block.sh "$root/offline-block.sh" # the guests' shared helper
[ -z "$extra" ] || tar -C "$extra" --owner=0 --group=0 -cf - . |
	tar -C "$root" -xpf - --keep-directory-symlink --no-overwrite-dir

# kernel, modules for the booted root (ESP, efivarfs), Debian's links
mkdir -p "$root/lib/modules/$VER"
cp -r build/linux/modules/kernel "$root/lib/modules/$VER/"
busybox depmod -b "$root" "$VER"
cp build/linux/vmlinuz "$root/boot/vmlinuz-$VER"
ln -s "boot/vmlinuz-$VER" "$root/vmlinuz"
ln -s "boot/initrd.img-$VER" "$root/initrd.img"

# initrd: what initramfs-tools does for this disk, in busybox sh
ird=$w/initrd
mkdir -p "$ird"/{bin,dev,proc,sys,root,modules}
cp /bin/busybox "$ird/bin/"
mknod -m 600 "$ird/dev/console" c 5 1
python3 test/linux/modules.py build/linux/modules ahci sd_mod ext4 crc32c_generic >"$ird/modules/load-order"
while read -r m; do cp build/linux/modules/"$m" "$ird/modules/${m##*/}"; done <"$ird/modules/load-order"
cat >"$ird/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc && mount -t sysfs sys /sys && mount -t devtmpfs dev /dev
root=/dev/sda2 mode=ro init=/sbin/init
for w in $(cat /proc/cmdline); do
	case $w in root=*) root=${w#root=} ;; rw | ro) mode=$w ;; init=*) init=${w#init=} ;; esac
done
# ext4 and jbd2 only name crc32c as "softdep=pre: crypto-crc32c", which
# modules.py does not follow: crc32c_generic is in the list by name
while read -r m; do insmod "/modules/${m##*/}" || echo "initrd: insmod $m failed"; done </modules/load-order
for i in $(seq 100); do [ -b "$root" ] && break; sleep 0.1; done
mount -t ext4 -o "$mode" "$root" /root || { echo "initrd: cannot mount $root"; exit 1; }
umount /proc /sys
mount --move /dev /root/dev
exec switch_root /root "$init"
INIT
chmod 755 "$ird/init"
(cd "$ird" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet --reproducible) >"$root/boot/initrd.img-$VER"
cat >"$root/boot/grub/grub.cfg" <<EOF
set default=0
set timeout=0
menuentry 'Debian GNU/Linux' {
	echo 'Loading Linux $VER ...'
	linux /vmlinuz $CMDLINE
	echo 'Loading initial ramdisk ...'
	initrd /initrd.img
}
EOF

# GRUB: the early config Debian's grub-install embeds; the normal module
# then reads \$prefix/grub.cfg by itself
cat >"$w/early.cfg" <<EOF
search.fs_uuid $FS_UUID root hd0,gpt2
set prefix=(\$root)'/boot/grub'
EOF
# shellcheck disable=SC2086
grub-mkimage -O x86_64-efi -p /boot/grub -c "$w/early.cfg" -o "$w/grubx64.efi" $GRUB_MODULES

# the disk: partition table, then each file system in place
img=$w/disk.img
truncate -s $((1 + ESP_MIB + ROOT_MIB + 1))M "$img"
sfdisk --quiet "$img" <<EOF
label: gpt
label-id: $DISK_GUID
first-lba: 2048
start=1MiB, size=${ESP_MIB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$ESP_UUID, name="EFI System Partition"
start=$((1 + ESP_MIB))MiB, size=${ROOT_MIB}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$ROOT_UUID, name="root"
EOF
# 512-byte clusters: FAT32 needs 65525 or more (mkfs.fat's "block count
# mismatch" only means the file is larger than this partition)
mkfs.fat -F 32 -s 1 --offset 2048 -h 2048 -i 0B0075A1 "$img" $((ESP_MIB * 1024)) >"$w/log" 2>&1 || { cat "$w/log"; exit 1; }
export MTOOLS_SKIP_CHECK=1
esp="$img@@$((1024 * 1024))"
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/EFI/debian
mcopy -i "$esp" "$w/grubx64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$w/grubx64.efi" ::/EFI/debian/grubx64.efi
mke2fs -q -F -t ext4 -T default -U "$FS_UUID" -L root -E offset=$(((1 + ESP_MIB) * 1024 * 1024)) \
	-d "$root" "$img" "${ROOT_MIB}M"
mv "$img" "$out/pristine.img"
echo "$stamp" >"$out/pristine.stamp"
fresh
echo "disk: $out/disk.img ($VER, $(du -h "$out/disk.img" | cut -f1) of $((2 + ESP_MIB + ROOT_MIB)) MiB used) in $(($(date +%s) - start)) s"
