/* Tests acpi/rebuild.c: the rebuilt RSDP/XSDT, read back by acpi/table.c's
 * own walk (which checks every checksum). */
/* links: acpi/rebuild.c acpi/table.c lib/fmt.c */
#include "test/unit/acpi_builder.h"
#include "acpi/rebuild.h"

#define NEW_TABLE (BASE + 0x400)
#define NEW_RSDP (BASE + 0x800)
#define NEW_XSDT (BASE + 0x840)

static void rebuild_and_walk(uint8_t rev, const char *sig, uint64_t want_srat)
{
	uint8_t rsdp[ACPI_RSDP_V2_LEN];
	size_t len;
	struct hs_err err;
	struct acpi_found f;
	struct acpi_warnings w = { .count = 0 };

	build(rev);
	header(mem + 0x400, "SRAT", 48);
	assert_int_equal(acpi_rebuild(&phys, BASE, sig, NEW_TABLE, mem + 0x840, 0x800, NEW_XSDT, rsdp,
				      &len, &err), 0);
	memcpy(mem + 0x800, rsdp, sizeof(rsdp));
	assert_int_equal(acpi_find_table(&phys, NEW_RSDP, "SRAT", &f, &w, &err), 0);
	assert_int_equal(w.count, 0);
	assert_true(f.checksum_ok);
	assert_true(f.via_xsdt);
	assert_int_equal(f.rsdp_revision, 2);
	assert_int_equal(f.addr, want_srat);
	/* the other tables are still listed */
	assert_int_equal(acpi_find_table(&phys, NEW_RSDP, "APIC", &f, &w, &err), 0);
	assert_int_equal(f.addr, BASE + 0x200);
	assert_memory_equal(mem + 0x800 + 9, "HSTEST", 6);
}

static void test_replace(void **state)
{
	/* XSDT firmware: the SRAT entry now points at the new table */
	rebuild_and_walk(2, "SRAT", NEW_TABLE);
	assert_int_equal(mem[0x840 + 4], 60); /* same entry count: 3 */
	/* RSDT-only firmware: entries widened to 64 bits */
	rebuild_and_walk(0, "SRAT", NEW_TABLE);
	assert_int_equal(mem[0x840 + 4], 52);
	/* no such table in the firmware's list: appended, the old SRAT stays
	 * first (so the walker still finds that one) */
	rebuild_and_walk(2, "SLIT", BASE + 0x300);
	assert_int_equal(mem[0x840 + 4], 68);
}

static void test_refusals(void **state)
{
	uint8_t rsdp[ACPI_RSDP_V2_LEN], xsdt[64];
	size_t len;
	struct hs_err err;

	build(2);
	assert_int_equal(acpi_rebuild(&phys, BASE, "SRAT", NEW_TABLE, xsdt, sizeof(xsdt), NEW_XSDT,
				      rsdp, &len, &err), -HS_ENOSPC);
	assert_string_equal(err.msg, "XSDT at 0x10100: 3 entries do not fit the rebuilt XSDT");
	memcpy(mem, "RSD PTX ", 8);
	assert_int_equal(acpi_rebuild(&phys, BASE, "SRAT", NEW_TABLE, xsdt, sizeof(xsdt), NEW_XSDT,
				      rsdp, &len, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "RSDP at 0x10000: signature is not \"RSD PTR \"");
	build(2);
	put_le(mem + 0x100 + 4, 0x100000, 4); /* root length beyond memory */
	assert_int_equal(acpi_rebuild(&phys, BASE, "SRAT", NEW_TABLE, xsdt, sizeof(xsdt), NEW_XSDT,
				      rsdp, &len, &err), -HS_EIO);
	assert_string_equal(err.msg, "XSDT at 0x10100: 1048576 bytes not readable");
	build(2);
	memcpy(mem + 0x100, "RSDT", 4);
	assert_int_equal(acpi_rebuild(&phys, BASE, "SRAT", NEW_TABLE, xsdt, sizeof(xsdt), NEW_XSDT,
				      rsdp, &len, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "XSDT at 0x10100: signature is \"RSDT\"");
}

/* A bad RSDP checksum is what every reader of acpi/table.c treats as a
 * warning (Linux does not check an RSDP that EFI hands over): the rebuilt
 * RSDP carries a right one. */
static void test_bad_rsdp_checksum(void **state)
{
	uint8_t rsdp[ACPI_RSDP_V2_LEN];
	size_t len;
	struct hs_err err;

	build(2);
	mem[8] ^= 1;
	header(mem + 0x400, "SRAT", 48);
	assert_int_equal(acpi_rebuild(&phys, BASE, "SRAT", NEW_TABLE, mem + 0x840, 0x800, NEW_XSDT,
				      rsdp, &len, &err), 0);
	assert_int_equal(acpi_sum(rsdp, ACPI_RSDP_V1_LEN), 0);
	assert_int_equal(acpi_sum(rsdp, ACPI_RSDP_V2_LEN), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bad_rsdp_checksum),
	};
	return cmocka_run_group_tests_name("acpi/rebuild", tests, NULL, NULL);
}
