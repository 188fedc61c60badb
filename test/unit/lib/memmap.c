/* Tests lib/memmap.c: UEFI types to kinds, the bounded descriptor walk,
 * and a raw map into the sorted portable one. */
/* links: lib/memmap.c */
#include "test/unit/efi_map_builder.h"
#include "lib/memmap.h"

static void test_kinds(void **state)
{
	static const struct { uint32_t efi; enum mm_kind kind; bool ram; } t[] = {
		{ EFI_RESERVED_TYPE, MM_RESERVED, false },
		{ EFI_LOADER_CODE, MM_LOADER, true },
		{ EFI_LOADER_DATA, MM_LOADER, true },
		{ EFI_BOOT_SERVICES_CODE, MM_BOOT_SERVICES, true },
		{ EFI_BOOT_SERVICES_DATA, MM_BOOT_SERVICES, true },
		{ EFI_RUNTIME_SERVICES_CODE, MM_RUNTIME, false },
		{ EFI_RUNTIME_SERVICES_DATA, MM_RUNTIME, false },
		{ EFI_CONVENTIONAL_MEMORY, MM_CONVENTIONAL, true },
		{ EFI_UNUSABLE_MEMORY, MM_UNUSABLE, false },
		{ EFI_ACPI_RECLAIM_MEMORY, MM_ACPI, false },
		{ EFI_ACPI_MEMORY_NVS, MM_ACPI, false },
		{ EFI_MEMORY_MAPPED_IO, MM_MMIO, false },
		{ EFI_MEMORY_MAPPED_IO_PORT_SPACE, MM_MMIO, false },
		{ EFI_PAL_CODE, MM_RESERVED, false },
		{ EFI_PERSISTENT_MEMORY, MM_PERSISTENT, false },
		{ EFI_UNACCEPTED_MEMORY, MM_RESERVED, false },
		{ 0x80000000, MM_RESERVED, false }, /* OEM types */
	};

	for (size_t i = 0; i < HS_ARRAY_SIZE(t); i++) {
		assert_int_equal(mm_kind_from_efi(t[i].efi), t[i].kind);
		assert_int_equal(mm_is_ram(t[i].kind), t[i].ram);
	}
	assert_string_equal(mm_kind_name(MM_BOOT_SERVICES), "boot-services");
	assert_string_equal(mm_kind_name(MM_KIND_COUNT), "?");
	(void)state;
}

static void test_add_and_sort(void **state)
{
	struct mm_entry e[3];
	struct mm_map m = { e, 0, 3 };

	assert_int_equal(mm_add_pages(&m, 0x3000, 1, MM_CONVENTIONAL, 7), 0);
	assert_int_equal(mm_add(&m, 0x1000, 0x1fff, MM_ACPI, 9), 0);
	assert_int_equal(mm_add_pages(&m, 0xfffffffffffff000ull, 1, MM_RESERVED, 0), 0);
	assert_int_equal(m.e[2].last, UINT64_MAX); /* the very top is expressible */
	assert_int_equal(mm_add(&m, 0x5000, 0x5fff, MM_ACPI, 9), -HS_ENOSPC);
	m.count = 2;
	assert_int_equal(mm_add_pages(&m, 0xfffffffffffff000ull, 2, MM_RESERVED, 0), -HS_EINVAL);
	assert_int_equal(mm_add_pages(&m, 0x5000, 0, MM_RESERVED, 0), -HS_EINVAL);
	assert_int_equal(mm_add_pages(&m, 0, 1ull << 53, MM_RESERVED, 0), -HS_EINVAL);
	assert_int_equal(mm_add(&m, 0x2000, 0x1fff, MM_ACPI, 9), -HS_EINVAL);
	mm_sort(&m);
	assert_int_equal(m.e[0].base, 0x1000);
	assert_int_equal(m.e[1].base, 0x3000);
	(void)state;
}

/* The walk reads whole descriptors only, at the firmware's stride. */
static void test_desc_walk(void **state)
{
	struct efi_desc d;
	struct efi_desc_iter it;

	nraw = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x10);
	desc_attr(EFI_MEMORY_SP | 0xf);
	desc(EFI_LOADER_DATA, 0xfffffffffffff000ull, 2); /* wraps */
	desc(EFI_LOADER_DATA, 0x200000, 0);                /* empty */
	it = efi_desc_iter((struct hs_view){ raw, nraw * DSZ - 1 }, DSZ);
	assert_true(efi_desc_next(&it, &d));
	assert_int_equal(d.off, 0);
	assert_int_equal(d.type, EFI_CONVENTIONAL_MEMORY);
	assert_int_equal(d.last, 0x10ffff);
	assert_int_equal(d.attr, EFI_MEMORY_SP | 0xf);
	assert_true(d.ok);
	assert_true(efi_desc_next(&it, &d));
	assert_false(d.ok);
	/* the third is one byte short in this view: not read */
	assert_false(efi_desc_next(&it, &d));
	it = efi_desc_iter(map(), DSZ);
	for (int i = 0; i < 3; i++)
		assert_true(efi_desc_next(&it, &d));
	assert_false(d.ok);
	assert_int_equal(d.pages, 0);
	/* a stride below the descriptor's 40 bytes yields nothing */
	it = efi_desc_iter(map(), 39);
	assert_false(efi_desc_next(&it, &d));
	(void)state;
}

static void test_from_efi(void **state)
{
	struct mm_entry e[8];
	struct mm_map m = { e, 0, 8 };
	size_t bad = 99;

	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x200000, 0x10);
	desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x10);
	desc(EFI_CONVENTIONAL_MEMORY, 0x300000, 0x10);
	desc_attr(EFI_MEMORY_SP);            /* soft-reserved: never RAM */
	desc(EFI_LOADER_DATA, 0x400000, 0);  /* empty: skipped */
	assert_int_equal(mm_from_efi(map(), DSZ, &m, &bad), 0);
	assert_int_equal(m.count, 3);
	assert_int_equal(m.e[0].base, 0x100000);
	assert_int_equal(m.e[1].kind, MM_BOOT_SERVICES);
	assert_int_equal(m.e[2].kind, MM_RESERVED);
	assert_int_equal(m.e[2].efi_type, EFI_CONVENTIONAL_MEMORY);
	desc(EFI_LOADER_DATA, 0xfffffffffffff000ull, 2);
	assert_int_equal(mm_from_efi(map(), DSZ, &m, &bad), -HS_EINVAL);
	assert_int_equal(bad, 4);
	m.cap = 2;
	assert_int_equal(mm_from_efi(map(), DSZ, &m, &bad), -HS_ENOSPC);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_add_and_sort),
		cmocka_unit_test(test_desc_walk),
		cmocka_unit_test(test_from_efi),
	};
	return cmocka_run_group_tests_name("lib/memmap", tests, NULL, NULL);
}
