#include "alloc.h"

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

int mb_build(struct memblock *mb, const struct mm_map *map, const struct srat_result *srat,
	     uint64_t image_base, uint64_t image_last)
{
	int r;

	for (size_t i = 0; i < map->count; i++) {
		const struct mm_entry *e = &map->e[i];
		if (!mm_is_ram(e->kind))
			continue;
		r = mb_add(&mb->memory, e->base, e->last, srat ? MB_NO_NODE : 0, 0, OWN_NONE);
		if (r < 0)
			return r;
		if (e->kind == MM_CONVENTIONAL)
			continue;
		bool image = image_last && e->base <= image_last && image_base <= e->last;
		r = mb_add(&mb->reserved, e->base, e->last, MB_NO_NODE, 0,
			   image ? OWN_HOTSHIM : OWN_FIRMWARE);
		if (r < 0)
			return r;
	}
	size_t n = srat ? HS_MIN(srat->mem_count, srat->mem_cap) : 0;
	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *m = &srat->mem[i];
		if (!m->memblk)
			continue;
		unsigned set = ((m->flags & SRAT_MEM_NON_VOLATILE) ? MB_NONVOLATILE : 0) |
			       ((m->flags & SRAT_MEM_HOT_PLUGGABLE) ? MB_HOTPLUG : 0);
		r = mb_update(&mb->memory, m->base, m->end - 1, set, 0, true, m->node);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Tries [lo, hi] (free, eligible) for an aligned block of size bytes. */
static bool fit(uint64_t lo, uint64_t hi, const struct alloc_req *q, uint64_t size,
		uint64_t *ret)
{
	uint64_t a, last;

	lo = HS_MAX(lo, q->min);
	hi = HS_MIN(hi, q->max);
	if (lo > hi)
		return false;
	if (q->dir == ALLOC_BOTTOM_UP) {
		a = (lo + q->align - 1) & ~(q->align - 1);
		if (a < lo || __builtin_add_overflow(a, size - 1, &last) || last > hi)
			return false;
	} else {
		if (hi - lo < size - 1)
			return false;
		a = (hi - (size - 1)) & ~(q->align - 1);
		if (a < lo)
			return false;
	}
	*ret = a;
	return true;
}

/* The free stretches of one memory region (region minus reserved), in
 * the request's direction. */
static bool search_region(const struct memblock *mb, const struct mb_region *m,
			  const struct alloc_req *q, uint64_t size, uint64_t *ret)
{
	const struct mb_type *rv = &mb->reserved;
	size_t n = rv->count;

	if (q->dir == ALLOC_BOTTOM_UP) {
		uint64_t pos = m->base;
		for (size_t i = 0; i < n; i++) {
			const struct mb_region *r = &rv->r[i];
			if (r->last < pos || r->base > m->last)
				continue;
			if (r->base > pos && fit(pos, r->base - 1, q, size, ret))
				return true;
			if (r->last >= m->last)
				return false;
			pos = r->last + 1;
		}
		return fit(pos, m->last, q, size, ret);
	}
	uint64_t pos = m->last;
	for (size_t k = n; k-- > 0;) {
		const struct mb_region *r = &rv->r[k];
		if (r->base > pos || r->last < m->base)
			continue;
		if (r->last < pos && fit(r->last + 1, pos, q, size, ret))
			return true;
		if (r->base <= m->base)
			return false;
		pos = r->base - 1;
	}
	return fit(m->base, pos, q, size, ret);
}

int mb_find_free(const struct memblock *mb, const struct alloc_req *q, uint64_t *ret_base)
{
	uint64_t size;
	const struct mb_type *mt = &mb->memory;

	if (q->size == 0 || q->size > UINT64_MAX - HS_PAGE_SIZE || !is_pow2(q->align) ||
	    q->align < HS_PAGE_SIZE || q->min > q->max)
		return -HS_EINVAL;
	size = (q->size + HS_PAGE_SIZE - 1) & ~(HS_PAGE_SIZE - 1);
	for (size_t j = 0; j < mt->count; j++) {
		size_t i = q->dir == ALLOC_BOTTOM_UP ? j : mt->count - 1 - j;
		const struct mb_region *m = &mt->r[i];
		if ((m->flags & MB_HOTPLUG) || (q->node != MB_NO_NODE && m->node != q->node))
			continue;
		if (m->last < q->min || m->base > q->max)
			continue;
		if (search_region(mb, m, q, size, ret_base))
			return 0;
	}
	return -HS_ENOMEM;
}

int mb_alloc(struct memblock *mb, const struct alloc_req *q, uint64_t *ret_base)
{
	uint64_t a;
	int r = mb_find_free(mb, q, &a);

	if (r < 0)
		return r;
	uint64_t size = (q->size + HS_PAGE_SIZE - 1) & ~(HS_PAGE_SIZE - 1);
	r = mb_add(&mb->reserved, a, a + size - 1, MB_NO_NODE, 0, q->owner);
	if (r < 0)
		return r;
	*ret_base = a;
	return 0;
}
