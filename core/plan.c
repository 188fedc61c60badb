#include "plan.h"
#include "numa.h"
#include "../include/hotshim/protocol.h"

#define MAX_TRIES 64 /* firmware refusals before giving up on one piece */
#define PAGE_MASK (HS_PAGE_SIZE - 1)

static uint64_t page_up(uint64_t n)
{
	return (n + HS_PAGE_SIZE - 1) & ~(HS_PAGE_SIZE - 1);
}

int plan_place(struct memblock *mb, const struct alloc_req *q, const struct plan_commit *c,
	       enum plan_mem mem, uint64_t *ret)
{
	uint64_t size = page_up(q->size);

	for (int tries = 0; tries < MAX_TRIES; tries++) {
		int r = mb_find_free(mb, q, ret);
		if (r < 0)
			return r;
		r = c && c->commit ? c->commit(c->ctx, *ret, size, mem) : 0;
		if (r == -HS_EBUSY) {
			/* the firmware says it is taken: mark it so, try the next */
			r = mb_add(&mb->reserved, *ret, *ret + size - 1, MB_NO_NODE, 0, OWN_FIRMWARE);
			if (r < 0)
				return r;
			continue;
		}
		if (r < 0)
			return r;
		return mb_add(&mb->reserved, *ret, *ret + size - 1, MB_NO_NODE, 0, q->owner);
	}
	return -HS_ENOMEM;
}

size_t plan_final_descs(size_t ndesc)
{
	/* every commit may split a free range in two; the freed file
	 * buffers may add some more */
	return ndesc + 2 * PLAN_MAX_COMMITS + 64;
}

/* The pieces and the rules of one kernel kind. */
struct step {
	struct memblock *mb;
	const struct plan_in *in;
	struct plan *p;
	struct hs_err *err;
};

static int32_t node_of(const struct memblock *mb, uint64_t a)
{
	const struct mb_region *m = mb_find(&mb->memory, a);

	return m ? m->node : MB_NO_NODE;
}

#define NOTE_TOP_DOWN "top-down: no room above the image"

static int add_piece(struct step *s, const char *what, unsigned owner, enum plan_mem mem,
		     uint64_t base, uint64_t size, const char *note)
{
	struct plan *p = s->p;

	if (p->n == PLAN_MAX_PIECES) {
		hs_err_set(s->err, "%s: more than %d pieces", what, PLAN_MAX_PIECES);
		return -HS_ENOSPC;
	}
	p->piece[p->n] = (struct plan_piece){ what, owner, mem, base, size,
					      node_of(s->mb, base), note };
	return (int)p->n++;
}

/* One piece bottom-up above the image (min at least lo), else top-down
 * from lo; returns its index. */
static int place(struct step *s, const char *what, uint64_t size, uint64_t align, uint64_t lo,
		 uint64_t hi, unsigned owner, enum plan_mem mem)
{
	struct alloc_req q = { .size = size ? size : 1, .align = HS_MAX(align, HS_PAGE_SIZE),
			       .min = HS_MAX(HS_MAX(s->p->image_last + 1, lo), PLAN_LOW_LIMIT),
			       .max = hi, .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP,
			       .owner = owner };
	uint64_t a;
	bool down = false;
	char sz[24];
	int r = plan_place(s->mb, &q, s->in->commit, mem, &a);

	/* -HS_EINVAL: the image lies above hi, nothing is left above it */
	if (r == -HS_ENOMEM || r == -HS_EINVAL) {
		q.min = HS_MAX(lo, PLAN_LOW_LIMIT);
		q.dir = ALLOC_TOP_DOWN;
		r = plan_place(s->mb, &q, s->in->commit, mem, &a);
		down = true;
	}
	if (r < 0) {
		hs_fmt_size(sz, sizeof(sz), size);
		hs_err_set(s->err, "%s (%s): %s", what, sz,
			   r == -HS_ENOSPC ? "too many allocations"
					   : "no room outside hot-pluggable memory");
		r = r == -HS_ENOSPC ? r : -HS_ENOMEM;
		return r;
	}
	return add_piece(s, what, owner, mem, a, size, down ? NOTE_TOP_DOWN : NULL);
}

/* The first thing in [lo, last] that keeps a fixed kernel out. */
static void why_not_free(const struct step *s, uint64_t lo, uint64_t last, char *buf, size_t cap)
{
	const struct mm_map *map = s->in->map;
	uint64_t pos = lo;

	for (size_t i = 0; i < map->count; i++) {
		const struct mm_entry *e = &map->e[i];
		if (e->last < pos)
			continue;
		if (e->base > pos)
			break;
		if (e->kind != MM_CONVENTIONAL) {
			hs_snprintf(buf, cap, "the firmware's %s memory [mem %#010llx-%#010llx] lies in it",
				    mm_kind_name(e->kind), (unsigned long long)e->base,
				    (unsigned long long)e->last);
			return;
		}
		const struct mb_region *m = mb_find(&s->mb->memory, pos);
		if (m && (m->flags & MB_HOTPLUG)) {
			hs_snprintf(buf, cap, "%#llx is hot-pluggable (node %d)", (unsigned long long)pos,
				    m->node);
			return;
		}
		if (e->last >= last) {
			hs_snprintf(buf, cap, "it is not free");
			return;
		}
		pos = e->last + 1;
	}
	hs_snprintf(buf, cap, "%#llx is in no memory-map range", (unsigned long long)pos);
}

/* An ET_EXEC kernel goes where its headers say, or nowhere. */
static int place_fixed(struct step *s, uint64_t lo, uint64_t last)
{
	struct alloc_req q = { .size = last - lo + 1, .align = HS_PAGE_SIZE, .min = lo, .max = last,
			       .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP, .owner = OWN_KERNEL };
	const struct plan_commit *c = s->in->commit;
	uint64_t a;
	char why[120];

	if (lo < PLAN_LOW_LIMIT || last > s->p->place_max) {
		hs_err_set(s->err, "kernel segments [mem %#010llx-%#010llx]: outside [%#llx, %#llx], "
				   "what the kernel's page tables map", (unsigned long long)lo,
			   (unsigned long long)last, (unsigned long long)PLAN_LOW_LIMIT,
			   (unsigned long long)s->p->place_max);
		return -HS_EINVAL;
	}
	if (mb_find_free(s->mb, &q, &a) < 0 || a != lo) {
		why_not_free(s, lo, last, why, sizeof(why));
		hs_err_set(s->err, "kernel segments [mem %#010llx-%#010llx]: %s",
			   (unsigned long long)lo, (unsigned long long)last, why);
		return -HS_EBUSY;
	}
	if (c && c->commit && c->commit(c->ctx, lo, page_up(last - lo + 1), PLAN_MEM_LOADER) < 0) {
		hs_err_set(s->err, "kernel segments [mem %#010llx-%#010llx]: the firmware refused them",
			   (unsigned long long)lo, (unsigned long long)last);
		return -HS_EBUSY;
	}
	int r = mb_add(&s->mb->reserved, lo, last | (HS_PAGE_SIZE - 1), MB_NO_NODE, 0, OWN_KERNEL);
	return r < 0 ? r : add_piece(s, "kernel", OWN_KERNEL, PLAN_MEM_LOADER, lo, last - lo + 1,
				     "at its link address");
}

static int place_kernel(struct step *s)
{
	const struct kernel *k = s->in->kernel;
	struct plan *p = s->p;

	if (k->kind == KERNEL_ELF) {
		const struct elf_image *e = &k->elf;
		if (!e->dyn)
			return place_fixed(s, e->lo, e->last);
		return place(s, "kernel", e->last - e->lo + 1, e->align, 0, p->place_max, OWN_KERNEL,
			     PLAN_MEM_LOADER);
	}
	/* the whole init_size buffer at its alignment, never below its own
	 * LOAD_PHYSICAL_ADDR, which it publishes as pref_address (the
	 * decompressor would clamp its buffer up to it) */
	const struct lx_kernel *lx = &k->lx;
	uint64_t lo = HS_MAX(PLAN_LOAD_PHYSICAL_ADDR, lx->pref_address);
	uint64_t hi = HS_MIN(PLAN_KERNEL_MAX - 1, p->place_max);
	if (!lx->relocatable) {
		lo = lx->pref_address;
		hi = HS_MIN(hi, lx->pref_address + lx->init_size - 1);
	}
	int r = place(s, "kernel", lx->init_size, lx->alignment, lo, hi, OWN_KERNEL,
		      PLAN_MEM_LOADER);
	if (r == -HS_ENOMEM && !lx->relocatable)
		hs_err_set(s->err, "kernel (init_size %#llx): not relocatable, and its preferred "
				   "address %#llx is taken", (unsigned long long)lx->init_size,
			   (unsigned long long)lx->pref_address);
	if (r >= 0 && !lx->relocatable)
		p->piece[r].note = "at pref_address: not relocatable";
	return r;
}

static int cmp_range(const struct pt_range *a, const struct pt_range *b)
{
	return a->base < b->base ? -1 : a->base > b->base;
}

/* Sizes the page tables over the map and places them: executable are the
 * kernel's code and hotshim's image (the handoff runs from it). */
static int place_page_tables(struct step *s)
{
	const struct plan_in *in = s->in;
	struct plan *p = s->p;
	const struct plan_piece *kp = &p->piece[p->kernel];
	struct pt_range exec[ELF_MAX_SEGS + 1];
	size_t nexec = 0;

	if (in->kernel->kind == KERNEL_ELF) {
		const struct elf_image *e = &in->kernel->elf;
		for (size_t i = 0; i < e->nseg; i++) {
			if (!(e->seg[i].flags & ELF_PF_X) || !e->seg[i].memsz)
				continue;
			uint64_t a = kp->base + (e->seg[i].paddr - e->lo);
			exec[nexec++] = (struct pt_range){ a & ~(HS_PAGE_SIZE - 1),
							   (a + e->seg[i].memsz - 1) | (HS_PAGE_SIZE - 1),
							   true };
		}
	} else {
		exec[nexec++] = (struct pt_range){ kp->base, (kp->base + kp->size - 1) |
								   (HS_PAGE_SIZE - 1), true };
	}
	if (p->image_last)
		exec[nexec++] = (struct pt_range){ p->image_base & ~(HS_PAGE_SIZE - 1),
						   p->image_last | (HS_PAGE_SIZE - 1), true };
	for (size_t i = 1; i < nexec; i++) /* sort by base */
		for (size_t j = i; j && cmp_range(&exec[j - 1], &exec[j]) > 0; j--) {
			struct pt_range t = exec[j];
			exec[j] = exec[j - 1];
			exec[j - 1] = t;
		}
	int r = plan_pt_ranges(in->map, &p->pt, exec, nexec, p->ranges, PLAN_MAX_PT_RANGES,
			       &p->nranges, &p->clipped);
	if (r < 0) {
		hs_err_set(s->err, "page tables: more than %d ranges to map", PLAN_MAX_PT_RANGES);
		return r;
	}
	p->pt_pages = pt_min_pages(&p->pt, p->ranges, p->nranges);
	return place(s, "page tables", p->pt_pages * HS_PAGE_SIZE, HS_PAGE_SIZE, 0, p->place_max,
		     OWN_PAGE_TABLES, PLAN_MEM_LOADER);
}

static void layout_hotshim(const struct plan_in *in, struct plan_layout *l)
{
	uint64_t o = (sizeof(struct hotshim_boot_info) + 15) & ~15ull;
	size_t nmem = in->srat ? HS_MIN(in->srat->mem_count, in->srat->mem_cap) : 0;

	/* each SRAT range splits at most two descriptors, once each */
	l->mem_cap = l->ndesc + 2 * nmem + 1;
	l->res_cap = PLAN_MAX_COMMITS + 8;
	l->nodes = in->srat ? in->srat->node_count : 0;
	l->off_mem = o;
	o += l->mem_cap * sizeof(struct hotshim_mem);
	l->off_res = o;
	o += l->res_cap * sizeof(struct hotshim_reserved);
	l->off_nodes = o;
	o += (l->nodes + 1) * sizeof(struct hotshim_node); /* room past the last one */
	l->off_mods = o;
	o += in->nmod * sizeof(struct hotshim_module);
	l->off_names = o;
	o += in->nmod * CLI_MAX_PATH;
	l->off_map = (o + 15) & ~15ull;
	l->size = l->off_map + l->map_cap;
}

/* boot_params, the e820 table built after exit, the setup_data node for
 * entries past 128, then the final EFI map. */
static void layout_linux(struct plan_layout *l)
{
	l->off_e820 = LX_BOOT_PARAMS_SIZE;
	l->off_ext = l->off_e820 + ((l->ndesc * sizeof(struct lx_e820) + 15) & ~15ull);
	l->off_map = l->off_ext + ((LX_SETUP_DATA_HDR + l->ndesc * LX_E820_ENTRY + 15) & ~15ull);
	l->size = l->off_map + l->map_cap;
}

/* The pieces after the page tables, in the order of the table above. */
static int place_rest(struct step *s)
{
	const struct plan_in *in = s->in;
	struct plan *p = s->p;
	bool lx = in->kernel->kind == KERNEL_LINUX;
	uint64_t max = p->place_max;
	int r;

	r = place(s, "stack + GDT", lx ? PLAN_STACK_LINUX : PLAN_STACK_ELF, HS_PAGE_SIZE, 0, max,
		  OWN_STACK, PLAN_MEM_LOADER);
	if (r < 0)
		return r;
	p->stack = r;
	for (unsigned i = 0; i < in->nmod; i++) {
		bool initrd = in->has_initrd && i == 0;
		uint64_t mmax = max;
		/* boot.rst: below initrd_addr_max unless the kernel loads above 4 GiB */
		if (lx && !in->kernel->lx.above_4g)
			mmax = HS_MIN(mmax, (uint64_t)in->kernel->lx.initrd_addr_max);
		r = place(s, initrd ? "initrd" : "module", in->mod_size[i], HS_PAGE_SIZE, 0, mmax,
			  initrd ? OWN_INITRD : OWN_MODULE, PLAN_MEM_LOADER);
		if (r < 0)
			return r;
		p->mod[i] = r;
	}
	if (lx || in->has_cmdline) {
		r = place(s, "command line", in->cmdline_len + 1, HS_PAGE_SIZE, 0, max, OWN_CMDLINE,
			  PLAN_MEM_LOADER);
		if (r < 0)
			return r;
		p->cmdline = r;
	}
	if (in->acpi_table_len) {
		/* for Linux, ACPI memory: it reserves no RSDP or XSDT of its own
		 * (the hotshim protocol lists the block in its reserved map) */
		r = place(s, "ACPI copy", PLAN_ACPI_TABLE_OFF + in->acpi_table_len, HS_PAGE_SIZE, 0,
			  max, OWN_ACPI_COPY, lx ? PLAN_MEM_ACPI_RECLAIM : PLAN_MEM_LOADER);
		if (r < 0)
			return r;
		p->acpi = r;
	}
	struct plan_layout *l = &p->layout;
	l->ndesc = plan_final_descs(in->ndesc);
	l->map_cap = l->ndesc * in->desc_size;
	if (lx)
		layout_linux(l);
	else
		layout_hotshim(in, l);
	r = place(s, lx ? "boot_params" : "boot info", l->size, HS_PAGE_SIZE, 0, max, OWN_BOOT_INFO,
		  PLAN_MEM_LOADER);
	if (r < 0)
		return r;
	p->info = r;
	return 0;
}

/* The kernel's page tables: the hotshim protocol gets identity + direct
 * map with NX on data; Linux the identity map only, all executable, since
 * its decompressor runs a trampoline it copies below 1 MiB
 * (arch/x86/boot/compressed/pgtable_64.c, paging_prepare()). */
static struct pt_cfg kernel_paging(const struct plan_in *in)
{
	struct pt_cfg c = in->cpu;

	if (in->kernel->kind == KERNEL_LINUX) {
		c.offset = 0;
		c.nx = false;
	} else {
		c.offset = c.la57 ? PT_DIRECT_MAP_L5 : PT_DIRECT_MAP_DEFAULT;
	}
	return c;
}

int plan_make(struct memblock *mb, const struct plan_in *in, struct plan *ret,
	      struct hs_err *err)
{
	struct pt_range *ranges = ret->ranges;
	struct step s = { mb, in, ret, err };
	const struct kernel *k = in->kernel;
	int r;

	hs_memset(ret, 0, sizeof(*ret));
	ret->ranges = ranges;
	ret->kernel = ret->page_tables = ret->stack = ret->cmdline = ret->acpi = ret->info = -1;
	for (size_t i = 0; i < HS_ARRAY_SIZE(ret->mod); i++)
		ret->mod[i] = -1;
	ret->image_base = in->image_base;
	ret->image_last = in->image_last;
	ret->image_node = in->image_last ? node_of(mb, in->image_base) : MB_NO_NODE;
	ret->pt = kernel_paging(in);
	/* nothing may land where the new tables do not reach; boot.rst: a
	 * bzImage without XLF_CAN_BE_LOADED_ABOVE_4G takes everything below */
	ret->place_max = pt_max_phys(&ret->pt);
	if (k->kind == KERNEL_LINUX && !k->lx.above_4g)
		ret->place_max = HS_MIN(ret->place_max, PLAN_BELOW_4G_LAST);
	if (in->nmod > HS_ARRAY_SIZE(ret->mod)) {
		hs_err_set(err, "%u modules: at most %zu", in->nmod, HS_ARRAY_SIZE(ret->mod));
		return -HS_E2BIG;
	}
	r = place_kernel(&s);
	if (r < 0)
		return r;
	ret->kernel = r;
	r = place_page_tables(&s);
	if (r < 0)
		return r;
	ret->page_tables = r;
	return place_rest(&s);
}

int plan_inputs(const struct plan_args *a, const struct plan_in *survey, char *cmdline,
		size_t cap, bool *ret_movable, struct plan_in *ret, struct hs_err *err)
{
	int r = kernel_cmdline(a->kernel, a->cmdline, numa_any_hotplug(survey->srat), a->no_movable_node,
			       cmdline, cap, ret_movable, err);

	if (r < 0)
		return r;
	*ret = *survey;
	ret->kernel = a->kernel;
	ret->has_initrd = a->has_initrd;
	if (a->nmod > HS_ARRAY_SIZE(ret->mod_size)) {
		hs_err_set(err, "%u modules: at most %zu", a->nmod, HS_ARRAY_SIZE(ret->mod_size));
		return -HS_E2BIG;
	}
	ret->nmod = a->nmod;
	for (unsigned i = 0; i < ret->nmod; i++)
		ret->mod_size[i] = a->mod_size[i];
	/* acpi_rsdp_addr came with boot protocol 2.14: an older kernel never
	 * sees the rebuilt RSDP, so its KASLR and early ACPI miss the override
	 * (Documentation/x86/boot.rst) */
	if (a->override_len && a->kernel->kind == KERNEL_LINUX &&
	    a->kernel->lx.version < PLAN_LX_ACPI_RSDP_VERSION) {
		hs_err_set(err, "boot protocol %u.%02u ignores acpi_rsdp_addr (2.14 and later): the "
				"initrd's SRAT override would not apply before KASLR", a->kernel->lx.version >> 8,
			   a->kernel->lx.version & 0xff);
		return -HS_ENOTSUP;
	}
	ret->has_cmdline = a->has_cmdline || a->kernel->kind == KERNEL_LINUX;
	ret->cmdline_len = hs_strlen(cmdline);
	ret->acpi_table_len = a->override_len;
	return 0;
}

static void node_str(char *buf, size_t cap, int32_t node)
{
	if (node == MB_NO_NODE)
		hs_snprintf(buf, cap, "no node");
	else
		hs_snprintf(buf, cap, "node %d", node);
}

uint64_t plan_piece_last(const struct plan_piece *c)
{
	return c->base + page_up(HS_MAX(c->size, 1)) - 1;
}

void plan_print(const struct plan *p, const struct srat_result *srat, struct hs_sink *out)
{
	char node[16], sz[24], extra[128];
	bool hot = false;

	if (p->image_last) {
		node_str(node, sizeof(node), p->image_node);
		hs_println(out, "  %-12s [mem %#010llx-%#010llx] %s%s", "hotshim",
			   (unsigned long long)p->image_base, (unsigned long long)p->image_last, node,
			   numa_touches_hotplug(srat, p->image_base, p->image_last)
				   ? " (hot-pluggable: the firmware loaded hotshim there; its pages "
				     "are free RAM after the jump)" : "");
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_piece *c = &p->piece[i];
		uint64_t last = plan_piece_last(c);
		bool h = numa_touches_hotplug(srat, c->base, last);

		hot |= h;
		node_str(node, sizeof(node), c->node);
		hs_fmt_size(sz, sizeof(sz), c->size);
		size_t o = 0;
		extra[0] = '\0';
		if ((int)i == p->page_tables)
			o = hs_snprintf(extra, sizeof(extra), " (%zu pages, the minimum for %s%s, %s "
					"pages)", p->pt_pages, p->pt.la57 ? "5-level, " : "",
					p->pt.offset ? "identity + direct map" : "identity map",
					p->pt.gb_pages ? "1 GiB" : "2 MiB");
		if (c->note && o < sizeof(extra))
			hs_snprintf(extra + o, sizeof(extra) - o, " (%s)", c->note);
		hs_println(out, "  %-12s [mem %#010llx-%#010llx] %s, %s%s%s", c->what,
			   (unsigned long long)c->base, (unsigned long long)last, node, sz, extra,
			   h ? " HOT-PLUGGABLE" : "");
	}
	if (p->clipped)
		hs_println(out, "  RAM above %#llx is beyond what %u-level paging maps; left out",
			   (unsigned long long)pt_max_phys(&p->pt), p->pt.la57 ? 5 : 4);
	if (!hot && p->n)
		hs_println(out, "  none of these lies in a hot-pluggable range of the SRAT");
}

void plan_summary(const struct plan *p, const struct srat_result *srat, char *buf, size_t cap)
{
	size_t hot = 0;
	char node[16];

	for (size_t i = 0; i < p->n; i++)
		hot += numa_touches_hotplug(srat, p->piece[i].base,
					    p->piece[i].base + page_up(HS_MAX(p->piece[i].size, 1)) - 1);
	if (p->kernel < 0) {
		hs_snprintf(buf, cap, "nothing placed");
		return;
	}
	const struct plan_piece *k = &p->piece[p->kernel];
	node_str(node, sizeof(node), k->node);
	hs_snprintf(buf, cap, "kernel [mem %#010llx-%#010llx] %s and %zu more piece%s, %s",
		    (unsigned long long)k->base,
		    (unsigned long long)(k->base + page_up(HS_MAX(k->size, 1)) - 1), node, p->n - 1,
		    p->n == 2 ? "" : "s",
		    hot ? "SOME IN HOT-PLUGGABLE MEMORY" : "none in hot-pluggable memory");
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
		if (!mapped_kind(e->kind))
			continue;
		/* whole pages inside the entry only */
		if (e->base > UINT64_MAX - PAGE_MASK || e->last < PAGE_MASK)
			continue;
		uint64_t a = (e->base + PAGE_MASK) & ~PAGE_MASK;
		uint64_t z = e->last == UINT64_MAX ? UINT64_MAX : ((e->last + 1) & ~PAGE_MASK) - 1;
		if (a > z)
			continue;
		if (a > limit) {
			clipped = true;
			continue;
		}
		if (z > limit) {
			clipped = true;
			z = limit;
		}
		/* split out the executable parts (sorted, page-granular) */
		for (uint64_t pos = a; pos <= z;) {
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
