/* Shared by efi/boot.c (hotshim-protocol ELF kernels) and efi/linux.c
 * (bzImages): the survey, placement with commits, page tables, exit. */
#ifndef HS_EFI_BOOT_H
#define HS_EFI_BOOT_H

#include "efi.h"
#include "../core/bootinfo.h"
#include "../core/cli.h"
#include "../core/elf.h"
#include "../core/report.h"
#include "../acpi/rebuild.h"

#define STACK_SIZE (64 * 1024)
#define MAX_PT_RANGES 1024
#define GDT_CODE64 0x00af9a000000ffffull /* present, DPL0, code, L=1 */
#define GDT_DATA 0x00cf92000000ffffull   /* present, DPL0, data, writable */

void hs_handoff(uint64_t cr3, const void *gdtr, uint64_t entry, uint64_t boot_info,
		uint64_t stack_top, uint64_t nx) __attribute__((noreturn));

struct boot {
	EFI_HANDLE image;
	struct hs_sink *out;
	struct efi_commits commits;
	struct plan_commit pc;
	struct efi_file kernel, module[1 + CLI_MAX_MODULES];
	const char *module_name[1 + CLI_MAX_MODULES];
	unsigned modules;
	struct efi_memmap mm;
	struct memblock mb;
	struct mb_build_info info;
	struct pt_cfg pt;
	struct elf_image elf;
	struct srat_result srat;
	struct ovr_result ovr;
	struct srat_choice choice;
	uint64_t rsdp, image_base, image_last;
	bool srat_used;
	bool is_linux;         /* a bzImage: the x86 boot protocol */
	uint64_t place_max;  /* highest address a piece may reach */
	/* scratch: from the pool, not the image (gnu-efi keeps .bss in the file) */
	struct mb_region mr[1024], rr[1024];
	struct srat_mem sm[SRAT_MAX_MEMBLKS];
	struct pt_range ranges[MAX_PT_RANGES];
	struct mm_entry pin_map[1024];
	struct acpi_loc acpi[256];
};

/* Page-table pages handed out from one committed block. */
struct pt_pool {
	uint64_t next, end;
};

void boot_say(struct boot *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void boot_free_inputs(struct boot *b);
/* bottom-up above the image, else top-down; says where */
int boot_place(struct boot *b, const char *what, uint64_t size, uint64_t align, unsigned owner,
	       uint64_t *ret);
EFI_STATUS boot_survey(struct boot *b, const struct cli *c, struct hs_err *err);
EFI_STATUS boot_read_inputs(struct boot *b, const struct cli *c, struct hs_err *err);
uint64_t boot_pool_alloc(void *ctx);
uint64_t *boot_pool_ptr(void *ctx, uint64_t phys);
uint64_t boot_cr4_la57(void);
/* Descriptors the final memory map may have, with slack: buffers for it
 * are sized from this before the first GetMemoryMap of the exit. */
size_t boot_final_descs(const struct boot *b);
void __attribute__((noreturn)) boot_die_after_exit(const char *msg);

/* Counts, places and builds the tables: the map's RAM, the exec ranges
 * (room for one more: hotshim's image) executable. */
int boot_page_tables(struct boot *b, struct pt_range *exec, size_t nexec, struct pt *ret_pt);
/* A GDT at block: 0x08 code / 0x10 data, or Linux's 0x10 / 0x18; the GDTR. */
const void *boot_gdt(uint64_t block, bool linux_layout);
/* With an initrd override: places the rebuilt RSDP/XSDT and the table;
 * *ret_rsdp is the RSDP to hand over (the firmware's when none). */
int boot_acpi(struct boot *b, const struct cli *c, uint64_t *ret_rsdp, bool *ret_override);
/* GetMemoryMap into map (cap bytes) and ExitBootServices. */
EFI_STATUS boot_exit(struct boot *b, void *map, UINTN cap, UINTN *ret_size, UINTN *ret_dsize,
		     UINT32 *ret_dver);

void hs_handoff_linux(uint64_t cr3, const void *gdtr, uint64_t entry, uint64_t boot_params,
		      uint64_t stack_top, uint64_t nx) __attribute__((noreturn));
EFI_STATUS efi_boot_linux(struct boot *b, const struct cli *c);

#endif
