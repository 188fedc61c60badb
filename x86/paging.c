#include "paging.h"

#define ENTRIES 512u

static unsigned levels(const struct pt_cfg *c)
{
	return c->la57 ? 5 : 4;
}

static unsigned shift_of(unsigned level)
{
	return 12 + 9 * (level - 1);
}

/* Can an entry at this level be a leaf (4K, 2M, or 1G with pdpe1gb)? */
static bool leaf_ok(const struct pt_cfg *c, unsigned level)
{
	return level == 1 || level == 2 || (level == 3 && c->gb_pages);
}

int pt_init(struct pt *pt, const struct pt_cfg *cfg, const struct pt_mem *mem)
{
	pt->cfg = *cfg;
	pt->mem = *mem;
	pt->pages = 0;
	pt->root = mem->alloc(mem->ctx);
	if (!pt->root)
		return -HS_ENOMEM;
	pt->pages = 1;
	return 0;
}

/* Maps [va, va + len) -> pa in the table at table_phys (level). */
static int map_level(struct pt *pt, uint64_t table_phys, unsigned level, uint64_t va, uint64_t pa,
		     uint64_t len, bool exec)
{
	uint64_t *t = pt->mem.ptr(pt->mem.ctx, table_phys);
	unsigned sh = shift_of(level);
	uint64_t size = 1ull << sh;
	uint64_t nx = (pt->cfg.nx && !exec) ? PTE_NX : 0;

	while (len) {
		unsigned idx = (unsigned)((va >> sh) & (ENTRIES - 1));
		uint64_t in_entry = size - (va & (size - 1)); /* bytes to the entry's end */
		uint64_t chunk = HS_MIN(len, in_entry);
		uint64_t e = t[idx];

		if (leaf_ok(&pt->cfg, level) && !(e & PTE_PRESENT) && !(va & (size - 1)) &&
		    !(pa & (size - 1)) && chunk == size) {
			t[idx] = (pa & PTE_ADDR) | PTE_PRESENT | PTE_WRITE |
				 (level > 1 ? PTE_PS : 0) | nx;
		} else if (level == 1) {
			/* 4 KiB already there: same mapping, nothing to do */
			if (!(e & PTE_PRESENT))
				return -HS_EINVAL;
		} else {
			if (e & PTE_PS) {
				/* already covered by a larger leaf: fine when it maps
				 * the same place */
				uint64_t want = (pa - (va & (size - 1))) & PTE_ADDR;
				if ((e & PTE_ADDR) != want)
					return -HS_EINVAL;
			} else {
				if (!(e & PTE_PRESENT)) {
					uint64_t next = pt->mem.alloc(pt->mem.ctx);
					if (!next)
						return -HS_ENOMEM;
					pt->pages++;
					/* NX lives on leaves; tables allow everything */
					t[idx] = next | PTE_PRESENT | PTE_WRITE;
					e = t[idx];
				}
				int r = map_level(pt, e & PTE_ADDR, level - 1, va, pa, chunk, exec);
				if (r < 0)
					return r;
			}
		}
		va += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

uint64_t pt_max_phys(const struct pt_cfg *cfg)
{
	return (1ull << (cfg->la57 ? 52 : 46)) - 1;
}

/* Is [va, va + len) one stretch of canonical addresses? */
static bool canonical(const struct pt_cfg *c, uint64_t va, uint64_t len)
{
	unsigned bits = c->la57 ? 57 : 48;
	uint64_t half = 1ull << (bits - 1);
	uint64_t last;

	if (__builtin_add_overflow(va, len - 1, &last))
		return false;
	if (last < half)
		return true;
	return va >= (uint64_t)0 - half;
}

int pt_map(struct pt *pt, uint64_t virt, uint64_t phys, uint64_t last, bool exec)
{
	if (last < phys || (phys & 0xfff) || ((last + 1) & 0xfff) || (virt & 0xfff) ||
	    last > PTE_ADDR || !canonical(&pt->cfg, virt, last - phys + 1))
		return -HS_EINVAL;
	return map_level(pt, pt->root, levels(&pt->cfg), virt, phys, last - phys + 1, exec);
}

/* Maps the part of the ranges inside [lo, hi], both maps. */
static int map_window(struct pt *pt, const struct pt_range *r, size_t n, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t a = HS_MAX(r[i].base, lo), z = HS_MIN(r[i].last, hi);
		int e;
		if (a > z)
			continue;
		e = pt_map(pt, a, a, z, r[i].exec);
		if (!e && pt->cfg.offset)
			e = pt_map(pt, a + pt->cfg.offset, a, z, r[i].exec);
		if (e < 0)
			return e;
	}
	return 0;
}

#define ISA_END 0x100000ull
#define STEP_START (2ull << 20)

/*
 * Windows are aligned to the largest leaf (1 GiB with pdpe1gb, else 2 MiB)
 * so that no block that could be one leaf is ever split between two
 * windows: the tables come out the same as mapping everything at once,
 * which is the minimum pt_min_pages() counts.  (Linux aligns its windows
 * to the step size instead and splits 1 GiB blocks while the step is
 * 512 MiB.)
 */
int pt_build_bottom_up(struct pt *pt, const struct pt_range *r, size_t n, uint64_t image_end)
{
	uint64_t L = pt->cfg.gb_pages ? (1ull << 30) : STEP_START;
	uint64_t top = 0;
	int e;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		top = HS_MAX(top, r[i].last);
	/* the first MiB (rounded out to a window) */
	e = map_window(pt, r, n, 0, ((ISA_END + L - 1) & ~(L - 1)) - 1);
	if (e < 0)
		return e;
	uint64_t low = (ISA_END + L - 1) & ~(L - 1);
	uint64_t start = HS_MAX(image_end & ~(L - 1), low);
	uint64_t step = STEP_START;
	/* arch/x86/mm/init.c memory_map_bottom_up(): from the image end up,
	 * the step growing 256-fold (get_new_step_size()) */
	for (uint64_t pos = start; pos <= top;) {
		uint64_t next;
		if (__builtin_add_overflow(pos, step + L - 1, &next)) {
			next = 0; /* to the end of the address space */
		} else {
			next &= ~(L - 1);
		}
		uint64_t last = next ? next - 1 : UINT64_MAX;
		e = map_window(pt, r, n, pos, HS_MIN(last, top));
		if (e < 0)
			return e;
		if (last >= top)
			break;
		pos = next;
		if (step < (1ull << 55))
			step <<= 8;
	}
	/* then from above the first MiB up to the image */
	if (start > low)
		e = map_window(pt, r, n, low, start - 1);
	return e;
}

/* --- counting the minimum ------------------------------------------- */

/* Leaves of [a, z] mapped at virt: for each leaf, note the tables above it
 * by their coverage blocks; distinct blocks per level are the tables. */
struct counter {
	const struct pt_cfg *c;
	uint64_t last_block[6]; /* last table block seen per level, +1 (0 = none) */
	size_t tables;
};

static void note_leaf(struct counter *k, uint64_t va, unsigned leaf_level)
{
	/* a table at level L covers 1 << shift_of(L + 1) bytes */
	for (unsigned L = leaf_level; L < levels(k->c); L++) {
		uint64_t block = (va >> shift_of(L + 1)) + 1;
		if (k->last_block[L] != block) {
			k->last_block[L] = block;
			k->tables++;
		}
	}
}

static void count_range(struct counter *k, uint64_t va, uint64_t pa, uint64_t last)
{
	uint64_t len = last - pa + 1;

	while (len) {
		unsigned L = levels(k->c) - 1;
		while (L > 1 && !(leaf_ok(k->c, L) && !(va & ((1ull << shift_of(L)) - 1)) &&
				  !(pa & ((1ull << shift_of(L)) - 1)) && len >= (1ull << shift_of(L))))
			L--;
		note_leaf(k, va, L);
		uint64_t sz = 1ull << shift_of(L);
		va += sz;
		pa += sz;
		len -= sz;
	}
}

size_t pt_min_pages(const struct pt_cfg *cfg, const struct pt_range *r, size_t n)
{
	struct counter k = { .c = cfg };

	/* ranges are sorted, and leaves come in address order, so a table
	 * block once left is never seen again */
	/* what pt_map() would refuse is not counted */
	for (size_t i = 0; i < n; i++)
		if (r[i].last > pt_max_phys(cfg))
			return 0;
	for (size_t i = 0; i < n; i++)
		count_range(&k, r[i].base, r[i].base, r[i].last);
	if (cfg->offset)
		for (size_t i = 0; i < n; i++)
			count_range(&k, r[i].base + cfg->offset, r[i].base, r[i].last);
	return 1 + k.tables;
}
