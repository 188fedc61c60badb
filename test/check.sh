#!/bin/bash
# Runs every test and ends with one line: "N passed, M failed".
# Called by `make check` after everything is built.  For a quicker loop
# while working, ONLY=PATTERN runs just the unit tests, fuzz replays and
# scripts whose path contains PATTERN (make check ONLY=qemu/report); CI
# and the README's `make check` run everything.
set -u
cd "$(dirname "$0")/.."
export CORPUS=${CORPUS:-../shared/srat-corpus}
PASS=0
FAIL=0
FAILED=()
LOG=build/check
mkdir -p "$LOG"

pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); FAILED+=("$1"); echo "FAIL: $1"; }

# Unit tests: count cmocka's own test results.
only() { [ -z "${ONLY:-}" ] || [[ $1 == *"$ONLY"* ]]; }
for t in $(find build/test/unit -type f -perm -u+x | sort); do
	only "$t" || continue
	name=${t#build/test/unit/}
	out="$LOG/unit-${name//\//-}.log"
	"$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^\[       OK \]' "$out")
	f=$(grep -c '^\[  FAILED  \] [a-zA-Z_]' "$out")
	PASS=$((PASS + p))
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
		fail "unit $name ($f failed, exit $rc; see $out)"
		grep -E '^\[  (ERROR|FAILED|  LINE) ' "$out" | head -n 20
		grep -A5 'Sanitizer' "$out" | head -n 20
	fi
	echo "unit $name: $p passed"
done

# Fuzz corpora replayed under ASan/UBSan.
for f in build/fuzz/*; do
	only "$f" || continue
	n=$(basename "$f")
	dirs="test/fuzz/corpus/$n"
	case $n in srat|report) dirs="$dirs $CORPUS" ;; esac
	files=$(find $dirs -type f ! -name '*.txt' ! -name '*.dsl' ! -name '*.tsv' ! -name '*.md' | sort)
	if "$f" -runs=0 $files >"$LOG/fuzz-$n.log" 2>&1; then
		pass
		echo "fuzz replay $n: $(echo "$files" | wc -l) inputs"
	else
		fail "fuzz replay $n (see $LOG/fuzz-$n.log)"
		tail -n 20 "$LOG/fuzz-$n.log"
	fi
done

# For the QEMU tests: the runner's markers around each shell command.
Q=$LOG/qemu
mkdir -p "$Q"
# segment LOG N: what command N printed between the markers
segment() {
	sed -n "/^hotshim-run: begin $2\$/,/^hotshim-run: status $2 /p" "$1" | sed '1d;$d'
}
# status_of LOG N: the EFI status the shell recorded for command N
status_of() {
	sed -n "s/^hotshim-run: status $2 //p" "$1"
}

# Host tool and QEMU tests report through the same counters.
for s in test/host/*.sh test/qemu/*.test.sh; do
	[ -f "$s" ] || continue
	only "$s" || continue
	# shellcheck disable=SC1090
	. "$s"
done

echo
if [ "$FAIL" -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${FAILED[@]}"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
