/* Tests x86/paging.c with an independent walker: every RAM byte maps to
 * itself and to itself + offset, nothing else is mapped, NX is right, and
 * the page count is the minimum. */
/* links: x86/paging.c */
#include "test/unit/helpers.h"
#include "x86/paging.h"

/* Fake physical memory for the tables: phys = FAKE_BASE + 4 KiB * index. */
#define FAKE_BASE 0x10200000ull
#define MAX_PAGES 8192
static uint64_t (*pool)[512];
static size_t pool_used;
static struct pt *cur; /* for the "already mapped" check */
static size_t unmapped_allocs;

static bool translates(const struct pt *pt, uint64_t va, uint64_t *ret_pa);

static uint64_t fake_alloc(void *ctx)
{
	if (pool_used >= MAX_PAGES)
		return 0;
	uint64_t phys = FAKE_BASE + pool_used * HS_PAGE_SIZE;
	memset(pool[pool_used++], 0, HS_PAGE_SIZE);
	uint64_t pa;
	/* a kernel building its own tables can only write pages it has mapped */
	if (cur && cur->pages && !(translates(cur, phys, &pa) && pa == phys))
		unmapped_allocs++;
	return phys;
}

static uint64_t *fake_ptr(void *ctx, uint64_t phys)
{
	assert_true(phys >= FAKE_BASE && (phys - FAKE_BASE) / HS_PAGE_SIZE < pool_used);
	return pool[(phys - FAKE_BASE) / HS_PAGE_SIZE];
}

static const struct pt_mem mem = { fake_alloc, fake_ptr, NULL };

/* --- independent walker ------------------------------------------------ */

struct leaf {
	uint64_t va, pa, size;
	bool nx;
};
static struct leaf leaves[1 << 20];
static size_t nleaves;

static void walk(const struct pt *pt, uint64_t phys, int level, uint64_t va_base)
{
	uint64_t *t = fake_ptr(NULL, phys);
	int sh = 12 + 9 * (level - 1);

	for (uint64_t i = 0; i < 512; i++) {
		uint64_t e = t[i];
		if (!(e & PTE_PRESENT))
			continue;
		uint64_t va = va_base | (i << sh);
		if (level == (pt->cfg.la57 ? 5 : 4) && i >= 256) /* canonical upper half */
			va |= pt->cfg.la57 ? 0xfe00000000000000ull : 0xffff000000000000ull;
		if (level == 1 || (e & PTE_PS)) {
			assert_true(nleaves < HS_ARRAY_SIZE(leaves));
			leaves[nleaves++] = (struct leaf){ va, e & PTE_ADDR, 1ull << sh, !!(e & PTE_NX) };
		} else {
			assert_false(e & PTE_NX); /* NX only on leaves */
			walk(pt, e & PTE_ADDR, level - 1, va);
		}
	}
}

static bool translates(const struct pt *pt, uint64_t va, uint64_t *ret_pa)
{
	int level = pt->cfg.la57 ? 5 : 4;
	uint64_t phys = pt->root;

	for (;; level--) {
		uint64_t e = fake_ptr(NULL, phys)[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_PRESENT))
			return false;
		if (level == 1 || (e & PTE_PS)) {
			uint64_t size = 1ull << (12 + 9 * (level - 1));
			*ret_pa = (e & PTE_ADDR) + (va & (size - 1));
			return true;
		}
		phys = e & PTE_ADDR;
	}
}

/* The leaves, merged, must be exactly the ranges (identity), exactly the
 * ranges + offset (direct map), and nothing else. */
static void check(struct pt *pt, const struct pt_range *r, size_t n)
{
	nleaves = 0;
	walk(pt, pt->root, pt->cfg.la57 ? 5 : 4, 0);
	size_t k = 0;
	for (int pass = 0; pass < (pt->cfg.offset ? 2 : 1); pass++) {
		uint64_t off = pass ? pt->cfg.offset : 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t pos = r[i].base;
			while (pos <= r[i].last) {
				assert_true(k < nleaves);
				const struct leaf *l = &leaves[k++];
				assert_int_equal(l->va, pos + off);
				assert_int_equal(l->pa, pos);
				assert_true(pos + l->size - 1 <= r[i].last);
				assert_int_equal(l->nx, pt->cfg.nx && !r[i].exec);
				if (pos + l->size - 1 == r[i].last)
					break;
				pos += l->size;
			}
		}
	}
	assert_int_equal(k, nleaves);
	assert_int_equal(pt->pages, pt_min_pages(&pt->cfg, r, n));
	assert_int_equal(pt->pages, pool_used);
}

static struct pt build(const struct pt_cfg *cfg, const struct pt_range *r, size_t n,
		       uint64_t image_end)
{
	static struct pt pt;

	pool_used = 0;
	unmapped_allocs = 0;
	cur = &pt;
	pt.pages = 0;
	assert_int_equal(pt_init(&pt, cfg, &mem), 0);
	assert_int_equal(pt_build_bottom_up(&pt, r, n, image_end), 0);
	cur = NULL;
	return pt;
}

/* A q35-like map: RAM below 640 KiB, 1 MiB - 2 GiB, 4 - 6 GiB; the image
 * (executable) at 256 MiB. */
static const struct pt_range q35[] = {
	{ 0x0, 0x9ffff, false },
	{ 0x100000, 0xfffffff, false },
	{ 0x10000000, 0x101fffff, true },
	{ 0x10200000, 0x7fffffff, false },
	{ 0x100000000, 0x17fffffff, false },
};

static void test_counts_by_hand(void **state)
{
	struct pt_cfg c = { .gb_pages = true, .nx = true, .offset = PT_DIRECT_MAP_DEFAULT };
	/* per map: PDPT; PD and PT for the first GiB (holes, 4 KiB edges and
	 * the executable image); 1 GiB leaves above; plus the root */
	struct pt pt = build(&c, q35, HS_ARRAY_SIZE(q35), 0x10200000);
	assert_int_equal(pt.pages, 1 + 2 * 3);
	check(&pt, q35, HS_ARRAY_SIZE(q35));

	c.gb_pages = false; /* PDs for [0,1G) [1G,2G) [4G,5G) [5G,6G), + PDPT + PT */
	pt = build(&c, q35, HS_ARRAY_SIZE(q35), 0x10200000);
	assert_int_equal(pt.pages, 1 + 2 * 6);
	check(&pt, q35, HS_ARRAY_SIZE(q35));

	c.la57 = true; /* one more level per map */
	pt = build(&c, q35, HS_ARRAY_SIZE(q35), 0x10200000);
	assert_int_equal(pt.pages, 1 + 2 * 7);
	check(&pt, q35, HS_ARRAY_SIZE(q35));

	c = (struct pt_cfg){ .gb_pages = true }; /* identity only, no NX */
	pt = build(&c, q35, HS_ARRAY_SIZE(q35), 0x10200000);
	assert_int_equal(pt.pages, 1 + 3);
	check(&pt, q35, HS_ARRAY_SIZE(q35));
}

/* Bottom-up from the image: all but the first window's tables are
 * allocated from memory that is already mapped. */
static void test_bottom_up_allocates_mapped(void **state)
{
	struct pt_cfg c = { .gb_pages = false, .nx = true, .offset = PT_DIRECT_MAP_DEFAULT };
	struct pt pt = build(&c, q35, HS_ARRAY_SIZE(q35), 0x10200000);

	check(&pt, q35, HS_ARRAY_SIZE(q35));
	/* Besides the root, only the PDPT, PD and PT of each map for the
	 * first MiB come from memory not mapped yet (Linux takes those from
	 * its BRK area); every later table page lies in memory mapped before. */
	assert_int_equal(unmapped_allocs, 2 * 3);
	assert_int_equal(pt.pages, 1 + 2 * 6);
}

static uint32_t rng;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

static void test_random_maps(void **state)
{
	static struct pt_range r[64];

	for (unsigned seed = 1; seed <= 300; seed++) {
		rng = seed;
		size_t n = 0;
		uint64_t pos = (uint64_t)rnd(64) << 12;
		while (n < 24) {
			/* sizes from 4 KiB to ~8 GiB, 4 KiB granular */
			uint64_t len = ((uint64_t)1 + rnd(2048)) << (12 + rnd(10));
			r[n] = (struct pt_range){ pos, pos + len - 1, rnd(8) == 0 };
			n++;
			pos += len + (rnd(3) ? ((uint64_t)rnd(4096) << 12) : 0) + HS_PAGE_SIZE;
			if (pos > (1ull << 40))
				break;
		}
		struct pt_cfg c = { .gb_pages = rnd(2), .la57 = rnd(4) == 0, .nx = rnd(2),
				    .offset = rnd(3) ? PT_DIRECT_MAP_DEFAULT : 0 };
		uint64_t image = r[rnd((uint32_t)n)].base;
		struct pt pt = build(&c, r, n, image);
		check(&pt, r, n);
	}
}

/* Addresses the CPU cannot translate are refused, not wrapped. */
static void test_refuses_unmappable(void **state)
{
	struct pt_cfg c = { .gb_pages = true, .offset = PT_DIRECT_MAP_DEFAULT };
	struct pt pt;

	pool_used = 0;
	cur = NULL;
	assert_int_equal(pt_init(&pt, &c, &mem), 0);
	assert_int_equal(pt_max_phys(&c), 0x3fffffffffffull);
	/* identity: the top of the lower half is fine, one page more is not */
	assert_int_equal(pt_map(&pt, 0x7fffffe00000ull, 0x7fffffe00000ull, 0x7fffffffffffull, false), 0);
	assert_int_equal(pt_map(&pt, 0x7ffffffff000ull, 0x7ffffffff000ull, 0x800000000fffull, false),
			 -HS_EINVAL);
	/* non-canonical, wrapping, beyond 52 physical bits */
	assert_int_equal(pt_map(&pt, 0x800000000000ull, 0, 0xfff, false), -HS_EINVAL);
	assert_int_equal(pt_map(&pt, 0xfffffffffffff000ull, 0, 0x1fff, false), -HS_EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0x10000000000000ull, 0x10000000000fffull, false), -HS_EINVAL);
	c.la57 = true;
	assert_int_equal(pt_max_phys(&c), 0xfffffffffffffull);
	assert_int_equal(pt_init(&pt, &c, &mem), 0);
	assert_int_equal(pt_map(&pt, 0x800000000000ull, 0, 0xfff, false), 0);
	assert_int_equal(pt_map(&pt, 0x100000000000000ull, 0, 0xfff, false), -HS_EINVAL);
	assert_int_equal(pt_map(&pt, 0xff00000000000000ull, 0, 0xfff, false), 0);
}

int main(void)
{
	pool = calloc(MAX_PAGES, sizeof(*pool));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_by_hand),
		cmocka_unit_test(test_bottom_up_allocates_mapped),
		cmocka_unit_test(test_random_maps),
		cmocka_unit_test(test_refuses_unmappable),
	};
	int r = cmocka_run_group_tests_name("x86/paging", tests, NULL, NULL);
	free(pool);
	return r;
}
