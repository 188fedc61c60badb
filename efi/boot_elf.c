/*
 * `hotshim.efi boot kernel=\k.elf`: an ELF kernel entered with the hotshim
 * protocol (include/hotshim/protocol.h, docs/PROTOCOL.md): the boot info
 * says what lies where and which memory is hot-pluggable.
 */
#include "boot.h"
#include "loaderif.h"

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

/* The boot info before the exit: everything but the final memory map. */
static EFI_STATUS fill_info(struct boot *b, const struct pt *pt)
{
	const struct plan *p = &b->plan;
	const struct plan_layout *l = &p->layout;
	uint64_t bib = boot_piece(b, p->info);
	struct hotshim_boot_info *bi = (void *)(UINTN)bib;
	size_t nres;

	ZeroMem(bi, l->size);
	*bi = (struct hotshim_boot_info){ .magic = HOTSHIM_MAGIC, .version = HOTSHIM_VERSION,
					  .size = sizeof(*bi) };
	if (p->image_last && numa_touches_hotplug(b->eff, p->image_base, p->image_last)) {
		bi->flags |= HOTSHIM_BI_IMAGE_NODE_HOT;
		bi->image_node = (uint32_t)p->image_node;
	}
	bi->mem = bib + l->off_mem;
	bi->reserved = bib + l->off_res;
	bi->nodes = bib + l->off_nodes;
	bi->node_count = l->nodes;
	struct hotshim_node *nodes = (void *)(UINTN)bi->nodes;
	for (size_t i = 0; i < l->nodes; i++)
		nodes[i] = (struct hotshim_node){ i, b->eff->node[i].pxm };
	bi->modules = bib + l->off_mods;
	bi->module_count = b->in.nmod;
	struct hotshim_module *mods = (void *)(UINTN)bi->modules;
	for (unsigned i = 0; i < b->in.nmod; i++) {
		char *name = (char *)(UINTN)(bib + l->off_names + i * CLI_MAX_PATH);
		hs_snprintf(name, CLI_MAX_PATH, "%s", b->in.module_name[i]);
		mods[i] = (struct hotshim_module){ boot_piece(b, p->mod[i]), b->in.module[i].size,
						   (uint64_t)(UINTN)name };
	}
	bi->cmdline = boot_piece(b, p->cmdline);
	bi->rsdp_firmware = b->sv.rsdp;
	bi->rsdp = b->rsdp;
	if (b->override)
		bi->flags |= HOTSHIM_BI_ACPI_OVERRIDE;
	bi->cr3 = pt->root;
	bi->direct_map_offset = p->pt.offset;
	bi->paging_levels = p->pt.la57 ? 5 : 4;
	bi->kernel_base = boot_piece(b, p->kernel);
	bi->kernel_length = b->in.k.elf.last - b->in.k.elf.lo + 1;
	fill_framebuffer(bi);
	bi->efi_system_table = (uint64_t)(UINTN)ST;
	int r = bi_reserved(&b->mb.reserved, (void *)(UINTN)bi->reserved, l->res_cap, &nres);
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: more than %zu reserved ranges",
				l->res_cap);
	bi->reserved_count = nres;
	return EFI_SUCCESS;
}

/* After ExitBootServices: the final map, converted in place; no firmware
 * call, no allocation. */
static void finish_info(struct boot *b, void *map, UINTN size, UINTN dsize, UINT32 dver)
{
	const struct plan_layout *l = &b->plan.layout;
	struct hotshim_boot_info *bi = (void *)(UINTN)boot_piece(b, b->plan.info);
	size_t nmem;

	bi->efi_memmap = (uint64_t)(UINTN)map;
	bi->efi_memmap_size = size;
	bi->efi_desc_size = dsize;
	bi->efi_desc_version = dver;
	if (bi_memmap((struct hs_view){ map, size }, dsize, b->eff, (void *)(UINTN)bi->mem,
		      l->mem_cap, &nmem) < 0)
		boot_die_after_exit("hotshim: the final memory map does not convert");
	bi->mem_count = nmem;
}

EFI_STATUS efi_boot_elf(struct boot *b, const struct cli *c)
{
	const struct plan *p = &b->plan;
	struct hs_view kf = { (const uint8_t *)(UINTN)b->in.kernel.addr, b->in.kernel.size };
	struct hs_err err = { "" };
	struct pt pt;
	uint64_t entry;
	EFI_STATUS st;

	if (EFI_ERROR((st = boot_prepare(b, c, &pt))))
		return st;
	uint64_t kbase = boot_piece(b, p->kernel);
	int r = elf_load(kf, &b->in.k.elf, (uint8_t *)(UINTN)kbase, kbase, &entry, &err);
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: kernel %s: %s", c->kernel, err.msg);
	uint64_t stack = boot_piece(b, p->stack);
	const void *gdtr = boot_gdt(stack, false);
	if (EFI_ERROR((st = fill_info(b, &pt))))
		return st;
	char took[24];
	loader_elapsed(b->clock, took, sizeof(took));
	if (c->quiet) {
		char line[200];
		plan_summary(p, b->eff, line, sizeof(line));
		hs_println(b->out, "hotshim: %s; exiting boot services after %s", line, took);
	} else {
		hs_println(b->out, "hotshim: %zu page-table pages (the minimum), entry %#llx; exiting "
			   "boot services after %s", pt.pages, (unsigned long long)entry, took);
	}
	/* the inputs were copied: their pages go back before the final map */
	inputs_free(&b->in);
	void *map = (void *)(UINTN)(boot_piece(b, p->info) + p->layout.off_map);
	UINTN size, dsize;
	UINT32 dver;
	if (EFI_ERROR((st = boot_exit(b, map, p->layout.map_cap, &size, &dsize, &dver))))
		return st;
	finish_info(b, map, size, dsize, dver);
	hs_handoff(pt.root, gdtr, entry, boot_piece(b, p->info), stack + PLAN_STACK_ELF, p->pt.nx);
}
