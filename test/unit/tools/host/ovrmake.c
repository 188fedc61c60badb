/* Tests tools/host/ovrmake.c: the override archive, judged by acpi/override.c
 * (Linux 6.1's rules) and walked by lib/cpio.c (find_cpio_data). */
/* links: tools/host/ovrmake.c acpi/table.c acpi/override.c lib/cpio.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "acpi/override.h"
#include "lib/cpio.h"
#include "tools/host/ovrmake.h"

static struct acpi_header fw_header(uint8_t **ret_fw, size_t *ret_len)
{
	struct acpi_header h;
	*ret_fw = load_file("build/fixtures/two-nodes.aml", ret_len);
	assert_int_equal(acpi_header_read((struct hs_view){ *ret_fw, *ret_len }, &h), 0);
	return h;
}

static void test_over_firmware(void **state)
{
	uint8_t *fw, *t;
	size_t fwlen, len, n;
	struct acpi_header fwh = fw_header(&fw, &fwlen), h;
	struct hs_err err = { "" }, note = { "" };
	uint32_t rev;

	t = load_file("build/fixtures/override-two-nodes.aml", &len);
	struct ovr_make mk = { .fw = &fwh, .fw_name = "two-nodes.aml" };
	assert_int_equal(ovr_make_table(t, len, "ovr.aml", &mk, &rev, &note, &err), 0);
	assert_string_equal(note.msg, "");
	assert_int_equal(rev, fwh.oem_revision + 1);
	assert_int_equal(acpi_header_read((struct hs_view){ t, len }, &h), 0);
	assert_int_equal(h.oem_revision, rev);
	assert_memory_equal(h.oem_id, fwh.oem_id, 6);
	assert_memory_equal(h.oem_table_id, fwh.oem_table_id, 8);
	assert_int_equal(h.length, len);
	assert_int_equal(acpi_sum(t, len), 0);

	size_t cap = ovr_cpio_size(len);
	assert_int_equal(cap % 512, 0);
	uint8_t *c = malloc(cap);
	assert_int_equal(ovr_cpio(t, len, c, cap - 1, &n), -HS_ENOSPC);
	assert_int_equal(ovr_cpio(t, len, c, cap, &n), 0);
	assert_int_equal(n, cap);
	/* what find_cpio_data sees */
	struct cpio_iter it;
	struct cpio_file f;
	char name[80];
	static const char *const names[] = { "kernel", "kernel/firmware", "kernel/firmware/acpi",
					     "kernel/firmware/acpi/srat.aml", "TRAILER!!!" };
	cpio_iter_init(&it, (struct hs_view){ c, n });
	for (size_t i = 0; i < HS_ARRAY_SIZE(names); i++) {
		assert_int_equal(cpio_next(&it, &f), 1);
		cpio_name(&f, name, sizeof(name));
		assert_string_equal(name, names[i]);
	}
	assert_int_equal(f.size, 0);
	/* and what Linux decides: it replaces the firmware's table */
	static struct ovr_result r;
	ovr_select((struct hs_view){ c, n }, "SRAT", &fwh, false, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.chosen, 0);
	assert_int_equal(r.c[0].verdict, OVR_CHOSEN);
	assert_memory_equal(r.c[0].table.data, t, len);
	/* under Secure Boot it would not */
	ovr_select((struct hs_view){ c, n }, "SRAT", &fwh, true, &r);
	assert_int_equal(r.chosen, -1);
	free(c);
	free(t);
	free(fw);
}

static void test_asked_revision_and_ids(void **state)
{
	uint8_t *fw, *t;
	size_t fwlen, len;
	struct acpi_header fwh = fw_header(&fw, &fwlen), h;
	struct hs_err err = { "" }, note = { "" };
	uint32_t rev;

	t = load_file("build/fixtures/override-two-nodes.aml", &len);
	struct ovr_make mk = { .fw = &fwh, .fw_name = "fw.aml", .have_rev = true,
			       .rev = fwh.oem_revision };
	assert_int_equal(ovr_make_table(t, len, "ovr.aml", &mk, &rev, &note, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "--oem-revision 2 is not higher than the firmware's 2 "
				     "(fw.aml): Linux would ignore the override");
	mk.rev = 77;
	mk.keep_ids = true;
	struct acpi_header before;
	acpi_header_read((struct hs_view){ t, len }, &before);
	assert_int_equal(ovr_make_table(t, len, "ovr.aml", &mk, &rev, &note, &err), 0);
	acpi_header_read((struct hs_view){ t, len }, &h);
	assert_int_equal(h.oem_revision, 77);
	assert_memory_equal(h.oem_id, before.oem_id, 6);
	/* the firmware at 0xffffffff: nothing is higher */
	fwh.oem_revision = 0xffffffffu;
	mk = (struct ovr_make){ .fw = &fwh, .fw_name = "fw.aml" };
	assert_int_equal(ovr_make_table(t, len, "ovr.aml", &mk, &rev, &note, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "fw.aml: the firmware's OEM revision is 0xffffffff; no override "
				     "can be higher, so Linux would never take one");
	free(t);
	free(fw);
}

static void test_bad_tables(void **state)
{
	uint8_t *t;
	size_t len;
	struct hs_err err = { "" }, note = { "" };
	uint32_t rev;
	struct ovr_make mk = { 0 };

	t = load_file("build/fixtures/override-two-nodes.aml", &len);
	assert_int_equal(ovr_make_table(t, 20, "x", &mk, &rev, &note, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "x: 20 bytes is too short for an ACPI table header (36)");
	assert_int_equal(ovr_make_table(t, 40, "x", &mk, &rev, &note, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "x: 40 bytes is too short for an SRAT (48)");
	assert_int_equal(ovr_make_table(t, 100, "x", &mk, &rev, &note, &err), -HS_EINVAL);
	char want[120];
	snprintf(want, sizeof(want), "x: header length %zu but only 100 bytes: the table is cut short",
		 len);
	assert_string_equal(err.msg, want);
	uint8_t *big = calloc(1, len + 8);
	memcpy(big, t, len);
	assert_int_equal(ovr_make_table(big, len + 8, "x", &mk, &rev, &note, &err), 0);
	snprintf(want, sizeof(want), "x: header length %zu < %zu bytes: taking the whole file", len,
		 len + 8);
	assert_string_equal(note.msg, want);
	assert_int_equal(hs_get_u32((struct hs_view){ big, len + 8 }, 4), len + 8);
	memcpy(t, "APIC", 4);
	assert_int_equal(ovr_make_table(t, len, "x", &mk, &rev, &note, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "x: signature is \"APIC\", not \"SRAT\"");
	free(big);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_over_firmware),
		cmocka_unit_test(test_asked_revision_and_ids),
		cmocka_unit_test(test_bad_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
