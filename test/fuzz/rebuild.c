/*
 * libFuzzer: the input is physical memory from 0x1000 with the RSDP at its
 * start (as for acpi_walk); the XSDT rebuilt from it must be as long as it
 * says, checksum to zero, and fit the buffer.
 */
#include "acpi/rebuild.h"

#define BASE 0x1000u

struct mem {
	const uint8_t *p;
	size_t n;
};

static const void *map(void *ctx, uint64_t addr, size_t len)
{
	struct mem *m = ctx;

	if (addr < BASE || addr - BASE > m->n || len > m->n - (addr - BASE))
		return NULL;
	return m->p + (addr - BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t xsdt[ACPI_XSDT_LEN(ACPI_REBUILD_MAX_ENTRIES)];
	uint8_t rsdp[ACPI_RSDP_V2_LEN];
	struct mem m = { data, size };
	struct hs_phys phys = { map, &m };
	struct hs_err err;
	size_t len;

	if (acpi_rebuild(&phys, BASE, "SRAT", 0x7000000, xsdt, sizeof(xsdt), 0x8000000, rsdp, &len,
			 &err) < 0)
		return 0;
	if (len < ACPI_HDR_LEN || len > sizeof(xsdt) || acpi_sum(xsdt, len) ||
	    acpi_sum(rsdp, ACPI_RSDP_V1_LEN) || acpi_sum(rsdp, ACPI_RSDP_V2_LEN))
		__builtin_trap();
	return 0;
}
