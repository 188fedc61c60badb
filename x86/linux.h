/*
 * The Linux x86 boot protocol (Documentation/x86/boot.rst, 6.1): a bzImage's
 * setup header, checked, and the boot_params ("zero page") built from it.
 *
 *   file:  [ setup sectors: boot sector + setup header at 0x1f1 ... ]
 *          [ protected-mode kernel from (setup_sects + 1) * 512 ...    ]
 *   entry: 64-bit, at the kernel's load address + 0x200, RSI = boot_params
 */
#ifndef HS_X86_LINUX_H
#define HS_X86_LINUX_H

#include "../lib/hs.h"

#define LX_BOOT_PARAMS_SIZE 4096u
#define LX_ENTRY64_OFFSET 0x200u
#define LX_E820_MAX 128u /* in the zero page; more go in SETUP_E820_EXT */

/* boot_params offsets (arch/x86/include/uapi/asm/bootparam.h) */
#define LX_BP_ACPI_RSDP 0x070
#define LX_BP_EXT_RAMDISK_IMAGE 0x0c0
#define LX_BP_EXT_RAMDISK_SIZE 0x0c4
#define LX_BP_EXT_CMD_LINE_PTR 0x0c8
#define LX_BP_EFI_INFO 0x1c0
#define LX_BP_E820_ENTRIES 0x1e8
#define LX_BP_SECURE_BOOT 0x1ec
#define LX_BP_SETUP_HEADER 0x1f1
#define LX_BP_E820_TABLE 0x2d0

/* setup header fields, as boot_params offsets */
#define LX_HDR_SETUP_SECTS 0x1f1
#define LX_HDR_SYSSIZE 0x1f4
#define LX_HDR_BOOT_FLAG 0x1fe
#define LX_HDR_HEADER 0x202
#define LX_HDR_VERSION 0x206
#define LX_HDR_TYPE_OF_LOADER 0x210
#define LX_HDR_LOADFLAGS 0x211
#define LX_HDR_RAMDISK_IMAGE 0x218
#define LX_HDR_RAMDISK_SIZE 0x21c
#define LX_HDR_CMD_LINE_PTR 0x228
#define LX_HDR_INITRD_ADDR_MAX 0x22c
#define LX_HDR_KERNEL_ALIGNMENT 0x230
#define LX_HDR_RELOCATABLE 0x234
#define LX_HDR_XLOADFLAGS 0x236
#define LX_HDR_CMDLINE_SIZE 0x238
#define LX_HDR_SETUP_DATA 0x250
#define LX_HDR_PREF_ADDRESS 0x258
#define LX_HDR_INIT_SIZE 0x260

#define LX_XLF_KERNEL_64 (1u << 0)
#define LX_XLF_ABOVE_4G (1u << 1)
#define LX_XLF_5LEVEL (1u << 5) /* can be entered with 5-level paging on */
#define LX_LOADED_HIGH (1u << 0)

/* e820 types (arch/x86/include/asm/e820/types.h) */
enum lx_e820_type {
	LX_E820_RAM = 1,
	LX_E820_RESERVED = 2,
	LX_E820_ACPI = 3,
	LX_E820_NVS = 4,
	LX_E820_UNUSABLE = 5,
	LX_E820_PMEM = 7,
	LX_E820_SOFT_RESERVED = 0xefffffff, /* EFI_MEMORY_SP, CONFIG_EFI_SOFT_RESERVE */
};

struct lx_e820 {
	uint64_t addr, size;
	uint32_t type;
};

struct lx_kernel {
	uint16_t version;        /* boot protocol, 0x020c and up */
	uint32_t kernel_off;     /* file offset of the protected-mode kernel */
	uint64_t kernel_size;    /* syssize * 16: its bytes in the file */
	uint64_t init_size;      /* memory it needs from its load address */
	uint64_t alignment;      /* kernel_alignment: a power of two */
	bool relocatable;
	bool above_4g;           /* XLF_CAN_BE_LOADED_ABOVE_4G */
	bool la57;               /* XLF_5LEVEL */
	uint64_t pref_address;
	uint32_t cmdline_size;   /* longest command line, NUL excluded */
	uint32_t initrd_addr_max;
	uint32_t hdr_end;        /* the setup header ends here (0x202 + [0x201]) */
};

/* Checks the setup header: magic, version, a 64-bit entry point. */
int lx_parse(struct hs_view file, struct lx_kernel *ret, struct hs_err *err);

/* UEFI descriptors -> e820, the way Linux's EFI stub maps types
 * (drivers/firmware/efi/libstub/x86-stub.c, setup_e820()), neighbours of
 * the same type merged.  -HS_ENOSPC when cap is too small. */
int lx_e820_from_efi(struct hs_view map, size_t desc_size, struct lx_e820 *out, size_t cap,
		     size_t *ret_n);

/* A linear framebuffer (from GOP), for boot_params.screen_info. */
struct lx_fb {
	uint64_t base, size;
	uint32_t width, height, pitch; /* pitch in bytes */
	uint8_t bpp;
	uint8_t pos[4], len[4];        /* red, green, blue, reserved bit fields */
};

/* screen_info offsets (include/uapi/linux/screen_info.h, 6.1) */
#define LX_SI_ISVGA 0x0f
#define LX_SI_LFB_WIDTH 0x12
#define LX_SI_LFB_HEIGHT 0x14
#define LX_SI_LFB_DEPTH 0x16
#define LX_SI_LFB_BASE 0x18
#define LX_SI_LFB_SIZE 0x1c
#define LX_SI_LFB_LINELENGTH 0x24
#define LX_SI_RED_SIZE 0x26   /* then red_pos, green size/pos, blue, reserved */
#define LX_SI_CAPABILITIES 0x36
#define LX_SI_EXT_LFB_BASE 0x3a
#define LX_VIDEO_TYPE_EFI 0x70
#define LX_VIDEO_CAPABILITY_64BIT_BASE (1u << 1)

struct lx_params {
	uint64_t cmdline;              /* 0: none */
	uint64_t initrd, initrd_size;  /* 0: none */
	uint64_t rsdp;                 /* acpi_rsdp_addr; 0: let Linux find it */
	uint64_t efi_systab, efi_map, efi_map_size;
	uint32_t efi_desc_size, efi_desc_version;
	const struct lx_e820 *e820;    /* the first LX_E820_MAX go in the zero page */
	size_t e820_count;
	uint64_t setup_data;           /* physical address of a setup_data chain, 0: none */
	uint8_t secure_boot;           /* enum efi_secureboot_mode: LX_SECURE_BOOT_* */
	const struct lx_fb *fb;        /* NULL: no framebuffer */
};

/* boot_params.secure_boot (include/linux/efi.h, efi_secureboot_mode).
 * Entered at its 64-bit entry, Linux never asks the firmware itself: a
 * loader that leaves this unset switches its Secure Boot lockdown off. */
#define LX_SECURE_BOOT_DISABLED 2
#define LX_SECURE_BOOT_ENABLED 3

#define LX_E820_ENTRY 20    /* packed addr u64, size u64, type u32 */
#define LX_SETUP_DATA_HDR 16 /* setup_data: next u64, type u32, len u32 */
#define LX_SETUP_E820_EXT 1

/* Entries past the zero page's 128 as one SETUP_E820_EXT setup_data node
 * at dst (LX_SETUP_DATA_HDR + 20 bytes each; arch/x86/kernel/e820.c,
 * e820__memory_setup_extended()).  Returns the bytes written, 0 when all
 * fit in the zero page. */
size_t lx_e820_ext(uint8_t *dst, const struct lx_e820 *e, size_t n);

/* A zeroed zero page with the file's setup header, the command line,
 * initrd and RSDP. */
void lx_boot_params(uint8_t bp[LX_BOOT_PARAMS_SIZE], struct hs_view file,
		    const struct lx_kernel *k, const struct lx_params *p);
/* After ExitBootServices: efi_info, the e820 table and setup_data. */
void lx_set_memory(uint8_t bp[LX_BOOT_PARAMS_SIZE], const struct lx_params *p);

#endif
