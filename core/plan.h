/*
 * The placement plan: where every piece of a boot goes on this machine,
 * bottom-up above hotshim's image, never in hot-pluggable memory.  One
 * pure function decides it; the report prints it, the boot commits it
 * and jumps, so the two cannot differ.
 *
 *   order   hotshim protocol (ELF)        Linux (bzImage)
 *   1       kernel (link address or PIE)  kernel: init_size, aligned
 *   2       page tables: identity +       page tables: identity only
 *           direct map, NX on data        (its decompressor runs a
 *                                          trampoline below 1 MiB)
 *   3       stack + GDT                   stack + GDT
 *   4       initrd, modules               initrd
 *   5       command line (when given)     command line (+ movable_node)
 *   6       ACPI copy (with an override)  ACPI copy, as ACPI reclaim
 *   7       boot info + final EFI map     boot_params + e820 + EFI map
 */
#ifndef HS_CORE_PLAN_H
#define HS_CORE_PLAN_H

#include "alloc.h"
#include "cli.h"
#include "kernel.h"
#include "../acpi/rebuild.h"
#include "../x86/paging.h"

/* Commits (and so the pieces) one plan may take; each can split a free
 * range of the firmware's map in two. */
#define PLAN_MAX_COMMITS 64
#define PLAN_MAX_PIECES (7 + 1 + CLI_MAX_MODULES)
#define PLAN_MAX_PT_RANGES 1024
#define PLAN_STACK_ELF (64 * 1024 + HS_PAGE_SIZE) /* 64 KiB stack, then the GDT page */
#define PLAN_STACK_LINUX (16 * HS_PAGE_SIZE)
/* CONFIG_PHYSICAL_START of x86-64 kernels: the EFI stub never loads below
 * it (LOAD_PHYSICAL_ADDR, drivers/firmware/efi/libstub/x86-stub.c). */
#define PLAN_LOAD_PHYSICAL_ADDR 0x1000000ull
/* boot_params.acpi_rsdp_addr is read from boot protocol 2.14 on */
#define PLAN_LX_ACPI_RSDP_VERSION 0x020e
/* Nothing goes in the first MiB: Linux keeps it for the real-mode
 * trampoline and BIOS data (arch/x86/realmode/init.c, reserve_real_mode();
 * setup_arch() reserves it whole with CONFIG_X86_RESERVE_LOW's default). */
#define PLAN_LOW_LIMIT 0x100000ull
/* boot.rst: below 4 GiB unless XLF_CAN_BE_LOADED_ABOVE_4G */
#define PLAN_BELOW_4G_LAST 0xffffffffull
/* MAXMEM with 4-level paging: the stub's limit for the whole buffer */
#define PLAN_KERNEL_MAX (1ull << 46)

/* The ACPI copy: the rebuilt RSDP, the XSDT at 48, then the table. */
#define PLAN_ACPI_XSDT_OFF (ACPI_RSDP_V2_LEN + 12)
#define PLAN_ACPI_XSDT_CAP ACPI_XSDT_LEN(ACPI_REBUILD_MAX_ENTRIES)
#define PLAN_ACPI_TABLE_OFF ((PLAN_ACPI_XSDT_OFF + PLAN_ACPI_XSDT_CAP + 15) & ~15ull)

enum plan_mem { PLAN_MEM_LOADER, PLAN_MEM_ACPI_RECLAIM };

/* Commits a decision (efi/: AllocatePages(AllocateAddress) of that type);
 * 0, or -HS_EBUSY when the firmware says the pages are taken. */
struct plan_commit {
	int (*commit)(void *ctx, uint64_t base, uint64_t size, enum plan_mem type);
	void (*release_all)(void *ctx);
	void *ctx;
};

struct plan_in {
	/* the survey */
	const struct mm_map *map;         /* sorted */
	size_t ndesc, desc_size;          /* the firmware's map now: sizes the final one */
	const struct srat_result *srat;   /* in effect, or NULL */
	uint64_t image_base, image_last;  /* hotshim's image; last 0: unknown */
	struct pt_cfg cpu;                /* gb_pages, nx; la57: the tables are 5-level */
	/* what goes in */
	const struct kernel *kernel;
	unsigned nmod;                    /* the initrd first when has_initrd */
	bool has_initrd;
	uint64_t mod_size[1 + CLI_MAX_MODULES];
	bool has_cmdline;                 /* ELF: only when given; Linux: always */
	size_t cmdline_len;               /* without the NUL */
	uint64_t acpi_table_len;          /* the override table; 0: none */
	const struct plan_commit *commit; /* NULL: decide only */
};

struct plan_piece {
	const char *what;
	unsigned owner;          /* enum mb_owner */
	enum plan_mem mem;
	uint64_t base, size;     /* size as needed; the pages round it up */
	int32_t node;
	const char *note;        /* why it is where it is, when not the rule: NULL */
};

/* Where things sit inside the boot info (hotshim protocol) or the
 * boot_params block (Linux), both sized before ExitBootServices. */
struct plan_layout {
	uint64_t size;
	size_t ndesc;            /* final-map descriptors room is made for */
	uint64_t map_cap;        /* bytes for the final EFI map */
	uint64_t off_map;
	/* hotshim protocol */
	size_t mem_cap, res_cap, nodes;
	uint64_t off_mem, off_res, off_nodes, off_mods, off_names;
	/* Linux */
	uint64_t off_e820, off_ext;
};

struct plan {
	struct plan_piece piece[PLAN_MAX_PIECES];
	size_t n;
	int kernel, page_tables, stack, cmdline, acpi, info; /* piece indices; -1: none */
	int mod[1 + CLI_MAX_MODULES];
	struct pt_cfg pt;            /* the kernel's page tables */
	struct pt_range *ranges;     /* caller storage, PLAN_MAX_PT_RANGES */
	size_t nranges, pt_pages;
	bool clipped;                /* RAM beyond what the paging mode maps */
	uint64_t place_max;
	struct plan_layout layout;
	uint64_t image_base, image_last;
	int32_t image_node;
};

/* What a boot is given, as `boot` and `report` read it from the command
 * line or hotshim.conf and the files it names. */
struct plan_args {
	const struct kernel *kernel;      /* kernel_default() when the report has none */
	bool has_initrd;                  /* mod_size[0] is the initrd */
	unsigned nmod;
	uint64_t mod_size[1 + CLI_MAX_MODULES];
	const char *cmdline;              /* the user's, "" when none */
	bool has_cmdline;
	bool no_movable_node;
	uint64_t override_len;            /* the initrd's SRAT that applies; 0: none */
};

/*
 * The plan's inputs from the arguments and the survey (map, SRAT in
 * effect, image, CPU), with the kernel's command line built into
 * cmdline (cap bytes): one function, so the report plans what the boot
 * does.  -HS_E2BIG when the command line does not fit the kernel.
 */
int plan_inputs(const struct plan_args *a, const struct plan_in *survey, char *cmdline,
		size_t cap, bool *ret_movable, struct plan_in *ret, struct hs_err *err);

/*
 * Decides every piece in order and commits each (a refused commit marks
 * those pages the firmware's and the next candidate is tried).  On
 * failure err names the piece and why; ret holds what was placed.
 */
int plan_make(struct memblock *mb, const struct plan_in *in, struct plan *ret,
	      struct hs_err *err);

/* The placement lines: hotshim's image, then each piece, as the report
 * and the boot both print them. */
/* A piece's last byte: its size in whole pages (at least one). */
uint64_t plan_piece_last(const struct plan_piece *c);

void plan_print(const struct plan *p, const struct srat_result *srat, struct hs_sink *out);

/* The plan in one line, for a boot that is to be quiet:
 * "kernel [mem ...] node 0 and 6 more pieces, none in hot-pluggable memory" */
void plan_summary(const struct plan *p, const struct srat_result *srat, char *buf, size_t cap);

/* Descriptors the final memory map may have: buffers for it are sized
 * before the first GetMemoryMap of the exit. */
size_t plan_final_descs(size_t ndesc);

/* Decides one piece: bottom-up from q->min, else (when fallback) top-down
 * from fallback_min, as memblock does when nothing fits above. */
int plan_place(struct memblock *mb, const struct alloc_req *q, const struct plan_commit *c,
	       enum plan_mem mem, uint64_t *ret);

/*
 * What the kernel's page tables map: conventional, boot-services, loader,
 * runtime, ACPI and persistent memory of a sorted map, up to what the
 * paging mode reaches (*ret_clipped when something lay beyond), with the
 * sorted, page-granular exec ranges split out as executable.
 */
int plan_pt_ranges(const struct mm_map *map, const struct pt_cfg *cfg, const struct pt_range *exec,
		   size_t nexec, struct pt_range *out, size_t cap, size_t *ret_n,
		   bool *ret_clipped);

#endif
