#!/bin/bash
# Records what Debian's Linux 6.1 prints about the SRAT on each QEMU machine
# of test/qemu/machines/, as the reference hotshim's report is compared to.
#
#   test/qemu/linux-ref.sh [NAME...]     (default: every machine)
#
# Boots OVMF (the same firmware the hotshim tests use) with QEMU's -kernel,
# so the kernel starts through its EFI stub, with a busybox initramfs that
# prints the kernel log's SRAT lines on the serial console and powers off.
# Writes test/qemu/ref/NAME.linux.txt (the SRAT lines, minus the two that
# only say where QEMU put the table), NAME.linux-full.txt (every line
# the init script kept, for reference) and NAME.distance.txt (each node's
# sysfs distance line, after its number) and NAME.possible.txt (sysfs's
# possible nodes).  When NAME.initrd exists, the cpio
# it names (build/initrd/, from test/initrd/build.sh) goes in front of the
# initramfs: Linux then takes the SRAT override in it.  Needs root (mknod for the
# initramfs) and the Debian archive (apt-get download).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
cache=$top/build/linux
mkdir -p "$cache" test/qemu/ref

# the same kernel make check boots through hotshim
test/linux/fetch.sh
echo "linux-ref: kernel $(cat "$cache/vmlinuz.version")"

# busybox initramfs: /init prints the SRAT-related log lines, then powers off
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys}
cp /bin/busybox "$root/bin/busybox"
mknod -m 600 "$root/dev/console" c 5 1
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys
echo "hotshim-e2e: start"
dmesg | head -n 1 | sed 's/^\[[^]]*\] //' | sed 's/^/hotshim-e2e: first: /'
dmesg | grep -E 'SRAT|SLIT|memblk|NUMA|proximity|e820|efi: mem|OVERRIDE|Table Upgrade|initrd' | sed 's/^\[[^]]*\] //' | sed 's/^/hotshim-e2e: dmesg: /'
for d in /sys/devices/system/node/node*/distance; do
	n=${d%/distance}; echo "hotshim-e2e: distance: ${n##*/node} $(cat "$d")"
done
echo "hotshim-e2e: possible: $(cat /sys/devices/system/node/possible)"
echo "hotshim-e2e: done"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) >"$cache/initrd-srat.img"

names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(ls test/qemu/machines/ | sed -n 's/\.args$//p'))
for n in "${names[@]}"; do
	log=$cache/$n.serial.log
	initrd=$cache/initrd-srat.img
	if [ -f "test/qemu/machines/$n.initrd" ]; then
		# an SRAT override in front of the initramfs, as a user would do
		initrd=$cache/initrd-$n.img
		cat "$(cat "test/qemu/machines/$n.initrd")" "$cache/initrd-srat.img" >"$initrd"
	fi
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$cache/vars.fd"
	start=$(date +%s)
	# shellcheck disable=SC2046
	timeout 300 qemu-system-x86_64 -machine q35 -accel tcg -cpu max \
		$(grep -v '^#' "test/qemu/machines/$n.args") \
		-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive if=pflash,format=raw,unit=1,file="$cache/vars.fd" \
		-kernel "$cache/vmlinuz" -initrd "$initrd" \
		-append 'console=ttyS0 log_buf_len=4M' \
		-display none -serial stdio -monitor none -no-reboot -net none </dev/null >"$log" 2>&1 || true
	tr -d '\r' <"$log" >"$log.txt"
	grep -q '^hotshim-e2e: done' "$log.txt" || { echo "linux-ref: $n did not finish (see $log)" >&2; exit 1; }
	grep -q '^hotshim-e2e: first: Linux version' "$log.txt" || { echo "linux-ref: $n: log wrapped" >&2; exit 1; }
	sed -n 's/^hotshim-e2e: dmesg: //p' "$log.txt" >"test/qemu/ref/$n.linux-full.txt"
	# node N's distances to every node, as /sys/devices/system/node/nodeN/distance
	sed -n 's/^hotshim-e2e: distance: //p' "$log.txt" | sort -n >"test/qemu/ref/$n.distance.txt"
	# the nodes Linux counts as possible (CXL windows' among them)
	sed -n 's/^hotshim-e2e: possible: //p' "$log.txt" >"test/qemu/ref/$n.possible.txt"
	grep SRAT "test/qemu/ref/$n.linux-full.txt" |
		grep -v -E '^ACPI: SRAT 0x[0-9A-F]+ [0-9A-F]+ \(v|^ACPI: Reserving SRAT table memory' \
		>"test/qemu/ref/$n.linux.txt" || true
	echo "linux-ref: $n: $(wc -l <"test/qemu/ref/$n.linux.txt") SRAT lines, $(($(date +%s) - start)) s"
done
