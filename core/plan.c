#include "plan.h"

#define MAX_TRIES 64 /* firmware refusals before giving up on one piece */


/* Decide, commit; a refused commit marks the pages firmware's and the
 * next candidate is tried. */
int plan_place(struct memblock *mb, const struct alloc_req *q, const struct plan_commit *c,
	       uint64_t *ret)
{
	uint64_t size = (q->size + HS_PAGE_SIZE - 1) & ~(HS_PAGE_SIZE - 1);

	for (int tries = 0; tries < MAX_TRIES; tries++) {
		int r = mb_find_free(mb, q, ret);
		if (r < 0)
			return r;
		if (c && c->commit && c->commit(c->ctx, *ret, size) < 0) {
			r = mb_add(&mb->reserved, *ret, *ret + size - 1, MB_NO_NODE, 0, OWN_FIRMWARE);
			if (r < 0)
				return r;
			continue;
		}
		return mb_add(&mb->reserved, *ret, *ret + size - 1, MB_NO_NODE, 0, q->owner);
	}
	return -HS_ENOMEM;
}

int plan_report(struct memblock *mb, const struct plan_in *in, struct hs_sink *out)
{
	struct pt_range ram[256];
	size_t n = 0;

	uint64_t limit = pt_max_phys(&in->pt);
	bool clipped = false;
	for (size_t i = 0; i < mb->memory.count && n < HS_ARRAY_SIZE(ram); i++) {
		const struct mb_region *m = &mb->memory.r[i];
		/* page granular: the tables map whole pages, inside the range */
		if (m->base > UINT64_MAX - 0xfff || m->last < 0xfff)
			continue;
		uint64_t a = (m->base + 0xfff) & ~0xfffull;
		uint64_t z = (m->last == UINT64_MAX) ? UINT64_MAX : ((m->last + 1) & ~0xfffull) - 1;
		if (z > limit) {
			clipped = true;
			z = limit;
		}
		if (a < z)
			ram[n++] = (struct pt_range){ a, z, false };
	}
	size_t pt_pages = pt_min_pages(&in->pt, ram, n);
	struct {
		const char *what;
		uint64_t size, align;
		unsigned owner;
	} pieces[] = {
		{ "page tables", pt_pages * HS_PAGE_SIZE, HS_PAGE_SIZE, OWN_PAGE_TABLES },
		{ "kernel", in->kernel_size, 2ull << 20, OWN_KERNEL },
		{ "initrd", in->initrd_size, HS_PAGE_SIZE, OWN_INITRD },
		{ "boot info", HS_PAGE_SIZE, HS_PAGE_SIZE, OWN_BOOT_INFO },
		{ "command line", HS_PAGE_SIZE, HS_PAGE_SIZE, OWN_CMDLINE },
	};
	int ret = 0;

	hs_println(out, "Placement plan (bottom-up above hotshim's image, never in hot-pluggable memory%s):",
	     in->commit ? "; each committed with AllocatePages and released again" : "");
	for (size_t i = 0; i < HS_ARRAY_SIZE(pieces); i++) {
		if (!pieces[i].size)
			continue;
		struct alloc_req q = { .size = pieces[i].size, .align = pieces[i].align,
				       .min = in->image_last + 1, .max = UINT64_MAX,
				       .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP,
				       .owner = pieces[i].owner };
		uint64_t a;
		char sz[24];
		int r = plan_place(mb, &q, in->commit, &a);
		bool fell_back = false;
		if (r == -HS_ENOMEM) {
			/* like memblock: when nothing fits above the image, top-down */
			q.min = 0;
			q.dir = ALLOC_TOP_DOWN;
			r = plan_place(mb, &q, in->commit, &a);
			fell_back = r == 0;
		}
		hs_fmt_size(sz, sizeof(sz), pieces[i].size);
		if (r < 0) {
			hs_println(out, "  %-12s %s: no room outside hot-pluggable memory", pieces[i].what, sz);
			ret = r;
			continue;
		}
		uint64_t last = a + ((pieces[i].size + HS_PAGE_SIZE - 1) & ~(HS_PAGE_SIZE - 1)) - 1;
		const struct mb_region *m = mb_find(&mb->memory, a);
		bool hot = mb_overlaps(&mb->memory, a, last) && m && (m->flags & MB_HOTPLUG);
		char node[16];
		if (m && m->node != MB_NO_NODE)
			hs_snprintf(node, sizeof(node), "node %d", m->node);
		else
			hs_snprintf(node, sizeof(node), "no node");
		if (i == 0)
			hs_println(out, "  %-12s [mem %#010llx-%#010llx] %s, %s (%zu pages, the minimum for "
				  "%s%s%s pages)%s",
			     pieces[i].what, (unsigned long long)a, (unsigned long long)last, node, sz,
			     pt_pages, in->pt.la57 ? "5-level, " : "", in->pt.offset ? "identity + direct map, " : "",
			     in->pt.gb_pages ? "1 GiB" : "2 MiB", hot ? " HOT-PLUGGABLE" : "");
		else
			hs_println(out, "  %-12s [mem %#010llx-%#010llx] %s, %s%s%s", pieces[i].what,
			     (unsigned long long)a, (unsigned long long)last, node, sz,
			     fell_back ? " (top-down: no room above the image)" : "",
			     hot ? " HOT-PLUGGABLE" : "");
		if (hot)
			ret = -HS_EINVAL; /* cannot happen: the allocator skips it */
	}
	if (clipped)
		hs_println(out, "  RAM above %#llx is beyond what %u-level paging maps; left out",
			   (unsigned long long)limit, in->pt.la57 ? 5 : 4);
	if (in->commit && in->commit->release_all)
		in->commit->release_all(in->commit->ctx);
	if (ret == 0)
		hs_println(out, "  none of these lies in hot-pluggable memory");
	return ret;
}

static bool mapped_kind(uint32_t k)
{
	return k == MM_CONVENTIONAL || k == MM_BOOT_SERVICES || k == MM_LOADER ||
	       k == MM_RUNTIME || k == MM_ACPI || k == MM_PERSISTENT;
}

static int push(struct pt_range *out, size_t cap, size_t *n, uint64_t a, uint64_t z, bool exec)
{
	if (*n && !exec && !out[*n - 1].exec && out[*n - 1].last + 1 == a) {
		out[*n - 1].last = z;
		return 0;
	}
	if (*n == cap)
		return -HS_ENOSPC;
	out[(*n)++] = (struct pt_range){ a, z, exec };
	return 0;
}

int plan_pt_ranges(const struct mm_map *map, const struct pt_cfg *cfg, const struct pt_range *exec,
		   size_t nexec, struct pt_range *out, size_t cap, size_t *ret_n,
		   bool *ret_clipped)
{
	uint64_t limit = pt_max_phys(cfg);
	size_t n = 0;
	bool clipped = false;

	for (size_t i = 0; i < map->count; i++) {
		const struct mm_entry *e = &map->e[i];
		if (!mapped_kind(e->kind) || e->base > limit)
			continue;
		uint64_t z = HS_MIN(e->last, limit);
		clipped |= z != e->last;
		/* split out the executable parts (sorted, page-granular) */
		for (uint64_t pos = e->base; pos <= z;) {
			uint64_t until = z;
			bool x = false;
			for (size_t j = 0; j < nexec; j++) {
				if (exec[j].base <= pos && pos <= exec[j].last) {
					until = HS_MIN(until, exec[j].last);
					x = true;
					break;
				}
				if (exec[j].base > pos)
					until = HS_MIN(until, exec[j].base - 1);
			}
			int r = push(out, cap, &n, pos, until, x);
			if (r < 0)
				return r;
			if (until == z)
				break;
			pos = until + 1;
		}
	}
	*ret_n = n;
	*ret_clipped = clipped;
	return 0;
}
