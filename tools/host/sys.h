/*
 * The host side of the tools: whole files in and out, written so a crash
 * or a full disk never leaves half a file under the real name, iasl,
 * efibootmgr, and EFI variables through efivarfs.  Errors are negative
 * errno values, with the one line to print in err where it helps.
 */
#ifndef HS_TOOLS_SYS_H
#define HS_TOOLS_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/hs.h"

#define EFI_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"
#define LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

/* The whole file, malloc'd, with a NUL after it; -EFBIG past max bytes. */
int sys_read(const char *path, uint64_t max, uint8_t **ret, size_t *ret_len);

/* The first line of a file (sysfs and procfs values), newline dropped,
 * cut at cap; "" when empty.  Negative errno when it cannot be opened. */
int sys_read_line(const char *path, char *buf, size_t cap);

/* An ASL (or .dsl) file compiled with iasl; err names the first error line. */
int sys_compile_asl(const char *src, uint8_t **ret, size_t *ret_len, struct hs_err *err);

/* 1 when path holds exactly these bytes (or the same bytes as file src),
 * 0 when it differs or is missing, negative errno on a read error. */
int sys_same_bytes(const char *path, const void *data, size_t len);
int sys_same_file(const char *path, const char *src);

/* Writes path as PATH.hotshim-new, fsync, rename over path, fsync the
 * directory: the old file stays whole until the new one is.  The
 * temporary file is removed on any failure. */
#define SYS_TMP_SUFFIX ".hotshim-new" /* the temporary name: PATH and this */
int sys_write_atomic(const char *path, const void *data, size_t len);
int sys_copy_atomic(const char *path, const char *src);

/* Runs argv (no shell); its output into out (NUL-terminated, cut at cap).
 * Returns the exit status, or negative errno when it could not run. */
int sys_run(char *const argv[], char *out, size_t cap);

/* An EFI variable from efivarfs, without its 4 attribute bytes.
 * -ENOENT when absent (or when the system has no efivarfs). */
int sys_efivar(const char *name, const char *guid, uint8_t **ret, size_t *ret_len);
/* A UCS-2 variable (systemd's Loader* ones) as ASCII into buf. */
int sys_efivar_str(const char *name, const char *guid, char *buf, size_t cap);
bool sys_efi_booted(void);

#endif
