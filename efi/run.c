/*
 * One `report` or `boot`, from a command line, hotshim.conf or a boot
 * entry: pool storage for it, and everything given back when it returns.
 */
#include "run.h"

/* One run's pool storage, the same for `report` and `boot`: the report's
 * plan commits into a firmware map shaped like the boot's, so both place
 * every piece at the same address. */
struct run {
	struct boot b;
	struct report_scratch scratch;
};

static void run_free(struct run *run)
{
	/* the boot returns only on failure: give back all it took */
	efi_release_all(&run->b.commits);
	inputs_free(&run->b.in);
	survey_free(&run->b.sv);
	FreePool(run);
}

/* `report`: what Linux will make of this machine, and the plan `boot`
 * would make with the same arguments (kernel= or Debian's size). */
static EFI_STATUS report(EFI_HANDLE image, struct hs_sink *out, const struct cli *c,
			 struct run *run)
{
	struct boot *b = &run->b;
	struct hs_err err = { "" };
	EFI_STATUS st = inputs_read(image, out, c, "", &b->in);

	if (EFI_ERROR(st) || EFI_ERROR((st = survey_take(image, out, c->la57, &b->sv))))
		return st;
	struct report_in in = { .source = "firmware", .linux_log = c->linux_log,
				.have_srat = b->sv.have_srat, .srat = b->sv.srat,
				.have_slit = b->sv.have_slit, .slit = b->sv.slit,
				.have_cedt = b->sv.have_cedt, .cedt = b->sv.cedt,
				.srat_addr = b->sv.srat_addr, .warn = &b->sv.warn, .map = &b->sv.mm.map,
				.image_base = b->sv.image_base, .image_last = b->sv.image_last,
				.cpu = b->sv.cpu, .ndesc = b->sv.mm.size / b->sv.mm.desc_size,
				.desc_size = b->sv.mm.desc_size, .commit = &b->pc, .acpi = b->acpi };
	struct plan_args args;
	in.opts = boot_srat_opts(c);
	if (b->in.has_initrd) {
		in.have_initrd = true;
		in.initrd = (struct hs_view){ (const uint8_t *)(UINTN)b->in.module[0].addr,
					      b->in.module[0].size };
		in.initrd_name = b->in.initrd_name;
		in.locked_down = b->sv.secure_boot;
	}
	if (b->sv.rsdp)
		in.nacpi = acpi_list_tables(&efi_phys, b->sv.rsdp, b->acpi, HS_ARRAY_SIZE(b->acpi));
	boot_args(c, &b->in, 0, &args); /* the override, once the report has chosen */
	in.boot = &args;
	in.kctx = boot_kernel_ctx(c);
	survey_handover(&b->sv, NULL, c, &in.handover);
	in.origin = "efi";
	int r = (c->json ? report_json : report_print)(&in, &run->scratch, out, &err);
	return r < 0 ? efi_fail(out, efi_status_from(r), "%s", err.msg) : EFI_SUCCESS;
}

/* `boot`: returns only on failure. */
static EFI_STATUS boot(EFI_HANDLE image, struct hs_sink *out, const struct cli *c,
		       struct run *run)
{
	struct boot *b = &run->b;
	EFI_STATUS st;

	if (!c->kernel[0])
		return efi_fail(out, EFI_INVALID_PARAMETER, "boot: kernel=PATH is required");
	st = inputs_read(image, out, c, "boot: ", &b->in);
	if (EFI_ERROR(st))
		return st;
	/* the boot-loader interface names the loader that started the kernel
	 * (hotshim-report reads LoaderInfo), from a shell as from the menu */
	loader_vars_init(image, loader_time_usec(loader_clock_per_ms(b->clock)));
	return b->in.k.kind == KERNEL_LINUX ? efi_boot_linux(b, c) : efi_boot_elf(b, c);
}

EFI_STATUS run_command(EFI_HANDLE image, struct hs_sink *out, const struct cli *c,
		       struct efi_clock *clock)
{
	struct run *run = AllocateZeroPool(sizeof(*run));
	EFI_STATUS st;

	if (!run)
		return efi_fail(out, EFI_OUT_OF_RESOURCES, "no pool for %lu bytes of scratch",
				(unsigned long)sizeof(*run));
	run->b.image = image;
	run->b.out = out;
	run->b.clock = clock;
	run->b.pc = (struct plan_commit){ efi_commit, efi_release_all, &run->b.commits };
	st = c->cmd == CLI_BOOT ? boot(image, out, c, run) : report(image, out, c, run);
	run_free(run);
	return st;
}

