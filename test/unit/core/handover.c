/* Tests core/handover.c: which boot-services memory is handed to Linux as
 * free, on the raw map (as after ExitBootServices) and range by range (as
 * the pins line and the report judge it). */
/* links: core/handover.c acpi/srat.c core/numa.c lib/fmt.c lib/memmap.c */
#include "test/unit/efi_map_builder.h"
#include "core/handover.h"

static struct srat_mem sm[4];
static struct srat_result srat = { .mem = sm, .mem_cap = 4, .used = true };

/* node 0 [0, 2 GiB); node 1 [2, 3 GiB) and [3, 4 GiB) hot-pluggable, in
 * two entries that touch */
static void nodes(void)
{
	sm[0] = (struct srat_mem){ .base = 0, .length = 2ull << 30, .end = 2ull << 30,
				   .flags = SRAT_MEM_ENABLED, .node = 0, .memblk = true };
	sm[1] = (struct srat_mem){ .base = 2ull << 30, .length = 1ull << 30, .end = 3ull << 30,
				   .flags = SRAT_MEM_ENABLED | SRAT_MEM_HOT_PLUGGABLE, .node = 1,
				   .memblk = true };
	sm[2] = (struct srat_mem){ .base = 3ull << 30, .length = 1ull << 30, .end = 4ull << 30,
				   .flags = SRAT_MEM_ENABLED | SRAT_MEM_HOT_PLUGGABLE, .node = 1,
				   .memblk = true };
	srat.mem_count = 3;
}

static void test_apply(void **state)
{
	struct handover h = { .srat = &srat, .keep = { 0x80010800 }, .nkeep = 1 };

	nodes();
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x10);     /* in node 1: freed */
	desc(EFI_BOOT_SERVICES_CODE, 0x80010000, 0x10);     /* holds the ESRT: kept */
	desc(EFI_BOOT_SERVICES_DATA, 0x7ffff000, 2);        /* straddles: kept */
	desc(EFI_BOOT_SERVICES_DATA, 0x1000000, 0x10);      /* node 0: kept */
	desc(EFI_RUNTIME_SERVICES_DATA, 0x80020000, 0x10);  /* runtime: kept */
	desc(EFI_ACPI_RECLAIM_MEMORY, 0x80030000, 0x10);    /* ACPI: kept */
	desc(EFI_BOOT_SERVICES_DATA, 0xbffff000, 2);        /* across two hot entries: freed */
	desc(EFI_BOOT_SERVICES_DATA, 0xfffff000, 2);        /* runs past the SRAT: kept */
	assert_int_equal(handover_apply(raw, nraw * DSZ, DSZ, &h), 2);
	const uint32_t want[] = { EFI_CONVENTIONAL_MEMORY, EFI_BOOT_SERVICES_CODE,
				  EFI_BOOT_SERVICES_DATA, EFI_BOOT_SERVICES_DATA,
				  EFI_RUNTIME_SERVICES_DATA, EFI_ACPI_RECLAIM_MEMORY,
				  EFI_CONVENTIONAL_MEMORY, EFI_BOOT_SERVICES_DATA };
	for (size_t i = 0; i < nraw; i++)
		assert_int_equal(desc_type(i), want[i]);
	/* the rest of a freed descriptor is untouched */
	assert_int_equal(raw[8], 0x00);
	assert_int_equal(raw[16], 0xee);

	/* --keep-boot-services, no SRAT in effect, a stride below 40 bytes */
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x10);
	h.keep_all = true;
	assert_int_equal(handover_apply(raw, nraw * DSZ, DSZ, &h), 0);
	h.keep_all = false;
	h.srat = NULL;
	assert_int_equal(handover_apply(raw, nraw * DSZ, DSZ, &h), 0);
	h.srat = &srat;
	assert_int_equal(handover_apply(raw, nraw * DSZ, 32, &h), 0);
	assert_int_equal(desc_type(0), EFI_BOOT_SERVICES_DATA);
}

static uint64_t field(size_t i, size_t off)
{
	uint64_t v;

	memcpy(&v, raw + i * DSZ + off, 8);
	return v;
}

/* The logo's pages become a descriptor of their own, between the rest of
 * theirs, which then the rule judges piece by piece. */
static void test_split_logo(void **state)
{
	struct handover h = { .srat = &srat, .keep = { 0x80fff000 }, .nkeep = 1, .has_logo = true,
			      .logo_base = 0x80004018, .logo_last = 0x8000c3b9 };
	(void)state;

	nodes();
	nraw = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0x7f000000, 0x100);
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x1000); /* the logo and a table */
	desc_attr(0xf);
	desc(EFI_RUNTIME_SERVICES_DATA, 0x81000000, 0x10);
	size_t size = handover_split_logo(raw, nraw * DSZ, sizeof(raw), DSZ, &h);
	assert_int_equal(size, 5 * DSZ);
	nraw = 5;
	const uint64_t base[] = { 0x7f000000, 0x80000000, 0x80004000, 0x8000d000, 0x81000000 };
	const uint64_t pages[] = { 0x100, 4, 9, 0x1000 - 13, 0x10 };
	for (size_t i = 0; i < nraw; i++) {
		assert_int_equal(field(i, 8), base[i]);
		assert_int_equal(field(i, 24), pages[i]);
	}
	assert_int_equal(field(3, 32), 0xf); /* the same attributes */
	assert_int_equal(raw[3 * DSZ + 16], 0xee);
	/* the piece before is freed; the logo's and the table's are kept */
	assert_int_equal(handover_apply(raw, size, DSZ, &h), 1);
	assert_int_equal(desc_type(1), EFI_CONVENTIONAL_MEMORY);
	assert_int_equal(desc_type(2), EFI_BOOT_SERVICES_DATA);
	assert_int_equal(desc_type(3), EFI_BOOT_SERVICES_DATA);
	assert_int_equal(desc_type(4), EFI_RUNTIME_SERVICES_DATA);

	/* already alone, no room, no logo: the map is as it was */
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80004000, 9);
	assert_int_equal(handover_split_logo(raw, DSZ, sizeof(raw), DSZ, &h), DSZ);
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x1000);
	assert_int_equal(handover_split_logo(raw, DSZ, 2 * DSZ, DSZ, &h), DSZ);
	assert_int_equal(field(0, 24), 0x1000);
	h.has_logo = false;
	assert_int_equal(handover_split_logo(raw, DSZ, sizeof(raw), DSZ, &h), DSZ);
	/* a descriptor off a page boundary (the fuzzer's): not cut into
	 * pieces that would lose its odd bytes */
	h.has_logo = true;
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000100, 0x1000);
	assert_int_equal(handover_split_logo(raw, DSZ, sizeof(raw), DSZ, &h), DSZ);
	assert_int_equal(field(0, 24), 0x1000);
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x1000);
	/* a logo across two descriptors: each cut, the logo's two parts alone */
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 6);
	desc(EFI_BOOT_SERVICES_CODE, 0x80006000, 0x10);
	assert_int_equal(handover_split_logo(raw, 2 * DSZ, sizeof(raw), DSZ, &h), 4 * DSZ);
	const uint64_t b2[] = { 0x80000000, 0x80004000, 0x80006000, 0x8000d000 };
	const uint64_t p2[] = { 4, 2, 7, 9 };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(field(i, 8), b2[i]);
		assert_int_equal(field(i, 24), p2[i]);
	}
	assert_int_equal(desc_type(1), EFI_BOOT_SERVICES_DATA);
	assert_int_equal(desc_type(2), EFI_BOOT_SERVICES_CODE);
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x1000);
	/* a logo at the descriptor's start: one piece after it */
	h.has_logo = true;
	h.logo_base = 0x80000000;
	assert_int_equal(handover_split_logo(raw, DSZ, sizeof(raw), DSZ, &h), 2 * DSZ);
	assert_int_equal(field(0, 8), 0x80000000);
	assert_int_equal(field(0, 24), 13);
	assert_int_equal(field(1, 8), 0x8000d000);
	/* overlapping descriptors (the fuzzer's; no firmware's): each cut on
	 * its own, three pieces apiece, no page lost */
	h.logo_base = 0x80004018;
	nraw = 0;
	desc(EFI_BOOT_SERVICES_DATA, 0x80000000, 0x1000);
	desc(EFI_BOOT_SERVICES_CODE, 0x80002000, 0x20);
	assert_int_equal(handover_split_logo(raw, 2 * DSZ, sizeof(raw), DSZ, &h), 6 * DSZ);
	const uint64_t b3[] = { 0x80000000, 0x80004000, 0x8000d000,
				0x80002000, 0x80004000, 0x8000d000 };
	const uint64_t p3[] = { 4, 9, 0x1000 - 13, 2, 9, 0x20 - 11 };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(field(i, 8), b3[i]);
		assert_int_equal(field(i, 24), p3[i]);
	}
}

static void test_judge(void **state)
{
	struct handover h = { .srat = &srat, .keep = { 0x90000000 }, .nkeep = 1 };

	nodes();
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_DATA, 0x80000000, 0x8fffffff),
			 HANDOVER_FREE);
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_DATA, 0x80000000, 0x90000fff),
			 HANDOVER_HOLDS_TABLE);
	assert_int_equal(handover_judge(&h, EFI_LOADER_DATA, 0x80000000, 0x8fffffff),
			 HANDOVER_NOT_BOOT_SERVICES);
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_CODE, 0x7ffff000, 0x80000fff),
			 HANDOVER_NOT_HOTPLUG);
	/* the BGRT's logo: Linux ignores it unless it is still boot-services
	 * data, and reserves it where it lies */
	h.has_logo = true;
	h.logo_base = 0x8ff00000;
	h.logo_last = 0x900e1035;
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_DATA, 0x80000000, 0x8fffffff),
			 HANDOVER_HOLDS_LOGO);
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_DATA, 0x90000000, 0x90000fff),
			 HANDOVER_HOLDS_LOGO);
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_DATA, 0x900e2000, 0x900e2fff),
			 HANDOVER_FREE);
	assert_string_equal(handover_why_text(HANDOVER_HOLDS_LOGO),
			    "kept: it holds the boot logo (BGRT), which Linux reserves where it lies");
	h.has_logo = false;
	h.keep_all = true;
	assert_int_equal(handover_judge(&h, EFI_BOOT_SERVICES_DATA, 0x80000000, 0x8fffffff),
			 HANDOVER_KEPT_BY_OPTION);
	/* a disabled or empty entry covers nothing */
	sm[1].memblk = false;
	assert_false(handover_in_hotplug(&srat, 0x80000000, 0x80000fff));
	assert_true(handover_in_hotplug(&srat, 0xc0000000, 0xffffffff));
	assert_false(handover_in_hotplug(NULL, 0xc0000000, 0xffffffff));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_split_logo),
		cmocka_unit_test(test_judge),
	};
	return cmocka_run_group_tests_name("core/handover", tests, NULL, NULL);
}
