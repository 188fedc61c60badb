/*
 * Measured boot (efi/tpm.c): what Linux 6.1's EFI stub and systemd-boot
 * measure when they start a kernel, measured the same way through the
 * firmware's EFI_TCG2_PROTOCOL, so that what a TPM policy predicts for
 * them holds for hotshim.  Nothing happens without a TPM 2.0.
 */
#ifndef HS_EFI_TPM_H
#define HS_EFI_TPM_H

#include "efi.h"

/* hotshim.conf's tagged event in PCR 5, hotshim's own tag (systemd-boot
 * 255 and later tag loader.conf 0xf5bc582a there; 252 measures none) */
#define HOTSHIM_CONF_EVENT_TAG 0x27356420

/* TCG PC Client event types */
#define EV_EVENT_TAG 0x06
#define EV_IPL 0x0d

/* True when the firmware offers EFI_TCG2_PROTOCOL. */
bool tpm_present(void);
/* The digest of [data, data + len) extended into pcr and logged as an
 * EV_EVENT_TAG event {tag, strlen(what) + 1, what} (what: 39 bytes at
 * most), the form the stub and systemd-boot use for new events; false
 * when it failed (said on out).  true without a TPM. */
bool tpm_measure_tagged(struct hs_sink *out, UINT32 pcr, UINT32 tag, const char *what,
			const void *data, UINT64 len);
/* The command line as Linux's stub gets it in LoadOptions (UTF-16, NUL
 * included): into PCR 12 as systemd-boot's EV_IPL event, then into PCR 9
 * as the stub's tagged LoadOptions event; then the initrd into PCR 9. */
bool tpm_measure_linux(struct hs_sink *out, const char *cmdline, const void *initrd,
		       UINT64 initrd_size);
/* The kernel into PCR 4 as the firmware measures what it loads
 * (EV_EFI_BOOT_SERVICES_APPLICATION, its Authenticode digest): loaded
 * with LoadImage() and unloaded.  For when nothing verified it: under
 * Secure Boot shim's Verify() or the firmware's LoadImage() measured it. */
bool tpm_measure_image(struct hs_sink *out, EFI_HANDLE parent, void *buf, UINTN size);
/* The firmware's event log copied where Linux looks for it, as its stub
 * does last before ExitBootServices (libstub/tpm.c,
 * efi_retrieve_tpm2_eventlog): without it the kernel shows no log. */
struct boot;
bool tpm_log_for_linux(struct boot *b);
/* Takes the table back (a boot that fails after tpm_log_for_linux()). */
void tpm_log_withdraw(void);

#endif
