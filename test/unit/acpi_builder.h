/* Shared by the acpi/ unit tests: fake physical memory at BASE holding an
 * RSDP, a root table (XSDT or RSDT) and two tables, built by build(). */
#ifndef HS_TEST_ACPI_BUILDER_H
#define HS_TEST_ACPI_BUILDER_H

#include "test/unit/helpers.h"

#define BASE 0x10000u
static uint8_t mem[0x2000];

static const void *fake_map(void *ctx, uint64_t addr, size_t len)
{
	if (addr < BASE || addr - BASE > sizeof(mem) || len > sizeof(mem) - (addr - BASE))
		return NULL;
	return mem + (addr - BASE);
}

static const struct hs_phys phys = { fake_map, NULL };

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void sum_fix(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)(0 - s);
}

static void header(uint8_t *p, const char *sig, uint32_t len)
{
	memcpy(p, sig, 4);
	put_le(p + 4, len, 4);
	p[8] = 1;
	memcpy(p + 10, "HSTEST", 6);
	memcpy(p + 16, "TABLE   ", 8);
	sum_fix(p, len, 9);
}

/* Layout: RSDP @0, root @0x100, APIC @0x200, SRAT @0x300 (48 bytes). */
static void build(uint8_t rev)
{
	memset(mem, 0, sizeof(mem));
	memcpy(mem + 0x200, "APIC", 4);
	header(mem + 0x200, "APIC", 44);
	header(mem + 0x300, "SRAT", 48);
	uint8_t *r = mem + 0x100;
	if (rev >= 2) {
		put_le(r + 36, 0, 8); /* a null entry is skipped */
		put_le(r + 44, BASE + 0x200, 8);
		put_le(r + 52, BASE + 0x300, 8);
		header(r, "XSDT", 60);
	} else {
		put_le(r + 36, BASE + 0x200, 4);
		put_le(r + 40, BASE + 0x300, 4);
		header(r, "RSDT", 44);
	}
	memcpy(mem, "RSD PTR ", 8);
	memcpy(mem + 9, "HSTEST", 6);
	mem[15] = rev;
	put_le(mem + 16, rev >= 2 ? 0 : BASE + 0x100, 4);
	sum_fix(mem, 20, 8);
	if (rev >= 2) {
		put_le(mem + 20, 36, 4);
		put_le(mem + 24, BASE + 0x100, 8);
		sum_fix(mem, 36, 32);
	}
}

#endif
