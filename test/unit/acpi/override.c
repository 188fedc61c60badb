/* Tests acpi/override.c: Linux 6.1's acpi_table_upgrade() verdicts. */
/* links: acpi/override.c acpi/table.c lib/cpio.c lib/fmt.c */
#include "test/unit/cpio_builder.h"
#include "acpi/override.h"

static struct cb c;
static struct ovr_result r;
static uint8_t t[256];

static const struct acpi_header fw = {
	.sig = "SRAT", .length = 48, .revision = 3, .oem_id = "BOCHS ",
	.oem_table_id = "BXPC    ", .oem_revision = 1,
};

static void add_table(const char *name, const char *sig, uint32_t len, const char *oem,
		      const char *tid, uint32_t rev)
{
	make_table(t, sig, len, oem, tid, rev);
	cb_file(&c, name, t, len);
}

static void select_(bool locked, bool have_fw)
{
	ovr_select((struct hs_view){ c.b, c.len }, "SRAT", have_fw ? &fw : NULL, locked, &r);
}

static void expect(unsigned i, const char *name, enum ovr_verdict v, const char *why)
{
	char buf[300];

	assert_true(i < r.count);
	assert_string_equal(r.c[i].name, name);
	assert_int_equal(r.c[i].verdict, v);
	ovr_describe(&r.c[i], &fw, buf, sizeof(buf));
	assert_string_equal(buf, why);
}

static void test_each_verdict(void **state)
{
	memset(&c, 0, sizeof(c));
	cb_file(&c, "kernel/firmware/acpi/tiny.aml", "SRAT", 4);
	add_table("kernel/firmware/acpi/what.aml", "ABCD", 48, "BOCHS ", "BXPC    ", 2);
	make_table(t, "SRAT", 48, "BOCHS ", "BXPC    ", 2);
	cb_file(&c, "kernel/firmware/acpi/long.aml", t, 52);
	make_table(t, "SRAT", 48, "BOCHS ", "BXPC    ", 2);
	t[40] ^= 1;
	cb_file(&c, "kernel/firmware/acpi/sum.aml", t, 48);
	add_table("kernel/firmware/acpi/apic.aml", "APIC", 44, "BOCHS ", "BXPC    ", 1);
	add_table("kernel/firmware/acpi/same.aml", "SRAT", 48, "BOCHS ", "BXPC    ", 1);
	add_table("kernel/firmware/acpi/ids.aml", "SRAT", 48, "OTHER ", "BXPC    ", 9);
	add_table("kernel/firmware/acpi/srat.aml", "SRAT", 48, "BOCHS ", "BXPC    ", 2);
	add_table("kernel/firmware/acpi/late.aml", "SRAT", 48, "BOCHS ", "BXPC    ", 3);
	add_table("kernel/firmware/other/x.aml", "SRAT", 48, "BOCHS ", "BXPC    ", 7); /* not under the path */
	cb_trailer(&c);
	select_(false, true);

	assert_int_equal(r.count, 9);
	expect(0, "kernel/firmware/acpi/tiny.aml", OVR_TOO_SMALL,
	       "rejected: 4 bytes, smaller than an ACPI header");
	expect(1, "kernel/firmware/acpi/what.aml", OVR_UNKNOWN_SIG, "rejected: unknown signature \"ABCD\"");
	expect(2, "kernel/firmware/acpi/long.aml", OVR_BAD_LENGTH,
	       "rejected: file length 52 does not match table length 48");
	expect(3, "kernel/firmware/acpi/sum.aml", OVR_BAD_CHECKSUM, "rejected: bad checksum");
	expect(4, "kernel/firmware/acpi/apic.aml", OVR_OTHER_TABLE,
	       "APIC table, not the one this report reads");
	expect(5, "kernel/firmware/acpi/same.aml", OVR_NOT_HIGHER,
	       "rejected: not a higher OEM revision (1 <= 1)");
	expect(6, "kernel/firmware/acpi/ids.aml", OVR_OTHER_IDS,
	       "ignored: OEM ID \"OTHER \" / table ID \"BXPC    \" differ from the firmware's "
	       "\"BOCHS \" / \"BXPC    \" (Linux installs it beside, and reads the firmware's)");
	expect(7, "kernel/firmware/acpi/srat.aml", OVR_CHOSEN, "override (OEM rev 2 > 1)");
	expect(8, "kernel/firmware/acpi/late.aml", OVR_SHADOWED,
	       "ignored: an earlier file already takes the table's place");
	assert_int_equal(r.chosen, 7);
	assert_int_equal(r.stop, CPIO_STOP_END);

	/* Linux's own lines for the same initrd */
	struct outbuf *o = outbuf_new();
	ovr_linux_log(&r, "SRAT", false, &o->sink);
	assert_string_equal(o->text,
		"ACPI: ACPI OVERRIDE: Table smaller than ACPI header [kernel/firmware/acpi/tiny.aml]\n"
		"ACPI: ACPI OVERRIDE: Unknown signature [kernel/firmware/acpi/what.aml]\n"
		"ACPI: ACPI OVERRIDE: File length does not match table length [kernel/firmware/acpi/long.aml]\n"
		"ACPI: ACPI OVERRIDE: Bad table checksum [kernel/firmware/acpi/sum.aml]\n"
		"ACPI: APIC ACPI table found in initrd [kernel/firmware/acpi/apic.aml][0x2c]\n"
		"ACPI: SRAT ACPI table found in initrd [kernel/firmware/acpi/same.aml][0x30]\n"
		"ACPI: SRAT ACPI table found in initrd [kernel/firmware/acpi/ids.aml][0x30]\n"
		"ACPI: SRAT ACPI table found in initrd [kernel/firmware/acpi/srat.aml][0x30]\n"
		"ACPI: SRAT ACPI table found in initrd [kernel/firmware/acpi/late.aml][0x30]\n"
		"ACPI: Table Upgrade: override [SRAT-BOCHS -BXPC    ]\n");
}

static void test_no_firmware_table(void **state)
{
	memset(&c, 0, sizeof(c));
	add_table("kernel/firmware/acpi/a.aml", "SRAT", 48, "ANY   ", "TABLE   ", 0);
	add_table("kernel/firmware/acpi/b.aml", "SRAT", 48, "ANY   ", "TABLE   ", 5);
	select_(false, false);
	assert_int_equal(r.chosen, 0);
	assert_int_equal(r.c[0].verdict, OVR_INSTALLED);
	assert_int_equal(r.c[1].verdict, OVR_SHADOWED);
}

static void test_secure_boot(void **state)
{
	memset(&c, 0, sizeof(c));
	add_table("kernel/firmware/acpi/srat.aml", "SRAT", 48, "BOCHS ", "BXPC    ", 2);
	add_table("kernel/firmware/acpi/apic.aml", "APIC", 44, "BOCHS ", "BXPC    ", 2);
	select_(true, true);
	assert_int_equal(r.chosen, -1);
	expect(0, "kernel/firmware/acpi/srat.aml", OVR_SECURE_BOOT,
	       "refused under Secure Boot (Linux's lockdown ignores table overrides)");
	assert_int_equal(r.c[1].verdict, OVR_SECURE_BOOT);
	struct outbuf *o = outbuf_new();
	ovr_linux_log(&r, "SRAT", true, &o->sink);
	assert_string_equal(o->text,
		"ACPI: SRAT ACPI table found in initrd [kernel/firmware/acpi/srat.aml][0x30]\n"
		"ACPI: APIC ACPI table found in initrd [kernel/firmware/acpi/apic.aml][0x2c]\n"
		"ACPI: kernel is locked down, ignoring table override\n");
}

/* Linux looks at 64 files under the path, taken or not, then stops; the
 * name in its messages keeps 17 characters past the path. */
static void test_limits(void **state)
{
	char name[80];

	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "kernel/firmware/acpi/bad%02d.aml", i);
		cb_file(&c, name, "x", 1);
	}
	add_table("kernel/firmware/acpi/a-rather-long-file-name.aml", "SRAT", 48, "BOCHS ",
		  "BXPC    ", 2);
	select_(false, true);
	assert_int_equal(r.count, 64);
	assert_true(r.hit_limit);
	assert_int_equal(r.chosen, -1);

	memset(&c, 0, sizeof(c));
	add_table("kernel/firmware/acpi/a-rather-long-file-name.aml", "SRAT", 48, "BOCHS ",
		  "BXPC    ", 2);
	select_(false, true);
	struct outbuf *o = outbuf_new();
	ovr_linux_log(&r, "SRAT", false, &o->sink);
	assert_string_equal(o->text,
		"ACPI: SRAT ACPI table found in initrd [kernel/firmware/acpi/a-rather-long-fil][0x30]\n"
		"ACPI: Table Upgrade: override [SRAT-BOCHS -BXPC    ]\n");
}

/* Only the leading uncompressed archives count. */
static void test_compressed_first(void **state)
{
	memset(&c, 0, sizeof(c));
	memcpy(c.b, "\x1f\x8b\x08\x00", 4);
	c.len = 256;
	add_table("kernel/firmware/acpi/srat.aml", "SRAT", 48, "BOCHS ", "BXPC    ", 2);
	select_(false, true);
	assert_int_equal(r.count, 0);
	assert_int_equal(r.stop, CPIO_STOP_NOT_CPIO);
	assert_int_equal(r.stop_off, 0);
	assert_string_equal(r.stop_what, "gzip-compressed data");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_verdict),
		cmocka_unit_test(test_no_firmware_table),
		cmocka_unit_test(test_secure_boot),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_compressed_first),
	};
	return cmocka_run_group_tests_name("acpi/override", tests, NULL, NULL);
}
