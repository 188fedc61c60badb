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

if "$R" --help | head -n 1 | grep -qx 'usage: hotshim-report \[--srat FILE\] \[--initrd FILE \[--secure-boot\]\] \[--linux\]'; then
	pass
else
	fail "hotshim-report --help: no usage line"
fi
echo "host: hotshim-report bad-input and usage checks done"
