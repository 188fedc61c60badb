/* Tests core/numa.c: Linux 6.1's verdict on an SRAT it parsed
 * (numa_cleanup_meminfo's overlap rule, numa_meminfo_cover_memory's 1 MiB),
 * and the coverage walk the report and the handover share. */
/* links: core/numa.c acpi/srat.c lib/fmt.c lib/memmap.c */
#include "test/unit/helpers.h"
#include "core/numa.h"

static struct srat_mem sm[8];
static struct srat_result srat = { .mem = sm, .mem_cap = 8, .used = true };

static void range(unsigned i, uint64_t base, uint64_t len, unsigned node, uint32_t flags)
{
	sm[i] = (struct srat_mem){ .base = base, .length = len, .end = base + len,
				   .node = (uint16_t)node, .flags = SRAT_MEM_ENABLED | flags,
				   .memblk = len != 0 };
	srat.mem_count = i + 1;
}

static void test_stretch(void **state)
{
	bool cov;

	/* [1, 3) GiB in two touching ranges, [2.5, 4) overlapping, a gap,
	 * then [5, 6) GiB hot-pluggable */
	range(0, 2 * HS_GIB, HS_GIB, 0, 0);
	range(1, HS_GIB, HS_GIB, 0, 0);
	range(2, 5 * HS_GIB / 2, 3 * HS_GIB / 2, 1, 0);
	range(3, 5 * HS_GIB, HS_GIB, 1, SRAT_MEM_HOT_PLUGGABLE);
	assert_int_equal(numa_stretch(&srat, 0, 0, UINT64_MAX, &cov), HS_GIB - 1);
	assert_false(cov);
	assert_int_equal(numa_stretch(&srat, 0, HS_GIB, UINT64_MAX, &cov), 4 * HS_GIB - 1);
	assert_true(cov);
	assert_int_equal(numa_stretch(&srat, 0, HS_GIB, 2 * HS_GIB, &cov), 2 * HS_GIB);
	assert_true(cov);
	assert_int_equal(numa_stretch(&srat, 0, 4 * HS_GIB, UINT64_MAX, &cov), 5 * HS_GIB - 1);
	assert_false(cov);
	/* only hot-pluggable ranges */
	assert_int_equal(numa_stretch(&srat, SRAT_MEM_HOT_PLUGGABLE, HS_GIB, UINT64_MAX, &cov),
			 5 * HS_GIB - 1);
	assert_false(cov);
	assert_int_equal(numa_stretch(&srat, SRAT_MEM_HOT_PLUGGABLE, 5 * HS_GIB, UINT64_MAX, &cov),
			 6 * HS_GIB - 1);
	assert_true(cov);
	/* a range reaching the top of the address space */
	range(4, 0xfffffffffffff000ull, 0x1000, 2, 0);
	sm[4].end = 0; /* base + length wraps to 0, as in Linux */
	assert_int_equal(numa_stretch(&srat, 0, 0xfffffffffffff000ull, UINT64_MAX, &cov), UINT64_MAX);
	assert_true(cov);
	(void)state;
}

static void test_check(void **state)
{
	struct mm_entry e[] = {
		{ 0x100000, 0x7fffffff, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
		{ 0x80000000, 0x800fffff, MM_ACPI, EFI_ACPI_RECLAIM_MEMORY },
		{ 0x100000000ull, 0x13fffffffull, MM_CONVENTIONAL, EFI_CONVENTIONAL_MEMORY },
	};
	struct mm_map map = { e, 3, 3 };
	struct numa_verdict v;

	range(0, 0, 0x80000000, 0, 0);
	range(1, 0x100000000ull, 0x40000000, 1, SRAT_MEM_HOT_PLUGGABLE);
	numa_check(&srat, &map, &v);
	assert_true(v.used);
	assert_int_equal(v.ram_bytes, 0x7ff00000ull + 0x40000000ull);
	assert_int_equal(v.uncovered_bytes, 0);
	/* ranges of two nodes overlapping outside RAM are fine ... */
	range(2, 0x80000000, 0x100000, 1, 0);
	range(3, 0x80000000, 0x100000, 0, 0);
	numa_check(&srat, &map, &v);
	assert_true(v.used);
	/* ... inside RAM Linux gives up */
	range(3, 0x7ff00000, 0x100000, 1, 0);
	numa_check(&srat, &map, &v);
	assert_false(v.used);
	assert_string_equal(v.why, "node 0 [mem 0x00000000-0x7fffffff] overlaps node 1 "
				   "[mem 0x7ff00000-0x7fffffff] in RAM (numa_cleanup_meminfo)");
	/* RAM outside every range: 1 MiB less a page passes, 1 MiB does not */
	srat.mem_count = 2;
	e[2].last = 0x1400fefffull;
	numa_check(&srat, &map, &v);
	assert_true(v.used);
	assert_int_equal(v.uncovered_bytes, 0xff000);
	e[2].last = 0x1400fffffull;
	numa_check(&srat, &map, &v);
	assert_false(v.used);
	assert_string_equal(v.why, "its ranges cover 3071 MiB of 3072 MiB RAM, and Linux allows "
				   "less than 1 MiB outside (numa_meminfo_cover_memory)");
	(void)state;
}

/* numa_survey: the parse's verdict passes through; NULL when unused. */
static void test_survey(void **state)
{
	uint8_t t[48 + 40] = "SRAT";
	struct mm_map map = { NULL, 0, 0 };
	struct srat_opts o = { 0 };
	struct numa_verdict v;
	static struct srat_mem mem[4];
	struct srat_result r = { .mem = mem, .mem_cap = 4 };

	t[4] = sizeof(t);
	t[8] = 3;
	t[48] = SRAT_TYPE_MEMORY;
	t[49] = 40;
	t[48 + 16 + 3] = 0x40; /* 1 GiB */
	t[48 + 28] = SRAT_MEM_ENABLED;
	assert_ptr_equal(numa_survey((struct hs_view){ t, sizeof(t) }, &o, &map, &r, &v, NULL), &r);
	assert_true(v.used);
	t[48 + 28] = 0; /* no enabled memory entry */
	assert_null(numa_survey((struct hs_view){ t, sizeof(t) }, &o, &map, &r, &v, NULL));
	assert_string_equal(v.why, "no enabled memory affinity entry");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stretch),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_survey),
	};
	return cmocka_run_group_tests_name("core/numa", tests, NULL, NULL);
}
