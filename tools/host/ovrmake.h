/*
 * An SRAT made into an initrd override Linux 6.1 takes (and hotshim):
 * the checks and header fixes hotshim-mkoverride and hotshim-install
 * share, and the newc archive that carries the table.
 *
 *   archive: kernel/  kernel/firmware/  kernel/firmware/acpi/
 *            kernel/firmware/acpi/srat.aml   TRAILER!!!   zeros to 512
 */
#ifndef HS_TOOLS_OVRMAKE_H
#define HS_TOOLS_OVRMAKE_H

#include "../../acpi/table.h"

struct ovr_make {
	const struct acpi_header *fw; /* the firmware's SRAT to beat, or NULL */
	const char *fw_name;          /* where it came from, for messages */
	bool keep_ids;                /* keep the table's own OEM ID and table ID */
	bool have_rev;                /* rev is the OEM revision asked for */
	uint32_t rev;
};

/*
 * Checks table t (len bytes: the whole file, named name) is an SRAT and
 * patches it in place: OEM revision above the firmware's (Linux takes an
 * override only when strictly higher), the firmware's IDs (it replaces
 * only a table with the same IDs), length and checksum.  note gets a line
 * when the header's length is shorter than the file ("" otherwise).
 */
int ovr_make_table(uint8_t *t, size_t len, const char *name, const struct ovr_make *o,
		   uint32_t *ret_rev, struct hs_err *note, struct hs_err *err);

/* The archive for a table of len bytes: its size, and the bytes into buf.
 * -HS_ENOSPC when cap is short. */
size_t ovr_cpio_size(size_t len);
int ovr_cpio(const uint8_t *t, size_t len, uint8_t *buf, size_t cap, size_t *ret_len);

#endif
