/* The firmware shell around core/: console, memory map, ACPI pointers. */
#ifndef HS_EFI_EFI_H
#define HS_EFI_EFI_H

#include <efi.h>
#include <efilib.h>

#include "../lib/hs.h"
#include "../lib/memmap.h"
#include "../core/plan.h"
#include "../x86/paging.h"

/* Console output: ConOut, plus the first serial port when ConOut does not
 * already reach a UART (tests read the serial console). */
struct efi_console {
	EFI_SERIAL_IO_PROTOCOL *serial;
};
void efi_console_init(struct efi_console *c, struct hs_sink *ret_sink);
/* loader.conf's console-mode: keep, max, auto (as max) or a mode number. */
void efi_console_mode(const char *mode);

/* The UEFI memory map: raw descriptors plus their portable form. */
struct efi_memmap {
	void *raw;
	UINTN size;      /* bytes of descriptors */
	UINTN desc_size; /* stride, from firmware */
	UINT32 desc_version;
	UINTN key;
	struct mm_map map;
};
EFI_STATUS efi_memmap_get(struct efi_memmap *ret, struct hs_err *err);
void efi_memmap_free(struct efi_memmap *m);

/* RSDP from the configuration table: ACPI 2.0 GUID first, then 1.0. */
EFI_STATUS efi_find_rsdp(UINT64 *ret_addr);

/* Identity-mapped physical memory reader for acpi/. */
extern const struct hs_phys efi_phys;

/* UCS-2 to ASCII: at most max characters of w, or up to its NUL with
 * EFI_TO_NUL; NULL is the empty string; non-ASCII becomes '?'. */
#define EFI_TO_NUL ((UINTN)-1)
void efi_narrow(const CHAR16 *w, UINTN max, char *out, size_t cap);
/* The other way: each byte of s as a UTF-16 unit (Latin-1), cut at cap - 1
 * units, NUL-terminated; the units written, the NUL not counted. */
UINTN efi_widen(const char *s, CHAR16 *w, UINTN cap);

EFI_STATUS efi_status_from(int r);
/* "EFI_NOT_FOUND" and the like. */
const char *efi_status_name(EFI_STATUS st);
/* A device path as text, in pool (FreePool), from the firmware's
 * DevicePathToText protocol: NULL when there is none or no pool.  (gnu-efi's
 * DevicePathToStr loops for ever when an allocation fails.) */
CHAR16 *efi_path_text(const EFI_DEVICE_PATH *dp);

/*
 * The one way efi/ reports a failure: one line, "hotshim: <what and why>
 * (EFI_<STATUS>)", and the status back to the caller to return in turn
 * (systemd-boot's log_error_status() habit).
 */
EFI_STATUS efi_fail(struct hs_sink *out, EFI_STATUS st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A whole file of hotshim's volume in freshly allocated pages. */
struct efi_file {
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
	UINTN size;
};
EFI_STATUS efi_read_file(EFI_HANDLE image, const char *path, struct efi_file *ret,
			 struct hs_err *err);
void efi_file_free(struct efi_file *f);
/* A path as the user typed it: through the shell when hotshim runs from
 * one (fsN:, relative paths), else on hotshim's own volume. */
EFI_STATUS efi_read_path(EFI_HANDLE image, const char *path, struct efi_file *ret,
			 struct hs_err *err);

/* Several paths read one after the other into one buffer (the EFI stub's
 * repeated initrd=); *ret_bad names the path a failure is about. */
EFI_STATUS efi_read_paths(EFI_HANDLE image, const char *const *paths, unsigned n,
			  struct efi_file *ret, const char **ret_bad, struct hs_err *err);

/* The names of the files in dir on hotshim's volume that end in suffix
 * (lower case; matched in any case), not hidden ones: the first cap, how
 * many there are, and how many had names too long to keep. */
#define EFI_MAX_NAME 128
EFI_STATUS efi_list_dir(EFI_HANDLE image, const char *dir, const char *suffix,
			char (*names)[EFI_MAX_NAME], size_t cap, size_t *ret_n, size_t *ret_total,
			size_t *ret_long);
/* Is there a file at path on hotshim's volume? */
bool efi_file_exists(EFI_HANDLE image, const char *path);
/* Renames dir\from to "to" in the same directory (EFI_FILE_INFO SetInfo). */
EFI_STATUS efi_rename(EFI_HANDLE image, const char *dir, const char *from, const char *to,
		      struct hs_err *err);

BOOLEAN efi_secure_boot(void);

/* GetVariable and SetVariable by an ASCII name (below 64 characters):
 * L"" names would take twice the bytes in the image. */
EFI_STATUS efi_var_get(const char *name, EFI_GUID *guid, UINTN *size, void *buf);
EFI_STATUS efi_var_set(const char *name, EFI_GUID *guid, UINT32 attr, UINTN size,
		       const void *buf);

/* The GOP framebuffer: FALSE when there is none, or it is blit-only. */
struct efi_fb {
	UINT64 base, size;
	UINT32 width, height, pitch, format; /* pitch in bytes */
	UINT8 bpp, pos[4], len[4];           /* bit fields: red, green, blue, reserved */
};
BOOLEAN efi_framebuffer(struct efi_fb *ret);

/* Page-table features of this CPU: 1 GiB pages, NX, and la57 as asked
 * (EFI_UNSUPPORTED: the CPU has no LA57). */
EFI_STATUS efi_cpu_paging(BOOLEAN la57, struct pt_cfg *ret);
/* Does the firmware run with 5-level paging (CR4.LA57)?  Long mode cannot
 * switch levels, so a kernel entered from here gets the same. */
BOOLEAN efi_runs_la57(void);

/* Pages committed with AllocatePages(AllocateAddress) for a plan:
 * efi_commit() takes them (-HS_EBUSY when the firmware says they are
 * taken), efi_release_all() gives every one back. */
struct efi_commits {
	EFI_PHYSICAL_ADDRESS addr[PLAN_MAX_COMMITS];
	UINTN pages[PLAN_MAX_COMMITS];
	unsigned n;
};
int efi_commit(void *ctx, uint64_t base, uint64_t size, enum plan_mem type);
void efi_release_all(void *ctx);

/* Firmware configuration tables (ESRT, memory attributes, ...): Linux reads
 * them after the jump, so memory holding one is never handed over.  Fills
 * up to cap, returns how many there are. */
size_t efi_config_tables(uint64_t *ret, size_t cap);
/* LoadImage() of a PE image in memory, then UnloadImage(): what the
 * firmware does with an image it loads (verify it under Secure Boot,
 * measure it into PCR 4 with a TPM) without starting it. */
EFI_STATUS efi_load_unload(EFI_HANDLE parent, void *buf, UINTN size);
/* The configuration table with this GUID, or NULL. */
void *efi_config_table(EFI_GUID *g);

/* Is the local APIC in x2APIC mode right now? */
BOOLEAN efi_x2apic_enabled(void);

#endif
