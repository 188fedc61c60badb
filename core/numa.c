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

uint64_t numa_stretch(const struct srat_result *s, uint32_t need, uint64_t pos, uint64_t last,
		      bool *ret_covered)
{
	size_t n = HS_MIN(s->mem_count, s->mem_cap);
	uint64_t reach = 0, next = UINT64_MAX;
	bool cov = false, grew = true;

	/* srat_parse()'s merged spans: the first whose end reaches pos */
	if (s->spans_ok && (need == 0 || need == SRAT_MEM_HOT_PLUGGABLE)) {
		const struct srat_span *v = s->span[need ? 1 : 0];
		size_t lo = 0, hi = s->spans[need ? 1 : 0];
		size_t end = hi;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (v[mid].last < pos)
				lo = mid + 1;
			else
				hi = mid;
		}
		*ret_covered = lo < end && v[lo].base <= pos;
		if (*ret_covered)
			return HS_MIN(v[lo].last, last);
		next = lo < end ? v[lo].base : UINT64_MAX;
		return next > last ? last : next - 1;
	}

	/* ranges holding pos, then those starting inside what they cover, until
	 * nothing reaches further or the cover passes last: O(n) a pass,
	 * n <= NR_NODE_MEMBLKS.  Stopping at last matters: ranges listed from
	 * the top of memory down join one a pass (test/bench/scale.c). */
	while (grew && !(cov && reach >= last)) {
		grew = false;
		next = UINT64_MAX;
		for (size_t i = 0; i < n; i++) {
			const struct srat_mem *m = &s->mem[i];
			if (!m->memblk || (m->flags & need) != need)
				continue;
			uint64_t ml = m->end - 1;
			bool holds = m->base <= pos && pos <= ml;
			bool joins = cov && m->base > pos && (reach == UINT64_MAX || m->base <= reach + 1);
			if ((holds || joins) && (!cov || ml > reach)) {
				reach = ml;
				cov = grew = true;
			} else if (m->base > pos) {
				next = HS_MIN(next, m->base);
			}
		}
	}
	*ret_covered = cov;
	if (cov)
		return HS_MIN(reach, last);
	return next > last ? last : next - 1;
}

/* Bytes of [a, b] that no memblk covers. */
static uint64_t uncovered(const struct srat_result *s, uint64_t a, uint64_t b)
{
	uint64_t miss = 0;

	for (uint64_t pos = a;;) {
		bool cov;
		uint64_t z = numa_stretch(s, 0, pos, b, &cov);
		if (!cov)
			miss += z - pos + 1;
		if (z >= b)
			return miss;
		pos = z + 1;
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

	/* Different nodes overlapping, among blocks that touch RAM.  The
	 * pairs are compared first and the map walked only for a pair that
	 * overlaps: 2048 blocks (NR_NODE_MEMBLKS) and 4096 descriptors would
	 * otherwise cost billions of steps (test/bench/scale.c). */
	for (size_t i = 0; i < n; i++) {
		const struct srat_mem *a = &s->mem[i];
		if (!a->memblk)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const struct srat_mem *b = &s->mem[j];
			if (!b->memblk || b->node == a->node)
				continue;
			uint64_t ae = HS_MIN(a->end - 1, top), be = HS_MIN(b->end - 1, top);
			if (a->base <= be && b->base <= ae &&
			    numa_overlaps_ram(map, a->base, a->end - 1) &&
			    numa_overlaps_ram(map, b->base, b->end - 1)) {
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

bool numa_touches_hotplug(const struct srat_result *s, uint64_t a, uint64_t z)
{
	for (size_t i = 0; s && i < HS_MIN(s->mem_count, s->mem_cap); i++) {
		const struct srat_mem *m = &s->mem[i];
		if (m->memblk && (m->flags & SRAT_MEM_HOT_PLUGGABLE) && m->base <= z &&
		    a <= m->end - 1)
			return true;
	}
	return false;
}

bool numa_any_hotplug(const struct srat_result *s)
{
	return numa_touches_hotplug(s, 0, UINT64_MAX);
}
