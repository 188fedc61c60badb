/*
 * `hotshim.efi boot`: load an ELF kernel, its modules and the boot info
 * into memory that is not hot-pluggable, build its page tables, exit boot
 * services and jump (the hotshim protocol, docs/PROTOCOL.md).
 *
 * Every decision comes from core/ (memblock, bottom-up above the image);
 * this file commits each with AllocatePages(AllocateAddress) and, on any
 * failure before ExitBootServices, frees every page it took.
 */

#include "boot.h"
#include "../x86/linux.h"

void boot_say(struct boot *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hs_vprintln(b->out, fmt, ap);
	va_end(ap);
}

void boot_free_inputs(struct boot *b)
{
	efi_file_free(&b->kernel);
	for (unsigned i = 0; i < b->modules; i++)
		efi_file_free(&b->module[i]);
	efi_memmap_free(&b->mm);
}

static const char *where(const struct boot *b, uint64_t a)
{
	static char s[24];
	const struct mb_region *m = mb_find(&b->mb.memory, a);

	if (m && m->node != MB_NO_NODE)
		hs_snprintf(s, sizeof(s), "node %d", m->node);
	else
		hs_snprintf(s, sizeof(s), "no node");
	return s;
}

/* Places one piece bottom-up above the image (top-down when nothing fits
 * there, as memblock does) and says where. */
int boot_place(struct boot *b, const char *what, uint64_t size, uint64_t align, unsigned owner,
		 uint64_t *ret)
{
	struct alloc_req q = { .size = size, .align = align, .min = b->image_last + 1,
			       .max = b->place_max, .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP,
			       .owner = owner };
	char sz[24];
	int r = plan_place(&b->mb, &q, &b->pc, ret);

	if (r == -HS_ENOMEM) {
		q.min = 0;
		q.dir = ALLOC_TOP_DOWN;
		r = plan_place(&b->mb, &q, &b->pc, ret);
	}
	hs_fmt_size(sz, sizeof(sz), size);
	if (r < 0) {
		boot_say(b, "hotshim: boot: %s (%s): %s", what, sz,
		    r == -HS_ENOMEM ? "no room outside hot-pluggable memory"
				    : "too many allocations");
		return r;
	}
	boot_say(b, "  %-12s [mem %#010llx-%#010llx] %s, %s", what, (unsigned long long)*ret,
	    (unsigned long long)(*ret + ((size + HS_PAGE_SIZE - 1) & ~(HS_PAGE_SIZE - 1)) - 1),
	    where(b, *ret), sz);
	return 0;
}

/* The first thing in [lo, last] that keeps a kernel out. */
static void why_not_free(const struct boot *b, uint64_t lo, uint64_t last, char *buf, size_t cap)
{
	uint64_t pos = lo;

	for (size_t i = 0; i < b->mm.map.count; i++) {
		const struct mm_entry *e = &b->mm.map.e[i];
		if (e->last < pos)
			continue;
		if (e->base > pos) {
			hs_snprintf(buf, cap, "%#llx is in no memory-map range",
				    (unsigned long long)pos);
			return;
		}
		if (e->kind != MM_CONVENTIONAL) {
			hs_snprintf(buf, cap, "the firmware's %s memory [mem %#010llx-%#010llx] lies in it",
				    mm_kind_name(e->kind), (unsigned long long)e->base,
				    (unsigned long long)e->last);
			return;
		}
		const struct mb_region *m = mb_find(&b->mb.memory, pos);
		if (m && (m->flags & MB_HOTPLUG)) {
			hs_snprintf(buf, cap, "%#llx is hot-pluggable (node %d)",
				    (unsigned long long)pos, m->node);
			return;
		}
		if (e->last >= last)
			break;
		pos = e->last + 1;
	}
	if (pos <= last && (!b->mm.map.count || b->mm.map.e[b->mm.map.count - 1].last < pos)) {
		hs_snprintf(buf, cap, "%#llx is in no memory-map range", (unsigned long long)pos);
		return;
	}
	hs_snprintf(buf, cap, "it is not free");
}

/* An ET_EXEC kernel goes where its headers boot_say, or nowhere. */
static int place_fixed(struct boot *b, uint64_t *ret)
{
	uint64_t lo = b->elf.lo, last = b->elf.last;
	struct alloc_req q = { .size = last - lo + 1, .align = HS_PAGE_SIZE, .min = lo, .max = last,
			       .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP, .owner = OWN_KERNEL };
	uint64_t a;

	if (mb_find_free(&b->mb, &q, &a) < 0 || a != lo) {
		char why[120];
		why_not_free(b, lo, last, why, sizeof(why));
		boot_say(b, "hotshim: boot: kernel segments [mem %#010llx-%#010llx]: %s",
		    (unsigned long long)lo, (unsigned long long)last, why);
		return -HS_EBUSY;
	}
	if (efi_commit(&b->commits, lo, last - lo + 1) < 0) {
		boot_say(b, "hotshim: boot: kernel segments [mem %#010llx-%#010llx]: the firmware "
		    "refused them", (unsigned long long)lo, (unsigned long long)last);
		return -HS_EBUSY;
	}
	*ret = lo;
	boot_say(b, "  %-12s [mem %#010llx-%#010llx] %s (at its link address)", "kernel",
	    (unsigned long long)lo, (unsigned long long)last, where(b, lo));
	return mb_add(&b->mb.reserved, lo, last, MB_NO_NODE, 0, OWN_KERNEL);
}

/* Memory map, ACPI, the SRAT in effect, and the memblock model. */
EFI_STATUS boot_survey(struct boot *b, const struct cli *c, struct hs_err *err)
{
	struct report_in in = { .source = "firmware" };
	struct acpi_found found;
	struct acpi_warnings warn = { .count = 0 };
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS st;

	st = efi_memmap_get(&b->mm, err);
	if (EFI_ERROR(st))
		return st;
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, b->image, &LoadedImageProtocol,
					 (void **)&li)) && li && li->ImageSize) {
		b->image_base = (UINT64)(UINTN)li->ImageBase;
		b->image_last = b->image_base + li->ImageSize - 1;
	}
	if (!EFI_ERROR(efi_find_rsdp(&b->rsdp)) &&
	    acpi_find_table(&efi_phys, b->rsdp, "SRAT", &found, &warn, err) == 0) {
		in.have_srat = true;
		in.srat = found.table;
	}
	if (b->modules && c->initrd[0]) {
		in.have_initrd = true;
		in.initrd = (struct hs_view){ (const uint8_t *)(UINTN)b->module[0].addr,
					      b->module[0].size };
		in.locked_down = efi_secure_boot();
	}
	report_choose(&in, &b->ovr, &b->choice);
	b->srat = (struct srat_result){ .mem = b->sm, .mem_cap = HS_ARRAY_SIZE(b->sm) };
	if (b->choice.have) {
		struct srat_opts o = { .x2apic_mode = efi_x2apic_enabled() };
		srat_parse(b->choice.table, &o, &b->srat, NULL);
		b->srat_used = b->srat.used;
		boot_say(b, "hotshim: SRAT from %s%s", b->choice.source,
		    b->srat_used ? "" : ", which Linux would not use: one node");
	} else {
		boot_say(b, "hotshim: no SRAT: one node");
	}
	b->mb = (struct memblock){ { b->mr, 0, HS_ARRAY_SIZE(b->mr) },
				   { b->rr, 0, HS_ARRAY_SIZE(b->rr) } };
	int r = mb_build(&b->mb, &b->mm.map, b->srat_used ? &b->srat : NULL, b->image_base,
			 b->image_last, &b->info);
	if (r < 0) {
		hs_err_set(err, "memory model: more than %zu ranges", HS_ARRAY_SIZE(b->mr));
		return efi_status_from(r);
	}
	if (b->info.image_node_hotplug)
		boot_say(b, "hotshim: warning: hotshim runs from hot-pluggable node %d; that node is "
		    "not marked (see the report)", b->info.image_node);
	return EFI_SUCCESS;
}

EFI_STATUS boot_read_inputs(struct boot *b, const struct cli *c, struct hs_err *err)
{
	EFI_STATUS st = efi_read_path(b->image, c->kernel, &b->kernel, err);

	if (EFI_ERROR(st)) {
		boot_say(b, "hotshim: boot: kernel %s", err->msg);
		return st;
	}
	const char *paths[1 + CLI_MAX_MODULES];
	unsigned n = 0;
	if (c->initrd[0])
		paths[n++] = c->initrd;
	for (unsigned i = 0; i < c->modules; i++)
		paths[n++] = c->module[i];
	for (unsigned i = 0; i < n; i++) {
		st = efi_read_path(b->image, paths[i], &b->module[i], err);
		if (EFI_ERROR(st)) {
			boot_say(b, "hotshim: boot: %s %s", c->initrd[0] && !i ? "initrd" : "module",
			    err->msg);
			return st;
		}
		b->module_name[i] = paths[i];
		b->modules = i + 1;
	}
	return EFI_SUCCESS;
}


uint64_t boot_pool_alloc(void *ctx)
{
	struct pt_pool *p = ctx;

	if (p->next >= p->end)
		return 0;
	uint64_t a = p->next;
	p->next += HS_PAGE_SIZE;
	ZeroMem((void *)(UINTN)a, HS_PAGE_SIZE);
	return a;
}

uint64_t *boot_pool_ptr(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (uint64_t *)(UINTN)phys;
}

uint64_t boot_cr4_la57(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return (cr4 >> 12) & 1;
}

/* After ExitBootServices nothing can be printed through the firmware:
 * the last word goes straight to COM1, then the CPU stops. */
#define COM1_DATA 0x3f8
#define COM1_LSR (COM1_DATA + 5) /* line status */
#define LSR_THR_EMPTY 0x20      /* transmitter holding register empty */

void __attribute__((noreturn)) boot_die_after_exit(const char *msg)
{
	for (const char *p = msg; *p; p++) {
		for (int i = 0; i < 100000; i++) {
			uint8_t lsr;
			__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)COM1_LSR));
			if (lsr & LSR_THR_EMPTY)
				break;
		}
		__asm__ volatile("outb %0, %1" : : "a"((uint8_t)*p), "Nd"((uint16_t)COM1_DATA));
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

size_t boot_final_descs(const struct boot *b)
{
	/* every commit may split a free range in two; the freed file
	 * buffers may add some more */
	return b->mm.size / b->mm.desc_size + 2 * EFI_MAX_COMMITS + 64;
}

struct layout {
	uint64_t base, size;
	size_t mem_cap, res_cap, nodes, map_cap; /* map_cap in bytes */
	uint64_t off_mem, off_res, off_nodes, off_mods, off_names, off_map;
};

static void plan_layout(struct layout *l, const struct boot *b)
{
	struct bi_numa numa = { b->srat_used ? &b->srat : NULL, b->info };
	size_t ndesc = boot_final_descs(b);
	uint64_t o = (sizeof(struct hotshim_boot_info) + 15) & ~15ull;

	l->mem_cap = bi_mem_cap(ndesc, &numa);
	l->res_cap = EFI_MAX_COMMITS + 8;
	l->nodes = b->srat_used ? b->srat.node_count : 0;
	l->map_cap = ndesc * b->mm.desc_size;
	l->off_mem = o;
	o += l->mem_cap * sizeof(struct hotshim_mem);
	l->off_res = o;
	o += l->res_cap * sizeof(struct hotshim_reserved);
	l->off_nodes = o;
	o += l->nodes * sizeof(struct hotshim_node) + 8;
	l->off_mods = o;
	o += b->modules * sizeof(struct hotshim_module);
	l->off_names = o;
	o += b->modules * CLI_MAX_PATH;
	o = (o + 15) & ~15ull;
	l->off_map = o;
	o += l->map_cap;
	l->size = o;
}

static void fill_framebuffer(struct hotshim_boot_info *bi)
{
	struct efi_fb fb;

	if (!efi_framebuffer(&fb))
		return;
	bi->flags |= HOTSHIM_BI_FRAMEBUFFER;
	bi->fb_base = fb.base;
	bi->fb_size = fb.size;
	bi->fb_width = fb.width;
	bi->fb_height = fb.height;
	bi->fb_pitch = fb.pitch;
	bi->fb_format = fb.format;
}

int boot_page_tables(struct boot *b, struct pt_range *exec, size_t nexec, struct pt *ret_pt)
{
	size_t n;
	bool clipped;
	uint64_t ptb;
	int r;

	/* hs_handoff() runs from the image after the switch */
	exec[nexec++] = (struct pt_range){ b->image_base & ~(HS_PAGE_SIZE - 1),
					   b->image_last | (HS_PAGE_SIZE - 1), true };
	for (size_t i = 1; i < nexec; i++) /* sort by base */
		for (size_t j = i; j && exec[j - 1].base > exec[j].base; j--) {
			struct pt_range t = exec[j];
			exec[j] = exec[j - 1];
			exec[j - 1] = t;
		}
	r = plan_pt_ranges(&b->mm.map, &b->pt, exec, nexec, b->ranges, MAX_PT_RANGES, &n, &clipped);
	if (r < 0) {
		boot_say(b, "hotshim: boot: page tables: more than %d ranges to map", MAX_PT_RANGES);
		return r;
	}
	size_t pages = pt_min_pages(&b->pt, b->ranges, n);
	r = boot_place(b, "page tables", pages * HS_PAGE_SIZE, HS_PAGE_SIZE, OWN_PAGE_TABLES, &ptb);
	if (r < 0)
		return r;
	struct pt_pool pool = { ptb, ptb + pages * HS_PAGE_SIZE };
	struct pt_mem pm = { boot_pool_alloc, boot_pool_ptr, &pool };
	r = pt_init(ret_pt, &b->pt, &pm);
	if (!r)
		r = pt_build_bottom_up(ret_pt, b->ranges, n, b->image_last + 1);
	if (r < 0) {
		boot_say(b, "hotshim: boot: page tables: building failed (%d after %zu pages)", r,
			 ret_pt->pages);
		return r;
	}
	if (clipped)
		boot_say(b, "hotshim: boot: warning: RAM above %#llx is beyond %u-level paging; "
			 "not mapped", (unsigned long long)pt_max_phys(&b->pt), b->pt.la57 ? 5 : 4);
	return 0;
}

const void *boot_gdt(uint64_t block, bool linux_layout)
{
	uint64_t *gdt = (uint64_t *)(UINTN)block;
	uint8_t *gdtr = (uint8_t *)(UINTN)(block + 64);
	unsigned n = 0;

	gdt[n++] = 0;
	if (linux_layout)
		gdt[n++] = 0; /* __BOOT_CS is 0x10 */
	gdt[n++] = GDT_CODE64;
	gdt[n++] = GDT_DATA;
	uint16_t limit = n * 8 - 1;
	CopyMem(gdtr, &limit, 2);
	CopyMem(gdtr + 2, &block, 8);
	return gdtr;
}

int boot_acpi(struct boot *b, const struct cli *c, uint64_t *ret_rsdp, bool *ret_override)
{
	uint64_t xsdt_cap = ACPI_XSDT_LEN(ACPI_REBUILD_MAX_ENTRIES), acpi;
	/* RSDP, then the XSDT at 48, then the table 16-byte aligned */
	uint64_t table_off = (ACPI_RSDP_V2_LEN + 12 + xsdt_cap + 15) & ~15ull;
	struct hs_err err = { "" };
	size_t xlen;
	int r;

	*ret_rsdp = b->rsdp;
	/* the initrd's table replaces the firmware's: hand over an RSDP that says so */
	*ret_override = b->modules && c->initrd[0] && b->ovr.chosen >= 0;
	if (!*ret_override)
		return 0;
	/* for Linux, ACPI memory: it reserves no RSDP or XSDT of its own
	 * (the hotshim protocol lists the block in its reserved map instead) */
	if (b->is_linux)
		b->commits.type = EfiACPIReclaimMemory;
	r = boot_place(b, "ACPI copy", table_off + b->choice.table.len, HS_PAGE_SIZE,
		       OWN_ACPI_COPY, &acpi);
	b->commits.type = 0;
	if (r < 0)
		return r;
	uint8_t *p = (uint8_t *)(UINTN)acpi;
	CopyMem(p + table_off, (void *)b->choice.table.data, b->choice.table.len);
	r = acpi_rebuild(&efi_phys, b->rsdp, "SRAT", acpi + table_off, p + ACPI_RSDP_V2_LEN + 12,
			 xsdt_cap, acpi + ACPI_RSDP_V2_LEN + 12, p, &xlen, &err);
	if (r < 0) {
		boot_say(b, "hotshim: boot: ACPI: %s", err.msg);
		return r;
	}
	*ret_rsdp = acpi;
	return 0;
}

/* A stale map key gets one more try with nothing allocated in between. */
EFI_STATUS boot_exit(struct boot *b, void *map, UINTN cap, UINTN *ret_size, UINTN *ret_dsize,
		     UINT32 *ret_dver)
{
	EFI_STATUS st;
	UINTN key;

	for (int tries = 0;; tries++) {
		*ret_size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, ret_size, map, &key, ret_dsize, ret_dver);
		if (!EFI_ERROR(st))
			st = uefi_call_wrapper(BS->ExitBootServices, 2, b->image, key);
		if (!EFI_ERROR(st))
			return EFI_SUCCESS;
		if (tries == 1 || st != EFI_INVALID_PARAMETER) {
			boot_say(b, "hotshim: boot: ExitBootServices failed (status %#lx)",
				 (unsigned long)st);
			return st;
		}
	}
}

static EFI_STATUS run(struct boot *b, const struct cli *c)
{
	struct hs_err err = { "" };
	EFI_STATUS st;
	uint64_t kbase, stack, cmdline = 0, acpi = 0, bib;
	int r;

	if (!c->kernel[0]) {
		boot_say(b, "hotshim: boot: kernel=PATH is required");
		return EFI_INVALID_PARAMETER;
	}
	if (c->la57 && !boot_cr4_la57()) {
		boot_say(b, "hotshim: boot: --la57: the firmware runs with 4-level paging, and long "
		    "mode cannot switch levels");
		return EFI_UNSUPPORTED;
	}
	efi_cpu_paging(FALSE, &b->pt);
	if (boot_cr4_la57()) {
		b->pt.la57 = true;
		b->pt.offset = PT_DIRECT_MAP_L5;
	}
	/* nothing may land where the new tables do not reach */
	b->place_max = pt_max_phys(&b->pt);
	st = boot_read_inputs(b, c, &err);
	if (EFI_ERROR(st))
		return st;
	struct hs_view kf = { (const uint8_t *)(UINTN)b->kernel.addr, b->kernel.size };
	/* a bzImage: "HdrS" in its setup header (Documentation/x86/boot.rst) */
	if (hs_view_has(kf, LX_HDR_HEADER, 4) && !hs_memcmp(kf.data + LX_HDR_HEADER, "HdrS", 4))
		return efi_boot_linux(b, c);
	/* Signatures are the firmware's to check, and it checks PE images
	 * only: an ELF kernel would be a way around Secure Boot. */
	if (efi_secure_boot()) {
		boot_say(b, "hotshim: boot: Secure Boot is on and the firmware cannot verify an ELF "
		    "kernel: refusing %s", c->kernel);
		return EFI_SECURITY_VIOLATION;
	}
	r = elf_parse(kf, b->pt.offset, &b->elf, &err);
	if (r < 0) {
		boot_say(b, "hotshim: boot: kernel %s: %s", c->kernel, err.msg);
		return efi_status_from(r);
	}
	st = boot_survey(b, c, &err);
	if (EFI_ERROR(st)) {
		boot_say(b, "hotshim: boot: %s", err.msg);
		return st;
	}

	/* where everything goes */
	boot_say(b, "hotshim: placing (bottom-up above hotshim's image, never in hot-pluggable memory):");
	if (b->elf.dyn)
		r = boot_place(b, "kernel", b->elf.last - b->elf.lo + 1, b->elf.align, OWN_KERNEL, &kbase);
	else
		r = place_fixed(b, &kbase);
	if (r < 0)
		return efi_status_from(r);

	struct pt_range exec[ELF_MAX_SEGS + 1];
	size_t nexec = 0;
	for (size_t i = 0; i < b->elf.nseg; i++) {
		const struct elf_seg *s = &b->elf.seg[i];
		if (!(s->flags & ELF_PF_X))
			continue;
		uint64_t a = kbase + (s->paddr - b->elf.lo);
		exec[nexec++] = (struct pt_range){ a & ~(HS_PAGE_SIZE - 1),
						   (a + s->memsz - 1) | (HS_PAGE_SIZE - 1), true };
	}
	struct pt pt;
	r = boot_page_tables(b, exec, nexec, &pt);
	if (r < 0)
		return efi_status_from(r);
	r = boot_place(b, "stack + GDT", STACK_SIZE + HS_PAGE_SIZE, HS_PAGE_SIZE, OWN_STACK, &stack);
	if (r < 0)
		return efi_status_from(r);
	uint64_t mod_base[1 + CLI_MAX_MODULES];
	for (unsigned i = 0; i < b->modules; i++) {
		r = boot_place(b, i == 0 && c->initrd[0] ? "initrd" : "module",
			  b->module[i].size ? b->module[i].size : 1, HS_PAGE_SIZE,
			  i == 0 && c->initrd[0] ? OWN_INITRD : OWN_MODULE, &mod_base[i]);
		if (r < 0)
			return efi_status_from(r);
	}
	size_t cmdlen = hs_strlen(c->cmdline);
	if (c->has_cmdline) {
		r = boot_place(b, "command line", cmdlen + 1, HS_PAGE_SIZE, OWN_CMDLINE, &cmdline);
		if (r < 0)
			return efi_status_from(r);
	}
	bool override;
	r = boot_acpi(b, c, &acpi, &override);
	if (r < 0)
		return efi_status_from(r);
	struct layout l;
	plan_layout(&l, b);
	r = boot_place(b, "boot info", l.size, HS_PAGE_SIZE, OWN_BOOT_INFO, &bib);
	if (r < 0)
		return efi_status_from(r);

	/* fill it all in */
	uint64_t entry;
	r = elf_load(kf, &b->elf, (uint8_t *)(UINTN)kbase, kbase, &entry, &err);
	if (r < 0) {
		boot_say(b, "hotshim: boot: kernel %s: %s", c->kernel, err.msg);
		return efi_status_from(r);
	}
	const void *gdtr = boot_gdt(stack, false);
	uint64_t stack_top = stack + HS_PAGE_SIZE + STACK_SIZE;

	struct hotshim_boot_info *bi = (void *)(UINTN)bib;
	ZeroMem(bi, l.size);
	bi->magic = HOTSHIM_MAGIC;
	bi->version = HOTSHIM_VERSION;
	bi->size = sizeof(*bi);
	if (b->info.image_node_hotplug) {
		bi->flags |= HOTSHIM_BI_IMAGE_NODE_HOT;
		bi->image_node = (uint32_t)b->info.image_node;
	}
	bi->mem = bib + l.off_mem;
	bi->reserved = bib + l.off_res;
	bi->nodes = bib + l.off_nodes;
	struct hotshim_node *nodes = (void *)(UINTN)bi->nodes;
	for (size_t i = 0; i < l.nodes; i++)
		nodes[i] = (struct hotshim_node){ i, b->srat.node[i].pxm };
	bi->node_count = l.nodes;
	bi->modules = bib + l.off_mods;
	bi->module_count = b->modules;
	struct hotshim_module *mods = (void *)(UINTN)bi->modules;
	for (unsigned i = 0; i < b->modules; i++) {
		char *name = (char *)(UINTN)(bib + l.off_names + i * CLI_MAX_PATH);
		hs_snprintf(name, CLI_MAX_PATH, "%s", b->module_name[i]);
		CopyMem((void *)(UINTN)mod_base[i], (void *)(UINTN)b->module[i].addr,
			b->module[i].size);
		mods[i] = (struct hotshim_module){ mod_base[i], b->module[i].size,
						   (uint64_t)(UINTN)name };
	}
	if (c->has_cmdline) {
		CopyMem((void *)(UINTN)cmdline, c->cmdline, cmdlen + 1);
		bi->cmdline = cmdline;
	}
	bi->rsdp_firmware = b->rsdp;
	bi->rsdp = acpi;
	if (override)
		bi->flags |= HOTSHIM_BI_ACPI_OVERRIDE;
	bi->cr3 = pt.root;
	bi->direct_map_offset = b->pt.offset;
	bi->paging_levels = b->pt.la57 ? 5 : 4;
	bi->kernel_base = kbase;
	bi->kernel_length = b->elf.last - b->elf.lo + 1;
	fill_framebuffer(bi);
	bi->efi_system_table = (uint64_t)(UINTN)ST;
	size_t nres;
	r = bi_reserved(&b->mb.reserved, (void *)(UINTN)bi->reserved, l.res_cap, &nres);
	if (r < 0) {
		boot_say(b, "hotshim: boot: more than %zu reserved ranges", l.res_cap);
		return efi_status_from(r);
	}
	bi->reserved_count = nres;
	boot_say(b, "hotshim: %zu page-table pages (the minimum), entry %#llx; exiting boot services",
	    pt.pages, (unsigned long long)entry);

	/* the inputs were copied: their pages go back before the final map */
	boot_free_inputs(b);

	/* ExitBootServices: the map goes straight into the boot info, sized
	 * before; a stale key gets one more try with nothing allocated. */
	struct bi_numa numa = { b->srat_used ? &b->srat : NULL, b->info };
	void *map = (void *)(UINTN)(bib + l.off_map);
	UINTN size, dsize;
	UINT32 dver;
	st = boot_exit(b, map, l.map_cap, &size, &dsize, &dver);
	if (EFI_ERROR(st))
		return st;
	bi->efi_memmap = bib + l.off_map;
	bi->efi_memmap_size = size;
	bi->efi_desc_size = dsize;
	bi->efi_desc_version = dver;
	size_t nmem;
	if (bi_memmap((struct hs_view){ map, size }, dsize, &numa, (void *)(UINTN)bi->mem,
		      l.mem_cap, &nmem) < 0)
		boot_die_after_exit("hotshim: the final memory map does not convert; stopped\n");
	bi->mem_count = nmem;
	hs_handoff(pt.root, gdtr, entry, bib, stack_top, b->pt.nx);
}

EFI_STATUS efi_boot(EFI_HANDLE image, struct hs_sink *out, const struct cli *c)
{
	struct boot *b = AllocateZeroPool(sizeof(*b));
	EFI_STATUS st;

	if (!b) {
		hs_println(out, "hotshim: boot: no pool for %lu bytes of scratch",
			   (unsigned long)sizeof(*b));
		return EFI_OUT_OF_RESOURCES;
	}
	b->image = image;
	b->out = out;
	b->pc = (struct plan_commit){ efi_commit, efi_release_all, &b->commits };
	st = run(b, c);
	/* only failures come back */
	efi_release_all(&b->commits);
	boot_free_inputs(b);
	FreePool(b);
	return st;
}
