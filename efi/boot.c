/*
 * The steps `boot` (and, up to the plan, `report`) share: read the files,
 * survey the firmware, plan, fill in, exit boot services.  Every decision
 * comes from core/; this file commits each with
 * AllocatePages(AllocateAddress), and on any failure before
 * ExitBootServices the caller frees every page taken.
 */
#include "boot.h"

static EFI_STATUS read_one(EFI_HANDLE image, struct hs_sink *out, const char *cmd,
			   const char *what, const char *path, struct efi_file *ret)
{
	struct hs_err err = { "" };
	EFI_STATUS st = efi_read_path(image, path, ret, &err);

	return EFI_ERROR(st) ? efi_fail(out, st, "%s%s %s", cmd, what, err.msg) : EFI_SUCCESS;
}

/* The BGRT's boot logo where Linux will take it: its address in
 * boot-services data, a BMP header giving its size (efi_bgrt_init()). */
static void survey_logo(struct survey *s)
{
	struct acpi_found bg;
	struct acpi_warnings w = { .count = 0 };
	struct hs_err err = { "" };
	uint64_t img, last;

	if (acpi_find_table(&efi_phys, s->rsdp, "BGRT", &bg, &w, &err) < 0 ||
	    acpi_bgrt_image(bg.table, &img, &err) < 0)
		return;
	struct efi_desc_iter it = efi_desc_iter((struct hs_view){ s->mm.raw, s->mm.size },
						 s->mm.desc_size);
	struct efi_desc d;
	bool bs_data = false;
	while (efi_desc_next(&it, &d))
		if (d.ok && d.base <= img && img <= d.last)
			bs_data = d.type == EFI_BOOT_SERVICES_DATA;
	const void *h = bs_data ? efi_phys.map(efi_phys.ctx, img, 6) : NULL;
	uint32_t size = h ? acpi_bmp_size((struct hs_view){ h, 6 }) : 0;
	if (!size || __builtin_add_overflow(img, (uint64_t)size - 1, &last))
		return;
	s->has_logo = true;
	s->logo_base = img;
	s->logo_last = last;
}

EFI_STATUS inputs_read(EFI_HANDLE image, struct hs_sink *out, const struct cli *c, const char *cmd,
		       struct inputs *ret)
{
	struct hs_err err = { "" };
	EFI_STATUS st;

	ZeroMem(ret, sizeof(*ret));
	if (c->kernel[0]) {
		st = read_one(image, out, cmd, "kernel", c->kernel, &ret->kernel);
		if (EFI_ERROR(st))
			return st;
		ret->has_kernel = true;
		struct hs_view kf = { (const uint8_t *)(UINTN)ret->kernel.addr, ret->kernel.size };
		uint64_t dmap = efi_runs_la57() || c->la57 ? PT_DIRECT_MAP_L5 : PT_DIRECT_MAP_DEFAULT;
		int r = kernel_identify(kf, dmap, &ret->k, &err);
		if (r < 0)
			return efi_fail(out, efi_status_from(r), "%skernel %s: %s", cmd, c->kernel,
					err.msg);
	} else {
		kernel_default(&ret->k);
	}
	/* the initrds, concatenated in order, are the first module */
	if (c->ninitrd) {
		const char *paths[CLI_MAX_INITRDS], *bad = NULL;
		size_t o = 0;
		for (unsigned i = 0; i < c->ninitrd; i++) {
			paths[i] = c->initrd[i];
			o += hs_snprintf(ret->initrd_name + HS_MIN(o, sizeof(ret->initrd_name) - 1),
					 sizeof(ret->initrd_name) - HS_MIN(o, sizeof(ret->initrd_name) - 1),
					 "%s%s", i ? " + " : "", c->initrd[i]);
		}
		st = efi_read_paths(image, paths, c->ninitrd, &ret->module[0], &bad, &err);
		if (EFI_ERROR(st))
			return efi_fail(out, st, "%sinitrd %s", cmd, err.msg);
		ret->has_initrd = true;
		ret->module_name[0] = ret->initrd_name;
		ret->nmod = 1;
	}
	for (unsigned i = 0; i < c->modules; i++) {
		st = read_one(image, out, cmd, "module", c->module[i], &ret->module[ret->nmod]);
		if (EFI_ERROR(st))
			return st;
		ret->module_name[ret->nmod++] = c->module[i];
	}
	return EFI_SUCCESS;
}

void inputs_free(struct inputs *in)
{
	efi_file_free(&in->kernel);
	for (unsigned i = 0; i < in->nmod; i++)
		efi_file_free(&in->module[i]);
	in->nmod = 0;
}

EFI_STATUS survey_take(EFI_HANDLE image, struct hs_sink *out, BOOLEAN la57, struct survey *ret)
{
	struct hs_err err = { "" };
	struct acpi_found found;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS st;

	ZeroMem(ret, sizeof(*ret));
	st = efi_cpu_paging(la57 || efi_runs_la57(), &ret->cpu);
	if (EFI_ERROR(st))
		return efi_fail(out, st, "--la57: this CPU has no 5-level paging (CPUID.7.0:ECX.LA57 "
				"is 0)");
	st = efi_memmap_get(&ret->mm, &err);
	if (EFI_ERROR(st))
		return efi_fail(out, st, "%s", err.msg);
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					 (void **)&li)) && li && li->ImageSize) {
		ret->image_base = (UINT64)(UINTN)li->ImageBase;
		ret->image_last = ret->image_base + li->ImageSize - 1;
	}
	ret->nkeep = efi_config_tables(ret->keep, HANDOVER_MAX_KEEP); /* may exceed the array */
	ret->secure_boot = efi_secure_boot();
	if (EFI_ERROR(efi_find_rsdp(&ret->rsdp)))
		return EFI_SUCCESS; /* no ACPI at all: Linux sees no SRAT either */
	survey_logo(ret);
	int r = acpi_find_table(&efi_phys, ret->rsdp, "SRAT", &found, &ret->warn, &err);
	if (r == 0) {
		ret->have_srat = true;
		ret->srat = found.table;
		ret->srat_addr = found.addr;
	} else if (r != -HS_ENOENT) {
		st = efi_fail(out, efi_status_from(r), "%s", err.msg);
		survey_free(ret);
		return st;
	}
	if (acpi_find_table(&efi_phys, ret->rsdp, "SLIT", &found, &ret->warn, &err) == 0) {
		ret->have_slit = true;
		ret->slit = found.table;
	}
	if (acpi_find_table(&efi_phys, ret->rsdp, "CEDT", &found, &ret->warn, &err) == 0) {
		ret->have_cedt = true;
		ret->cedt = found.table;
	}
	return EFI_SUCCESS;
}

void survey_free(struct survey *s)
{
	efi_memmap_free(&s->mm);
}

void survey_handover(const struct survey *s, const struct srat_result *eff, const struct cli *c,
		     struct handover *ret)
{
	/* more tables than we can name: keep all boot-services memory */
	*ret = (struct handover){ .srat = eff, .nkeep = s->nkeep,
				  .keep_all = c->keep_boot_services || s->nkeep > HANDOVER_MAX_KEEP,
				  .has_logo = s->has_logo, .logo_base = s->logo_base,
				  .logo_last = s->logo_last };
	CopyMem(ret->keep, s->keep, sizeof(ret->keep));
}

/* Linux keeps the APIC mode the firmware hands over; --x2apic, --xapic
 * and hotshim.conf's x2apic can say otherwise. */
struct srat_opts boot_srat_opts(const struct cli *c)
{
	return (struct srat_opts){ .x2apic_mode = c->x2apic == CLI_AUTO ? efi_x2apic_enabled()
									   : c->x2apic == CLI_ON };
}

struct kernel_ctx boot_kernel_ctx(const struct cli *c)
{
	return (struct kernel_ctx){ .path = c->kernel, .secure_boot = efi_secure_boot(),
				    .firmware_la57 = efi_runs_la57(), .ask_la57 = c->la57,
				    .modules = c->modules };
}

void boot_args(const struct cli *c, const struct inputs *in, uint64_t override_len,
	       struct plan_args *ret)
{
	ZeroMem(ret, sizeof(*ret));
	ret->kernel = &in->k;
	ret->has_initrd = in->has_initrd;
	ret->nmod = in->nmod;
	for (unsigned i = 0; i < in->nmod; i++)
		ret->mod_size[i] = in->module[i].size;
	ret->cmdline = c->cmdline;
	ret->has_cmdline = c->has_cmdline;
	ret->no_movable_node = c->no_movable_node;
	ret->override_len = override_len;
}

/* The SRAT in effect: the firmware's, or the initrd's that replaces it
 * (core/report.c report_choose()), judged as Linux will (numa_survey()). */
EFI_STATUS boot_survey(struct boot *b, const struct cli *c)
{
	struct report_in in = { .source = "firmware" };
	struct numa_verdict v;
	EFI_STATUS st = survey_take(b->image, b->out, c->la57, &b->sv);

	if (EFI_ERROR(st))
		return st;
	in.have_srat = b->sv.have_srat;
	in.srat = b->sv.srat;
	if (b->in.has_initrd) {
		in.have_initrd = true;
		in.initrd = (struct hs_view){ (const uint8_t *)(UINTN)b->in.module[0].addr,
					      b->in.module[0].size };
		in.locked_down = b->sv.secure_boot;
	}
	report_choose(&in, &b->ovr, &b->choice);
	b->override = b->in.has_initrd && b->ovr.chosen >= 0;
	b->srat = (struct srat_result){ .mem = b->sm, .mem_cap = HS_ARRAY_SIZE(b->sm) };
	b->eff = NULL;
	if (b->choice.have) {
		struct srat_opts o = boot_srat_opts(c);
		b->eff = numa_survey(b->choice.table, &o, &b->sv.mm.map, &b->srat, &v, NULL);
		if (!c->quiet || !b->eff)
			hs_println(b->out, "hotshim: SRAT from %s%s%s", b->choice.source,
				   b->eff ? "" : "; Linux falls back to one node: ",
				   b->eff ? "" : v.why);
	} else if (!c->quiet) {
		hs_println(b->out, "hotshim: no SRAT: one node");
	}
	survey_handover(&b->sv, b->eff, c, &b->handover);
	return EFI_SUCCESS;
}

/* Decides and commits every piece, and says where each went. */
EFI_STATUS boot_plan(struct boot *b, const struct cli *c)
{
	struct plan_in survey = { .map = &b->sv.mm.map, .ndesc = b->sv.mm.size / b->sv.mm.desc_size,
				  .desc_size = b->sv.mm.desc_size, .srat = b->eff,
				  .image_base = b->sv.image_base, .image_last = b->sv.image_last,
				  .cpu = b->sv.cpu, .commit = &b->pc };
	struct plan_args a;
	struct plan_in pin;
	struct hs_err err = { "" };
	int r;

	boot_args(c, &b->in, b->override ? b->choice.table.len : 0, &a);
	r = plan_inputs(&a, &survey, b->cmdline, sizeof(b->cmdline), &b->movable, &pin, &err);
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: %s", err.msg);
	b->mb = (struct memblock){ { b->mr, 0, HS_ARRAY_SIZE(b->mr) },
				   { b->rr, 0, HS_ARRAY_SIZE(b->rr) } };
	r = mb_build(&b->mb, &b->sv.mm.map, b->eff, b->sv.image_base, b->sv.image_last);
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: memory model: more than %zu ranges",
				HS_ARRAY_SIZE(b->mr));
	b->plan.ranges = b->ranges;
	r = plan_make(&b->mb, &pin, &b->plan, &err);
	/* quiet (a boot entry): the lines only when they explain a failure */
	if (!c->quiet || r < 0) {
		hs_println(b->out, "hotshim: placing (bottom-up above hotshim's image, never in "
			   "hot-pluggable memory):");
		plan_print(&b->plan, b->eff, b->out);
	}
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: %s", err.msg);
	return EFI_SUCCESS;
}

/* Page-table pages handed out from the plan's block. */
struct pt_pool {
	uint64_t next, end;
};

static uint64_t pool_alloc(void *ctx)
{
	struct pt_pool *p = ctx;

	if (p->next >= p->end)
		return 0;
	uint64_t a = p->next;
	p->next += HS_PAGE_SIZE;
	ZeroMem((void *)(UINTN)a, HS_PAGE_SIZE);
	return a;
}

static uint64_t *pool_ptr(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (uint64_t *)(UINTN)phys;
}

static EFI_STATUS fill_page_tables(struct boot *b, struct pt *ret)
{
	const struct plan *p = &b->plan;
	uint64_t base = boot_piece(b, p->page_tables);
	struct pt_pool pool = { base, base + p->pt_pages * HS_PAGE_SIZE };
	struct pt_mem pm = { pool_alloc, pool_ptr, &pool };
	int r = pt_init(ret, &p->pt, &pm);

	if (!r)
		r = pt_build_bottom_up(ret, p->ranges, p->nranges, p->image_last + 1);
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: page tables: building failed "
				"(%d after %zu pages)", r, ret->pages);
	if (p->clipped)
		hs_println(b->out, "hotshim: boot: warning: RAM above %#llx is beyond %u-level "
			   "paging; not mapped", (unsigned long long)pt_max_phys(&p->pt),
			   p->pt.la57 ? 5 : 4);
	return EFI_SUCCESS;
}

/* The rebuilt RSDP, its XSDT and the initrd's table, in the ACPI piece. */
static EFI_STATUS fill_acpi(struct boot *b)
{
	uint64_t acpi = boot_piece(b, b->plan.acpi);
	uint8_t *p = (uint8_t *)(UINTN)acpi;
	struct hs_err err = { "" };
	size_t xlen;

	b->rsdp = b->sv.rsdp;
	if (!b->override)
		return EFI_SUCCESS;
	CopyMem(p + PLAN_ACPI_TABLE_OFF, (void *)b->choice.table.data, b->choice.table.len);
	int r = acpi_rebuild(&efi_phys, b->sv.rsdp, "SRAT", acpi + PLAN_ACPI_TABLE_OFF,
			     p + PLAN_ACPI_XSDT_OFF, PLAN_ACPI_XSDT_CAP, acpi + PLAN_ACPI_XSDT_OFF, p,
			     &xlen, &err);
	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: ACPI: %s", err.msg);
	b->rsdp = acpi;
	return EFI_SUCCESS;
}

EFI_STATUS boot_fill(struct boot *b, struct pt *ret_pt)
{
	const struct plan *p = &b->plan;

	for (unsigned i = 0; i < b->in.nmod; i++)
		CopyMem((void *)(UINTN)boot_piece(b, p->mod[i]), (void *)(UINTN)b->in.module[i].addr,
			b->in.module[i].size);
	if (p->cmdline >= 0)
		CopyMem((void *)(UINTN)boot_piece(b, p->cmdline), b->cmdline,
			hs_strlen(b->cmdline) + 1);
	EFI_STATUS st = fill_acpi(b);
	return EFI_ERROR(st) ? st : fill_page_tables(b, ret_pt);
}

/* shim's SHIM_LOCK protocol (shim.h): Verify() checks a PE image in
 * memory against dbx, MokListX, db, MokList and shim's built-in vendor
 * key, measures it into PCR 4, and tells shim 15.x that its second stage
 * verifies (else shim stops ExitBootServices).  Its functions use the
 * x86-64 SysV convention, not EFIAPI. */
#define SHIM_LOCK_GUID { 0x605dab50, 0xe046, 0x4300, { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } }
struct shim_lock {
	EFI_STATUS __attribute__((sysv_abi)) (*verify)(void *buffer, UINT32 size);
};

/* Under Secure Boot a kernel runs only if what would verify a direct boot
 * of it accepts it.  Under shim, that is shim (as GRUB asks it); without
 * shim, the firmware: LoadImage verifies the signature, and the image is
 * unloaded. */
static EFI_STATUS verify(struct boot *b, const char *path)
{
	EFI_GUID g = SHIM_LOCK_GUID;
	struct shim_lock *shim = NULL;
	EFI_STATUS st;

	if (!EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &g, NULL, (void **)&shim)) &&
	    shim) {
		/* Verify() takes 32 bits of size; no kernel is 4 GiB */
		st = b->in.kernel.size >> 32 ? EFI_BAD_BUFFER_SIZE
		     : shim->verify((void *)(UINTN)b->in.kernel.addr, (UINT32)b->in.kernel.size);
		if (EFI_ERROR(st))
			return efi_fail(b->out, st == EFI_ACCESS_DENIED ? EFI_SECURITY_VIOLATION : st,
					"boot: Secure Boot: shim refused %s", path);
		hs_println(b->out, "hotshim: boot: Secure Boot: shim verified %s", path);
		return EFI_SUCCESS;
	}
	st = efi_load_unload(b->image, (void *)(UINTN)b->in.kernel.addr, b->in.kernel.size);
	if (EFI_ERROR(st))
		return efi_fail(b->out, st == EFI_ACCESS_DENIED ? EFI_SECURITY_VIOLATION : st,
				"boot: Secure Boot: the firmware refused %s (LoadImage: %s)", path,
				efi_status_name(st));
	hs_println(b->out, "hotshim: boot: Secure Boot: the firmware verified %s", path);
	return EFI_SUCCESS;
}

EFI_STATUS boot_prepare(struct boot *b, const struct cli *c, struct pt *ret_pt)
{
	struct hs_err err = { "" };
	struct kernel_ctx x = boot_kernel_ctx(c);
	int r = kernel_check(&b->in.k, &x, &err);
	EFI_STATUS st;

	if (r < 0)
		return efi_fail(b->out, efi_status_from(r), "boot: %s", err.msg);
	/* signatures are the firmware's to check, and it checks PE images
	 * only: an ELF kernel would be a way around Secure Boot, and
	 * kernel_check() refuses one then (core/kernel.c) */
	if (x.secure_boot && b->in.k.kind == KERNEL_LINUX &&
	    EFI_ERROR((st = verify(b, c->kernel))))
		return st;
	if (EFI_ERROR((st = boot_survey(b, c))) || EFI_ERROR((st = boot_plan(b, c))) ||
	    EFI_ERROR((st = boot_fill(b, ret_pt))))
		return st;
	return EFI_SUCCESS;
}

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

void boot_say_pins(struct boot *b, bool quiet)
{
	struct hs_sink none = { discard, NULL };

	if (!b->eff)
		return;
	size_t n = acpi_list_tables(&efi_phys, b->sv.rsdp, b->acpi, HS_ARRAY_SIZE(b->acpi));
	struct pins_in pi = { b->eff, &b->sv.mm.map, b->acpi, n, &b->handover };
	/* quiet: only when something pins a node */
	if (!quiet || pins_report(&pi, &none, NULL))
		pins_report(&pi, b->out, NULL);
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

/* A stale map key gets one more try with nothing allocated in between.
 * After a first ExitBootServices the firmware may have shut down half its
 * services: only memory services are allowed (UEFI 2.10, 7.4).  A failure
 * then can be neither printed through the console nor returned from
 * safely (the shell would call everything); it is said on COM1 and the
 * machine is reset (docs/FAULTS.md says why). */
EFI_STATUS boot_exit(struct boot *b, void *map, UINTN cap, UINTN *ret_size, UINTN *ret_dsize,
		     UINT32 *ret_dver)
{
	EFI_STATUS st;
	UINTN key;

	for (int tries = 0;; tries++) {
		*ret_size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, ret_size, map, &key, ret_dsize, ret_dver);
		if (EFI_ERROR(st) && tries == 0)
			return efi_fail(b->out, st, "boot: the final memory map does not fit its %lu "
					"bytes", (unsigned long)cap);
		if (EFI_ERROR(st))
			boot_die_after_exit("hotshim: GetMemoryMap failed after ExitBootServices");
		st = uefi_call_wrapper(BS->ExitBootServices, 2, b->image, key);
		if (!EFI_ERROR(st))
			return EFI_SUCCESS;
		if (tries == 1 || st != EFI_INVALID_PARAMETER)
			boot_die_after_exit("hotshim: ExitBootServices failed twice");
	}
}

/* After ExitBootServices nothing can be printed through the firmware:
 * the last word goes straight to COM1.  Then a reset through the runtime
 * services, which stay callable after ExitBootServices (UEFI 2.10, 8.1):
 * the firmware's next boot option, or the next boot of a counted entry,
 * gets its turn, where a halted CPU would wait for a human. */
#define COM1_DATA 0x3f8
#define COM1_LSR (COM1_DATA + 5) /* line status */
#define LSR_THR_EMPTY 0x20      /* transmitter holding register empty */
#define POST_PORT 0x80          /* writes take about a microsecond */
#define RESET_DELAY_WRITES 3000000u

static void com1_puts(const char *s)
{
	for (const char *p = s; *p; p++) {
		for (int i = 0; i < 100000; i++) {
			uint8_t lsr;
			__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)COM1_LSR));
			if (lsr & LSR_THR_EMPTY)
				break;
		}
		__asm__ volatile("outb %0, %1" : : "a"((uint8_t)*p), "Nd"((uint16_t)COM1_DATA));
	}
}

void __attribute__((noreturn)) boot_die_after_exit(const char *msg)
{
	com1_puts(msg);
	com1_puts("; resetting\r\n");
	for (unsigned i = 0; i < RESET_DELAY_WRITES; i++)
		__asm__ volatile("outb %%al, %0" : : "Nd"((uint16_t)POST_PORT), "a"(0));
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_ABORTED, 0, NULL);
	for (;;)
		__asm__ volatile("cli; hlt");
}
