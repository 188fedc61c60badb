# Sourced by test/check.sh: the tree keeps its shape (test/host/layers.py):
# includes run efi/ -> core/ -> acpi/, x86/ -> lib/, no two files call
# each other.  Uses pass/fail.

if python3 test/host/layers.py >"$LOG/layers.log" 2>&1; then pass; else
	fail "layers: the tree's shape is broken (see $LOG/layers.log)"
	grep -v ' -> ' "$LOG/layers.log" | head -n 10
fi
echo "host: layers checked"
