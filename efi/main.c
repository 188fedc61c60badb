/*
 * hotshim.efi entry: read the command line, run the command, return an
 * EFI status to the shell.  Everything allocated here is freed on every
 * path before returning.
 */
#include "efi.h"
#include "../core/cli.h"
#include "../core/report.h"

struct app {
	EFI_HANDLE image;
	struct hs_sink out;
	struct efi_console con;
};

static void say(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hs_vprint(&a->out, fmt, ap);
	va_end(ap);
	a->out.write(a->out.ctx, "\n", 1);
}

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

static EFI_STATUS cmd_report(struct app *a, const struct cli *c)
{
	struct report_in in = { .source = "firmware", .linux_log = c->linux_log };
	struct efi_file initrd = { 0 };
	struct report_scratch *scratch = NULL;
	static struct acpi_loc acpi[256];
	struct efi_memmap mm;
	struct acpi_found found;
	struct acpi_warnings warn = { .count = 0 };
	struct hs_err err = { "" };
	EFI_LOADED_IMAGE *li = NULL;
	UINT64 rsdp = 0;
	EFI_STATUS st;
	int r;

	in.opts.x2apic_mode = c->x2apic == CLI_AUTO ? efi_x2apic_enabled() : c->x2apic == CLI_ON;
	/* the report's plan commits each decision and gives it all back: it
	 * only proves the pages can be had */
	struct efi_commits commits = { .n = 0 };
	struct plan_commit pc = { efi_commit, efi_release_all, &commits };
	struct plan_in plan = { .kernel_size = 64ull << 20, .commit = &pc };
	if (EFI_ERROR(efi_cpu_paging(c->la57 ? TRUE : FALSE, &plan.pt))) {
		say(a, "hotshim: --la57: this CPU has no 5-level paging (CPUID.7.0:ECX.LA57 is 0)");
		return EFI_UNSUPPORTED;
	}
	in.plan = &plan;
	if (c->initrd[0]) {
		st = efi_read_path(a->image, c->initrd, &initrd, &err);
		if (EFI_ERROR(st)) {
			say(a, "hotshim: initrd %s", err.msg);
			return st;
		}
		in.have_initrd = true;
		in.initrd = (struct hs_view){ (const uint8_t *)(UINTN)initrd.addr, initrd.size };
		in.initrd_name = c->initrd;
		in.locked_down = efi_secure_boot();
	}
	st = efi_memmap_get(&mm, &err);
	if (EFI_ERROR(st)) {
		say(a, "hotshim: %s", err.msg);
		efi_file_free(&initrd);
		return st;
	}
	in.map = &mm.map;
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, a->image, &LoadedImageProtocol,
					 (void **)&li)) && li && li->ImageSize) {
		in.image_base = (UINT64)(UINTN)li->ImageBase;
		in.image_last = in.image_base + li->ImageSize - 1;
	}
	plan.image_last = in.image_last ? in.image_last : 0xfffff;
	plan.initrd_size = in.have_initrd ? in.initrd.len : 0;
	scratch = AllocatePool(sizeof(*scratch));
	if (!scratch) {
		say(a, "hotshim: report: no pool for %lu bytes of scratch",
		    (unsigned long)sizeof(*scratch));
		st = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	st = efi_find_rsdp(&rsdp);
	if (EFI_ERROR(st)) {
		/* No ACPI at all: Linux sees no SRAT either. */
		in.have_srat = false;
	} else {
		r = acpi_find_table(&efi_phys, rsdp, "SRAT", &found, &warn, &err);
		if (r == -HS_ENOENT) {
			in.have_srat = false;
		} else if (r < 0) {
			say(a, "hotshim: %s", err.msg);
			st = efi_status_from(r);
			goto out;
		} else {
			in.have_srat = true;
			in.srat = found.table;
			in.srat_addr = found.addr;
		}
		in.warn = &warn;
		in.acpi = acpi;
		in.nacpi = acpi_list_tables(&efi_phys, rsdp, acpi, HS_ARRAY_SIZE(acpi));
	}
	r = report_print(&in, scratch, &a->out, &err);
	if (r < 0) {
		say(a, "hotshim: %s", err.msg);
		st = efi_status_from(r);
		goto out;
	}
	st = EFI_SUCCESS;
out:
	if (scratch)
		FreePool(scratch);
	efi_memmap_free(&mm);
	efi_file_free(&initrd);
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
	if (EFI_ERROR(st)) {
		say(a, "hotshim: %s", err.msg);
		return st;
	}
	if (f.size > 64 * 1024) {
		say(a, "hotshim: %s: %lu bytes, more than a configuration file needs (64 KiB)",
		    CONF_PATH, (unsigned long)f.size);
		efi_file_free(&f);
		return EFI_INVALID_PARAMETER;
	}
	r = conf_parse((const char *)(UINTN)f.addr, f.size, CONF_PATH, &conf, &err);
	efi_file_free(&f);
	if (r < 0) {
		say(a, "hotshim: %s", err.msg);
		return EFI_INVALID_PARAMETER;
	}
	cli_merge(c, &conf);
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct app a = { .image = image };
	static char line[CLI_MAX_LINE], words[CLI_MAX_LINE];
	char *argv[CLI_MAX_ARGS];
	int argc = 0;
	struct cli c;
	struct hs_err err = { "" };

	InitializeLib(image, systab);
	efi_console_init(&a.con, &a.out);
	get_args(&a, line, sizeof(line));
	if (cli_split(line, words, sizeof(words), argv, CLI_MAX_ARGS, &argc, &err) < 0 ||
	    cli_parse(argc, argv, &c, &err) < 0) {
		say(&a, "hotshim: %s", err.msg);
		a.out.write(a.out.ctx, cli_usage, hs_strlen(cli_usage));
		return EFI_INVALID_PARAMETER;
	}
	EFI_STATUS st = load_conf(&a, &c);
	if (EFI_ERROR(st))
		return st;
	switch (c.cmd) {
	case CLI_VERSION:
		say(&a, "hotshim %s", HS_VERSION);
		return EFI_SUCCESS;
	case CLI_REPORT:
		return cmd_report(&a, &c);
	case CLI_BOOT:
		return efi_boot(image, &a.out, &c);
	case CLI_USAGE:
	default:
		a.out.write(a.out.ctx, cli_usage, hs_strlen(cli_usage));
		return EFI_SUCCESS;
	}
}
