/*
 * hotshim.efi entry: read the command line, run the command, return an
 * EFI status to the shell.  Everything allocated here is freed on every
 * path before returning.
 */
#include "entries.h"
#include "run.h"
#include "loaderif.h"
#include "tpm.h"

/* SBAT (shim's SBAT.md): the generations of this program that shim may
 * start.  Raise hotshim's generation when a release fixes a way around
 * Secure Boot, so that a revocation can name the older ones.  Its own
 * PE section; no relocations. */
static const char sbat[] __attribute__((used, section(".sbat"))) =
	"sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
	"hotshim,1,hotshim developers,hotshim," HS_VERSION ",https://github.com/hotshim/hotshim\n";

struct app {
	EFI_HANDLE image;
	struct hs_sink out;
	struct efi_console con;
	struct efi_clock clock; /* hotshim's own time, from here to the jump */
	char line[CLI_MAX_LINE], words[CLI_MAX_LINE]; /* the command line, then its words */
};

/* The arguments after the program name, as one line.  From the shell the
 * Shell Parameters protocol gives argv; otherwise LoadOptions holds
 * whatever the boot entry carries (taken as text when it looks like it). */
static EFI_STATUS get_args(struct app *a, char *line, size_t cap)
{
	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	EFI_LOADED_IMAGE *li = NULL;
	size_t o = 0;

	line[0] = '\0';
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, a->image,
					 &ShellParametersProtocolGuid, (void **)&sp)) && sp) {
		for (UINTN i = 1; i < sp->Argc && o + 4 < cap; i++) {
			char word[CLI_MAX_LINE];
			efi_narrow(sp->Argv[i], CLI_MAX_LINE, word, sizeof(word));
			o += hs_snprintf(line + o, cap - o, "%s\"%s\"", i > 1 ? " " : "", word);
		}
		if (o >= cap)
			line[cap - 1] = '\0';
		return EFI_SUCCESS;
	}
	/* without them a boot entry's arguments would be lost, and hotshim
	 * would do what no arguments ask for */
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, a->image, &LoadedImageProtocol,
					  (void **)&li);
	if (EFI_ERROR(st))
		return st;
	if (li && li->LoadOptions && li->LoadOptionsSize >= 2 && li->LoadOptionsSize % 2 == 0)
		efi_narrow(li->LoadOptions, li->LoadOptionsSize / 2, line, cap);
	return EFI_SUCCESS;
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
	/* hotshim's configuration into PCR 5 (boot-loader configuration), as
	 * systemd-boot 255 and later measure loader.conf */
	tpm_measure_tagged(&a->out, 5, HOTSHIM_CONF_EVENT_TAG, "hotshim.conf", (void *)(UINTN)f.addr,
			   f.size);
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

	loader_clock_start(&a.clock);
	InitializeLib(image, systab);
	efi_console_init(&a.con, &a.out);
	EFI_STATUS st = get_args(&a, a.line, sizeof(a.line));
	if (EFI_ERROR(st))
		return efi_fail(&a.out, st, "its arguments cannot be read (no LoadedImage protocol)");
	if (cli_split(a.line, a.words, sizeof(a.words), argv, CLI_MAX_ARGS, &argc, &err) < 0 ||
	    cli_parse(argc, argv, &c, &err) < 0) {
		/* the error, then the usage */
		c.cmd = CLI_USAGE;
		st = efi_fail(&a.out, EFI_INVALID_PARAMETER, "%s", err.msg);
		goto run;
	}
	st = load_conf(&a, &c);
	if (EFI_ERROR(st))
		return st;
	/* no command anywhere: the boot loader's job, when there are entries */
	bool none;
	if (!c.has_cmd) {
		st = efi_entries(image, &a.out, &c, ENTRIES_AUTO, &a.clock, &none);
		if (!none)
			return st;
	}
	st = EFI_SUCCESS;
run: /* st: EFI_SUCCESS, or the command line's error before the usage */
	switch (c.cmd) {
	case CLI_LIST:
		return efi_entries(image, &a.out, &c, ENTRIES_LIST, &a.clock, &none);
	case CLI_MENU:
		return efi_entries(image, &a.out, &c, ENTRIES_MENU, &a.clock, &none);
	case CLI_VERSION:
		hs_println(&a.out, "hotshim %s", HS_VERSION);
		return EFI_SUCCESS;
	case CLI_REPORT:
	case CLI_BOOT:
		return run_command(image, &a.out, &c, &a.clock);
	case CLI_USAGE:
	default:
		a.out.write(a.out.ctx, cli_usage, hs_strlen(cli_usage));
		return st;
	}
}
