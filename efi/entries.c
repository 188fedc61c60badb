/*
 * hotshim as the machine's boot loader: Boot Loader Specification entries
 * from \loader\entries on its own volume, the default or the menu, boot
 * counting, systemd's boot-loader interface, and the next entry (or the
 * firmware) when one fails.  Decisions are core/entries.c's and
 * core/menu.c's; this file reads files and variables and boots.
 */
#include "entries.h"
#include "loaderif.h"
#include "menu.h"
#include "run.h"

#define ENTRIES_DIR "\\loader\\entries"
#define LOADER_CONF "\\loader\\loader.conf"
#define MAX_ENTRIES 256
#define NO_ENTRY_COUNTDOWN 10 /* s of menu before giving up, as systemd-boot */

struct loader {
	EFI_HANDLE image;
	struct hs_sink *out;
	const struct cli *base;      /* hotshim.conf's options */
	uint64_t per_ms;             /* TSC ticks a millisecond */
	struct efi_clock *clock;
	struct loader_conf conf;
	char oneshot[ENTRY_MAX_NAME], efivar[ENTRY_MAX_NAME];
	size_t n, total;
	char names[MAX_ENTRIES][EFI_MAX_NAME];
	struct entry e[MAX_ENTRIES];
};

/* One entry file; its problems said in one line each, as file and line. */
static bool load_one(struct loader *l, const char *name, struct entry *ret)
{
	char path[CLI_MAX_PATH];
	struct efi_file f;
	struct entry_notes notes;
	struct hs_err err = { "" };

	hs_snprintf(path, sizeof(path), "%s\\%s", ENTRIES_DIR, name);
	EFI_STATUS st = efi_read_file(l->image, path, &f, &err);
	if (EFI_ERROR(st)) {
		efi_fail(l->out, st, "%s", err.msg);
		return false;
	}
	int r = entry_parse((const char *)(UINTN)f.addr, f.size, name, ret, &notes, &err);
	efi_file_free(&f);
	for (unsigned i = 0; i < notes.count; i++)
		hs_println(l->out, "hotshim: note: %s\\%s", ENTRIES_DIR, notes.line[i]);
	if (r < 0)
		hs_println(l->out, "hotshim: %s\\%s; skipped", ENTRIES_DIR, err.msg);
	/* as systemd-boot 252: an entry whose kernel is not there is no entry */
	if (r == 0 && !efi_file_exists(l->image, ret->kernel)) {
		hs_println(l->out, "hotshim: %s\\%s: its linux %s is not on hotshim's volume; skipped",
			   ENTRIES_DIR, name, ret->kernel);
		r = -HS_ENOENT;
	}
	return r == 0;
}

static void load_conf(struct loader *l)
{
	struct efi_file f;
	struct hs_err err = { "" };

	struct entry_notes notes;

	loader_conf_parse("", 0, LOADER_CONF, &l->conf, NULL, &err);
	EFI_STATUS st = efi_read_file(l->image, LOADER_CONF, &f, &err);
	if (EFI_ERROR(st)) {
		/* none: the defaults, quietly; one that cannot be read: said */
		if (st != EFI_NOT_FOUND)
			hs_println(l->out, "hotshim: %s (%s); using the defaults", err.msg,
				   efi_status_name(st));
		return;
	}
	if (loader_conf_parse((const char *)(UINTN)f.addr, f.size, LOADER_CONF, &l->conf, &notes,
			      &err) < 0)
		hs_println(l->out, "hotshim: %s; using the defaults", err.msg);
	for (unsigned i = 0; i < notes.count; i++)
		hs_println(l->out, "hotshim: note: %s", notes.line[i]);
	efi_file_free(&f);
}

/* Every entry that parses, in systemd-boot's order. */
static EFI_STATUS load(struct loader *l)
{
	size_t listed, too_long;
	EFI_STATUS st = efi_list_dir(l->image, ENTRIES_DIR, ".conf", l->names, MAX_ENTRIES, &listed,
				     &l->total, &too_long);

	if (EFI_ERROR(st))
		return st;
	if (too_long)
		hs_println(l->out, "hotshim: %s: %zu entries have names of %d characters or more; "
			   "skipped", ENTRIES_DIR, too_long, EFI_MAX_NAME);
	if (l->total > listed + too_long)
		hs_println(l->out, "hotshim: %s holds %zu entries; the first %zu are read",
			   ENTRIES_DIR, l->total, listed);
	for (size_t i = 0; i < listed; i++)
		if (load_one(l, l->names[i], &l->e[l->n]))
			l->n++;
	entries_sort(l->e, l->n);
	load_conf(l);
	loader_var_get("LoaderEntryOneShot", l->oneshot, sizeof(l->oneshot));
	loader_var_get("LoaderEntryDefault", l->efivar, sizeof(l->efivar));
	return EFI_SUCCESS;
}

/* The command `boot` gets for entry e, on top of hotshim.conf's options. */
static void entry_cli(const struct loader *l, const struct entry *e, enum cli_cmd cmd,
		      struct cli *c)
{
	*c = *l->base;
	c->cmd = cmd;
	c->has_cmd = true;
	hs_snprintf(c->kernel, sizeof(c->kernel), "%s", e->kernel);
	for (unsigned i = 0; i < e->ninitrd; i++)
		hs_snprintf(c->initrd[i], sizeof(c->initrd[i]), "%s", e->initrd[i]);
	c->ninitrd = e->ninitrd;
	c->modules = 0;
	hs_snprintf(c->cmdline, sizeof(c->cmdline), "%s", e->options);
	c->has_cmdline = true;
	c->quiet = cmd == CLI_BOOT;
}

/* Boot counting, then the interface variables, then `boot`: returns only
 * when the entry could not be booted. */
static EFI_STATUS boot_entry(struct loader *l, struct entry *e)
{
	struct cli c;
	struct hs_err err = { "" };
	char path[CLI_MAX_PATH];

	/* a path left by an entry tried before this one would have
	 * systemd-bless-boot judge the wrong file */
	loader_var_delete("LoaderBootCountPath");
	if (e->tries_left != ENTRY_NO_COUNT) {
		/* one try fewer before it runs (config_entry_bump_counters()) */
		if (EFI_ERROR(efi_rename(l->image, ENTRIES_DIR, e->file, e->next, &err))) {
			hs_println(l->out, "hotshim: boot counting: %s", err.msg);
		} else {
			char next[ENTRY_MAX_NAME];
			hs_snprintf(next, sizeof(next), "%s", e->next);
			hs_snprintf(path, sizeof(path), "%s\\%s", ENTRIES_DIR, next);
			loader_var_set("LoaderBootCountPath", path);
			entry_count(next, e); /* the name it has now, for a second try */
		}
	}
	loader_var_set("LoaderEntrySelected", e->id);
	hs_println(l->out, "hotshim: booting %s\\%s", ENTRIES_DIR, e->file);
	entry_cli(l, e, CLI_BOOT, &c);
	loader_var_time("LoaderTimeExecUSec", loader_time_usec(l->per_ms));
	return run_command(l->image, l->out, &c, l->clock);
}

/* No menu: the default, then each other entry in order, until one boots;
 * when none does, the firmware's next boot option should run. */
static EFI_STATUS boot_in_order(struct loader *l, size_t def)
{
	for (size_t k = 0; k < l->n; k++) {
		size_t i = k == 0 ? def : (k <= def ? k - 1 : k);
		boot_entry(l, &l->e[i]); /* returns only on failure, which it said */
		hs_println(l->out, "hotshim: %s could not be booted; %s", l->e[i].id,
			   k + 1 < l->n ? "trying the next entry" : "no entry is left");
	}
	return efi_fail(l->out, EFI_NOT_FOUND, "no boot entry could be booted; back to the "
			"firmware's next boot option");
}

static void report_entry(struct loader *l, const struct entry *e)
{
	struct cli c;

	entry_cli(l, e, CLI_REPORT, &c);
	run_command(l->image, l->out, &c, l->clock);
	hs_println(l->out, "hotshim: press a key to return to the menu");
	efi_wait_key();
}

static EFI_STATUS menu_loop(struct loader *l, struct menu *m, int countdown)
{
	efi_console_mode(l->conf.console_mode);
	for (;;) {
		switch (efi_menu(m, l->e, countdown, l->out)) {
		case MENU_TIMEOUT:
			/* nobody is there: as with no menu, down to the firmware */
			return boot_in_order(l, m->highlight);
		case MENU_BOOT:
			boot_entry(l, &l->e[m->highlight]);
			hs_println(l->out, "hotshim: press a key to return to the menu");
			efi_wait_key();
			break;
		case MENU_REPORT:
			report_entry(l, &l->e[m->highlight]);
			break;
		case MENU_EXIT:
			return efi_fail(l->out, EFI_ABORTED, "menu left; back to the firmware");
		default:
			break;
		}
		countdown = -1;
	}
}

static void list(const struct loader *l, const struct menu *m)
{
	char label[ENTRY_MAX_VALUE * 2 + 4];

	if (!l->n)
		hs_println(l->out, "hotshim: no boot entry in %s on hotshim's volume can be booted",
			   ENTRIES_DIR);
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];
		menu_label(e, label, sizeof(label));
		hs_println(l->out, "%s %s%s", e->id, label, i == m->def ? " (default)" : "");
		hs_println(l->out, "    linux %s", e->kernel);
		for (unsigned k = 0; k < e->ninitrd; k++)
			hs_println(l->out, "    initrd %s", e->initrd[k]);
		if (e->options[0])
			hs_println(l->out, "    options %s", e->options);
		if (e->tries_left != ENTRY_NO_COUNT)
			hs_println(l->out, "    tries left %d, done %d", e->tries_left, e->tries_done);
	}
}

EFI_STATUS efi_entries(EFI_HANDLE image, struct hs_sink *out, const struct cli *base,
		       enum entries_mode mode, struct efi_clock *clock, bool *ret_none)
{
	struct loader *l = AllocateZeroPool(sizeof(*l));
	struct menu_key k = { 0, 0 };
	EFI_STATUS st;

	/* a failure here is not "no entries" either */
	*ret_none = false;
	if (!l)
		return efi_fail(out, EFI_OUT_OF_RESOURCES, "entries: no pool for %lu bytes",
				(unsigned long)sizeof(*l));
	*l = (struct loader){ .image = image, .out = out, .base = base, .clock = clock,
			      .per_ms = loader_clock_per_ms(clock) };
	uint64_t init_usec = loader_time_usec(l->per_ms);
	st = load(l);
	if (EFI_ERROR(st) && st != EFI_NOT_FOUND) {
		/* a directory that cannot be read is not "no entries": the
		 * usage text instead of a boot would hide a failing disk */
		FreePool(l);
		return efi_fail(out, st, "%s: cannot be listed", ENTRIES_DIR);
	}
	*ret_none = EFI_ERROR(st) || !l->total;
	if (*ret_none && mode == ENTRIES_AUTO) {
		FreePool(l);
		return EFI_NOT_FOUND;
	}
	struct menu m = { .n = l->n };
	int d = entries_default(l->e, l->n, l->oneshot, l->efivar, l->conf.default_pattern);
	m.def = m.highlight = d < 0 ? 0 : (size_t)d;
	if (mode == ENTRIES_LIST) {
		list(l, &m);
		FreePool(l);
		return EFI_SUCCESS;
	}
	/* systemd-boot reads the one-shot entry once: gone from here on */
	if (l->oneshot[0])
		loader_var_delete("LoaderEntryOneShot");
	loader_vars_init(image, init_usec);
	loader_vars_entries(l->e, l->n);
	int t = l->conf.timeout;
	bool key = mode == ENTRIES_AUTO && efi_key_waiting(&k);
	/* a digit pressed at start boots that entry, as in systemd-boot */
	if (key && k.ch >= '1' && k.ch <= '9' && (size_t)(k.ch - '1') < l->n) {
		m.highlight = (size_t)(k.ch - '1');
		key = false;
		t = 0;
	}
	if (mode == ENTRIES_MENU || key || t > 0 || t == LOADER_MENU_FORCE || !l->n)
		st = menu_loop(l, &m, !l->n ? NO_ENTRY_COUNTDOWN : t > 0 && !key ? t : -1);
	else
		st = boot_in_order(l, m.highlight);
	FreePool(l);
	return st;
}
