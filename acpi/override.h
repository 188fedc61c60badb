/*
 * ACPI table upgrade from the initrd, as Linux 6.1 decides it
 * (drivers/acpi/tables.c acpi_table_upgrade(), acpi_table_initrd_override()
 * and acpi_table_initrd_scan()), narrowed to the table hotshim cares about.
 */
#ifndef HS_ACPI_OVERRIDE_H
#define HS_ACPI_OVERRIDE_H

#include "table.h"
#include "../lib/cpio.h"

#define OVR_PATH "kernel/firmware/acpi/"
#define OVR_MAX_FILES 64u /* NR_ACPI_INITRD_TABLES: files looked at, taken or not */

enum ovr_verdict {
	OVR_TOO_SMALL,      /* "Table smaller than ACPI header" */
	OVR_UNKNOWN_SIG,    /* "Unknown signature" */
	OVR_BAD_LENGTH,     /* "File length does not match table length" */
	OVR_BAD_CHECKSUM,   /* "Bad table checksum" */
	OVR_OTHER_TABLE,    /* taken by Linux, another signature than the one asked */
	OVR_NOT_HIGHER,     /* same IDs, OEM revision not strictly higher */
	OVR_OTHER_IDS,      /* different OEM ID or table ID: installed beside */
	OVR_SHADOWED,       /* an earlier file already replaced the table */
	OVR_SECURE_BOOT,    /* refused: the kernel will be locked down */
	OVR_CHOSEN,         /* replaces the firmware table */
	OVR_INSTALLED,      /* no firmware table: Linux installs this one */
};

struct ovr_candidate {
	char name[80];        /* path in the archive */
	size_t offset;        /* of the file data in the initrd */
	struct hs_view table; /* the file's bytes */
	struct acpi_header hdr; /* valid from OVR_BAD_LENGTH on */
	enum ovr_verdict verdict;
};

struct ovr_result {
	struct ovr_candidate c[OVR_MAX_FILES];
	unsigned count;
	int chosen;           /* index into c, or -1: the firmware table stays */
	bool hit_limit;       /* Linux stops after 64 files */
	enum cpio_stop stop;
	size_t stop_off;
	const char *stop_what;
};

/*
 * Looks through the initrd for tables that replace the firmware's table
 * with signature sig (fw: its header, or NULL when firmware has none).
 * locked_down: Secure Boot is on, so Linux will ignore every table.
 */
void ovr_select(struct hs_view initrd, const char sig[4], const struct acpi_header *fw,
		bool locked_down, struct ovr_result *ret);

/* Why a candidate was (not) taken, for one line of the report. */
void ovr_describe(const struct ovr_candidate *c, const struct acpi_header *fw, char *buf,
		  size_t cap);

/* The lines Linux prints about the initrd's tables, in its order, for the
 * signature sig (one write per line). */
void ovr_linux_log(const struct ovr_result *r, const char sig[4], bool locked_down,
		   struct hs_sink *log);

/* Linux's list of signatures an initrd may carry. */
bool ovr_sig_allowed(const char sig[4]);

#endif
