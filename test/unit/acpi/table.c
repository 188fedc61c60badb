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

/* The BGRT as Linux 6.1's efi_bgrt_init() takes it, each refusal named */
static void test_bgrt(void **state)
{
	static uint8_t t[ACPI_BGRT_LEN];
	struct hs_view v = { t, sizeof(t) };
	struct hs_err err = { "" };
	uint64_t a = 0;

	memset(t, 0, sizeof(t));
	memcpy(t, "BGRT", 4);
	put_le(t + 4, ACPI_BGRT_LEN, 4);
	put_le(t + 36, 1, 2);
	t[38] = 1; /* displayed */
	put_le(t + 40, 0x7e000000, 8);
	assert_int_equal(acpi_bgrt_image(v, &a, &err), 0);
	assert_int_equal(a, 0x7e000000);
	put_le(t + 36, 2, 2);
	assert_int_equal(acpi_bgrt_image(v, &a, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "BGRT: version 2 (Linux takes 1)");
	put_le(t + 36, 1, 2);
	t[38] = 2;
	assert_int_equal(acpi_bgrt_image(v, &a, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "BGRT: reserved status bits set");
	t[38] = 0;
	t[39] = 1;
	assert_int_equal(acpi_bgrt_image(v, &a, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "BGRT: image type 1 (Linux takes 0, a BMP)");
	t[39] = 0;
	put_le(t + 40, 0, 8);
	assert_int_equal(acpi_bgrt_image(v, &a, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "BGRT: no image address");
	put_le(t + 40, 0x7e000000, 8);
	put_le(t + 4, ACPI_BGRT_LEN - 1, 4);
	assert_int_equal(acpi_bgrt_image(v, &a, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "BGRT: shorter than 56 bytes");
	put_le(t + 4, ACPI_BGRT_LEN, 4);
	assert_int_equal(acpi_bgrt_image((struct hs_view){ t, ACPI_BGRT_LEN - 1 }, &a, &err),
			 -HS_EINVAL);

	static const uint8_t bmp[] = { 'B', 'M', 0x36, 0x10, 0x0e, 0x00 };
	assert_int_equal(acpi_bmp_size((struct hs_view){ bmp, sizeof(bmp) }), 0xe1036);
	assert_int_equal(acpi_bmp_size((struct hs_view){ bmp, 5 }), 0);
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', 0, 0 };
	assert_int_equal(acpi_bmp_size((struct hs_view){ png, sizeof(png) }), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bgrt),
		cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_rsdt_and_warnings),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("acpi/table", tests, NULL, NULL);
}
