/*
 * libFuzzer: the input is physical memory starting at address 0x1000;
 * the RSDP sits at its start.  Every pointer the tables hold is followed
 * only through the bounded map().
 */
#include "acpi/table.h"

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
	struct mem m = { data, size };
	struct hs_phys phys = { map, &m };
	struct acpi_found f;
	struct acpi_warnings w = { .count = 0 };
	struct hs_err err;

	if (acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err) == 0 &&
	    (f.table.len < ACPI_HDR_LEN || f.table.len != f.hdr.length))
		__builtin_trap();
	/* the boot logo as the survey reads it: table, then the BMP header */
	uint64_t img;
	if (acpi_find_table(&phys, BASE, "BGRT", &f, &w, &err) == 0 &&
	    acpi_bgrt_image(f.table, &img, &err) == 0) {
		if (!img)
			__builtin_trap();
		const void *h = map(&m, img, 6);
		if (h)
			acpi_bmp_size((struct hs_view){ h, 6 });
	}
	return 0;
}
