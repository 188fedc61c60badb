/* libFuzzer: any bytes as an SRAT, parsed as Linux would, and as a SLIT
 * giving those nodes their distances. */
#include "acpi/slit.h"
#include "acpi/srat.h"
#include "test/fuzz/mutate.h"

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srat_mem mem[64];
	static struct srat_result r;
	struct srat_opts o = { .x2apic_mode = size & 1 };
	struct hs_sink sink = { discard, NULL };

	r.mem = mem;
	r.mem_cap = 64;
	srat_parse((struct hs_view){ data, size }, &o, &r, &sink);
	/* Linux's numbering is a bijection between nodes and the PXMs seen */
	for (unsigned n = 0; n < r.node_count; n++)
		if (r.node[n].pxm >= SRAT_MAX_PXM || r.pxm_to_node[r.node[n].pxm] != (int)n)
			__builtin_trap();
	/* every recorded entry names its node and PXM consistently, and is a
	 * memblk exactly when it is a non-empty range */
	for (size_t i = 0; i < r.mem_count && i < r.mem_cap; i++) {
		const struct srat_mem *m = &r.mem[i];
		if (m->node >= r.node_count || r.node[m->node].pxm != m->pxm ||
		    m->memblk != (m->base < m->end) || m->end != m->base + m->length)
			__builtin_trap();
	}
	if (r.memblks > r.accepted || r.accepted != r.mem_count || (r.used && !r.accepted) ||
	    (!r.used && !r.why_unused[0]))
		__builtin_trap();
	/* the same bytes as a SLIT for these nodes: 10 exactly on the
	 * diagonal of a table Linux takes, more than 10 off it */
	struct slit sl;
	slit_read((struct hs_view){ data, size }, &sl);
	if (!sl.used && !sl.why[0])
		__builtin_trap();
	for (unsigned i = 0; i < r.node_count && i < 8; i++)
		for (unsigned j = 0; j < r.node_count && j < 8; j++) {
			unsigned d = slit_distance(&sl, &r, i, j);
			if (i == j ? d != SLIT_LOCAL : d <= SLIT_LOCAL)
				__builtin_trap();
		}
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	return mut_srat(data, size, max, seed, 0);
}
