/* Tests core/bootinfo.c: the protocol's memory map from UEFI descriptors
 * and the SRAT, and the reserved map from memblock. */
/* links: core/bootinfo.c lib/memblock.c lib/memmap.c */
#include "test/unit/efi_map_builder.h"
#include "core/bootinfo.h"
#include "lib/memmap.h"

static struct srat_mem sm[4];
static struct srat_result srat = { .mem = sm, .mem_cap = 4, .used = true };

static void two_nodes(void)
{
	/* node 0 [0, 2 GiB), node 1 [2 GiB, 4 GiB) hot-pluggable and NV */
	sm[0] = (struct srat_mem){ .base = 0, .length = 2ull << 30, .end = 2ull << 30,
				   .flags = SRAT_MEM_ENABLED, .node = 0, .memblk = true };
	sm[1] = (struct srat_mem){ .base = 2ull << 30, .length = 2ull << 30, .end = 4ull << 30,
				   .flags = SRAT_MEM_ENABLED | SRAT_MEM_HOT_PLUGGABLE |
					    SRAT_MEM_NON_VOLATILE,
				   .node = 1, .memblk = true };
	srat.mem_count = 2;
}

#define M(b, l, t, f, n) ((struct hotshim_mem){ b, l, HOTSHIM_MEM_##t, f, n, 0 })

static void expect(const struct hotshim_mem *got, size_t n, const struct hotshim_mem *want,
		   size_t wn)
{
	assert_int_equal(n, wn);
	for (size_t i = 0; i < n; i++) {
		if (memcmp(&got[i], &want[i], sizeof(want[i]))) {
			print_error("entry %zu: %#llx +%#llx type %u flags %u node %u\n", i,
				    (unsigned long long)got[i].base, (unsigned long long)got[i].length,
				    got[i].type, got[i].flags, got[i].node);
			fail();
		}
	}
}

static void test_split_sort_merge(void **state)
{
	struct hotshim_mem out[32];
	const struct srat_result *numa = &srat;
	size_t n;

	two_nodes();
	nraw = 0;
	/* out of order, with neighbours that merge once typed */
	desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100);
	desc(EFI_BOOT_SERVICES_DATA, 0x200000, 0x100);
	desc(EFI_CONVENTIONAL_MEMORY, 0, 0xa0);
	desc(EFI_RESERVED_TYPE, 0xa0000, 0x60);
	desc(EFI_LOADER_CODE, 0x300000, 0x7fd00); /* 3 MiB .. 2 GiB */
	desc(EFI_CONVENTIONAL_MEMORY, 0x80000000, 0x40000); /* 2 .. 3 GiB */
	desc(EFI_ACPI_MEMORY_NVS, 0xc0000000, 0x10);
	desc(EFI_MEMORY_MAPPED_IO, 0xe0000000, 0x10000); /* MMIO: node 1 too */
	desc(EFI_CONVENTIONAL_MEMORY, 0x100000000ull, 0x100); /* beyond the SRAT */
	desc(EFI_CONVENTIONAL_MEMORY, 0x200000000ull, 0); /* empty: dropped */
	assert_int_equal(bi_memmap(map(), DSZ, numa, out, 32, &n), 0);
	const struct hotshim_mem want[] = {
		M(0, 0xa0000, USABLE, 0, 0),
		M(0xa0000, 0x60000, RESERVED, 0, 0),
		M(0x100000, 0x7ff00000, USABLE, 0, 0),
		M(0x80000000, 0x40000000, USABLE, 3, 1),
		M(0xc0000000, 0x10000, ACPI_NVS, 3, 1),
		M(0xe0000000, 0x10000000, MMIO, 3, 1),
		M(0x100000000ull, 0x100000, USABLE, 0, HOTSHIM_NO_NODE),
	};
	expect(out, n, want, HS_ARRAY_SIZE(want));
	/* plan_layout's room: each SRAT range splits at most two descriptors */
	assert_true(n <= nraw + 2 * srat.mem_count + 1);

	/* one descriptor across the node boundary is split there */
	nraw = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0x7ff00000, 0x200);
	assert_int_equal(bi_memmap(map(), DSZ, numa, out, 32, &n), 0);
	const struct hotshim_mem want2[] = {
		M(0x7ff00000, 0x100000, USABLE, 0, 0),
		M(0x80000000, 0x100000, USABLE, 3, 1),
	};
	expect(out, n, want2, HS_ARRAY_SIZE(want2));


	/* no SRAT: one node 0 */
	assert_int_equal(bi_memmap(map(), DSZ, NULL, out, 32, &n), 0);
	const struct hotshim_mem want3[] = { M(0x7ff00000, 0x200000, USABLE, 0, 0) };
	expect(out, n, want3, HS_ARRAY_SIZE(want3));
}

static void test_errors(void **state)
{
	struct hotshim_mem out[4];
	const struct srat_result *numa = &srat;
	size_t n;

	two_nodes();
	nraw = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0x7ff00000, 0x200);
	assert_int_equal(bi_memmap(map(), DSZ, numa, out, 1, &n), -HS_ENOSPC);
	assert_int_equal(bi_memmap(map(), 36, numa, out, 4, &n), -HS_EINVAL);
	nraw = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 2);
	desc(EFI_LOADER_DATA, 0x2000, 1); /* overlaps the one before */
	assert_int_equal(bi_memmap(map(), DSZ, numa, out, 4, &n), -HS_EINVAL);
	nraw = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0xfffffffffffff000ull, 2); /* wraps */
	assert_int_equal(bi_memmap(map(), DSZ, numa, out, 4, &n), -HS_EINVAL);
	/* a range that ends at the top of the address space is fine */
	nraw = 0;
	desc(EFI_RESERVED_TYPE, 0xfffffffffffff000ull, 1);
	assert_int_equal(bi_memmap(map(), DSZ, NULL, out, 4, &n), 0);
	assert_int_equal(out[0].length, 0x1000);
}

static void test_types_and_reserved(void **state)
{
	assert_int_equal(bi_mem_type(EFI_BOOT_SERVICES_CODE), HOTSHIM_MEM_USABLE);
	assert_int_equal(bi_mem_type(EFI_RUNTIME_SERVICES_DATA), HOTSHIM_MEM_RUNTIME);
	assert_int_equal(bi_mem_type(EFI_ACPI_RECLAIM_MEMORY), HOTSHIM_MEM_ACPI_RECLAIM);
	assert_int_equal(bi_mem_type(EFI_PERSISTENT_MEMORY), HOTSHIM_MEM_PERSISTENT);
	assert_int_equal(bi_mem_type(EFI_UNUSABLE_MEMORY), HOTSHIM_MEM_UNUSABLE);
	assert_int_equal(bi_mem_type(EFI_MEMORY_MAPPED_IO_PORT_SPACE), HOTSHIM_MEM_MMIO);
	assert_int_equal(bi_mem_type(EFI_PAL_CODE), HOTSHIM_MEM_RESERVED);
	assert_int_equal(bi_mem_type(EFI_UNACCEPTED_MEMORY), HOTSHIM_MEM_RESERVED);
	assert_int_equal(bi_mem_type(0x70000000), HOTSHIM_MEM_RESERVED);

	struct mb_region r[8];
	struct mb_type t = { r, 0, 8 };
	mb_add(&t, 0x1000, 0x1fff, MB_NO_NODE, 0, OWN_FIRMWARE);
	mb_add(&t, 0x100000, 0x1fffff, MB_NO_NODE, 0, OWN_KERNEL);
	mb_add(&t, 0x200000, 0x200fff, MB_NO_NODE, 0, OWN_INITRD);
	mb_add(&t, 0x201000, 0x201fff, MB_NO_NODE, 0, OWN_MODULE); /* merges with the initrd */
	mb_add(&t, 0x300000, 0x30ffff, MB_NO_NODE, 0, OWN_STACK);
	struct hotshim_reserved out[8];
	size_t n;
	assert_int_equal(bi_reserved(&t, out, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].base, 0x100000);
	assert_int_equal(out[0].owner, HOTSHIM_OWN_KERNEL);
	assert_int_equal(out[1].length, 0x2000);
	assert_int_equal(out[1].owner, HOTSHIM_OWN_MODULE);
	assert_int_equal(out[2].owner, HOTSHIM_OWN_STACK);
	assert_int_equal(bi_reserved(&t, out, 2, &n), -HS_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_sort_merge),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_types_and_reserved),
	};
	return cmocka_run_group_tests_name("core/bootinfo", tests, NULL, NULL);
}
