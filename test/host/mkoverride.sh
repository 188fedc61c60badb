# Sourced by test/check.sh: hotshim-mkoverride makes archives hotshim and
# Linux accept, and refuses what it cannot make valid.

M=build/host/hotshim-mkoverride
T=$LOG/mkoverride
mkdir -p "$T"

# firmware table to beat: two-nodes.aml (HSTEST/TWONODES, OEM revision 2)
fw=build/fixtures/two-nodes.aml
if "$M" --above "$fw" -o "$T/ovr.cpio" test/fixtures/override-two-nodes.asl >"$T/out" 2>&1 &&
	# exit 4: a table alone cannot tell whether node 1 will be removable
	{ build/host/hotshim-report --srat "$fw" --initrd "$T/ovr.cpio" >"$T/report"; [ $? = 4 ]; } &&
	grep -qxF "initrd $T/ovr.cpio: kernel/firmware/acpi/srat.aml at offset 0x208: override (OEM rev 3 > 2)" "$T/report" &&
	[ "$(cpio -it --quiet <"$T/ovr.cpio" | tr '\n' ' ')" = "kernel kernel/firmware kernel/firmware/acpi kernel/firmware/acpi/srat.aml " ]; then
	pass
else
	fail "hotshim-mkoverride: the override is not taken over $fw (see $T)"
fi

# mk_fail EXIT 'stderr line' args...
mk_fail() {
	local want_rc=$1 want=$2
	shift 2
	"$M" "$@" >"$T/stdout" 2>"$T/stderr"
	local rc=$? first
	first=$(head -n 1 "$T/stderr")
	if [ "$rc" -eq "$want_rc" ] && [ "$first" = "$want" ]; then pass; else
		fail "hotshim-mkoverride $*: exit $rc, '$first' (want $want_rc, '$want')"
	fi
}
head -c 100 "$fw" >"$T/cut.aml"
{ printf 'APIC'; tail -c +5 "$fw"; } >"$T/apic.aml"
printf 'this is not ASL\n' >"$T/bad.asl"
mk_fail 1 "hotshim-mkoverride: $T/cut.aml: header length 200 but only 100 bytes: the table is cut short" --no-firmware -o "$T/x" "$T/cut.aml"
mk_fail 1 "hotshim-mkoverride: $T/apic.aml: signature is \"APIC\", not \"SRAT\"" --no-firmware -o "$T/x" "$T/apic.aml"
mk_fail 1 "hotshim-mkoverride: --oem-revision 2 is not higher than the firmware's 2 ($fw): Linux would ignore the override" --above "$fw" --oem-revision 2 -o "$T/x" "$fw"
mk_fail 1 "hotshim-mkoverride: $T/none.aml: No such file or directory" --no-firmware "$T/none.aml"
mk_fail 2 "hotshim-mkoverride: unknown option '--frob'" --frob
mk_fail 2 "hotshim-mkoverride: no input table"
if "$M" --no-firmware -o "$T/x" "$T/bad.asl" 2>"$T/stderr"; then
	fail "hotshim-mkoverride: compiled garbage ASL"
elif grep -q "^hotshim-mkoverride: $T/bad.asl: iasl could not compile it" "$T/stderr"; then
	pass
else
	fail "hotshim-mkoverride: bad ASL not reported (see $T/stderr)"
fi
echo "host: hotshim-mkoverride checks done"
