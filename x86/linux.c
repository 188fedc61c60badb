#include "linux.h"
#include "../lib/memmap.h"

#define BOOT_FLAG 0xaa55
#define HDRS_MAGIC 0x53726448 /* "HdrS" */
#define MIN_VERSION 0x020c    /* xloadflags, 64-bit entry point */
#define HDR_END_MAX 0x290     /* the zero page's setup_header area ends here */

static int bad(struct hs_err *err, const char *why)
{
	hs_err_set(err, "%s", why);
	return -HS_EINVAL;
}

int lx_parse(struct hs_view f, struct lx_kernel *ret, struct hs_err *err)
{
	struct lx_kernel k = { 0 };

	if (!hs_view_has(f, 0, LX_HDR_INIT_SIZE + 4))
		return bad(err, "too short for a bzImage setup header");
	if (hs_get_u16(f, LX_HDR_BOOT_FLAG) != BOOT_FLAG || hs_get_u32(f, LX_HDR_HEADER) != HDRS_MAGIC)
		return bad(err, "not a bzImage (no 0xAA55 boot flag and \"HdrS\" header)");
	k.version = hs_get_u16(f, LX_HDR_VERSION);
	if (k.version < MIN_VERSION) {
		hs_err_set(err, "boot protocol %u.%02u is older than 2.12 (no 64-bit entry point)",
			   k.version >> 8, k.version & 0xff);
		return -HS_EINVAL;
	}
	uint16_t xlf = hs_get_u16(f, LX_HDR_XLOADFLAGS);
	if (!(xlf & LX_XLF_KERNEL_64))
		return bad(err, "no 64-bit entry point (XLF_KERNEL_64 is clear)");
	if (!(hs_get_u8(f, LX_HDR_LOADFLAGS) & LX_LOADED_HIGH))
		return bad(err, "a zImage (LOADED_HIGH is clear): not supported");
	unsigned sects = hs_get_u8(f, LX_HDR_SETUP_SECTS);
	if (!sects)
		sects = 4; /* boot.rst: 0 means 4 */
	k.kernel_off = (sects + 1) * 512u;
	if (k.kernel_off >= f.len)
		return bad(err, "the setup sectors cover the whole file: no kernel after them");
	/* syssize (protocol 2.04 on): the protected-mode kernel in 16-byte
	 * units; a shorter file is cut off, and would hang after the jump */
	uint32_t syssize = hs_get_u32(f, LX_HDR_SYSSIZE);
	if (!syssize)
		return bad(err, "syssize is 0: the setup header declares no kernel");
	uint64_t need = k.kernel_off + (uint64_t)syssize * 16;
	if (need > f.len) {
		hs_err_set(err, "the file is %zu bytes, its setup header says %llu: cut short", f.len,
			   (unsigned long long)need);
		return -HS_EINVAL;
	}
	/* what follows the declared kernel (sbsign's certificate table,
	 * padding) is not the kernel's: not copied, not held to init_size */
	k.kernel_size = need - k.kernel_off;
	k.hdr_end = LX_HDR_HEADER + hs_get_u8(f, LX_HDR_HEADER - 1); /* its length byte */
	if (k.hdr_end > HDR_END_MAX || k.hdr_end > k.kernel_off)
		return bad(err, "setup header longer than the zero page allows");
	k.alignment = hs_get_u32(f, LX_HDR_KERNEL_ALIGNMENT);
	if (!k.alignment || (k.alignment & (k.alignment - 1)) || k.alignment > (1u << 30))
		return bad(err, "kernel_alignment is not a power of two up to 1 GiB");
	k.relocatable = hs_get_u8(f, LX_HDR_RELOCATABLE) != 0;
	k.above_4g = xlf & LX_XLF_ABOVE_4G;
	k.la57 = xlf & LX_XLF_5LEVEL;
	k.pref_address = hs_get_u64(f, LX_HDR_PREF_ADDRESS);
	k.init_size = hs_get_u32(f, LX_HDR_INIT_SIZE);
	if (k.init_size < k.kernel_size)
		return bad(err, "init_size is smaller than the kernel in the file");
	k.cmdline_size = hs_get_u32(f, LX_HDR_CMDLINE_SIZE);
	k.initrd_addr_max = hs_get_u32(f, LX_HDR_INITRD_ADDR_MAX);
	*ret = k;
	return 0;
}

/* drivers/firmware/efi/libstub/x86-stub.c, setup_e820(): unknown types
 * are left out, not reserved. */
static uint32_t e820_type(uint32_t efi_type, uint64_t attr)
{
	switch (efi_type) {
	case EFI_RESERVED_TYPE:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
	case EFI_PAL_CODE:
		return LX_E820_RESERVED;
	case EFI_UNUSABLE_MEMORY:
		return LX_E820_UNUSABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return LX_E820_ACPI;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return (attr & EFI_MEMORY_SP) ? LX_E820_SOFT_RESERVED : LX_E820_RAM;
	case EFI_ACPI_MEMORY_NVS:
		return LX_E820_NVS;
	case EFI_PERSISTENT_MEMORY:
		return LX_E820_PMEM;
	default:
		return 0;
	}
}

int lx_e820_from_efi(struct hs_view map, size_t desc_size, struct lx_e820 *out, size_t cap,
		     size_t *ret_n)
{
	size_t n = 0;

	struct efi_desc_iter it = efi_desc_iter(map, desc_size);
	struct efi_desc d;

	if (desc_size < EFI_DESC_MIN)
		return -HS_EINVAL;
	while (efi_desc_next(&it, &d)) {
		uint32_t t = e820_type(d.type, d.attr);
		if (!t || !d.pages)
			continue;
		if (!d.ok)
			return -HS_EINVAL;
		uint64_t size = d.last - d.base + 1;
		/* Linux merges only with the entry just before, in map order */
		if (n && out[n - 1].type == t && out[n - 1].addr + out[n - 1].size == d.base) {
			out[n - 1].size += size;
			continue;
		}
		if (n == cap)
			return -HS_ENOSPC;
		out[n++] = (struct lx_e820){ d.base, size, t };
	}
	*ret_n = n;
	return 0;
}

void lx_boot_params(uint8_t bp[LX_BOOT_PARAMS_SIZE], struct hs_view f, const struct lx_kernel *k,
		    const struct lx_params *p)
{
	hs_memset(bp, 0, LX_BOOT_PARAMS_SIZE);
	hs_memcpy(bp + LX_BP_SETUP_HEADER, f.data + LX_BP_SETUP_HEADER,
		  k->hdr_end - LX_BP_SETUP_HEADER);
	bp[LX_HDR_TYPE_OF_LOADER] = 0xff; /* undefined loader: non-zero is what counts */
	hs_put_le(bp + LX_HDR_CMD_LINE_PTR, (uint32_t)p->cmdline, 4);
	hs_put_le(bp + LX_BP_EXT_CMD_LINE_PTR, p->cmdline >> 32, 4);
	hs_put_le(bp + LX_HDR_RAMDISK_IMAGE, (uint32_t)p->initrd, 4);
	hs_put_le(bp + LX_BP_EXT_RAMDISK_IMAGE, p->initrd >> 32, 4);
	hs_put_le(bp + LX_HDR_RAMDISK_SIZE, (uint32_t)p->initrd_size, 4);
	hs_put_le(bp + LX_BP_EXT_RAMDISK_SIZE, p->initrd_size >> 32, 4);
	hs_put_le(bp + LX_BP_ACPI_RSDP, p->rsdp, 8);
	bp[LX_BP_SECURE_BOOT] = p->secure_boot;
	if (p->fb && p->fb->base) {
		/* what the EFI stub reports for GOP: efifb / simpledrm take it */
		uint8_t *si = bp;
		si[LX_SI_ISVGA] = LX_VIDEO_TYPE_EFI;
		hs_put_le(si + LX_SI_LFB_WIDTH, p->fb->width, 2);
		hs_put_le(si + LX_SI_LFB_HEIGHT, p->fb->height, 2);
		hs_put_le(si + LX_SI_LFB_DEPTH, p->fb->bpp, 2);
		hs_put_le(si + LX_SI_LFB_BASE, (uint32_t)p->fb->base, 4);
		hs_put_le(si + LX_SI_LFB_SIZE, (uint32_t)p->fb->size, 4);
		hs_put_le(si + LX_SI_LFB_LINELENGTH, p->fb->pitch, 2);
		for (unsigned i = 0; i < 4; i++) {
			si[LX_SI_RED_SIZE + 2 * i] = p->fb->len[i];
			si[LX_SI_RED_SIZE + 2 * i + 1] = p->fb->pos[i];
		}
		if (p->fb->base >> 32) {
			hs_put_le(si + LX_SI_CAPABILITIES, LX_VIDEO_CAPABILITY_64BIT_BASE, 4);
			hs_put_le(si + LX_SI_EXT_LFB_BASE, p->fb->base >> 32, 4);
		}
	}
}

void lx_set_memory(uint8_t bp[LX_BOOT_PARAMS_SIZE], const struct lx_params *p)
{
	hs_put_le(bp + LX_HDR_SETUP_DATA, p->setup_data, 8);
	/* efi_info: "EL64", system table and memory map split in halves */
	uint8_t *e = bp + LX_BP_EFI_INFO;
	hs_memcpy(e, "EL64", 4);
	hs_put_le(e + 4, (uint32_t)p->efi_systab, 4);
	hs_put_le(e + 8, p->efi_desc_size, 4);
	hs_put_le(e + 12, p->efi_desc_version, 4);
	hs_put_le(e + 16, (uint32_t)p->efi_map, 4);
	hs_put_le(e + 20, p->efi_map_size, 4);
	hs_put_le(e + 24, p->efi_systab >> 32, 4);
	hs_put_le(e + 28, p->efi_map >> 32, 4);
	size_t n = HS_MIN(p->e820_count, LX_E820_MAX);
	for (size_t i = 0; i < n; i++) {
		uint8_t *d = bp + LX_BP_E820_TABLE + LX_E820_ENTRY * i;
		hs_put_le(d, p->e820[i].addr, 8);
		hs_put_le(d + 8, p->e820[i].size, 8);
		hs_put_le(d + 16, p->e820[i].type, 4);
	}
	bp[LX_BP_E820_ENTRIES] = (uint8_t)n;
}

size_t lx_e820_ext(uint8_t *dst, const struct lx_e820 *e, size_t n)
{
	if (n <= LX_E820_MAX)
		return 0;
	size_t rest = n - LX_E820_MAX;
	hs_memset(dst, 0, LX_SETUP_DATA_HDR); /* next = 0: the last node */
	hs_put_le(dst + 8, LX_SETUP_E820_EXT, 4);
	hs_put_le(dst + 12, rest * LX_E820_ENTRY, 4);
	for (size_t i = 0; i < rest; i++) {
		uint8_t *d = dst + LX_SETUP_DATA_HDR + LX_E820_ENTRY * i;
		hs_put_le(d, e[LX_E820_MAX + i].addr, 8);
		hs_put_le(d + 8, e[LX_E820_MAX + i].size, 8);
		hs_put_le(d + 16, e[LX_E820_MAX + i].type, 4);
	}
	return LX_SETUP_DATA_HDR + rest * LX_E820_ENTRY;
}
