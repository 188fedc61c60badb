/* Tests core/pins.c: what keeps a hot-pluggable node from being removable. */
/* links: core/pins.c acpi/srat.c core/handover.c core/numa.c lib/fmt.c lib/memmap.c */
#include "test/unit/helpers.h"
#include "core/pins.h"

static struct srat_mem mem[4];

static struct srat_result two_nodes(void)
{
	struct srat_result s;

	memset(&s, 0, sizeof(s));
	s.mem = mem;
	s.mem_cap = 4;
	s.mem_count = 2;
	s.node_count = 2;
	s.used = true;
	mem[0] = (struct srat_mem){ .base = 0, .length = 0x40000000, .end = 0x40000000, .node = 0,
				    .flags = 1, .memblk = true };
	mem[1] = (struct srat_mem){ .base = 0x40000000, .length = 0x40000000, .end = 0x80000000,
				    .node = 1, .flags = 3, .memblk = true };
	return s;
}

static void test_acpi_and_boot_services(void **state)
{
	struct outbuf *o = outbuf_new();
	struct srat_result s = two_nodes();
	struct mm_entry e[] = {
		{ 0x100000, 0x3fffffff, MM_CONVENTIONAL, 7 },
		{ 0x7e000000, 0x7e0fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_CODE },
		{ 0x7e100000, 0x7e1fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA },
		{ 0x7f000000, 0x7f0fffff, MM_ACPI, EFI_ACPI_RECLAIM_MEMORY },
	};
	struct mm_map map = { e, 4, 4 };
	struct acpi_loc acpi[] = { { "DSDT", 0x7f000000, 0x2000 }, { "FACS", 0x3ff00000, 64 } };
	struct pins_in in = { &s, &map, acpi, 2, NULL };

	assert_int_equal(pins_report(&in, &o->sink, NULL), 1);
	assert_string_equal(o->text,
		"What keeps each hot-pluggable node from being removable (Linux 6.1 "
		"numa_clear_kernel_node_hotplug, 128 MiB memory blocks):\n"
		"node 1: ACPI table DSDT [mem 0x7f000000-0x7f001fff] (8 KiB) in memory block 15\n"
		"node 1: EFI boot-services code/data [mem 0x7e000000-0x7e1fffff] (2 MiB) in memory block 15\n"
		"node 1: cannot be made removable: 1 ACPI table lies in it and cannot move "
		"(memory block 15)\n");

	/* without the ACPI table only boot-services memory is left */
	o = outbuf_new();
	in.nacpi = 0;
	assert_int_equal(pins_report(&in, &o->sink, NULL), 0);
	assert_non_null(strstr(o->text, "node 1: removable once its 1 boot-services range is handed to "
					"Linux as free memory (the UEFI specification frees it at "
					"ExitBootServices); otherwise Linux keeps the node\n"));

	/* a hot-pluggable node 0 holds Linux's first 64 KiB */
	o = outbuf_new();
	mem[0].flags = 3;
	mem[1].flags = 1;
	map.count = 1;
	assert_int_equal(pins_report(&in, &o->sink, NULL), 1);
	assert_non_null(strstr(o->text, "node 0: first 64 KiB, reserved by Linux [mem 0x00000000-0x0000ffff] "
					"(64 KiB) in memory block 0\n"
					"node 0: cannot be made removable: Linux's own first 64 KiB lies "
					"in it and cannot move (memory block 0)\n"));
}

/* With the boot's handover rule: freed ranges do not pin; ranges the
 * boot keeps (a configuration table in one, one straddling into node 0,
 * --keep-boot-services) pin the node, each with its reason, runs with
 * one verdict merged. */
static void test_handover(void **state)
{
	struct outbuf *o = outbuf_new();
	struct srat_result s = two_nodes();
	struct mm_entry e[] = {
		{ 0x100000, 0x3effffff, MM_CONVENTIONAL, 7 },
		{ 0x3ff00000, 0x400fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA }, /* straddles */
		{ 0x7e000000, 0x7e0fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_CODE },
		{ 0x7e100000, 0x7e1fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA },
		{ 0x7e200000, 0x7e2fffff, MM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA }, /* ESRT */
	};
	struct mm_map map = { e, 5, 5 };
	struct handover h = { .srat = &s, .keep = { 0x7e200010 }, .nkeep = 1 };
	struct acpi_loc acpi[] = { { "FACS", 0x3ff00000, 64 } };
	struct pins_in in = { &s, &map, acpi, 1, &h };

	assert_int_equal(pins_report(&in, &o->sink, NULL), 1);
	assert_string_equal(o->text,
		"What keeps each hot-pluggable node from being removable (Linux 6.1 "
		"numa_clear_kernel_node_hotplug, 128 MiB memory blocks):\n"
		"node 1: EFI boot-services code/data [mem 0x40000000-0x400fffff] (1 MiB) in memory "
		"block 8: kept: not wholly in hot-pluggable memory\n"
		"node 1: EFI boot-services code/data [mem 0x7e200000-0x7e2fffff] (1 MiB) in memory "
		"block 15: kept: it holds a firmware configuration table Linux reads later\n"
		"node 1: cannot be made removable: 2 boot-services ranges the boot keeps lie in it "
		"and cannot move (memory blocks 8-15)\n");
	/* everything freed but what the person asked to keep */
	o = outbuf_new();
	map.count = 4;
	h.keep_all = true;
	assert_int_equal(pins_report(&in, &o->sink, NULL), 1);
	assert_non_null(strstr(o->text, "node 1: EFI boot-services code/data [mem 0x7e000000-0x7e1fffff] "
					"(2 MiB) in memory block 15: kept: --keep-boot-services\n"));
	o = outbuf_new();
	h.keep_all = false;
	e[1].last = 0x3fffffff; /* now all in node 0 */
	assert_int_equal(pins_report(&in, &o->sink, NULL), 0);
	assert_non_null(strstr(o->text, "node 1: nothing the firmware placed pins it once its 2 "
					"boot-services ranges are handed to Linux as free memory\n"));
	/* the boot logo in the middle of an entry: only its pages are kept,
	 * the pieces around it judged on their own (handover_split_logo) */
	o = outbuf_new();
	h.has_logo = true;
	h.logo_base = 0x7e180018;
	h.logo_last = 0x7e1883b9;
	assert_int_equal(pins_report(&in, &o->sink, NULL), 1);
	assert_string_equal(o->text,
		"What keeps each hot-pluggable node from being removable (Linux 6.1 "
		"numa_clear_kernel_node_hotplug, 128 MiB memory blocks):\n"
		"node 1: EFI boot-services code/data [mem 0x7e180000-0x7e188fff] (36 KiB) in memory "
		"block 15: kept: it holds the boot logo (BGRT), which Linux reserves where it lies\n"
		"node 1: cannot be made removable: 1 boot-services range the boot keeps lies in it "
		"and cannot move (memory block 15)\n");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acpi_and_boot_services),
		cmocka_unit_test(test_handover),
	};
	return cmocka_run_group_tests_name("core/pins", tests, NULL, NULL);
}
