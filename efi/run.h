/* `report` and `boot` as one call each, for main.c and the boot entries. */
#ifndef HS_EFI_RUN_H
#define HS_EFI_RUN_H

#include "boot.h"

/* Runs c->cmd (CLI_REPORT or CLI_BOOT); `boot` returns only on failure.
 * Every page and pool it took is given back before it returns. */
EFI_STATUS run_command(EFI_HANDLE image, struct hs_sink *out, const struct cli *c,
		       struct efi_clock *clock);

#endif
