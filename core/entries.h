/*
 * Boot Loader Specification Type #1 entries (\loader\entries\*.conf) and
 * \loader\loader.conf, read and ordered as Debian 12's systemd-boot 252
 * does (src/boot/efi/boot.c), so that bootctl, kernel-install and
 * systemd-bless-boot work with hotshim as they do with it.
 *
 *   title    Debian GNU/Linux 12                  one value; the last wins
 *   version  6.1.0-27-amd64
 *   sort-key debian
 *   machine-id 0123456789abcdef0123456789abcdef
 *   linux    /vmlinuz-6.1.0-27-amd64              '/' or '\', from the root
 *   initrd   /srat-override.cpio                  may repeat: concatenated
 *   initrd   /initrd.img-6.1.0-27-amd64
 *   options  root=/dev/vda2 ro                    may repeat: joined
 *
 * Boot counting (Automatic Boot Assessment): a file named NAME+LEFT-DONE.conf
 * (or NAME+LEFT.conf) is renamed NAME+(LEFT-1)-(DONE+1).conf before it is
 * booted; one with no tries left sorts after the others.
 */
#ifndef HS_CORE_ENTRIES_H
#define HS_CORE_ENTRIES_H

#include "cli.h"

#define ENTRY_MAX_FILE_BYTES (64 * 1024)
#define ENTRY_MAX_NAME 128      /* file names, ids */
#define ENTRY_MAX_VALUE 128     /* title, version, sort-key, ... */
#define ENTRY_NO_COUNT (-1)     /* tries_left of an entry without boot counting */

struct entry {
	char file[ENTRY_MAX_NAME];   /* as found: "foo+3-0.conf" */
	char id[ENTRY_MAX_NAME];     /* the counter taken out: "foo.conf" (bootctl's id) */
	char next[ENTRY_MAX_NAME];   /* the file's name once booted: "foo+2-1.conf" */
	int tries_left, tries_done;  /* ENTRY_NO_COUNT when not counting */
	char title[ENTRY_MAX_VALUE], version[ENTRY_MAX_VALUE], machine_id[ENTRY_MAX_VALUE];
	char sort_key[ENTRY_MAX_VALUE], architecture[ENTRY_MAX_VALUE];
	char kernel[CLI_MAX_PATH];   /* the "linux" key */
	char initrd[CLI_MAX_INITRDS][CLI_MAX_PATH];
	unsigned ninitrd;
	char options[CLI_MAX_LINE];
};

/* What a file said that the reader should hear about; the entry may still
 * be good (a duplicate key), or not (no linux line). */
struct entry_notes {
	char line[4][200];
	unsigned count;
};

/*
 * Parses one entry file named fname (its counter read from the name).
 * Returns 0 when the entry can be booted, -HS_EINVAL with err saying
 * which line and why when it cannot (binary data, too long, no linux
 * line, another architecture); notes collect what is odd but harmless.
 */
int entry_parse(const char *text, size_t len, const char *fname, struct entry *ret,
		struct entry_notes *notes, struct hs_err *err);

/* Reads the counter from a file name: NAME+LEFT[-DONE].conf (fname must
 * not be one of e's own fields). */
void entry_count(const char *fname, struct entry *e);

/* systemd's strverscmp_improved() (the UAPI version format): <0, 0, >0. */
int entry_vercmp(const char *a, const char *b);

/* systemd-boot 252's config_entry_compare(): no tries left last; with a
 * sort-key before without; sort-key, machine-id up; version, id down
 * (the newest first); more tries left, then fewer done, first. */
int entry_compare(const struct entry *a, const struct entry *b);
void entries_sort(struct entry *e, size_t n);

/* efi_fnmatch(): '*', '?', '[a-z]' and '\' escapes, case-insensitive. */
bool entry_glob(const char *pattern, const char *s);

enum { LOADER_TIMEOUT_UNSET = -1, LOADER_MENU_FORCE = -2 };

struct loader_conf {
	char default_pattern[ENTRY_MAX_NAME]; /* "" when none */
	int timeout;               /* seconds, LOADER_TIMEOUT_UNSET, LOADER_MENU_FORCE */
	char console_mode[16];     /* "" when none: keep, auto, max or a number */
};

/* \loader\loader.conf: default, timeout (a number, menu-force,
 * menu-hidden), console-mode; other keys are systemd-boot's and ignored.
 * A bad value is a note and that line is ignored, as systemd-boot does;
 * binary data or a huge file is an error and ret holds the defaults. */
int loader_conf_parse(const char *text, size_t len, const char *fname, struct loader_conf *ret,
		      struct entry_notes *notes, struct hs_err *err);

/*
 * The default, as config_default_entry_select(): the one-shot pattern
 * (LoaderEntryOneShot), else LoaderEntryDefault, else loader.conf's
 * default, else the first entry; a pattern picks the first entry in
 * order whose id it matches, and one that matches nothing falls through.
 * Patterns may be NULL.  -1 when there is no entry.
 */
int entries_default(const struct entry *e, size_t n, const char *oneshot, const char *efivar,
		    const char *conf);

#endif
