/* libFuzzer: any bytes as an SRAT, parsed as Linux would. */
#include "acpi/srat.h"

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srat_mem mem[64];
	struct srat_result r = { .mem = mem, .mem_cap = 64 };
	struct srat_opts o = { .x2apic_mode = size & 1 };
	struct hs_sink sink = { discard, NULL };

	srat_parse((struct hs_view){ data, size }, &o, &r, &sink);
	if (r.node_count > SRAT_MAX_PXM || (r.used && r.accepted == 0))
		__builtin_trap();
	return 0;
}
