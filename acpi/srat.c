/*
 * SRAT as Linux 6.1 on x86 reads it.  The rules, and where they live:
 *
 * - drivers/acpi/numa/srat.c acpi_numa_init(): two walks over the
 *   subtables.  The first hands CPU (0), x2APIC (2), GICC (3) and generic
 *   initiator (5) entries to their handlers, the second memory (1)
 *   entries.  So nodes are numbered by first appearance of a PXM among
 *   CPU-side entries, then among memory entries.
 * - drivers/acpi/tables.c acpi_parse_entries_array(): the walk continues
 *   while entry + 2 < table end; once a handler fails, no later entry of
 *   that walk reaches a handler; a zero length stops the walk with
 *   "[SRAT:0xNN] Invalid zero length" where NN is the walk's first type.
 * - arch/x86/mm/srat.c: CPU entries (exact length 16; PXM high bytes
 *   only from revision 2) and x2APIC entries (ids the APIC driver calls
 *   invalid are "ignored" before their PXM gets a node).
 * - drivers/acpi/numa/srat.c acpi_numa_memory_affinity_init(): memory
 *   entries; revision <= 1 keeps the low 8 bits of the PXM; end is
 *   base + length in u64 and printed minus one, wrapped or not.
 * - arch/x86/mm/numa.c numa_add_memblk_to(): empty ranges are skipped
 *   quietly, start > end ranges with a warning; at most NR_NODE_MEMBLKS.
 * - bad_srat() prints "SRAT: SRAT not used." and silences later entries.
 * - acpi_numa_init() fails when no memory entry was taken at all
 *   (parsed_numa_memblks == 0); empty and wrapped ranges count as taken.
 */
#include "srat.h"

#define NO_NODE (-1)

struct walk {
	struct hs_view t;
	const struct srat_opts *o;
	struct srat_result *r;
	struct hs_sink *log;
	bool disabled; /* srat_disabled() */
	int ret;
};

static const uint8_t min_len[SRAT_TYPE_COUNT] = { 16, 40, 24, 18, 12, 32, 32 };

unsigned srat_min_len(uint8_t type)
{
	return type < SRAT_TYPE_COUNT ? min_len[type] : 0;
}

const char *srat_type_name(uint8_t type)
{
	/* SRAT_TYPE_COUNT names, by type */
	return hs_nth_name("processor local APIC affinity\0memory affinity\0"
			   "processor x2APIC affinity\0GICC affinity\0GIC ITS affinity\0"
			   "generic initiator affinity\0generic port affinity\0", type,
			   "unknown type");
}

static void say(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->log)
		return;
	va_start(ap, fmt);
	hs_vprintln(w->log, fmt, ap);
	va_end(ap);
}

static void problem(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct walk *w, const char *fmt, ...)
{
	struct srat_result *r = w->r;
	va_list ap;

	if (r->problem_count >= HS_ARRAY_SIZE(r->problem))
		return;
	va_start(ap, fmt);
	hs_vsnprintf(r->problem[r->problem_count++], sizeof(r->problem[0]), fmt, ap);
	va_end(ap);
}

/* Reads a field of the entry at off.  Linux reads struct fields without
 * checking them against the table end; we never do, and note it instead. */
static uint64_t field(struct walk *w, size_t off, size_t at, unsigned n)
{
	if (!hs_view_has(w->t, off + at, n)) {
		if (!w->r->reads_past_end)
			problem(w, "offset %#zx: %s entry runs past the table end (%#zx); "
				   "Linux reads beyond the table here",
				   off, srat_type_name(hs_get_u8(w->t, off)), w->t.len);
		w->r->reads_past_end = true;
	}
	return hs_get_le(w->t, off + at, n);
}

static void bad_srat(struct walk *w, const char *why)
{
	say(w, "ACPI: SRAT: SRAT not used.");
	if (!w->disabled)
		hs_snprintf(w->r->why_unused, sizeof(w->r->why_unused), "%s", why);
	w->disabled = true;
}

/* drivers/acpi/numa/srat.c acpi_map_pxm_to_node(): pxm is an int there,
 * and a new PXM gets first_unset_node(nodes_found_map), refused at
 * MAX_NUMNODES. */
static int map_pxm(struct walk *w, uint32_t pxm)
{
	struct srat_result *r = w->r;

	if (pxm >= SRAT_MAX_PXM) /* also catches negative ints */
		return NO_NODE;
	if (r->pxm_to_node[pxm] == NO_NODE) {
		if (r->node_count >= SRAT_MAX_NODES)
			return NO_NODE;
		r->node[r->node_count] = (struct srat_node){ .pxm = pxm };
		r->pxm_to_node[pxm] = (int16_t)r->node_count++;
	}
	return r->pxm_to_node[pxm];
}

/* A CPU entry's node; arch/x86/mm/srat.c drops the whole table when its
 * PXM gets none ("Too many proximity domains" with the PXM in hex). */
static int cpu_node(struct walk *w, size_t off, uint32_t pxm, const char *why)
{
	int node = map_pxm(w, pxm);

	if (node < 0) {
		say(w, "SRAT: Too many proximity domains %x", pxm);
		problem(w, "offset %#zx: PXM %u is beyond Linux's MAX_PXM_DOMAINS (%u)", off, pxm,
			SRAT_MAX_PXM);
		bad_srat(w, why);
	}
	return node;
}

static int on_cpu(struct walk *w, size_t off, uint8_t len)
{
	if (w->disabled)
		return 0;
	if (len != 16) {
		if (len) /* length 0 is the walk's to report */
			problem(w, "offset %#zx: processor local APIC entry length %u, not 16", off,
				len);
		bad_srat(w, "a processor local APIC entry has a length other than 16");
		return 0;
	}
	if (!(field(w, off, 4, 4) & SRAT_CPU_ENABLED))
		return 0;
	uint32_t pxm = (uint32_t)field(w, off, 2, 1);
	/* The high bytes count only from SRAT revision 2 on; Linux reads them
	 * as a u32 at offset 9 shifted left by 8, so offset 12 falls off. */
	if (w->r->revision >= 2)
		pxm |= (uint32_t)field(w, off, 9, 3) << 8;
	int node = cpu_node(w, off, pxm, "a processor PXM is out of Linux's range");
	if (node < 0)
		return 0;
	uint32_t apic = (uint32_t)field(w, off, 3, 1);
	w->r->node[node].cpus++;
	say(w, "SRAT: PXM %u -> APIC 0x%02x -> Node %u", pxm, apic, node);
	return 0;
}

static int on_x2apic(struct walk *w, size_t off, uint8_t len)
{
	if (w->disabled)
		return 0;
	if (len < 24) {
		if (len)
			problem(w, "offset %#zx: x2APIC entry length %u, below 24", off, len);
		bad_srat(w, "a processor x2APIC entry is shorter than 24 bytes");
		return 0;
	}
	if (!(field(w, off, 12, 4) & SRAT_CPU_ENABLED))
		return 0;
	uint32_t pxm = (uint32_t)field(w, off, 4, 4);
	uint32_t apic = (uint32_t)field(w, off, 8, 4);
	if (!w->o->x2apic_mode && apic >= SRAT_XAPIC_ID_LIMIT) {
		say(w, "SRAT: PXM %u -> X2APIC 0x%04x ignored", pxm, apic);
		return 0;
	}
	int node = cpu_node(w, off, pxm, "an x2APIC PXM is out of Linux's range");
	if (node < 0)
		return 0;
	/* apic_id is an int in Linux: ids of 2^31 and up pass this check */
	if ((int32_t)apic >= (int32_t)SRAT_MAX_LOCAL_APIC) {
		say(w, "SRAT: PXM %u -> APIC 0x%04x -> Node %u skipped apicid that is too big",
		     pxm, apic, node);
		return 0;
	}
	w->r->node[node].cpus++;
	say(w, "SRAT: PXM %u -> APIC 0x%04x -> Node %u", pxm, apic, node);
	return 0;
}

/* Generic initiators: no length check and no srat_disabled() check in
 * Linux; a disabled one is an error that stops the rest of the walk. */
static int on_generic_initiator(struct walk *w, size_t off, uint8_t len)
{
	(void)len;
	if (!(field(w, off, 24, 4) & SRAT_GI_ENABLED)) {
		problem(w, "offset %#zx: disabled generic initiator; Linux skips every later "
			   "processor entry", off);
		return -HS_EINVAL;
	}
	uint32_t pxm = (uint32_t)field(w, off, 4, 4);
	int node = map_pxm(w, pxm);
	if (node < 0) {
		say(w, "ACPI: SRAT: Too many proximity domains.");
		problem(w, "offset %#zx: generic initiator PXM %u is beyond Linux's MAX_PXM_DOMAINS (%u)", off, pxm,
			SRAT_MAX_PXM);
		return -HS_EINVAL;
	}
	w->r->node[node].initiator = true;
	return 0;
}

static int on_memory(struct walk *w, size_t off, uint8_t len)
{
	struct srat_result *r = w->r;

	if (w->disabled)
		return 0;
	if (len < 40) {
		say(w, "ACPI: SRAT: Unexpected header length: %d", len);
		if (len)
			problem(w, "offset %#zx: memory affinity entry length %u, below 40", off, len);
		bad_srat(w, "a memory affinity entry is shorter than 40 bytes");
		return 0;
	}
	uint32_t flags = (uint32_t)field(w, off, 28, 4);
	if (!(flags & SRAT_MEM_ENABLED))
		return 0;
	uint64_t start = field(w, off, 8, 8);
	uint64_t length = field(w, off, 16, 8);
	uint64_t end = start + length; /* wraps, as in Linux */
	uint32_t pxm = (uint32_t)field(w, off, 2, 4);
	if (r->revision <= 1)
		pxm &= 0xff;
	int node = map_pxm(w, pxm);
	if (node < 0) {
		say(w, "ACPI: SRAT: Too many proximity domains.");
		problem(w, "offset %#zx: memory PXM %u is beyond Linux's MAX_PXM_DOMAINS (%u)", off, pxm, SRAT_MAX_PXM);
		bad_srat(w, "a memory PXM is out of Linux's range");
		return 0;
	}
	bool memblk = false;
	if (start > end) {
		/* arch/x86/mm/numa.c numa_add_memblk_to(): warn, ignore, go on */
		say(w, "Warning: invalid memblk node %d [mem %#010llx-%#010llx]", node,
		     (unsigned long long)start, (unsigned long long)end - 1);
		problem(w, "offset %#zx: base %#llx + length %#llx overflows", off,
			(unsigned long long)start, (unsigned long long)length);
	} else if (start < end) {
		if (r->memblks >= SRAT_MAX_MEMBLKS) {
			say(w, "too many memblk ranges");
			say(w, "ACPI: SRAT: Failed to add memblk to node %u [mem %#010llx-%#010llx]",
			     node, (unsigned long long)start, (unsigned long long)end - 1);
			bad_srat(w, "more memory ranges than Linux's NR_NODE_MEMBLKS");
			return 0;
		}
		memblk = true;
	}
	struct srat_mem m = {
		.base = start, .length = length, .end = end, .pxm = pxm, .flags = flags,
		.offset = (uint32_t)off, .node = (uint16_t)node, .memblk = memblk,
	};
	char line[160];
	srat_mem_line(line, sizeof(line), &m);
	say(w, "ACPI: %s", line);
	if (memblk)
		r->memblks++;
	r->accepted++;
	if (r->mem_count < r->mem_cap)
		r->mem[r->mem_count] = m;
	else
		w->ret = -HS_ENOSPC;
	r->mem_count++;
	return 0;
}

void srat_mem_line(char *buf, size_t cap, const struct srat_mem *m)
{
	hs_snprintf(buf, cap, "SRAT: Node %u PXM %u [mem %#010llx-%#010llx]%s%s", m->node, m->pxm,
		    (unsigned long long)m->base, (unsigned long long)m->end - 1,
		    (m->flags & SRAT_MEM_HOT_PLUGGABLE) ? " hotplug" : "",
		    (m->flags & SRAT_MEM_NON_VOLATILE) ? " non-volatile" : "");
}

/* The handlers of a pass: Linux's first (acpi_numa_init) takes the
 * processor entries, its second the memory ones; GICC entries reach a
 * handler that does nothing on x86.  A switch, not a table of function
 * pointers: each would be a relocation in the EFI image. */
static int handle(struct walk *w, bool cpu_pass, uint8_t type, size_t off, uint8_t len)
{
	if (!cpu_pass)
		return type == SRAT_TYPE_MEMORY ? on_memory(w, off, len) : 0;
	switch (type) {
	case SRAT_TYPE_CPU:
		return on_cpu(w, off, len);
	case SRAT_TYPE_X2APIC:
		return on_x2apic(w, off, len);
	case SRAT_TYPE_GENERIC_INIT:
		return on_generic_initiator(w, off, len);
	default:
		return 0;
	}
}

/* acpi_parse_entries_array(); returns the error count or -1 on zero length.
 * The processor pass also counts the entries by type. */
static int walk(struct walk *w, bool cpu_pass)
{
	size_t off = SRAT_HDR_LEN;
	uint8_t first_id = cpu_pass ? SRAT_TYPE_CPU : SRAT_TYPE_MEMORY;
	bool count_types = cpu_pass;
	int errs = 0;

	while (off + 2 < w->t.len) {
		uint8_t type = hs_get_u8(w->t, off);
		uint8_t len = hs_get_u8(w->t, off + 1);

		if (count_types) {
			w->r->entries[type < SRAT_TYPE_COUNT ? type : SRAT_TYPE_COUNT]++;
			if (len != 0 && (len < srat_min_len(type) || off + len > w->t.len))
				problem(w, "offset %#zx: %s entry length %u (%s)", off,
					srat_type_name(type), len,
					off + len > w->t.len ? "runs past the table end" :
							       "shorter than ACPI 6.5's");
		}
		if (!errs && handle(w, cpu_pass, type, off, len))
			errs++;
		if (len == 0) {
			say(w, "ACPI: [SRAT:0x%02x] Invalid zero length", first_id);
			if (count_types)
				problem(w, "offset %#zx: %s entry has length 0", off,
					srat_type_name(type));
			return -1;
		}
		off += len;
	}
	return errs;
}

/* Shell sort by base (Ciura's gaps): up to NR_NODE_MEMBLKS spans. */
static void sort_spans(struct srat_span *v, size_t n)
{
	static const size_t gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };

	for (size_t g = 0; g < HS_ARRAY_SIZE(gaps); g++)
		for (size_t i = gaps[g]; i < n; i++) {
			struct srat_span t = v[i];
			size_t j = i;
			for (; j >= gaps[g] && v[j - gaps[g]].base > t.base; j -= gaps[g])
				v[j] = v[j - gaps[g]];
			v[j] = t;
		}
}

/* res->span[]: the union of the memblks (and of the hot-pluggable ones)
 * as numa_stretch() walks it, ranges joining where they overlap or touch. */
static void build_spans(struct srat_result *res)
{
	if (res->mem_count > res->mem_cap || res->mem_count > SRAT_MAX_MEMBLKS)
		return;
	for (int hot = 0; hot < 2; hot++) {
		struct srat_span *v = res->span[hot];
		size_t n = 0, out = 0;
		for (size_t i = 0; i < res->mem_count; i++) {
			const struct srat_mem *m = &res->mem[i];
			if (m->memblk && (!hot || (m->flags & SRAT_MEM_HOT_PLUGGABLE)))
				v[n++] = (struct srat_span){ m->base, m->end - 1 };
		}
		sort_spans(v, n);
		for (size_t i = 0; i < n; i++) {
			if (out && (v[out - 1].last == UINT64_MAX || v[i].base <= v[out - 1].last + 1))
				v[out - 1].last = HS_MAX(v[out - 1].last, v[i].last);
			else
				v[out++] = v[i];
		}
		res->spans[hot] = out;
	}
	res->spans_ok = true;
}

int srat_parse(struct hs_view table, const struct srat_opts *o, struct srat_result *res,
	       struct hs_sink *log)
{
	struct srat_mem *mem = res->mem;
	size_t cap = res->mem_cap;
	struct walk w = { .t = table, .o = o, .r = res, .log = log };

	hs_memset(res, 0, sizeof(*res));
	res->mem = mem;
	res->mem_cap = cap;
	for (size_t i = 0; i < SRAT_MAX_PXM; i++)
		res->pxm_to_node[i] = NO_NODE;
	res->revision = hs_get_u8(table, 8);

	walk(&w, true);
	int mem_walk = walk(&w, false);

	if (w.disabled) {
		res->used = false;
	} else if (mem_walk < 0) {
		res->used = false;
		hs_snprintf(res->why_unused, sizeof(res->why_unused),
			    "a subtable has length 0, so Linux stops parsing the SRAT");
	} else if (res->accepted == 0) {
		/* acpi_numa_init() returns -ENOENT without parsed_numa_memblks */
		res->used = false;
		hs_snprintf(res->why_unused, sizeof(res->why_unused),
			    "no enabled memory affinity entry");
	} else {
		res->used = true;
	}
	build_spans(res);
	return w.ret;
}
