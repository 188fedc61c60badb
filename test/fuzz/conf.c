/* libFuzzer: any bytes as hotshim.conf. */
#include "core/cli.h"
#include "test/fuzz/mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli c, merged = { .cmd = CLI_USAGE };
	struct hs_err err;

	if (conf_parse((const char *)data, size, "hotshim.conf", &c, &err) == 0) {
		cli_merge(&merged, &c);
		if (merged.ninitrd > CLI_MAX_INITRDS || merged.modules > CLI_MAX_MODULES)
			__builtin_trap();
		for (unsigned i = 0; i < merged.ninitrd; i++)
			if (hs_strlen(merged.initrd[i]) >= CLI_MAX_PATH || !merged.initrd[i][0])
				__builtin_trap();
	}
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	static const char *const keys[] = {
		"command", "kernel", "initrd", "module", "cmdline", "linux-log", "paging", "#", "srat",
		"pxm", "quiet",
	};

	return mut_lines(data, size, max, seed, keys, sizeof(keys) / sizeof(keys[0]));
}
