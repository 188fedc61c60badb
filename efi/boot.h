/*
 * `boot` and `report`: the steps both boot paths share (efi/boot.c), then
 * one file per kernel kind, each called from efi/main.c:
 *
 *   efi/main.c ──> efi/boot.c        read inputs, survey, plan, fill, exit
 *       │    ──> efi/boot_elf.c   ──> efi/boot.c   hotshim protocol
 *       └──> efi/boot_linux.c ──> efi/boot.c   Linux x86 boot protocol
 */
#ifndef HS_EFI_BOOT_H
#define HS_EFI_BOOT_H

#include "efi.h"
#include "loaderif.h"
#include "../core/bootinfo.h"
#include "../core/cli.h"
#include "../core/handover.h"
#include "../core/kernel.h"
#include "../core/numa.h"
#include "../core/report.h"
#include "../acpi/rebuild.h"

#define GDT_CODE64 0x00af9a000000ffffull /* present, DPL0, code, L=1 */
#define GDT_DATA 0x00cf92000000ffffull   /* present, DPL0, data, writable */

void hs_handoff(uint64_t cr3, const void *gdtr, uint64_t entry, uint64_t boot_info,
		uint64_t stack_top, uint64_t nx) __attribute__((noreturn));
void hs_handoff_linux(uint64_t cr3, const void *gdtr, uint64_t entry, uint64_t boot_params,
		      uint64_t stack_top, uint64_t nx) __attribute__((noreturn));

/* What the firmware says: gathered once, by `report` and `boot` alike. */
struct survey {
	struct efi_memmap mm;
	uint64_t image_base, image_last;  /* hotshim's image; last 0: unknown */
	uint64_t rsdp;                    /* 0: no ACPI */
	bool have_srat;                   /* the firmware's */
	struct hs_view srat;
	uint64_t srat_addr;
	bool have_slit;                   /* node distances */
	struct hs_view slit;
	bool have_cedt;                   /* CXL windows */
	struct hs_view cedt;
	struct acpi_warnings warn;
	struct pt_cfg cpu;
	uint64_t keep[HANDOVER_MAX_KEEP]; /* configuration tables */
	size_t nkeep;
	bool secure_boot;
	bool has_logo;                    /* the BGRT's image, as Linux takes it */
	uint64_t logo_base, logo_last;
};

/* The files a command names. */
struct inputs {
	struct efi_file kernel, module[1 + CLI_MAX_MODULES];
	const char *module_name[1 + CLI_MAX_MODULES];
	char initrd_name[CLI_MAX_PATH];  /* "\a.cpio + \b.img" for several */
	unsigned nmod;
	bool has_kernel, has_initrd;
	struct kernel k;
};

/* One boot, start to jump; pool storage, never the EFI stack. */
struct boot {
	EFI_HANDLE image;
	struct hs_sink *out;
	struct efi_clock *clock; /* efi_main's, for the time it took */
	struct inputs in;
	struct survey sv;
	struct ovr_result ovr;
	struct srat_choice choice;
	struct srat_result srat;
	const struct srat_result *eff;  /* the SRAT in effect, or NULL */
	struct handover handover;
	struct efi_commits commits;
	struct plan_commit pc;
	struct memblock mb;
	struct plan plan;
	char cmdline[CLI_MAX_LINE + 16];
	bool movable, override;
	uint64_t rsdp;                  /* handed over: the rebuilt one with an override */
	/* storage */
	struct mb_region mr[1024], rr[1024];
	struct srat_mem sm[SRAT_MAX_MEMBLKS];
	struct pt_range ranges[PLAN_MAX_PT_RANGES];
	struct acpi_loc acpi[256];
};

/* Reads kernel=, initrd= and module= and tells what the kernel is;
 * c->kernel may be empty (the report's default). */
EFI_STATUS inputs_read(EFI_HANDLE image, struct hs_sink *out, const struct cli *c, const char *cmd,
		       struct inputs *ret);
void inputs_free(struct inputs *in);

/* The memory map, hotshim's image, ACPI and the firmware's SRAT, the CPU.
 * la57 asks for 5-level tables as a plan (`report --la57`); the boot runs
 * in the firmware's mode. */
EFI_STATUS survey_take(EFI_HANDLE image, struct hs_sink *out, BOOLEAN la57, struct survey *ret);
void survey_free(struct survey *s);

/* What the boot does with boot-services memory (core/handover.h). */
void survey_handover(const struct survey *s, const struct srat_result *eff, const struct cli *c,
		     struct handover *ret);

struct srat_opts boot_srat_opts(const struct cli *c);
/* What kernel_check() needs to know of this machine and command. */
struct kernel_ctx boot_kernel_ctx(const struct cli *c);

/* The plan's arguments from the command and the files. */
void boot_args(const struct cli *c, const struct inputs *in, uint64_t override_len,
	       struct plan_args *ret);

/* Steps of `boot`, in order; each prints its own failure (efi_fail). */
/* The first four in one call, for both kinds of kernel: the kernel
 * checked (a bzImage under Secure Boot verified by the firmware), then
 * boot_survey, boot_plan and boot_fill. */
EFI_STATUS boot_prepare(struct boot *b, const struct cli *c, struct pt *ret_pt);
EFI_STATUS boot_survey(struct boot *b, const struct cli *c);
EFI_STATUS boot_plan(struct boot *b, const struct cli *c);
/* Copies modules and command line, rebuilds the ACPI tables, builds the
 * page tables: everything in the plan but the kernel and its boot info. */
EFI_STATUS boot_fill(struct boot *b, struct pt *ret_pt);
/* What still pins each hot-pluggable node once the kernel runs. */
void boot_say_pins(struct boot *b, bool quiet);
/* GetMemoryMap into map (cap bytes) and ExitBootServices, one retry. */
EFI_STATUS boot_exit(struct boot *b, void *map, UINTN cap, UINTN *ret_size, UINTN *ret_dsize,
		     UINT32 *ret_dver);
/* A GDT at block: 0x08 code / 0x10 data, or Linux's 0x10 / 0x18; the GDTR. */
const void *boot_gdt(uint64_t block, bool linux_layout);
void __attribute__((noreturn)) boot_die_after_exit(const char *msg);
static inline uint64_t boot_piece(const struct boot *b, int i)
{
	return i >= 0 ? b->plan.piece[i].base : 0;
}

/* The two paths: return only on failure, with the caller freeing. */
EFI_STATUS efi_boot_elf(struct boot *b, const struct cli *c);
EFI_STATUS efi_boot_linux(struct boot *b, const struct cli *c);

#endif
