/*
 * The hotshim reserved-map boot protocol, version 1.
 *
 * What a kernel started by `hotshim.efi boot` may rely on.  docs/PROTOCOL.md
 * explains every field and the machine state at entry; this header is the
 * whole binary interface.  All structures are little-endian, naturally
 * aligned, and never contain pointers: every address is a 64-bit physical
 * address, reachable through the identity map and through the direct map
 * (physical + direct_map_offset).
 *
 * Layout in memory (one "boot info" allocation, owner HOTSHIM_OWN_BOOT_INFO):
 *
 *   +-------------------------+  <- RDI at entry
 *   | struct hotshim_boot_info|
 *   +-------------------------+
 *   | memory map   [n]        |  struct hotshim_mem
 *   | reserved map [n]        |  struct hotshim_reserved
 *   | node table   [n]        |  struct hotshim_node
 *   | modules      [n]        |  struct hotshim_module
 *   | strings, EFI map copy   |
 *   +-------------------------+
 *
 * Freestanding: needs only <stdint.h>.
 */
#ifndef HOTSHIM_PROTOCOL_H
#define HOTSHIM_PROTOCOL_H

#include <stdint.h>

#define HOTSHIM_MAGIC 0x314d494853544f48ull /* the bytes "HOTSHIM1" */
#define HOTSHIM_VERSION 1

/* struct hotshim_mem.type */
enum hotshim_mem_type {
	HOTSHIM_MEM_USABLE = 1,       /* free RAM once the kernel runs */
	HOTSHIM_MEM_RESERVED = 2,     /* firmware reserved; do not touch */
	HOTSHIM_MEM_ACPI_RECLAIM = 3, /* ACPI tables: usable once parsed */
	HOTSHIM_MEM_ACPI_NVS = 4,     /* firmware keeps this across sleep */
	HOTSHIM_MEM_UNUSABLE = 5,     /* errors reported by firmware */
	HOTSHIM_MEM_PERSISTENT = 6,   /* persistent (non-volatile) memory */
	HOTSHIM_MEM_RUNTIME = 7,      /* EFI runtime services code/data */
	HOTSHIM_MEM_MMIO = 8,         /* memory-mapped I/O the firmware listed */
};

/* struct hotshim_mem.flags */
#define HOTSHIM_MEM_HOTPLUG (1u << 0)     /* SRAT: hot-pluggable */
#define HOTSHIM_MEM_NONVOLATILE (1u << 1) /* SRAT: non-volatile */

#define HOTSHIM_NO_NODE 0xffffffffu

/* One range of the memory map.  Sorted by base, never overlapping, and
 * together covering every range the final UEFI memory map reported. */
struct hotshim_mem {
	uint64_t base;
	uint64_t length;
	uint32_t type;  /* enum hotshim_mem_type */
	uint32_t flags; /* HOTSHIM_MEM_* */
	uint32_t node;  /* NUMA node, or HOTSHIM_NO_NODE */
	uint32_t pad;
};

/* struct hotshim_reserved.owner */
enum hotshim_owner {
	HOTSHIM_OWN_KERNEL = 1,      /* the kernel's loaded segments */
	HOTSHIM_OWN_MODULE = 2,      /* an initrd or another module */
	HOTSHIM_OWN_BOOT_INFO = 3,   /* this structure and its arrays */
	HOTSHIM_OWN_PAGE_TABLES = 4, /* the tables CR3 points at */
	HOTSHIM_OWN_CMDLINE = 5,     /* the command line string */
	HOTSHIM_OWN_ACPI = 6,        /* rebuilt RSDP/XSDT and the override */
	HOTSHIM_OWN_STACK = 7,       /* the entry stack and the GDT */
	HOTSHIM_OWN_HOTSHIM = 8,     /* hotshim's own image: free to reuse */
};

/* One range hotshim placed.  Sorted by base, never overlapping; each lies
 * inside a USABLE range of the memory map. */
struct hotshim_reserved {
	uint64_t base;
	uint64_t length;
	uint32_t owner; /* enum hotshim_owner */
	uint32_t pad;
};

/* One NUMA node as the selected SRAT defines it (Linux's numbering). */
struct hotshim_node {
	uint32_t node;
	uint32_t pxm;
};

/* A file hotshim loaded for the kernel; the initrd is module 0 when given. */
struct hotshim_module {
	uint64_t base;
	uint64_t length;
	uint64_t name; /* NUL-terminated path as given */
};

/* struct hotshim_boot_info.flags */
#define HOTSHIM_BI_ACPI_OVERRIDE (1u << 0)  /* rsdp is a rebuilt one */
#define HOTSHIM_BI_FRAMEBUFFER (1u << 1)    /* fb_* are valid */
#define HOTSHIM_BI_IMAGE_NODE_HOT (1u << 2) /* the firmware loaded hotshim into
					      * hot-pluggable memory of node
					      * image_node; marked like the rest,
					      * nothing was placed there */

struct hotshim_boot_info {
	uint64_t magic;   /* HOTSHIM_MAGIC */
	uint32_t version; /* HOTSHIM_VERSION */
	uint32_t size;    /* sizeof(struct hotshim_boot_info) as hotshim built it */
	uint32_t flags;   /* HOTSHIM_BI_* */
	uint32_t image_node; /* with HOTSHIM_BI_IMAGE_NODE_HOT: that node */

	uint64_t mem;           /* struct hotshim_mem[mem_count] */
	uint64_t mem_count;
	uint64_t reserved;      /* struct hotshim_reserved[reserved_count] */
	uint64_t reserved_count;
	uint64_t nodes;         /* struct hotshim_node[node_count] */
	uint64_t node_count;
	uint64_t modules;       /* struct hotshim_module[module_count] */
	uint64_t module_count;

	uint64_t cmdline;       /* NUL-terminated; 0 when none */
	uint64_t rsdp_firmware; /* the RSDP firmware published, 0 when none */
	uint64_t rsdp;          /* the one to use: rebuilt with the override,
				 * else equal to rsdp_firmware */

	uint64_t cr3;               /* page-table root at entry */
	uint64_t direct_map_offset; /* virtual = physical + this */
	uint32_t paging_levels;     /* 4 or 5 */
	uint32_t pad0;

	uint64_t kernel_base;   /* lowest loaded address of the kernel */
	uint64_t kernel_length; /* up to the end of its highest segment */

	uint64_t fb_base;       /* GOP framebuffer */
	uint64_t fb_size;
	uint32_t fb_width, fb_height, fb_pitch; /* pitch in bytes */
	uint32_t fb_format;     /* EFI_GRAPHICS_PIXEL_FORMAT */

	uint64_t efi_system_table;  /* after ExitBootServices: runtime only */
	uint64_t efi_memmap;        /* the final UEFI memory map, copied */
	uint64_t efi_memmap_size;   /* bytes */
	uint32_t efi_desc_size;
	uint32_t efi_desc_version;
};

#endif
