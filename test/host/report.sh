# Sourced by test/check.sh: build/host/hotshim-report against the shared
# corpus (Linux's own lines) and on bad input.  Uses pass/fail.

R=build/host/hotshim-report
T=$LOG/host
mkdir -p "$T"

for aml in "$CORPUS"/*.aml; do
	n=$(basename "$aml" .aml)
	"$R" --srat "$aml" --linux >"$T/$n.out" 2>&1
	# Section 1 = Linux's "ACPI: " lines without the prefix.
	grep '^SRAT: Node ' "$T/$n.out" >"$T/$n.mem"
	grep '^ACPI: SRAT: Node ' "$CORPUS/$n.linux.txt" | sed 's/^ACPI: //' >"$T/$n.want-mem"
	sed -n '/^Linux 6.1 log lines for this SRAT:$/,/^end of Linux log lines$/p' "$T/$n.out" |
		sed '1d;$d' >"$T/$n.log"
	if cmp -s "$T/$n.mem" "$T/$n.want-mem" && cmp -s "$T/$n.log" "$CORPUS/$n.linux.txt" &&
		[ -s "$T/$n.mem" ]; then
		pass
	else
		fail "hotshim-report --srat $n: lines differ from Linux's"
		diff "$T/$n.log" "$CORPUS/$n.linux.txt" | head -n 5
	fi
done
echo "host: hotshim-report over $(ls "$CORPUS"/*.aml | wc -l) corpus tables"

# --json of every corpus table: valid against docs/report.schema.json (one
# run of the validator over all), its hot-pluggable bytes those of the text
# report; --prometheus parsed by prometheus_client
for aml in "$CORPUS"/*.aml; do
	n=$(basename "$aml" .aml)
	"$R" --srat "$aml" --json >"$T/$n.json" 2>&1
	"$R" --srat "$aml" --prometheus >"$T/$n.prom" 2>&1
done
if out=$(/usr/bin/python3 test/host/formats.py json "$T"/*.json) &&
	out=$(/usr/bin/python3 test/host/formats.py prometheus "$T"/*.prom); then pass; else
	fail "hotshim-report --json/--prometheus over the corpus: $(echo "$out" | grep -v ': ok$' | head -n 3)"
fi
bad=
for aml in "$CORPUS"/*.aml; do
	n=$(basename "$aml" .aml)
	t=$(sed -n 's/^hotpluggable: .* (\(0x[0-9a-f]*\) bytes) in .*/\1/p' "$T/$n.out")
	j=$(/usr/bin/python3 test/host/formats.py get "$T/$n.json" \
		'"%#x" % d["hotplug_bytes"] if d["srat"]["used"] else ""')
	p=$(sed -n 's/^hotshim_hotplug_bytes //p' "$T/$n.prom")
	[ "$t" = "$j" ] && [ "$((${t:-0}))" = "$p" ] || bad="$bad $n"
done
if [ -z "$bad" ]; then pass; else fail "hotshim-report: JSON or metrics differ from the text on:$bad"; fi

# CXL windows (test/fixtures/cxl/, QEMU 7.2's tables): the node Linux 6.1
# gives each, and the possible nodes its sysfs showed
C=test/fixtures/cxl
"$R" --srat "$C/qemu-cxl.srat" --cedt "$C/qemu-cxl.cedt" >"$T/cxl.out" 2>&1
"$R" --srat build/fixtures/qemu-cxl-overlap.aml --cedt "$C/overlap.cedt" >"$T/cxl-overlap.out" 2>&1
if grep -qx "Linux's possible nodes: $(cat test/qemu/ref/cxl.possible.txt)" "$T/cxl.out" &&
	grep -qx '   2     2     0      4 GiB          -          - | CXL window: possible, not online' "$T/cxl.out" &&
	grep -qx '  window 0 \[mem 0x190000000-0x28fffffff\] 4 GiB, 1-way, 256 B granules, type-2 type-3 volatile persistent, QTG 0, targets 0xc: node 2 (PXM 2), possible, not online until the CXL driver adds the memory' "$T/cxl.out" &&
	grep -qx "Linux's possible nodes: $(cat test/qemu/ref/cxl-overlap.possible.txt)" "$T/cxl-overlap.out" &&
	grep -q "^  window 0 .*: node 1's: an SRAT range overlaps it, and Linux stretches that node over the window$" "$T/cxl-overlap.out" &&
	grep -q '^  window 1 .*: node 2 (PXM 4), possible' "$T/cxl-overlap.out"; then pass; else
	fail "hotshim-report --cedt: CXL windows or nodes differ from Linux's (see $T/cxl.out, $T/cxl-overlap.out)"; fi
# a CEDT cut inside its window: the walk stops with one line, the report stands
head -c 100 "$C/qemu-cxl.cedt" >"$T/cut.cedt"
printf 'd' | dd of="$T/cut.cedt" bs=1 seek=4 conv=notrunc 2>/dev/null
"$R" --srat "$C/qemu-cxl.srat" --cedt "$T/cut.cedt" >"$T/cxl-cut.out" 2>&1
if grep -qx '  CEDT problem at offset 0x44: subtable length 40 runs past the table.s end' "$T/cxl-cut.out" &&
	grep -qx "Linux's possible nodes: 0-1" "$T/cxl-cut.out"; then pass; else
	fail "hotshim-report --cedt: a cut CEDT (see $T/cxl-cut.out)"; fi

# exit status: 4 when a table alone cannot tell (hot-pluggable nodes, no
# memory map), 3 when a hot-pluggable node is pinned anyway (VMware's node
# 0 holds Linux's own first 64 KiB), 0 when nothing is hot-pluggable
F=build/fixtures/two-nodes.aml
"$R" --srat "$F" >/dev/null 2>&1
rc1=$?
"$R" --srat "$CORPUS/vmware-efisrat-hotplug.aml" >/dev/null 2>&1
rc2=$?
"$R" --srat "$CORPUS/hp-dl360-g7-2s.aml" >/dev/null 2>&1
rc3=$?
"$R" --srat "$F" --json | grep -qx '  "hotplug_bytes": 2147483648, "hotplug_nodes": 1, "removable": null'
rc4=$?
if [ "$rc1" = 4 ] && [ "$rc2" = 3 ] && [ "$rc3" = 0 ] && [ "$rc4" = 0 ]; then pass; else
	fail "hotshim-report exit status: $rc1 $rc2 $rc3 (want 4 3 0), JSON removable line $rc4"; fi

# expect_fail EXIT 'stderr line' args...: exact exit code and one exact line.
expect_fail() {
	local want_rc=$1 want=$2
	shift 2
	"$R" "$@" >"$T/stdout" 2>"$T/stderr"
	local rc=$?
	local first
	first=$(head -n 1 "$T/stderr")
	if [ "$rc" -eq "$want_rc" ] && [ "$first" = "$want" ]; then
		pass
	else
		fail "hotshim-report $*: exit $rc, '$first' (want $want_rc, '$want')"
	fi
}

F=build/fixtures/two-nodes.aml
head -c 20 "$F" >"$T/short.aml"
head -c 100 "$F" >"$T/cut.aml"
{ printf 'APIC'; tail -c +5 "$F"; } >"$T/apic.aml"
expect_fail 1 "hotshim-report: $T/none.aml: No such file or directory" --srat "$T/none.aml"
expect_fail 1 "hotshim-report: file $T/short.aml: 20 bytes is too short for an ACPI table header (36)" --srat "$T/short.aml"
expect_fail 1 "hotshim-report: file $T/cut.aml: header length 200 but 100 bytes present" --srat "$T/cut.aml"
expect_fail 1 "hotshim-report: file $T/apic.aml: signature is \"APIC\", not \"SRAT\"" --srat "$T/apic.aml"
expect_fail 2 "hotshim-report: unknown option '--bogus'" --bogus
expect_fail 2 "hotshim-report: --srat needs a file name" --srat

expect_fail 1 "hotshim-report: $T/none.aml: No such file or directory" --srat "$F" --slit "$T/none.aml"
expect_fail 2 "hotshim-report: --slit needs a file name" --srat "$F" --slit
expect_fail 2 "hotshim-report: --json and --prometheus exclude each other" --json --prometheus
rm -f "$T/fifo" && mkfifo "$T/fifo"
expect_fail 1 "hotshim-report: $T/fifo: not a regular file, and --output replaces the file it names" --srat "$F" --output "$T/fifo"
expect_fail 1 "hotshim-report: $F: not a whole CEDT table (200 bytes, signature \"SRAT\")" --srat "$F" --cedt "$F"
expect_fail 2 "hotshim-report: --root needs a directory" --root
expect_fail 1 "hotshim-report: $T/no/such/dir/x.prom: No such file or directory" --srat "$F" --prometheus --output "$T/no/such/dir/x.prom"

# Node distances from a SLIT, against iasl's own decoding of it: two-nodes'
# node 0 is PXM 5 and node 1 PXM 2 (its CPU entries name them in that
# order), so Linux takes row 5 column 2 and row 2 column 5.
S=build/fixtures/slit-six.aml
rm -rf "$T/slit" && mkdir -p "$T/slit" && cp "$S" "$T/slit/" && (cd "$T/slit" && iasl -d slit-six.aml >/dev/null 2>&1)
hexdec() { printf '%d' "0x$1"; }
want_d=$(printf '0 10 %d\n1 %d 10' "$(hexdec "$(sed -n 's/.*Locality *5 : //p' "$T/slit/slit-six.dsl" | cut -d' ' -f3)")" \
	"$(hexdec "$(sed -n 's/.*Locality *2 : //p' "$T/slit/slit-six.dsl" | cut -d' ' -f6)")")
got_d=$("$R" --srat "$F" --slit "$S" | sed -n '/^node distances (SLIT, 6 localities):$/,/^$/p' |
	sed -n 's/^ *\([0-9]*\): */\1 /p' | tr -s ' ')
if [ "$got_d" = "$want_d" ] && [ "$want_d" = "$(printf '0 10 31\n1 42 10')" ]; then pass; else
	fail "hotshim-report --slit: distances '$got_d', iasl -d says '$want_d'"
fi
# a locality 11 from itself: Linux's slit_valid() refuses the table
python3 - "$S" "$T/slit-bad.aml" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[44 + 1 * 6 + 1] = 11
b[9] = 0
b[9] = (-sum(b)) & 0xff
open(sys.argv[2], "wb").write(b)
PY
got_d=$("$R" --srat "$F" --slit "$T/slit-bad.aml" | sed -n '/^node distances/,/^$/p')
if [ "$got_d" = "$(printf '%s\n' 'node distances (SLIT not used, SLIT table looks invalid. Not used. (locality 1 to 1 is 11); Linux uses 10 within a node, 20 between):' 'node   0   1' '  0:  10  20' '  1:  20  10')" ]; then
	pass
else
	fail "hotshim-report --slit (invalid): got '$got_d'"
fi

if "$R" --help | head -n 1 | grep -qx 'usage: hotshim-report \[--srat FILE \[--slit FILE\] \[--cedt FILE\]\] \[--initrd FILE \[--secure-boot\]\] \[--linux\]'; then
	pass
else
	fail "hotshim-report --help: no usage line"
fi
echo "host: hotshim-report bad-input and usage checks done"
