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

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end; /* memblock_addrs_overlap() */
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
		uint64_t end = w->base + w->size; /* wraps as Linux's u64 sum does */
		for (size_t k = 0; k < HS_MIN(r->mem_count, r->mem_cap) && w->node < 0; k++)
			if (r->mem[k].memblk && overlaps(w->base, end, r->mem[k].base, r->mem[k].end))
				w->node = r->mem[k].node;
		/* an earlier window's new node holds its range too */
		for (unsigned j = 0; j < i && w->node < 0; j++)
			if (c->w[j].new_node &&
			    overlaps(w->base, end, c->w[j].base, c->w[j].base + c->w[j].size))
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
