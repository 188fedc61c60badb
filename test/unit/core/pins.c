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

	assert_int_equal(pins_report(&in, &o->sink), 1);
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
	assert_int_equal(pins_report(&in, &o->sink), 0);
	assert_non_null(strstr(o->text, "node 1: removable once its 1 boot-services range is handed to "
					"Linux as free memory (the UEFI specification frees it at "
					"ExitBootServices); otherwise Linux keeps the node\n"));

	/* a hot-pluggable node 0 holds Linux's first 64 KiB */
	o = outbuf_new();
	mem[0].flags = 3;
	mem[1].flags = 1;
	map.count = 1;
	assert_int_equal(pins_report(&in, &o->sink), 1);
	assert_non_null(strstr(o->text, "node 0: first 64 KiB, reserved by Linux [mem 0x00000000-0x0000ffff] "
					"(64 KiB) in memory block 0\n"
					"node 0: cannot be made removable: Linux's own first 64 KiB lies "
					"in it and cannot move (memory block 0)\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acpi_and_boot_services),
	};
	return cmocka_run_group_tests_name("core/pins", tests, NULL, NULL);
}
