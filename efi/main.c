/*
 * hotshim.efi entry: read the command line, run the command, return an
 * EFI status to the shell.  Everything allocated here is freed on every
 * path before returning.
 */
#include "boot.h"

struct app {
	EFI_HANDLE image;
	struct hs_sink out;
	struct efi_console con;
	char line[CLI_MAX_LINE], words[CLI_MAX_LINE]; /* the command line, then its words */
};

/* UCS-2 to ASCII for the command line; non-ASCII becomes '?'. */
static void narrow(const CHAR16 *w, UINTN max_chars, char *out, size_t cap)
{
	size_t o = 0;

	for (UINTN i = 0; i < max_chars && w[i] && o + 1 < cap; i++)
		out[o++] = w[i] < 0x80 ? (char)w[i] : '?';
	out[o] = '\0';
}

/* The arguments after the program name, as one line.  From the shell the
 * Shell Parameters protocol gives argv; otherwise LoadOptions holds
 * whatever the boot entry carries (taken as text when it looks like it). */
static void get_args(struct app *a, char *line, size_t cap)
{
	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	EFI_LOADED_IMAGE *li = NULL;
	size_t o = 0;

	line[0] = '\0';
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, a->image,
					 &ShellParametersProtocolGuid, (void **)&sp)) && sp) {
		for (UINTN i = 1; i < sp->Argc && o + 4 < cap; i++) {
			char word[CLI_MAX_LINE];
			narrow(sp->Argv[i], CLI_MAX_LINE, word, sizeof(word));
			o += hs_snprintf(line + o, cap - o, "%s\"%s\"", i > 1 ? " " : "", word);
		}
		if (o >= cap)
			line[cap - 1] = '\0';
		return;
	}
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, a->image, &LoadedImageProtocol,
					 (void **)&li)) && li && li->LoadOptions &&
	    li->LoadOptionsSize >= 2 && li->LoadOptionsSize % 2 == 0)
		narrow(li->LoadOptions, li->LoadOptionsSize / 2, line, cap);
}

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
static EFI_STATUS report(struct app *a, const struct cli *c, struct run *run)
{
	struct boot *b = &run->b;
	struct hs_err err = { "" };
	EFI_STATUS st = inputs_read(a->image, &a->out, c, "", &b->in);

	if (EFI_ERROR(st) || EFI_ERROR((st = survey_take(a->image, &a->out, c->la57, &b->sv))))
		return st;
	struct report_in in = { .source = "firmware", .linux_log = c->linux_log,
				.have_srat = b->sv.have_srat, .srat = b->sv.srat,
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
	int r = report_print(&in, &run->scratch, &a->out, &err);
	return r < 0 ? efi_fail(&a->out, efi_status_from(r), "%s", err.msg) : EFI_SUCCESS;
}

/* `boot`: returns only on failure. */
static EFI_STATUS boot(struct app *a, const struct cli *c, struct run *run)
{
	struct boot *b = &run->b;
	EFI_STATUS st;

	if (!c->kernel[0])
		return efi_fail(&a->out, EFI_INVALID_PARAMETER, "boot: kernel=PATH is required");
	st = inputs_read(a->image, &a->out, c, "boot: ", &b->in);
	if (EFI_ERROR(st))
		return st;
	return b->in.k.kind == KERNEL_LINUX ? efi_boot_linux(b, c) : efi_boot_elf(b, c);
}

static EFI_STATUS run_command(struct app *a, const struct cli *c)
{
	struct run *run = AllocateZeroPool(sizeof(*run));
	EFI_STATUS st;

	if (!run)
		return efi_fail(&a->out, EFI_OUT_OF_RESOURCES, "no pool for %lu bytes of scratch",
				(unsigned long)sizeof(*run));
	run->b.image = a->image;
	run->b.out = &a->out;
	run->b.pc = (struct plan_commit){ efi_commit, efi_release_all, &run->b.commits };
	st = c->cmd == CLI_BOOT ? boot(a, c, run) : report(a, c, run);
	run_free(run);
	return st;
}

/* \EFI\hotshim\hotshim.conf, when present, supplies what the command
 * line leaves open. */
static EFI_STATUS load_conf(struct app *a, struct cli *c)
{
	struct efi_file f;
	struct cli conf;
	struct hs_err err = { "" };
	EFI_STATUS st;
	int r;

	st = efi_read_file(a->image, CONF_PATH, &f, &err);
	if (st == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (EFI_ERROR(st))
		return efi_fail(&a->out, st, "%s", err.msg);
	if (f.size > 64 * 1024) {
		efi_file_free(&f);
		return efi_fail(&a->out, EFI_INVALID_PARAMETER, "%s: %lu bytes, more than a "
				"configuration file needs (64 KiB)", CONF_PATH, (unsigned long)f.size);
	}
	r = conf_parse((const char *)(UINTN)f.addr, f.size, CONF_PATH, &conf, &err);
	efi_file_free(&f);
	if (r < 0)
		return efi_fail(&a->out, EFI_INVALID_PARAMETER, "%s", err.msg);
	cli_merge(c, &conf);
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct app a = { .image = image };
	char *argv[CLI_MAX_ARGS];
	int argc = 0;
	struct cli c;
	struct hs_err err = { "" };

	InitializeLib(image, systab);
	efi_console_init(&a.con, &a.out);
	get_args(&a, a.line, sizeof(a.line));
	if (cli_split(a.line, a.words, sizeof(a.words), argv, CLI_MAX_ARGS, &argc, &err) < 0 ||
	    cli_parse(argc, argv, &c, &err) < 0) {
		EFI_STATUS bad = efi_fail(&a.out, EFI_INVALID_PARAMETER, "%s", err.msg);
		a.out.write(a.out.ctx, cli_usage, hs_strlen(cli_usage));
		return bad;
	}
	EFI_STATUS st = load_conf(&a, &c);
	if (EFI_ERROR(st))
		return st;
	switch (c.cmd) {
	case CLI_VERSION:
		hs_println(&a.out, "hotshim %s", HS_VERSION);
		return EFI_SUCCESS;
	case CLI_REPORT:
	case CLI_BOOT:
		return run_command(&a, &c);
	case CLI_USAGE:
	default:
		a.out.write(a.out.ctx, cli_usage, hs_strlen(cli_usage));
		return EFI_SUCCESS;
	}
}
