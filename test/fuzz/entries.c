/*
 * libFuzzer: any bytes as a Type #1 entry and as loader.conf; the version
 * order and globs over pieces of the input.  The order must be a total
 * order (antisymmetric, reflexive), an accepted entry must have a kernel,
 * and a string with no glob character must match itself.
 */
#include "core/entries.h"
#include "test/fuzz/mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct entry e;
	struct entry_notes n;
	struct loader_conf lc;
	struct hs_err err = { "" };
	char a[48], b[48];

	if (entry_parse((const char *)data, size, "f+2-1.conf", &e, &n, &err) == 0) {
		if (!e.kernel[0] || e.ninitrd > CLI_MAX_INITRDS || e.kernel[0] != '\\')
			__builtin_trap();
	} else if (!err.msg[0]) {
		__builtin_trap();
	}
	loader_conf_parse((const char *)data, size, "loader.conf", &lc, &n, &err);
	size_t h = HS_MIN(size / 2, sizeof(a) - 1), k = HS_MIN(size - size / 2, sizeof(b) - 1);
	hs_memcpy(a, data, h);
	a[h] = '\0';
	hs_memcpy(b, data + size / 2, k);
	b[k] = '\0';
	int x = entry_vercmp(a, b), y = entry_vercmp(b, a);
	if (x != -y || entry_vercmp(a, a) != 0 || x < -1 || x > 1)
		__builtin_trap();
	bool special = false;
	for (size_t i = 0; a[i]; i++)
		special |= a[i] == '*' || a[i] == '?' || a[i] == '[' || a[i] == '\\';
	if (!special && !entry_glob(a, a))
		__builtin_trap();
	entry_glob(a, b);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	static const char *const keys[] = {
		"title", "version", "machine-id", "sort-key", "architecture", "linux", "initrd",
		"options", "efi", "devicetree", "#", "default", "timeout", "console-mode", "editor",
		"auto-entries", "auto-firmware", "random-seed-mode",
	};

	return mut_lines(data, size, max, seed, keys, sizeof(keys) / sizeof(keys[0]));
}
