/* ACPI system description tables: header, checksum, RSDP -> XSDT/RSDT walk. */
#ifndef HS_ACPI_TABLE_H
#define HS_ACPI_TABLE_H

#include "../lib/hs.h"

#define ACPI_HDR_LEN 36u
#define ACPI_RSDP_V1_LEN 20u
#define ACPI_RSDP_V2_LEN 36u
/* Sanity bound on one table: the largest real tables (DSDT) are a few MiB. */
#define ACPI_TABLE_MAX_LEN (64u * 1024 * 1024)

struct acpi_header {
	char sig[5];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[7];
	char oem_table_id[9];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
};

/* Reads the 36-byte header; -HS_EINVAL when the view is too short. */
int acpi_header_read(struct hs_view v, struct acpi_header *ret_hdr);
uint8_t acpi_sum(const uint8_t *p, size_t n);

/* Warnings that do not stop the walk (Linux goes on, ACPICA only warns). */
struct acpi_warnings {
	char line[4][200];
	unsigned count;
};

/* Where a table was found, for the report's closing line. */
struct acpi_found {
	uint64_t addr;
	struct hs_view table; /* whole table, length from its header */
	struct acpi_header hdr;
	bool checksum_ok;
	bool via_xsdt;
	uint64_t rsdp_addr;
	uint8_t rsdp_revision;
};

/*
 * The RSDP and the root table it names: the one reader every walk uses.
 * ACPICA's acpi_tb_parse_root_table() takes the XSDT when the RSDP's
 * revision is above 1 and the XSDT address is set, else the RSDT.  A bad
 * RSDP or root-table checksum is a warning, never a stop: Linux does not
 * re-check an RSDP that EFI hands over (acpi_os_get_root_pointer()), and
 * ACPICA only warns about a root table's.  Returns 0, or a negative code
 * with err set when there is no usable root table at all.
 */
struct acpi_root {
	uint64_t rsdp_addr;
	uint8_t rsdp_revision;
	uint64_t addr;          /* of the root table */
	bool xsdt;              /* 8-byte entries; else the RSDT's 4-byte ones */
	const char *name;       /* "XSDT" or "RSDT" */
	struct hs_view table;   /* the whole root table */
	struct acpi_header hdr;
	size_t entries;
};
int acpi_root_read(const struct hs_phys *phys, uint64_t rsdp_addr, struct acpi_root *ret,
		   struct acpi_warnings *warn, struct hs_err *err);
/* Entry i (< entries) of the root table: a table's physical address. */
uint64_t acpi_root_entry(const struct acpi_root *r, size_t i);

/*
 * Finds the first table with signature sig, starting from the RSDP at
 * rsdp_addr.  Returns 0, -HS_ENOENT when no such table exists, or another
 * negative code with err set when the RSDP or root table is unusable.
 */
int acpi_find_table(const struct hs_phys *phys, uint64_t rsdp_addr, const char sig[4],
		    struct acpi_found *ret, struct acpi_warnings *warn, struct hs_err *err);

/* Where an ACPI table lives: Linux reserves each early (memblock), and a
 * reservation inside a hot-pluggable node keeps that node unmovable. */
struct acpi_loc {
	char sig[5];
	uint64_t addr;
	uint32_t length;
};

/*
 * Lists the root table, every table it points to, and the DSDT and FACS
 * the FADT points to (acpi_reserve_initial_tables() reserves all of them).
 * Unreadable entries are skipped; returns the count, at most cap.
 */
size_t acpi_list_tables(const struct hs_phys *phys, uint64_t rsdp_addr, struct acpi_loc *ret,
			size_t cap);

/*
 * The BGRT's boot logo as Linux 6.1 takes it (drivers/firmware/efi/
 * efi-bgrt.c, efi_bgrt_init()): a table of at least 56 bytes, version 1,
 * no reserved status bits, image type 0 (BMP), a non-zero image address.
 * Returns 0 with the image's address, or -HS_EINVAL with why Linux would
 * ignore it.  (Linux then also wants the address in boot-services data and
 * a "BM" header; the caller checks those, since they need the memory.)
 */
#define ACPI_BGRT_LEN 56
int acpi_bgrt_image(struct hs_view bgrt, uint64_t *ret_addr, struct hs_err *err);
/* A BMP header's file size ("BM", then the size in 4 bytes); 0 if not a BMP. */
uint32_t acpi_bmp_size(struct hs_view header);

#endif
