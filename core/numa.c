#include "numa.h"

bool numa_overlaps_ram(const struct mm_map *map, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < map->count; i++) {
		const struct mm_entry *e = &map->e[i];
		if (mm_is_ram(e->kind) && e->base <= b && a <= e->last)
			return true;
	}
	return false;
}

/* Bytes of [a, b] that no memblk covers (blocks clipped at top). */
static uint64_t uncovered(const struct srat_result *s, uint64_t a, uint64_t b)
{
	/* Walk the range, jumping over the covering block that reaches
	 * furthest each time; O(n^2) in blocks, n <= 2048. */
	uint64_t miss = 0, pos = a;

	for (;;) {
		uint64_t reach = 0;
		bool cov = false;
		uint64_t next = UINT64_MAX;

		for (size_t i = 0; i < s->mem_count && i < s->mem_cap; i++) {
			const struct srat_mem *m = &s->mem[i];
			if (!m->memblk)
				continue;
			if (m->base <= pos && pos <= m->end - 1) {
				cov = true;
				reach = HS_MAX(reach, m->end - 1);
			} else if (m->base > pos && m->base < next) {
				next = m->base;
			}
		}
		if (cov) {
			if (reach >= b)
				return miss;
			pos = reach + 1;
			continue;
		}
		if (next > b) {
			return miss + (b - pos + 1);
		}
		miss += next - pos;
		pos = next;
	}
}

void numa_check(const struct srat_result *s, const struct mm_map *map, struct numa_verdict *ret)
{
	uint64_t top = 0; /* PFN_PHYS(max_pfn) - 1 */
	size_t n = HS_MIN(s->mem_count, s->mem_cap);

	hs_memset(ret, 0, sizeof(*ret));
	if (!s->used) {
		hs_snprintf(ret->why, sizeof(ret->why), "%s", s->why_unused);
		return;
	}
	for (size_t i = 0; i < map->count; i++)
		if (mm_is_ram(map->e[i].kind))
			top = HS_MAX(top, map->e[i].last);

	/* Different nodes overlapping, among blocks that touch RAM. */
	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *a = &s->mem[i];
		if (!a->memblk || !numa_overlaps_ram(map, a->base, a->end - 1))
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const struct srat_mem *b = &s->mem[j];
			if (!b->memblk || b->node == a->node ||
			    !numa_overlaps_ram(map, b->base, b->end - 1))
				continue;
			uint64_t ae = HS_MIN(a->end - 1, top), be = HS_MIN(b->end - 1, top);
			if (a->base <= be && b->base <= ae) {
				hs_snprintf(ret->why, sizeof(ret->why),
					    "node %u [mem %#010llx-%#010llx] overlaps node %u "
					    "[mem %#010llx-%#010llx] in RAM (numa_cleanup_meminfo)",
					    a->node, (unsigned long long)a->base,
					    (unsigned long long)ae, b->node,
					    (unsigned long long)b->base, (unsigned long long)be);
				return;
			}
		}
	}

	for (size_t i = 0; i < map->count; i++) {
		const struct mm_entry *e = &map->e[i];
		if (!mm_is_ram(e->kind))
			continue;
		ret->ram_bytes += e->last - e->base + 1;
		ret->uncovered_bytes += uncovered(s, e->base, e->last);
	}
	if (map->count && ret->uncovered_bytes >= NUMA_COVER_SLACK) {
		hs_snprintf(ret->why, sizeof(ret->why),
			    "its ranges cover %llu MiB of %llu MiB RAM, and Linux allows "
			    "less than 1 MiB outside (numa_meminfo_cover_memory)",
			    (unsigned long long)((ret->ram_bytes - ret->uncovered_bytes) >> 20),
			    (unsigned long long)(ret->ram_bytes >> 20));
		return;
	}
	ret->used = true;
}

const struct srat_result *numa_survey(struct hs_view table, const struct srat_opts *o,
				      const struct mm_map *map, struct srat_result *r,
				      struct numa_verdict *v, struct hs_sink *log)
{
	srat_parse(table, o, r, log);
	numa_check(r, map, v);
	return v->used ? r : NULL;
}
