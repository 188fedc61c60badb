/* libFuzzer: any bytes as hotshim.conf. */
#include "core/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli c, merged = { .cmd = CLI_USAGE };
	struct hs_err err;

	if (conf_parse((const char *)data, size, "hotshim.conf", &c, &err) == 0) {
		cli_merge(&merged, &c);
		if (hs_strlen(merged.initrd) >= CLI_MAX_PATH)
			__builtin_trap();
	}
	return 0;
}
