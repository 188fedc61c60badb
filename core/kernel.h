/*
 * What kind of kernel a file is, and what it needs from the plan: a Linux
 * bzImage (the x86 boot protocol) or an ELF kernel for the hotshim
 * protocol.  The report and the boot both ask here, so they plan the same.
 */
#ifndef HS_CORE_KERNEL_H
#define HS_CORE_KERNEL_H

#include "../lib/elf.h"
#include "../x86/linux.h"

enum kernel_kind { KERNEL_LINUX, KERNEL_ELF };

struct kernel {
	enum kernel_kind kind;
	bool assumed;          /* no file: the report's stated default */
	struct lx_kernel lx;   /* KERNEL_LINUX */
	struct elf_image elf;  /* KERNEL_ELF */
};

/* The report's kernel when none is named: a bzImage the size of Debian
 * 12's (6.1.0-*-amd64: init_size 63.6 MiB, 2 MiB aligned, relocatable,
 * loadable above 4 GiB). */
#define KERNEL_DEFAULT_INIT_SIZE (64ull << 20)
#define KERNEL_DEFAULT_PREF_ADDRESS 0x1000000ull /* CONFIG_PHYSICAL_START */
void kernel_default(struct kernel *ret);

/*
 * A bzImage by its "HdrS" setup header (Documentation/x86/boot.rst), else
 * an ELF64 file.  direct_map is where hotshim maps RAM for ELF kernels.
 * A file that is neither is named as what it looks like.
 */
int kernel_identify(struct hs_view file, uint64_t direct_map, struct kernel *ret,
		    struct hs_err *err);

/* What the machine and the command say about starting this kernel. */
struct kernel_ctx {
	const char *path;      /* as given, for messages */
	bool secure_boot;      /* the firmware enforces signatures */
	bool firmware_la57;    /* the firmware runs with 5-level paging (CR4.LA57) */
	bool ask_la57;         /* --la57 or "paging 5" */
	unsigned modules;      /* module= given */
};

/*
 * Would `boot` start this kernel here?  -HS_EACCES: an ELF kernel under
 * Secure Boot (the firmware verifies PE images only: it would be a way
 * around it); -HS_ENOTSUP: paging modes that cannot meet (long mode cannot
 * switch levels, a bzImage without XLF_5LEVEL under 5-level paging);
 * -HS_EINVAL: module= with a bzImage.  The report prints the same line.
 */
int kernel_check(const struct kernel *k, const struct kernel_ctx *x, struct hs_err *err);

/*
 * The command line the kernel gets, into buf: the user's, with Linux's
 * movable_node appended when the machine has hot-pluggable memory (unless
 * already there, or no_movable_node).  -HS_E2BIG when a bzImage's
 * cmdline_size or buf is too small.
 */
int kernel_cmdline(const struct kernel *k, const char *user, bool hotplug, bool no_movable_node,
		   char *buf, size_t cap, bool *ret_movable, struct hs_err *err);

#endif
