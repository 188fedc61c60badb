/* Tests acpi/table.c: RSDP -> XSDT/RSDT -> table, on fake memory. */
#include "test/unit/helpers.h"
#include "acpi/table.h"

#define BASE 0x10000u
static uint8_t mem[0x1000];

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

static void test_xsdt(void **state)
{
	struct acpi_found f;
	struct acpi_warnings w = { .count = 0 };
	struct hs_err err;

	build(2);
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), 0);
	assert_int_equal(f.addr, BASE + 0x300);
	assert_int_equal(f.table.len, 48);
	assert_true(f.checksum_ok);
	assert_true(f.via_xsdt);
	assert_string_equal(f.hdr.oem_id, "HSTEST");
	assert_int_equal(w.count, 0);
	assert_int_equal(acpi_find_table(&phys, BASE, "SLIT", &f, &w, &err), -HS_ENOENT);
}

static void test_rsdt_and_warnings(void **state)
{
	struct acpi_found f;
	struct acpi_warnings w = { .count = 0 };
	struct hs_err err;

	build(0);
	mem[8] ^= 1;              /* RSDP checksum */
	mem[0x100 + 9] ^= 1;      /* RSDT checksum */
	mem[0x300 + 9] ^= 1;      /* SRAT checksum */
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), 0);
	assert_false(f.via_xsdt);
	assert_false(f.checksum_ok);
	assert_int_equal(w.count, 2);
	assert_string_equal(w.line[0], "RSDP at 0x10000: checksum of the first 20 bytes is wrong");
	assert_string_equal(w.line[1], "RSDT at 0x10100: checksum is wrong");
}

static void test_errors(void **state)
{
	struct acpi_found f;
	struct acpi_warnings w = { .count = 0 };
	struct hs_err err;

	build(2);
	assert_int_equal(acpi_find_table(&phys, 0x5000, "SRAT", &f, &w, &err), -HS_EIO);
	assert_string_equal(err.msg, "RSDP at 0x5000: address not readable");

	mem[0] = 'X';
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "RSDP at 0x10000: signature is not \"RSD PTR \"");

	build(2);
	put_le(mem + 0x104, 20, 4);
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "XSDT at 0x10100: header length 20 is not in [36, 67108864]");

	build(2);
	memcpy(mem + 0x100, "RSDT", 4);
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "XSDT at 0x10100: signature is \"RSDT\"");

	build(2);
	put_le(mem + 0x304, 0x10000, 4); /* SRAT claims 64 KiB: past readable memory */
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), -HS_EIO);
	assert_string_equal(err.msg, "XSDT entry 2: SRAT at 0x10300: 65536 bytes not readable");

	build(2);
	put_le(mem + 24, 0, 8); /* no XSDT address: fall back to the (absent) RSDT */
	sum_fix(mem, 36, 32);
	assert_int_equal(acpi_find_table(&phys, BASE, "SRAT", &f, &w, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "RSDP at 0x10000: no RSDT address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_rsdt_and_warnings),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("acpi/table", tests, NULL, NULL);
}
