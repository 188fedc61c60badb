/* systemd's boot-loader interface variables (efi/loaderif.c). */
#ifndef HS_EFI_LOADERIF_H
#define HS_EFI_LOADERIF_H

#include "efi.h"
#include "../core/entries.h"

EFI_STATUS loader_var_set(const char *name, const char *value);
/* A string variable as ASCII; false when unset or empty. */
bool loader_var_get(const char *name, char *buf, size_t cap);
void loader_var_delete(const char *name);

/* Microseconds since the CPU came up, from the TSC calibrated against
 * the firmware's Stall(), as systemd-boot's time_usec(). */
uint64_t loader_tsc_per_ms(void);
uint64_t loader_time_usec(uint64_t per_ms);
void loader_var_time(const char *name, uint64_t usec);
/* hotshim's own clock, passed down from efi_main: the TSC at its start and
 * the ticks a millisecond, calibrated (one 1 ms Stall()) when first asked. */
struct efi_clock {
	uint64_t start, per_ms;
};
void loader_clock_start(struct efi_clock *c);
uint64_t loader_clock_per_ms(struct efi_clock *c);
/* The time since the start as "38.2 ms", read before any calibration. */
void loader_elapsed(struct efi_clock *c, char *buf, size_t cap);

/* LoaderInfo, LoaderFirmwareInfo/Type, LoaderFeatures, LoaderImageIdentifier,
 * LoaderDevicePartUUID (on GPT), LoaderTimeInitUSec. */
void loader_vars_init(EFI_HANDLE image, uint64_t init_usec);
/* LoaderEntries: every id, in menu order, each NUL-terminated. */
void loader_vars_entries(const struct entry *e, size_t n);

#endif
