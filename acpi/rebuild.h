/*
 * A rebuilt RSDP and XSDT that carry an override table: the firmware's
 * root table with one entry pointed at the replacement, so a kernel that
 * is handed this RSDP sees the table hotshim's report judged.
 */
#ifndef HS_ACPI_REBUILD_H
#define HS_ACPI_REBUILD_H

#include "table.h"

/* Bytes needed for the XSDT of a root table with n entries. */
#define ACPI_XSDT_LEN(n) (ACPI_HDR_LEN + 8u * (n))
#define ACPI_REBUILD_MAX_ENTRIES 256u

/*
 * Reads the firmware's root table through rsdp_addr and writes, into xsdt
 * (cap bytes, to live at xsdt_addr), its entries as 64-bit addresses with
 * every table of signature sig replaced by new_addr (appended when there
 * is none), and into rsdp a revision 2 RSDP for it.  Checksums are set.
 */
int acpi_rebuild(const struct hs_phys *phys, uint64_t rsdp_addr, const char sig[4],
		 uint64_t new_addr, uint8_t *xsdt, size_t cap, uint64_t xsdt_addr,
		 uint8_t rsdp[ACPI_RSDP_V2_LEN], size_t *ret_xsdt_len, struct hs_err *err);

#endif
