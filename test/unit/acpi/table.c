/* Tests acpi/table.c: RSDP -> XSDT/RSDT -> table, on fake memory. */
/* links: acpi/table.c lib/fmt.c */
#include "test/unit/acpi_builder.h"
#include "acpi/table.h"

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
