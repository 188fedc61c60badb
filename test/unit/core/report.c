/* Tests core/report.c: the report text, byte for byte. */
/* links: core/report.c acpi/override.c acpi/srat.c acpi/slit.c acpi/cedt.c acpi/table.c core/alloc.c core/handover.c core/kernel.c core/numa.c core/pins.c core/plan.c lib/cpio.c lib/elf.c lib/fmt.c lib/memblock.c lib/memmap.c x86/linux.c x86/paging.c */
#include "test/unit/cpio_builder.h"
#include "core/report.h"

#define EXPECT_FULL \
	"hotshim 0.1.0: SRAT hotplug report\n" \
	"SRAT: Node 0 PXM 5 [mem 0x00000000-0x0009ffff]\n" \
	"SRAT: Node 0 PXM 5 [mem 0x00100000-0x7fffffff]\n" \
	"SRAT: Node 1 PXM 2 [mem 0x100000000-0x17fffffff] hotplug\n" \
	"SRAT revision 3, 200 bytes: 2 processor local APIC affinity, 3 memory affinity\n" \
	"Linux does not use this SRAT, it falls back to one node: its ranges cover 4087 MiB of 4089 MiB RAM, and Linux allows less than 1 MiB outside (numa_meminfo_cover_memory)\n" \
	"\n" \
	"node   PXM  CPUs     memory    hotplug    non-vol |       conv   boot-svc     loader    runtime   reserved       ACPI\n" \
	"   0     5     1    1.9 GiB        0 B        0 B |    1.9 GiB      8 MiB        0 B      4 MiB        0 B      4 MiB\n" \
	"   1     2     1      2 GiB      2 GiB        0 B |    1.9 GiB        0 B      4 MiB        0 B        0 B        0 B\n" \
	"\n" \
	"note: the firmware loaded hotshim [mem 0x140000000-0x1400fffff] into hot-pluggable node 1 [mem 0x100000000-0x17fffffff]; nothing is placed next to it, and its pages are free RAM once the kernel runs\n" \
	"warning: conventional RAM [mem 0x80000000-0x801fffff] is in no SRAT range\n" \
	"hotpluggable: 0 B for Linux, which does not use this SRAT (it marks 2 GiB in 1 range); SRAT from firmware: OEM ID \"HSTEST\", table ID \"TWONODES\", OEM revision 2, revision 3\n"

static struct report_scratch scratch;

/* A firmware map for the two-nodes fixture: RAM in both nodes, a loader
 * range (hotshim) in node 1, a hole RAM range in no node. */
static struct mm_entry entries[] = {
	{ 0x0, 0x9ffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
	{ 0x100000, 0x7effffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
	{ 0x7f000000, 0x7f7fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA },
	{ 0x7f800000, 0x7fbfffff, MM_ACPI, EFI_ACPI_RECLAIM_MEMORY },
	{ 0x7fc00000, 0x7fffffff, MM_RUNTIME, EFI_RUNTIME_SERVICES_DATA },
	{ 0x80000000, 0x801fffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
	{ 0xfec00000, 0xfec00fff, MM_MMIO, EFI_MEMORY_MAPPED_IO },
	{ 0x100000000, 0x13fffffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
	{ 0x140000000, 0x1403fffff, MM_LOADER, EFI_LOADER_CODE },
	{ 0x140400000, 0x17fffffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
};

static void test_full_report(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("two-nodes", &len);
	struct mm_map map = { entries, HS_ARRAY_SIZE(entries), HS_ARRAY_SIZE(entries) };
	struct report_in in = {
		.have_srat = true,
		.srat = { t, len },
		.source = "firmware",
		.map = &map,
		.image_base = 0x140000000,
		.image_last = 0x1400fffff,
	};
	struct hs_err err;

	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_string_equal(o->text, EXPECT_FULL);
	free(t);
}

/* With a boot to plan for: the pins judge boot-services memory by the
 * rule the boot applies (one range holds a configuration table and
 * stays), and the plan is the boot's, image in hot-pluggable memory and
 * all. */
static void test_plan_and_pins(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("two-nodes", &len);
	struct mm_entry e[] = {
		{ 0x0, 0x9ffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
		{ 0x100000, 0x7effffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
		{ 0x7f000000, 0x7f7fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA },
		{ 0x7f800000, 0x7fffffff, MM_ACPI, EFI_ACPI_RECLAIM_MEMORY },
		{ 0x100000000, 0x13fffffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
		{ 0x140000000, 0x1400fffff, MM_LOADER, EFI_LOADER_CODE },
		{ 0x140100000, 0x1401fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA },
		{ 0x140200000, 0x1402fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_CODE },
		{ 0x140300000, 0x17fffffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
	};
	struct mm_map map = { e, HS_ARRAY_SIZE(e), HS_ARRAY_SIZE(e) };
	struct kernel k;
	struct plan_args args = { .kernel = &k, .cmdline = "" };
	struct report_in in = {
		.have_srat = true, .srat = { t, len }, .source = "firmware", .map = &map,
		.image_base = 0x140000000, .image_last = 0x1400fffff, .boot = &args,
		.cpu = { .gb_pages = true, .nx = true }, .ndesc = 9, .desc_size = 48,
		.handover = { .keep = { 0x140280000 }, .nkeep = 1 },
	};
	struct hs_err err;

	kernel_default(&k);
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	const char *pins = strstr(o->text, "What keeps");
	assert_non_null(pins);
	assert_string_equal(pins,
		"What keeps each hot-pluggable node from being removable (Linux 6.1 "
		"numa_clear_kernel_node_hotplug, 128 MiB memory blocks):\n"
		"node 1: EFI boot-services code/data [mem 0x140200000-0x1402fffff] (1 MiB) in memory "
		"block 40: kept: it holds a firmware configuration table Linux reads later\n"
		"node 1: cannot be made removable: 1 boot-services range the boot keeps lies in it "
		"and cannot move (memory block 40)\n"
		"Placement plan, as `boot` would make it, for a bzImage with init_size 64 MiB (no "
		"kernel= given: about Debian 12's):\n"
		"  (bottom-up above hotshim's image, never in hot-pluggable memory)\n"
		"  hotshim      [mem 0x140000000-0x1400fffff] node 1 (hot-pluggable: the firmware "
		"loaded hotshim there; its pages are free RAM after the jump)\n"
		/* the free RAM highest below the image, all in node 0 */
		"  kernel       [mem 0x7b000000-0x7effffff] node 0, 64 MiB (top-down: no room above "
		"the image)\n"
		"  page tables  [mem 0x7aff9000-0x7affffff] node 0, 28 KiB (7 pages, the minimum for "
		"identity map, 1 GiB pages) (top-down: no room above the image)\n"
		"  stack + GDT  [mem 0x7afe9000-0x7aff8fff] node 0, 64 KiB (top-down: no room above "
		"the image)\n"
		"  command line [mem 0x7afe8000-0x7afe8fff] node 0, 13 B (top-down: no room above "
		"the image)\n"
		"  boot_params  [mem 0x7afe2000-0x7afe7fff] node 0, 22.0 KiB (top-down: no room "
		"above the image)\n"
		"  none of these lies in a hot-pluggable range of the SRAT\n"
		"  command line gets movable_node\n"
		"hotpluggable: 2 GiB (0x80000000 bytes) in 1 range; SRAT from firmware: OEM ID "
		"\"HSTEST\", table ID \"TWONODES\", OEM revision 2, revision 3\n");
	/* without the configuration table both ranges are handed over */
	o = outbuf_new();
	in.handover.nkeep = 0;
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_non_null(strstr(o->text, "node 1: nothing the firmware placed pins it once its 2 "
					"boot-services ranges are handed to Linux as free memory "
					"(ACPI table addresses not known here)\n"));
	free(t);
}

static void test_no_srat(void **state)
{
	struct outbuf *o = outbuf_new();
	struct report_in in = { .have_srat = false, .source = "firmware" };
	struct hs_err err;

	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_string_equal(o->text, "hotshim 0.1.0: SRAT hotplug report\n"
				     "no SRAT: firmware describes one node\n");
}

static void test_bad_header(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("two-nodes", &len);
	struct report_in in = { .have_srat = true, .srat = { t, len - 1 }, .source = "firmware" };
	struct hs_err err;

	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "firmware: header length 200 but 199 bytes present");
	in.srat.len = 35;
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), -HS_EINVAL);
	assert_string_equal(err.msg,
			    "firmware: 35 bytes is too short for an ACPI table header (36)");
	memcpy(t, "SLIT", 4);
	in.srat.len = len;
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "firmware: signature is \"SLIT\", not \"SRAT\"");
	free(t);
}

/* Without a map: no map columns, no coverage check; a bad checksum is a
 * warning (ACPICA only warns); Linux's log is appended on request. */
static void test_no_map_checksum_linux_log(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("two-nodes", &len);
	struct report_in in = { .have_srat = true, .srat = { t, len }, .source = "file x.aml",
				.linux_log = true };
	struct hs_err err;

	t[9] ^= 1;
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_string_equal(o->text,
		"hotshim 0.1.0: SRAT hotplug report\n"
		"SRAT: Node 0 PXM 5 [mem 0x00000000-0x0009ffff]\n"
		"SRAT: Node 0 PXM 5 [mem 0x00100000-0x7fffffff]\n"
		"SRAT: Node 1 PXM 2 [mem 0x100000000-0x17fffffff] hotplug\n"
		"SRAT revision 3, 200 bytes: 2 processor local APIC affinity, 3 memory affinity\n"
		"warning: SRAT checksum is wrong; Linux (ACPICA) only warns and uses the table\n"
		"Linux uses this SRAT: 2 nodes\n"
		"\n"
		"node   PXM  CPUs     memory    hotplug    non-vol\n"
		"   0     5     1    1.9 GiB        0 B        0 B\n"
		"   1     2     1      2 GiB      2 GiB        0 B\n"
		"\n"
		"node distances (no SLIT: Linux uses 10 within a node, 20 between):\n"
		"node   0   1\n"
		"  0:  10  20\n"
		"  1:  20  10\n"
		"\n"
		"no warnings\n"
		"What keeps each hot-pluggable node from being removable (Linux 6.1 "
		"numa_clear_kernel_node_hotplug, 128 MiB memory blocks):\n"
		"node 1: not known here (no memory map, no ACPI table addresses)\n"
		"hotpluggable: 2 GiB (0x80000000 bytes) in 1 range; SRAT from file x.aml: "
		"OEM ID \"HSTEST\", table ID \"TWONODES\", OEM revision 2, revision 3\n"
		"\n"
		"Linux 6.1 log lines for this SRAT:\n"
		"SRAT: PXM 5 -> APIC 0x00 -> Node 0\n"
		"SRAT: PXM 2 -> APIC 0x01 -> Node 1\n"
		"ACPI: SRAT: Node 0 PXM 5 [mem 0x00000000-0x0009ffff]\n"
		"ACPI: SRAT: Node 0 PXM 5 [mem 0x00100000-0x7fffffff]\n"
		"ACPI: SRAT: Node 1 PXM 2 [mem 0x100000000-0x17fffffff] hotplug\n"
		"end of Linux log lines\n");
	free(t);
}

/* Node 0 split around node 1, and node 1 overlapping node 0 in RAM:
 * Linux refuses the table; the report names both problems. */
static void test_overlap_and_split(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("two-nodes", &len);
	/* third memory entry (node 1) moves to 0x40000000, inside node 0 */
	size_t e3 = 48 + 32 + 80;
	memset(t + e3 + 8, 0, 8);
	t[e3 + 8 + 3] = 0x40;
	fix_checksum(t, len);
	struct mm_entry ram[] = { { 0x0, 0x9ffff, MM_CONVENTIONAL, 7 },
				  { 0x100000, 0x7fffffff, MM_CONVENTIONAL, 7 } };
	struct mm_map map = { ram, 2, 2 };
	struct report_in in = { .have_srat = true, .srat = { t, len }, .source = "firmware",
				.map = &map };
	struct hs_err err;

	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_non_null(strstr(o->text,
		"Linux does not use this SRAT, it falls back to one node: node 0 "
		"[mem 0x00100000-0x7fffffff] overlaps node 1 [mem 0x40000000-0x7fffffff] in RAM "
		"(numa_cleanup_meminfo)\n"));
	assert_non_null(strstr(o->text,
		"warning: SRAT ranges overlap: node 0 [mem 0x00100000-0x7fffffff] and node 1 "
		"[mem 0x40000000-0xbfffffff] (Linux gives up NUMA if both hold RAM)\n"));
	assert_non_null(strstr(o->text,
		"warning: node 0 (PXM 5) is split around node 1: [mem 0x40000000-0xbfffffff] "
		"lies between [mem 0x00000000-0x0009ffff] and [mem 0x00100000-0x7fffffff]\n"));
	free(t);
}

/* A generic initiator in an SRAT Linux rejects: 6.1.192 panics (seen in
 * QEMU with this very table, see test/test.mk). */
static void test_generic_initiator_panic_warning(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("qemu-odd", &len);
	struct report_in in = { .have_srat = true, .srat = { t, len }, .source = "firmware" };
	struct hs_err err;

	t[0x123] = 0; /* third memory entry: length 0 */
	fix_checksum(t, len);
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_non_null(strstr(o->text,
		"\nwarning: node 1 (PXM 6) holds a generic initiator and Linux rejects this SRAT: "
		"Linux 6.1.192 panics in mem_init() on such a table\n"));
	assert_non_null(strstr(o->text, "\nSRAT problem at offset 0x122: memory affinity entry "
					"has length 0\n"));
	free(t);
}

/* The report reads the override, and compares it with the firmware's. */
static void test_initrd_override(void **state)
{
	static struct cb c;
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *fw = load_fixture("two-nodes", &len);
	uint8_t *ov = malloc(len);
	struct report_in in = { .have_srat = true, .srat = { fw, len }, .source = "firmware",
				.have_initrd = true, .initrd_name = "\\i.img" };
	struct hs_err err;

	memcpy(ov, fw, len);
	ov[24] = 3;                  /* OEM revision 3 > 2 */
	ov[48 + 32 + 80 + 28] = 1;   /* node 1 no longer hot-pluggable */
	fix_checksum(ov, len);
	memset(&c, 0, sizeof(c));
	cb_file(&c, "kernel/firmware/acpi/srat.aml", ov, (uint32_t)len);
	cb_trailer(&c);
	in.initrd = (struct hs_view){ c.b, c.len };
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_non_null(strstr(o->text, "\ninitrd \\i.img: kernel/firmware/acpi/srat.aml at offset "
					"0x8c: override (OEM rev 3 > 2)\n"));
	assert_non_null(strstr(o->text, "\nSRAT: Node 1 PXM 2 [mem 0x100000000-0x17fffffff]\n"));
	assert_non_null(strstr(o->text, "\nhotpluggable: 0 B (0x0 bytes) in 0 ranges; SRAT from initrd "
					"override kernel/firmware/acpi/srat.aml (OEM rev 3 > 2): OEM ID "
					"\"HSTEST\", table ID \"TWONODES\", OEM revision 3, revision 3\n"));

	/* under Secure Boot the firmware's table stays */
	in.locked_down = true;
	o = outbuf_new();
	assert_int_equal(report_print(&in, &scratch, &o->sink, &err), 0);
	assert_non_null(strstr(o->text, "\nSecure Boot is on: Linux will be locked down and ignore "
					"every table override in the initrd\n"));
	assert_non_null(strstr(o->text, "at offset 0x8c: refused under Secure Boot (Linux's lockdown "
					"ignores table overrides)\n"));
	assert_non_null(strstr(o->text, "; SRAT from firmware: OEM ID"));
	free(fw);
	free(ov);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_report),
		cmocka_unit_test(test_plan_and_pins),
		cmocka_unit_test(test_no_srat),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_no_map_checksum_linux_log),
		cmocka_unit_test(test_overlap_and_split),
		cmocka_unit_test(test_generic_initiator_panic_warning),
		cmocka_unit_test(test_initrd_override),
	};
	return cmocka_run_group_tests_name("core/report", tests, NULL, NULL);
}
