/* Tests core/alloc.c: the model built from map x SRAT, hot-plug marking
 * (also where hotshim's own image lies), and allocation checked against a
 * page by page reference over thousands of random machines. */
/* links: core/alloc.c lib/memblock.c lib/memmap.c */
#include "test/unit/helpers.h"
#include "core/alloc.h"

static struct mb_region mem_r[256], res_r[256];
static struct srat_mem smem[16];

static void mb_init(struct memblock *mb)
{
	mb->memory = (struct mb_type){ mem_r, 0, HS_ARRAY_SIZE(mem_r) };
	mb->reserved = (struct mb_type){ res_r, 0, HS_ARRAY_SIZE(res_r) };
}

static struct srat_result srat_of(unsigned n)
{
	struct srat_result s;

	memset(&s, 0, sizeof(s));
	s.mem = smem;
	s.mem_cap = HS_ARRAY_SIZE(smem);
	s.mem_count = n;
	s.used = true;
	return s;
}

static void set_mem(unsigned i, uint64_t base, uint64_t len, unsigned node, unsigned flags)
{
	smem[i] = (struct srat_mem){ .base = base, .length = len, .end = base + len,
				     .node = (uint16_t)node, .flags = SRAT_MEM_ENABLED | flags,
				     .memblk = true };
}

/* Two nodes of 1 GiB, node 1 hot-pluggable; hotshim's image in node 0. */
static void test_build_and_place(void **state)
{
	struct mm_entry e[] = {
		{ 0x0, 0x9ffff, MM_CONVENTIONAL, 7 },
		{ 0x100000, 0x1fffffff, MM_CONVENTIONAL, 7 },
		{ 0x20000000, 0x200fffff, MM_LOADER, 1 },       /* hotshim */
		{ 0x20100000, 0x3effffff, MM_CONVENTIONAL, 7 },
		{ 0x3f000000, 0x3fffffff, MM_BOOT_SERVICES, 4 },
		{ 0x40000000, 0x7fffffff, MM_CONVENTIONAL, 7 },
		{ 0xfec00000, 0xfec00fff, MM_MMIO, 11 },
	};
	struct mm_map map = { e, HS_ARRAY_SIZE(e), HS_ARRAY_SIZE(e) };
	struct srat_result s = srat_of(3);
	struct memblock mb;
	uint64_t a;

	set_mem(0, 0, 0xa0000, 0, 0);
	set_mem(1, 0x100000, 0x3ff00000, 0, 0);
	set_mem(2, 0x40000000, 0x40000000, 1, SRAT_MEM_HOT_PLUGGABLE);
	mb_init(&mb);
	assert_int_equal(mb_build(&mb, &map, &s, 0x20000000, 0x200fffff), 0);
	assert_int_equal(mb.memory.count, 3);
	assert_int_equal(mb.memory.r[1].last, 0x3fffffff);
	assert_int_equal(mb.memory.r[2].flags, MB_HOTPLUG);
	assert_int_equal(mb.memory.r[2].node, 1);
	assert_int_equal(mb.reserved.count, 2);
	assert_int_equal(mb.reserved.r[0].owner, OWN_HOTSHIM);
	assert_int_equal(mb.reserved.r[1].owner, OWN_FIRMWARE);

	/* bottom-up from the end of the image */
	struct alloc_req q = { .size = 0x5000, .align = 0x200000, .min = 0x20100000,
			       .max = UINT64_MAX, .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP,
			       .owner = OWN_KERNEL };
	assert_int_equal(mb_alloc(&mb, &q, &a), 0);
	assert_int_equal(a, 0x20200000);
	q.align = HS_PAGE_SIZE;
	q.owner = OWN_PAGE_TABLES;
	assert_int_equal(mb_alloc(&mb, &q, &a), 0);
	assert_int_equal(a, 0x20100000);
	/* top-down never lands in node 1 */
	q.dir = ALLOC_TOP_DOWN;
	q.min = 0;
	assert_int_equal(mb_alloc(&mb, &q, &a), 0);
	assert_int_equal(a, 0x3effb000);
	/* "within node 1": all of node 1 is hot-pluggable, so nothing */
	q.node = 1;
	assert_int_equal(mb_find_free(&mb, &q, &a), -HS_ENOMEM);
	q.node = 0;
	q.size = 0x40000000; /* more than node 0 has free */
	assert_int_equal(mb_find_free(&mb, &q, &a), -HS_ENOMEM);
	q.align = 3 * HS_PAGE_SIZE;
	assert_int_equal(mb_find_free(&mb, &q, &a), -HS_EINVAL);

	/* the image in node 1: node 1 is marked all the same (Linux reserves
	 * nothing of a loader's image), and bottom-up above the image finds
	 * nothing outside hot-pluggable memory: top-down below it is next */
	mb_init(&mb);
	e[2].kind = MM_CONVENTIONAL;
	e[5] = (struct mm_entry){ 0x40000000, 0x400fffff, MM_LOADER, 1 };
	assert_int_equal(mb_build(&mb, &map, &s, 0x40000000, 0x400fffff), 0);
	assert_int_equal(mb_find(&mb.memory, 0x40000000)->flags, MB_HOTPLUG);
	assert_int_equal(mb_find(&mb.reserved, 0x40000000)->owner, OWN_HOTSHIM);
	q = (struct alloc_req){ .size = 0x5000, .align = HS_PAGE_SIZE, .min = 0x40100000,
				.max = UINT64_MAX, .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP,
				.owner = OWN_KERNEL };
	assert_int_equal(mb_find_free(&mb, &q, &a), -HS_ENOMEM);
	q.min = 0;
	q.dir = ALLOC_TOP_DOWN;
	assert_int_equal(mb_find_free(&mb, &q, &a), 0);
	assert_int_equal(a, 0x3effb000);
}

/* --- property test ---------------------------------------------------- */

#define SPACE_PAGES 4096u /* 16 MiB machines */
static uint8_t page_kind[SPACE_PAGES]; /* 0 hole, 1 free RAM, 2 used RAM */
static int8_t page_node[SPACE_PAGES];
static uint8_t page_hp[SPACE_PAGES];

static uint32_t rng;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

static bool page_ok(uint64_t p, const struct alloc_req *q)
{
	return p < SPACE_PAGES && page_kind[p] == 1 && !page_hp[p] &&
	       (q->node == MB_NO_NODE || page_node[p] == q->node);
}

/* The answer by brute force over every aligned address. */
static bool reference(const struct alloc_req *q, uint64_t *ret)
{
	uint64_t pages = (q->size + HS_PAGE_SIZE - 1) / HS_PAGE_SIZE, step = q->align / HS_PAGE_SIZE;
	int64_t first = 0, last = (int64_t)SPACE_PAGES - (int64_t)pages;

	for (int64_t k = 0; k <= last; k++) {
		int64_t p = q->dir == ALLOC_BOTTOM_UP ? first + k : last - k;
		if ((uint64_t)p % step || (uint64_t)p * HS_PAGE_SIZE < q->min ||
		    ((uint64_t)p + pages) * HS_PAGE_SIZE - 1 > q->max)
			continue;
		uint64_t i;
		/* a block stays within one node, like memblock's per-region search */
		for (i = 0; i < pages && page_ok((uint64_t)p + i, q) &&
			    page_node[p + i] == page_node[p]; i++)
			;
		if (i == pages) {
			*ret = (uint64_t)p * HS_PAGE_SIZE;
			return true;
		}
	}
	return false;
}

static void one_machine(unsigned seed)
{
	struct mm_entry e[64];
	struct mm_map map = { e, 0, 64 };
	unsigned nodes = 1 + rnd(3), nmem = 0;
	struct srat_result s = srat_of(0);
	struct memblock mb;

	rng = seed;
	memset(page_kind, 0, sizeof(page_kind));
	memset(page_node, -1, sizeof(page_node)); /* no SRAT range: no node */
	memset(page_hp, 0, sizeof(page_hp));
	/* the map: runs of pages of random kinds, with holes */
	for (uint32_t p = 0; p < SPACE_PAGES && map.count < 64;) {
		uint32_t len = 1 + rnd(400);
		if (p + len > SPACE_PAGES)
			len = SPACE_PAGES - p;
		uint32_t k = rnd(10);
		enum mm_kind kind = k < 5 ? MM_CONVENTIONAL : k < 6 ? MM_BOOT_SERVICES :
				    k < 7 ? MM_LOADER : k < 8 ? MM_ACPI : MM_RESERVED;
		if (rnd(5))
			mm_add_pages(&map, (uint64_t)p * HS_PAGE_SIZE, len, kind, 0);
		p += len + (rnd(4) == 0 ? rnd(64) : 0);
	}
	for (size_t i = 0; i < map.count; i++)
		for (uint64_t p = map.e[i].base / HS_PAGE_SIZE; p <= map.e[i].last / HS_PAGE_SIZE; p++)
			page_kind[p] = map.e[i].kind == MM_CONVENTIONAL ? 1 :
				       mm_is_ram(map.e[i].kind) ? 2 : 0;
	/* the SRAT: consecutive node ranges, some hot-pluggable */
	for (uint32_t p = 0, n = 0; p < SPACE_PAGES && nmem < 16; n = (n + 1) % nodes) {
		uint32_t len = 64 + rnd(1500);
		if (p + len > SPACE_PAGES)
			len = SPACE_PAGES - p;
		unsigned fl = rnd(3) == 0 ? SRAT_MEM_HOT_PLUGGABLE : 0;
		set_mem(nmem++, (uint64_t)p * HS_PAGE_SIZE, (uint64_t)len * HS_PAGE_SIZE, n, fl);
		for (uint32_t i = p; i < p + len; i++) {
			page_node[i] = (int8_t)n;
			page_hp[i] = fl ? 1 : 0;
		}
		p += len;
	}
	s.mem_count = nmem;
	uint64_t img = (uint64_t)rnd(SPACE_PAGES - 16) * HS_PAGE_SIZE;
	mb_init(&mb);
	assert_int_equal(mb_build(&mb, &map, &s, img, img + 16 * HS_PAGE_SIZE - 1), 0);
	for (uint32_t p = 0; p < SPACE_PAGES; p++) {
		const struct mb_region *r = mb_find(&mb.memory, (uint64_t)p * HS_PAGE_SIZE);
		assert_int_equal(r != NULL, page_kind[p] != 0);
		if (r)
			assert_int_equal((r->flags & MB_HOTPLUG) != 0, page_hp[p]);
	}
	for (int k = 0; k < 6; k++) {
		struct alloc_req q = {
			.size = rnd(64) * HS_PAGE_SIZE + 1 + rnd(HS_PAGE_SIZE),
			.align = HS_PAGE_SIZE << rnd(6),
			.min = (uint64_t)rnd(SPACE_PAGES / 2) * HS_PAGE_SIZE,
			.max = rnd(4) ? UINT64_MAX : (uint64_t)(SPACE_PAGES / 2 + rnd(SPACE_PAGES / 2)) * HS_PAGE_SIZE - 1,
			.node = rnd(3) ? MB_NO_NODE : (int32_t)rnd(nodes),
			.dir = rnd(2) ? ALLOC_BOTTOM_UP : ALLOC_TOP_DOWN,
			.owner = OWN_KERNEL,
		};
		uint64_t want, got;
		bool have = reference(&q, &want);
		int r = mb_alloc(&mb, &q, &got);
		if (have != (r == 0) || (have && want != got)) {
			fprintf(stderr, "size %#llx align %#llx min %#llx max %#llx node %d dir %d\n",
				(unsigned long long)q.size, (unsigned long long)q.align,
				(unsigned long long)q.min, (unsigned long long)q.max, q.node, q.dir);
			for (size_t i = 0; i < mb.memory.count; i++)
				fprintf(stderr, "  memory %#llx-%#llx node %d flags %u\n",
					(unsigned long long)mb.memory.r[i].base,
					(unsigned long long)mb.memory.r[i].last, mb.memory.r[i].node,
					mb.memory.r[i].flags);
			for (size_t i = 0; i < mb.reserved.count; i++)
				fprintf(stderr, "  reserved %#llx-%#llx\n",
					(unsigned long long)mb.reserved.r[i].base,
					(unsigned long long)mb.reserved.r[i].last);
			fail_msg("seed %u alloc %d: got %d %#llx, reference %d %#llx", seed, k, r,
				 (unsigned long long)got, have, (unsigned long long)want);
		}
		if (r == 0)
			for (uint64_t p = got / HS_PAGE_SIZE; p <= (got + q.size - 1) / HS_PAGE_SIZE; p++)
				page_kind[p] = 2;
	}
}

static void test_random_machines(void **state)
{
	for (unsigned seed = 1; seed <= 3000; seed++)
		one_machine(seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_place),
		cmocka_unit_test(test_random_machines),
	};
	return cmocka_run_group_tests_name("core/alloc", tests, NULL, NULL);
}
