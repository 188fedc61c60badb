# Sourced by test/check.sh: hotshim-report's after-boot part on copies of a
# running machine's /sys and /proc (--root), built here in the shapes Linux
# 6.1 writes them (drivers/base/memory.c, node.c): the SRAT of
# test/fixtures/two-nodes.asl (node 1 hot-pluggable at 4-6 GiB, blocks
# 32-47 of 128 MiB), its memory map, each block's state and valid_zones,
# the node links and /proc/cmdline.  Each case checks the one-line verdict,
# the exit status, the JSON against docs/report.schema.json and the
# Prometheus text with prometheus_client.  The same is proven on Debian's
# kernel in test/qemu/linux.test.sh.  Uses pass/fail.

R=build/host/hotshim-report
T=$LOG/after-boot
rm -rf "$T"
mkdir -p "$T"

# sysroot DIR CMDLINE ZONES...: ZONES is one word per block 32..47,
# "Movable", "Normal", "none" or "offline"; "-" for no blocks at all.
# NO_HOT_RAM=1: the firmware's map has no RAM at 4-6 GiB (an empty slot)
sysroot() {
	local d=$1 cmdline=$2 b=32
	shift 2
	mkdir -p "$d/sys/firmware/acpi/tables" "$d/sys/devices/system/memory" \
		"$d/sys/devices/system/node/node0" "$d/sys/devices/system/node/node1" "$d/proc"
	cp build/fixtures/two-nodes.aml "$d/sys/firmware/acpi/tables/SRAT"
	echo "$cmdline" >"$d/proc/cmdline"
	echo 8000000 >"$d/sys/devices/system/memory/block_size_bytes"
	echo offline >"$d/sys/devices/system/memory/auto_online_blocks"
	local i=0 range
	local hot="0x100000000 0x17fffffff System RAM"
	[ -n "${NO_HOT_RAM:-}" ] && hot="0x100000000 0x17fffffff Reserved"
	for range in "0x0 0x9ffff System RAM" "0x100000 0x7fffffff System RAM" "$hot"; do
		mkdir -p "$d/sys/firmware/memmap/$i"
		read -r s e t <<<"$range"
		echo "$s" >"$d/sys/firmware/memmap/$i/start"
		echo "$e" >"$d/sys/firmware/memmap/$i/end"
		echo "$t" >"$d/sys/firmware/memmap/$i/type"
		i=$((i + 1))
	done
	for z in $(seq 0 15); do # node 0: blocks 0-15, kernel memory
		mkdir -p "$d/sys/devices/system/memory/memory$z"
		echo online >"$d/sys/devices/system/memory/memory$z/state"
		echo Normal >"$d/sys/devices/system/memory/memory$z/valid_zones"
		ln -s "../../memory/memory$z" "$d/sys/devices/system/node/node0/memory$z"
	done
	for z in "$@"; do
		[ "$z" = - ] && break
		local m=$d/sys/devices/system/memory/memory$b
		mkdir -p "$m"
		if [ "$z" = offline ]; then
			echo offline >"$m/state"
			echo "Movable Normal" >"$m/valid_zones"
		else
			echo online >"$m/state"
			echo "$z" >"$m/valid_zones"
		fi
		ln -s "../../memory/memory$b" "$d/sys/devices/system/node/node1/memory$b"
		b=$((b + 1))
	done
}

# check NAME STATUS 'verdict line' [LoaderInfo]
check() {
	local n=$1 want_rc=$2 want=$3 rc
	"$R" --root "$T/$n" >"$T/$n.txt" 2>&1
	rc=$?
	local got
	got=$(sed -n 's/^node 1: \(\(NOT \)\{0,1\}removable: .*\)$/\1/p' "$T/$n.txt")
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then pass; else
		fail "after-boot $n: exit $rc, verdict '$got' (want $want_rc, '$want'; see $T/$n.txt)"; fi
	"$R" --root "$T/$n" --json >"$T/$n.json" 2>&1
	rc=$?
	local j
	if j=$(/usr/bin/python3 test/host/formats.py json "$T/$n.json") && [ "$rc" = "$want_rc" ] &&
		[ "$(/usr/bin/python3 test/host/formats.py get "$T/$n.json" \
			'[n["verdict"] for n in d["running"]["nodes"]]')" = "[\"$want\"]" ]; then pass; else
		fail "after-boot $n --json: exit $rc: $j"; fi
	"$R" --root "$T/$n" --prometheus --output "$T/$n.prom" >"$T/$n.stdout" 2>&1
	rc=$?
	local p r=1
	case $want in NOT*) r=0 ;; esac
	if p=$(/usr/bin/python3 test/host/formats.py prometheus "$T/$n.prom") && [ "$rc" = "$want_rc" ] &&
		[ ! -s "$T/$n.stdout" ] && grep -qx "hotshim_node_removable{node=\"1\"} $r" "$T/$n.prom" &&
		grep -qx "hotshim_removable $r" "$T/$n.prom"; then pass; else
		fail "after-boot $n --prometheus: exit $rc: $p"; fi
}

M="Movable Movable Movable Movable Movable Movable Movable Movable"
N="Normal Normal Normal Normal Normal Normal Normal Normal"
O="offline offline offline offline offline offline offline offline"

sysroot "$T/movable" "root=/dev/sda1 movable_node" $M $M
check movable 0 "removable: 16 of 16 memory blocks (32-47) online, all in zone Movable"

sysroot "$T/no-movable-node" "root=/dev/sda1" $N $N
check no-movable-node 3 "NOT removable: memory blocks 32-47 are in zone Normal (16 of 16 blocks outside zone Movable): movable_node is not on the kernel command line"

# a block across two zones: valid_zones says "none", and Linux cannot offline it
sysroot "$T/spans" "movable_node" $M none Movable Movable Movable Movable Movable Movable Movable
check spans 3 "NOT removable: memory block 40 is in more than one zone or node (1 of 16 blocks outside zone Movable): Linux cannot offline such a block"

sysroot "$T/half-offline" "movable_node" $O $M
check half-offline 0 "removable: 8 of 16 memory blocks (32-47) online, all in zone Movable"

sysroot "$T/all-offline" "movable_node" $O $O
check all-offline 0 "removable: its 16 memory blocks (32-47) are offline"

# SRAT room for memory not plugged in yet
NO_HOT_RAM=1 sysroot "$T/empty" "movable_node" -
check empty 0 "removable: none of its memory is present (room for memory added later)"

# numa=off: node 1's RAM is there, its blocks belong to node 0
sysroot "$T/numa-off" "movable_node numa=off" -
for b in $(seq 32 47); do
	mkdir -p "$T/numa-off/sys/devices/system/memory/memory$b"
	echo online >"$T/numa-off/sys/devices/system/memory/memory$b/state"
	echo Normal >"$T/numa-off/sys/devices/system/memory/memory$b/valid_zones"
	ln -s "../../memory/memory$b" "$T/numa-off/sys/devices/system/node/node0/memory$b"
done
check numa-off 3 "NOT removable: the firmware's map has RAM in the node, but Linux shows no memory block in node 1 (NUMA off, or the node's memory went to another node)"

# Started by hotshim (LoaderInfo), yet in zone Normal: kernel memory
sysroot "$T/hotshim-normal" "movable_node" $N $N
mkdir -p "$T/hotshim-normal/sys/firmware/efi/efivars"
printf '\006\000\000\000h\000o\000t\000s\000h\000i\000m\000 \0000\000.\0001\000\000\000' \
	>"$T/hotshim-normal/sys/firmware/efi/efivars/LoaderInfo-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
check hotshim-normal 3 "NOT removable: memory blocks 32-47 are in zone Normal (16 of 16 blocks outside zone Movable): Linux placed kernel memory in the node at boot"

# without hotshim (no LoaderInfo), the reason names the firmware's memory
sysroot "$T/stub-normal" "movable_node" $N $N
check stub-normal 3 "NOT removable: memory blocks 32-47 are in zone Normal (16 of 16 blocks outside zone Movable): Linux reserved memory in the node at boot; without hotshim, the firmware's boot-services memory there stays reserved"

# the text part in full, once
cat >"$T/movable.want" <<'WANT'

What Linux did with each hot-pluggable node (this running kernel: movable_node on, 128 MiB memory blocks, started without hotshim):
node 1: removable: 16 of 16 memory blocks (32-47) online, all in zone Movable
node 1:   blocks 32-47 online in zone Movable: can go offline
WANT
if sed -n '/^What Linux did/,$p' "$T/movable.txt" | cat <(echo) - | cmp -s - "$T/movable.want"; then pass; else
	fail "after-boot movable: the after-boot part differs"
	sed -n '/^What Linux did/,$p' "$T/movable.txt" | diff - "$T/movable.want" | head
fi
