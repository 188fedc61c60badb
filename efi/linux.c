/*
 * `hotshim.efi boot kernel=\vmlinuz`: a Linux bzImage entered through the
 * x86 boot protocol's 64-bit entry point, with everything placed outside
 * hot-pluggable memory and an e820 table and EFI map that say what Linux
 * needs to keep hot-pluggable nodes movable.
 */
#include "boot.h"
#include "../x86/linux.h"

/* CONFIG_PHYSICAL_START of x86-64 kernels: the EFI stub never loads below
 * it (LOAD_PHYSICAL_ADDR in drivers/firmware/efi/libstub/x86-stub.c). */
#define LOAD_PHYSICAL_ADDR 0x1000000ull
/* MAXMEM with 4-level paging: the stub's limit for the whole buffer */
#define KERNEL_MAX (1ull << 46)
#define MOVABLE_NODE " movable_node"

/* Under Secure Boot the firmware judges the image, as it would a direct
 * boot of it: LoadImage verifies the signature; the image is unloaded. */
static EFI_STATUS verify(struct boot *b, const char *path)
{
	EFI_HANDLE h = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, b->image, NULL,
					  (void *)(UINTN)b->kernel.addr, b->kernel.size, &h);

	if (EFI_ERROR(st)) {
		/* a refused image may still have a handle (UEFI 2.10, 7.4 LoadImage) */
		if (h)
			uefi_call_wrapper(BS->UnloadImage, 1, h);
		boot_say(b, "hotshim: boot: Secure Boot: the firmware refused %s (status %#lx)",
			 path, (unsigned long)st);
		return st == EFI_ACCESS_DENIED ? EFI_SECURITY_VIOLATION : st;
	}
	uefi_call_wrapper(BS->UnloadImage, 1, h);
	boot_say(b, "hotshim: boot: Secure Boot: the firmware verified %s", path);
	return EFI_SUCCESS;
}

/* Is word a blank-separated word of line? */
static bool has_word(const char *line, const char *word)
{
	size_t n = hs_strlen(word);

	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		if ((size_t)(q - p) == n && !hs_memcmp(p, word, n))
			return true;
		p = q;
	}
	return false;
}

static bool any_hotplug(const struct boot *b)
{
	for (size_t i = 0; i < b->mb.memory.count; i++)
		if (b->mb.memory.r[i].flags & MB_HOTPLUG)
			return true;
	return false;
}

/* What still pins a hot-pluggable node once Linux runs: the ACPI tables,
 * runtime memory, the first 64 KiB, and boot-services memory only when it
 * is kept (core/pins.c says it the way the report does). */
static void report_pins(struct boot *b, const struct cli *c)
{
	struct mm_map m = { b->pin_map, 0, HS_ARRAY_SIZE(b->pin_map) };

	if (!b->srat_used || b->mm.map.count > m.cap)
		return;
	for (size_t i = 0; i < b->mm.map.count; i++) {
		struct mm_entry e = b->mm.map.e[i];
		const struct mb_region *r = mb_find(&b->mb.memory, e.base);
		if (!c->keep_boot_services && e.kind == MM_BOOT_SERVICES && r &&
		    (r->flags & MB_HOTPLUG) && e.last <= r->last)
			e.kind = MM_CONVENTIONAL; /* handed over as free memory */
		m.e[m.count++] = e;
	}
	size_t n = acpi_list_tables(&efi_phys, b->rsdp, b->acpi, HS_ARRAY_SIZE(b->acpi));
	struct pins_in pi = { &b->srat, &m, b->acpi, n };
	pins_report(&pi, b->out);
}

EFI_STATUS efi_boot_linux(struct boot *b, const struct cli *c)
{
	struct hs_view kf = { (const uint8_t *)(UINTN)b->kernel.addr, b->kernel.size };
	struct hs_err err = { "" };
	struct lx_kernel k;
	EFI_STATUS st;
	int r;

	r = lx_parse(kf, &k, &err);
	if (r < 0) {
		boot_say(b, "hotshim: boot: kernel %s: %s", c->kernel, err.msg);
		return efi_status_from(r);
	}
	if (b->pt.la57 && !k.la57) {
		boot_say(b, "hotshim: boot: kernel %s: the firmware runs with 5-level paging and "
			 "this kernel cannot enter that way (XLF_5LEVEL is clear)", c->kernel);
		return EFI_UNSUPPORTED;
	}
	b->is_linux = true;
	/* boot.rst: kernel, boot_params, command line and initrd all go below
	 * 4 GiB unless XLF_CAN_BE_LOADED_ABOVE_4G */
	if (!k.above_4g)
		b->place_max = HS_MIN(b->place_max, 0xffffffffull);
	if (efi_secure_boot()) {
		st = verify(b, c->kernel);
		if (EFI_ERROR(st))
			return st;
	}
	if (c->modules > 0) {
		boot_say(b, "hotshim: boot: a bzImage takes one initrd=, not module=");
		return EFI_INVALID_PARAMETER;
	}
	st = boot_survey(b, c, &err);
	if (EFI_ERROR(st)) {
		boot_say(b, "hotshim: boot: %s", err.msg);
		return st;
	}
	bool movable = !c->no_movable_node && any_hotplug(b) &&
		       !has_word(c->cmdline, "movable_node");
	size_t cmdlen = hs_strlen(c->cmdline) + (movable ? sizeof(MOVABLE_NODE) - 1 : 0);
	if (k.cmdline_size && cmdlen > k.cmdline_size) {
		boot_say(b, "hotshim: boot: the command line is %zu bytes; this kernel takes %u",
			 cmdlen, k.cmdline_size);
		return EFI_INVALID_PARAMETER;
	}

	boot_say(b, "hotshim: placing (bottom-up above hotshim's image, never in hot-pluggable "
		 "memory):");
	uint64_t kbase, stack, cmdline, acpi, bpb, initrd = 0;
	/* the kernel's whole buffer, init_size, at its alignment, never below
	 * its own LOAD_PHYSICAL_ADDR, which it publishes as pref_address (the
	 * decompressor would clamp its buffer up to it) */
	uint64_t min_load = HS_MAX(LOAD_PHYSICAL_ADDR, k.pref_address);
	struct alloc_req q = { .size = k.init_size, .align = HS_MAX(k.alignment, HS_PAGE_SIZE),
			       .min = HS_MAX(b->image_last + 1, min_load),
			       .max = HS_MIN(KERNEL_MAX - 1, b->place_max), .node = MB_NO_NODE, .dir = ALLOC_BOTTOM_UP,
			       .owner = OWN_KERNEL };
	if (!k.relocatable)
		q.min = k.pref_address, q.max = k.pref_address + k.init_size - 1;
	r = plan_place(&b->mb, &q, &b->pc, &kbase);
	if (r == -HS_ENOMEM && k.relocatable) {
		q.min = min_load;
		q.dir = ALLOC_TOP_DOWN;
		r = plan_place(&b->mb, &q, &b->pc, &kbase);
	}
	if (r < 0) {
		boot_say(b, "hotshim: boot: kernel (init_size %#llx): no room outside hot-pluggable "
			 "memory%s", (unsigned long long)k.init_size,
			 k.relocatable ? "" : " at its preferred address");
		return efi_status_from(r);
	}
	boot_say(b, "  %-12s [mem %#010llx-%#010llx] %s", "kernel", (unsigned long long)kbase,
		 (unsigned long long)(kbase + k.init_size - 1), "init_size");
	struct pt_range exec[2] = { { kbase, (kbase + k.init_size - 1) | (HS_PAGE_SIZE - 1), true } };
	struct pt pt;
	/* Linux wants the identity map only, and executable: the decompressor
	 * runs a trampoline it copies below 1 MiB (paging_prepare() in
	 * arch/x86/boot/compressed/pgtable_64.c) */
	b->pt.offset = 0;
	b->pt.nx = false;
	r = boot_page_tables(b, exec, 1, &pt);
	if (r < 0)
		return efi_status_from(r);
	r = boot_place(b, "stack + GDT", 16 * HS_PAGE_SIZE, HS_PAGE_SIZE, OWN_STACK, &stack);
	if (r < 0)
		return efi_status_from(r);
	if (b->modules) {
		r = boot_place(b, "initrd", b->module[0].size ? b->module[0].size : 1, HS_PAGE_SIZE,
			       OWN_INITRD, &initrd);
		if (r < 0)
			return efi_status_from(r);
		if (!k.above_4g && initrd + b->module[0].size - 1 > k.initrd_addr_max) {
			boot_say(b, "hotshim: boot: initrd above initrd_addr_max %#x", k.initrd_addr_max);
			return EFI_OUT_OF_RESOURCES;
		}
	}
	r = boot_place(b, "command line", cmdlen + 1, HS_PAGE_SIZE, OWN_CMDLINE, &cmdline);
	if (r < 0)
		return efi_status_from(r);
	bool override;
	r = boot_acpi(b, c, &acpi, &override);
	if (r < 0)
		return efi_status_from(r);
	/* boot_params, then the e820 table built after exit, the setup_data
	 * node for entries past 128, and the final EFI map */
	size_t ndesc = boot_final_descs(b);
	uint64_t off_e820 = LX_BOOT_PARAMS_SIZE;
	uint64_t off_ext = off_e820 + ((ndesc * sizeof(struct lx_e820) + 15) & ~15ull);
	uint64_t off_map = off_ext + ((LX_SETUP_DATA_HDR + ndesc * LX_E820_ENTRY + 15) & ~15ull);
	uint64_t map_cap = ndesc * b->mm.desc_size;
	r = boot_place(b, "boot_params", off_map + map_cap, HS_PAGE_SIZE, OWN_BOOT_INFO, &bpb);
	if (r < 0)
		return efi_status_from(r);

	/* fill in */
	CopyMem((void *)(UINTN)kbase, kf.data + k.kernel_off, k.kernel_size);
	if (b->modules)
		CopyMem((void *)(UINTN)initrd, (void *)(UINTN)b->module[0].addr, b->module[0].size);
	char *cl = (char *)(UINTN)cmdline;
	hs_snprintf(cl, cmdlen + 1, "%s%s", c->cmdline, movable ? MOVABLE_NODE : "");
	if (movable && !c->cmdline[0])
		cl++; /* no leading blank */
	const void *gdtr = boot_gdt(stack, true);
	uint64_t stack_top = stack + 16 * HS_PAGE_SIZE;
	struct lx_params lp = {
		.cmdline = (uint64_t)(UINTN)cl,
		.initrd = initrd, .initrd_size = b->modules ? b->module[0].size : 0,
		.rsdp = acpi, .efi_systab = (uint64_t)(UINTN)ST,
		.secure_boot = efi_secure_boot() ? LX_SECURE_BOOT_ENABLED : LX_SECURE_BOOT_DISABLED,
	};
	struct efi_fb gop;
	struct lx_fb fb;
	if (efi_framebuffer(&gop)) {
		fb = (struct lx_fb){ gop.base, gop.size, gop.width, gop.height, gop.pitch, gop.bpp,
				     { gop.pos[0], gop.pos[1], gop.pos[2], gop.pos[3] },
				     { gop.len[0], gop.len[1], gop.len[2], gop.len[3] } };
		lp.fb = &fb;
	}
	struct bi_numa numa = { b->srat_used ? &b->srat : NULL, b->info };
	lx_boot_params((uint8_t *)(UINTN)bpb, kf, &k, &lp);
	if (any_hotplug(b))
		report_pins(b, c);
	boot_say(b, "hotshim: %zu page-table pages, entry %#llx%s%s; exiting boot services",
		 pt.pages, (unsigned long long)(kbase + LX_ENTRY64_OFFSET),
		 override ? ", rebuilt RSDP with the override" : "",
		 movable ? ", movable_node" : "");
	boot_free_inputs(b);
	/* firmware tables Linux reads later (ESRT, memory attributes, ...) may
	 * sit in boot-services data: those descriptors stay as they are */
	uint64_t keep[64];
	size_t nkeep = 0;
	for (UINTN i = 0; i < ST->NumberOfTableEntries && nkeep < HS_ARRAY_SIZE(keep); i++)
		keep[nkeep++] = (uint64_t)(UINTN)ST->ConfigurationTable[i].VendorTable;

	uint8_t *map = (uint8_t *)(UINTN)(bpb + off_map);
	UINTN size, dsize;
	UINT32 dver;
	st = boot_exit(b, map, map_cap, &size, &dsize, &dver);
	if (EFI_ERROR(st))
		return st;
	/* no boot services from here on */
	if (!c->keep_boot_services)
		bi_free_boot_services(map, size, dsize, &numa, keep, nkeep);
	struct lx_e820 *e820 = (void *)(UINTN)(bpb + off_e820);
	size_t ne820;
	if (lx_e820_from_efi((struct hs_view){ map, size }, dsize, e820, ndesc, &ne820) < 0)
		boot_die_after_exit("hotshim: the final memory map does not convert to e820; "
				    "stopped\n");
	lp.efi_map = (uint64_t)(UINTN)map;
	lp.efi_map_size = size;
	lp.efi_desc_size = dsize;
	lp.efi_desc_version = dver;
	lp.e820 = e820;
	lp.e820_count = ne820;
	if (lx_e820_ext((uint8_t *)(UINTN)(bpb + off_ext), e820, ne820))
		lp.setup_data = bpb + off_ext;
	lx_set_memory((uint8_t *)(UINTN)bpb, &lp);
	hs_handoff_linux(pt.root, gdtr, kbase + LX_ENTRY64_OFFSET, bpb, stack_top, b->pt.nx);
}
