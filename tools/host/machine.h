/*
 * The SRAT hotplug report for the running Linux machine: its SRAT from
 * sysfs (or a file), the firmware memory map Linux kept in
 * /sys/firmware/memmap, and an initrd to look for an override in.  Used
 * by hotshim-report, and by hotshim-install status for the verdict line.
 */
#ifndef HS_TOOLS_MACHINE_H
#define HS_TOOLS_MACHINE_H

#include "../../lib/hs.h"

#define SYS_SRAT "/sys/firmware/acpi/tables/SRAT"
#define SYS_SLIT "/sys/firmware/acpi/tables/SLIT"
#define SYS_CEDT "/sys/firmware/acpi/tables/CEDT"
#define SYS_MEMMAP "/sys/firmware/memmap"

enum machine_format { MACHINE_TEXT, MACHINE_JSON, MACHINE_PROMETHEUS };

/* Every hot-pluggable node removable?  After the boot when this is the
 * running machine, else as predicted; the tool's exit status. */
enum machine_verdict { MACHINE_REMOVABLE, MACHINE_NOT_REMOVABLE, MACHINE_UNKNOWN };

struct machine_opts {
	const char *root;    /* read /sys and /proc under this directory; NULL: / */
	enum machine_format format;
	const char *srat;    /* a raw SRAT file instead of sysfs (then no memory map) */
	const char *slit;    /* a raw SLIT file; without --srat, sysfs's when there is one */
	const char *cedt;    /* a raw CEDT file (CXL windows); the same */
	const char *initrd;  /* an initrd that may carry an override, or NULL */
	bool linux_log;      /* also Linux's own lines */
	bool x2apic;         /* judge x2APIC ids as Linux in x2APIC mode */
	bool la57;           /* plan 5-level paging */
	bool locked_down;    /* Secure Boot: overrides are ignored */
};

/* Prints the report to out; ret_verdict (may be NULL) gets the verdict.  A
 * file that cannot be read, or a table that is not an SRAT, is an error
 * whose line is in err. */
int machine_report(const struct machine_opts *o, struct hs_sink *out,
		   enum machine_verdict *ret_verdict, struct hs_err *err);

#endif
