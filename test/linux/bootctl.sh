#!/bin/bash
# Builds build/linux/bootctl-initramfs.cpio: a busybox initramfs with
# Debian 12's own bootctl and systemd-bless-boot (package systemd-boot,
# apt-get download, with libsystemd-shared and the libraries they link),
# the modules that reach the ESP (build/linux/modules/, test/linux/fetch.sh)
# and efivarfs.  Its /init mounts both, prints what bootctl says, does what
# the kernel command line asks (hotshim.bless=good|bad,
# hotshim.oneshot=ID), offlines every memory block of the nodes other than
# 0, prints the counts, and powers off.  Needs root and busybox-static.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/linux/bootctl-initramfs.cpio
sd=build/linux/systemd-boot
mkdir -p "$sd"
if [ ! -x "$sd/usr/bin/bootctl" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download systemd-boot libsystemd-shared >/dev/null 2>&1) || {
		apt-get update -qq >/dev/null 2>&1 || true
		(cd "$tmp" && apt-get download systemd-boot libsystemd-shared >/dev/null 2>&1)
	} || { echo "bootctl: apt-get download systemd-boot libsystemd-shared failed" >&2; exit 1; }
	for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$sd"; done
	rm -rf "$tmp"
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,boot/efi,modules,usr/bin,lib/systemd,lib64}
cp /bin/busybox "$root/bin/busybox"
cp "$sd/usr/bin/bootctl" "$root/usr/bin/"
cp "$sd/lib/systemd/systemd-bless-boot" "$root/lib/systemd/"
libdir=$sd/usr/lib/x86_64-linux-gnu/systemd
# every library they link, from this machine (tools/deps.sh installs them)
for lib in $(LD_LIBRARY_PATH=$libdir ldd "$sd/usr/bin/bootctl" "$sd/lib/systemd/systemd-bless-boot" |
	awk '/not found/ { print "MISSING:" $1 } $3 ~ /^\// { print $3 } $1 ~ /^\/lib64/ { print $1 }' | sort -u); do
	case $lib in MISSING:*) echo "bootctl: library ${lib#MISSING:} not found" >&2; exit 1 ;; esac
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
mkdir -p "$root/usr/lib/x86_64-linux-gnu/systemd"
cp "$libdir"/libsystemd-shared-*.so "$root/usr/lib/x86_64-linux-gnu/systemd/"
cp -r build/linux/modules/. "$root/modules/"
mknod -m 600 "$root/dev/console" c 5 1
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin SYSTEMD_RELAX_ESP_CHECKS=1
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r m; do insmod "/modules/$m" 2>/dev/null || echo "hotshim-e2e: insmod $m failed"; done </modules/load-order
mount -t efivarfs efivarfs /sys/firmware/efi/efivars
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/sda ] && break; sleep 1; done
mount -t vfat /dev/sda /boot/efi || echo "hotshim-e2e: no ESP at /dev/sda"
echo "hotshim-e2e: start"
echo "hotshim-e2e: cmdline $(cat /proc/cmdline)"
# the boot-loader interface as the kernel sees it: 4 bytes of attributes,
# then UTF-16 (LoaderFeatures and the like print as bytes)
for v in /sys/firmware/efi/efivars/Loader*-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f; do
	[ -e "$v" ] || continue
	n=${v##*/}
	case $n in LoaderFeatures-*) continue ;; esac
	echo "hotshim-e2e: efivar ${n%%-*} $(tail -c +5 "$v" | tr -d '\000')"
done
bootctl status --no-pager 2>&1 | sed 's/^/hotshim-bootctl: /'
bootctl list --no-pager 2>&1 | sed 's/^/hotshim-bootctl-list: /'
for w in $(cat /proc/cmdline); do
	case $w in
	hotshim.bless=*) /lib/systemd/systemd-bless-boot "${w#hotshim.bless=}" 2>&1 | sed 's/^/hotshim-e2e: bless: /'
		echo "hotshim-e2e: blessed ${w#hotshim.bless=}" ;;
	hotshim.oneshot=*) bootctl set-oneshot "${w#hotshim.oneshot=}" 2>&1 | sed 's/^/hotshim-e2e: oneshot: /'
		echo "hotshim-e2e: oneshot set to ${w#hotshim.oneshot=}" ;;
	esac
done
umount /boot/efi
sync
. /offline-block.sh
for n in /sys/devices/system/node/node[0-9]*; do
	node=${n##*node}
	[ "$node" = 0 ] && continue
	total=0; ok=0
	for m in "$n"/memory[0-9]*; do
		[ -e "$m/state" ] || continue
		total=$((total + 1))
		if offline_block "$m"; then ok=$((ok + 1)); fi
	done
	echo "hotshim-e2e: node $node offlined $ok of $total blocks"
done
echo "hotshim-e2e: done"
poweroff -f
INIT
chmod +x "$root/init"
cp test/linux/offline-block.sh "$root/offline-block.sh"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) >"$out.part"
mv "$out.part" "$out"
echo "bootctl: $(du -h "$out" | cut -f1) initramfs with $("$sd/usr/bin/bootctl" --version 2>/dev/null | head -n 1 || echo bootctl)"
