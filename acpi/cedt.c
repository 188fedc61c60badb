#include "cedt.h"

#include "table.h"

void cedt_read(struct hs_view t, struct cedt *c)
{
	size_t off = ACPI_HDR_LEN;

	hs_memset(c, 0, sizeof(*c));
	while (off < t.len) {
		if (!hs_view_has(t, off, 4)) {
			hs_snprintf(c->problem, sizeof(c->problem),
				    "offset %#zx: %zu bytes left, too few for a subtable header", off,
				    t.len - off);
			return;
		}
		uint8_t type = hs_get_u8(t, off);
		uint16_t len = hs_get_u16(t, off + 2);
		if (len < 4 || !hs_view_has(t, off, len)) {
			hs_snprintf(c->problem, sizeof(c->problem),
				    "offset %#zx: subtable length %u %s", off, len,
				    len < 4 ? "is below its header's 4" : "runs past the table's end");
			return;
		}
		struct hs_view s = { t.data + off, len };
		if (type == CEDT_TYPE_CHBS)
			c->host_bridges++;
		if (type == CEDT_TYPE_CFMWS && len < CFMWS_TARGETS) {
			hs_snprintf(c->problem, sizeof(c->problem),
				    "offset %#zx: CFMWS length %u is below its fixed %u bytes", off, len,
				    CFMWS_TARGETS);
			return;
		}
		if (type == CEDT_TYPE_CFMWS && c->n == CEDT_MAX_WINDOWS)
			c->more++;
		else if (type == CEDT_TYPE_CFMWS) {
			struct cedt_window *w = &c->w[c->n++];
			w->offset = (uint32_t)off;
			w->base = hs_get_u64(s, 8);
			w->size = hs_get_u64(s, 16);
			w->empty_or_wraps = !w->size ||
					    __builtin_add_overflow(w->base, w->size - 1, &w->last);
			if (w->empty_or_wraps)
				w->last = w->size ? UINT64_MAX : w->base;
			w->eniw = hs_get_u8(s, 24);
			w->arith = hs_get_u8(s, 25);
			w->hbig = hs_get_u32(s, 28);
			w->restrict_ = hs_get_u16(s, 32);
			w->qtg = hs_get_u16(s, 34);
			/* drivers/cxl/cxl.h cxl_to_ways() */
			w->ways = w->eniw <= 4 ? 1u << w->eniw
				  : w->eniw >= 8 && w->eniw <= 10 ? 3u << (w->eniw - 8) : 0;
			while (w->ntarget < CEDT_MAX_TARGETS && w->ntarget < w->ways &&
			       hs_view_has(s, CFMWS_TARGETS + 4 * w->ntarget, 4)) {
				w->target[w->ntarget] = hs_get_u32(s, CFMWS_TARGETS + 4 * w->ntarget);
				w->ntarget++;
			}
			w->node = -1;
		}
		off += len;
	}
}

uint64_t cedt_granularity(const struct cedt_window *w)
{
	return w->hbig <= 6 ? 256ull << w->hbig : 0;
}

/* [a, a_last] and [b, b_last] share a byte (memblock_addrs_overlap()) */
static bool overlaps(uint64_t a, uint64_t a_last, uint64_t b, uint64_t b_last)
{
	return a <= b_last && b <= a_last;
}

void cedt_nodes(struct cedt *c, const struct srat_result *r)
{
	uint32_t pxm = 0;
	unsigned nodes = r ? r->node_count : 1;

	c->possible = nodes;
	if (!r)
		return;
	for (unsigned n = 0; n < r->node_count; n++)
		if (r->node[n].pxm + 1 > pxm)
			pxm = r->node[n].pxm + 1;
	for (unsigned i = 0; i < c->n; i++) {
		struct cedt_window *w = &c->w[i];
		for (size_t k = 0; !w->empty_or_wraps && k < HS_MIN(r->mem_count, r->mem_cap) &&
				   w->node < 0; k++)
			if (r->mem[k].memblk &&
			    overlaps(w->base, w->last, r->mem[k].base, r->mem[k].end - 1))
				w->node = r->mem[k].node;
		/* an earlier window's range is a node's now: its own new one,
		 * or the SRAT node stretched over it */
		for (unsigned j = 0; !w->empty_or_wraps && j < i && w->node < 0; j++)
			if (c->w[j].node >= 0 && !c->w[j].empty_or_wraps &&
			    overlaps(w->base, w->last, c->w[j].base, c->w[j].last))
				w->node = c->w[j].node;
		if (w->node >= 0)
			continue;
		if (pxm >= SRAT_MAX_PXM || nodes >= SRAT_MAX_NODES) {
			c->too_many = true; /* the walk stops here */
			break;
		}
		w->node = (int)nodes++;
		w->pxm = pxm++;
		w->new_node = true;
	}
	c->possible = nodes;
}
