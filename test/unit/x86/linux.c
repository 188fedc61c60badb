/* Tests x86/linux.c: the setup header checks, e820 from an EFI map the
 * way the EFI stub converts it, and the zero page; plus the real Debian
 * kernel when test/linux/fetch.sh has fetched it (make check does). */
/* links: x86/linux.c lib/fmt.c lib/memmap.c */
#include "test/unit/helpers.h"
#include "x86/linux.h"

static uint8_t img[0x2000];

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A minimal bzImage: 1 setup sector after the boot sector, kernel after. */
static struct hs_view bz(void)
{
	memset(img, 0, sizeof(img));
	img[LX_HDR_SETUP_SECTS] = 1;
	put(img + LX_HDR_BOOT_FLAG, 0xaa55, 2);
	img[0x201] = 0x6a; /* header up to 0x26c */
	memcpy(img + LX_HDR_HEADER, "HdrS", 4);
	put(img + LX_HDR_VERSION, 0x020f, 2);
	img[LX_HDR_LOADFLAGS] = LX_LOADED_HIGH;
	put(img + LX_HDR_KERNEL_ALIGNMENT, 0x200000, 4);
	img[LX_HDR_RELOCATABLE] = 1;
	put(img + LX_HDR_XLOADFLAGS, LX_XLF_KERNEL_64 | LX_XLF_ABOVE_4G, 2);
	put(img + LX_HDR_CMDLINE_SIZE, 2047, 4);
	put(img + LX_HDR_INITRD_ADDR_MAX, 0x7fffffff, 4);
	put(img + LX_HDR_PREF_ADDRESS, 0x1000000, 8);
	put(img + LX_HDR_INIT_SIZE, 0x10000, 4);
	put(img + LX_HDR_SYSSIZE, (sizeof(img) - 0x400) / 16, 4);
	memset(img + 0x400, 0x90, sizeof(img) - 0x400);
	return (struct hs_view){ img, sizeof(img) };
}

static void refused(const char *msg)
{
	struct lx_kernel k;
	struct hs_err err = { "" };

	assert_int_equal(lx_parse((struct hs_view){ img, sizeof(img) }, &k, &err), -HS_EINVAL);
	assert_string_equal(err.msg, msg);
}

static void test_parse(void **state)
{
	struct lx_kernel k;
	struct hs_err err;

	assert_int_equal(lx_parse(bz(), &k, &err), 0);
	assert_int_equal(k.version, 0x020f);
	assert_int_equal(k.kernel_off, 0x400);
	assert_int_equal(k.kernel_size, sizeof(img) - 0x400);
	assert_int_equal(k.alignment, 0x200000);
	assert_true(k.relocatable);
	assert_true(k.above_4g);
	assert_int_equal(k.hdr_end, 0x26c);
	assert_int_equal(k.init_size, 0x10000);
	/* setup_sects 0 means 4 */
	bz();
	img[LX_HDR_SETUP_SECTS] = 0;
	put(img + LX_HDR_SYSSIZE, (sizeof(img) - 0xa00) / 16, 4);
	assert_int_equal(lx_parse((struct hs_view){ img, sizeof(img) }, &k, &err), 0);
	assert_int_equal(k.kernel_off, 0xa00);

	bz();
	img[LX_HDR_BOOT_FLAG] = 0;
	refused("not a bzImage (no 0xAA55 boot flag and \"HdrS\" header)");
	bz();
	put(img + LX_HDR_VERSION, 0x020b, 2);
	refused("boot protocol 2.11 is older than 2.12 (no 64-bit entry point)");
	bz();
	put(img + LX_HDR_XLOADFLAGS, 0, 2);
	refused("no 64-bit entry point (XLF_KERNEL_64 is clear)");
	bz();
	img[LX_HDR_LOADFLAGS] = 0;
	refused("a zImage (LOADED_HIGH is clear): not supported");
	bz();
	img[LX_HDR_SETUP_SECTS] = 200;
	refused("the setup sectors cover the whole file: no kernel after them");
	bz();
	img[0x201] = 0xff;
	refused("setup header longer than the zero page allows");
	bz();
	put(img + LX_HDR_KERNEL_ALIGNMENT, 0x300000, 4);
	refused("kernel_alignment is not a power of two up to 1 GiB");
	bz();
	put(img + LX_HDR_INIT_SIZE, 0x1000, 4);
	refused("init_size is smaller than the kernel in the file");
	assert_int_equal(lx_parse((struct hs_view){ img, 0x263 }, &k, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "too short for a bzImage setup header");
	/* syssize says how much kernel follows the setup: a file cut short
	 * would be placed and jumped into, and hang */
	bz();
	put(img + LX_HDR_SYSSIZE, (sizeof(img) - 0x400) / 16, 4);
	assert_int_equal(lx_parse((struct hs_view){ img, sizeof(img) }, &k, &err), 0);
	assert_int_equal(lx_parse((struct hs_view){ img, sizeof(img) - 1 }, &k, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "the file is 8191 bytes, its setup header says 8192: cut short");
	bz();
	put(img + LX_HDR_SYSSIZE, 0, 4);
	refused("syssize is 0: the setup header declares no kernel");
	/* bytes after the declared kernel (sbsign's certificates, padding)
	 * are not the kernel: neither copied nor held to init_size */
	bz();
	put(img + LX_HDR_SYSSIZE, 0x100, 4);
	put(img + LX_HDR_INIT_SIZE, 0x1000, 4);
	assert_int_equal(lx_parse((struct hs_view){ img, sizeof(img) }, &k, &err), 0);
	assert_int_equal(k.kernel_size, 0x1000);
}

#define DSZ 48
static uint8_t raw[300 * DSZ];
static size_t nraw;

static void desc(uint32_t type, uint64_t base, uint64_t pages, uint64_t attr)
{
	uint8_t *d = raw + nraw++ * DSZ;

	memset(d, 0, DSZ);
	put(d, type, 4);
	put(d + 8, base, 8);
	put(d + 24, pages, 8);
	put(d + 32, attr, 8);
}

static void test_e820(void **state)
{
	struct lx_e820 e[8];
	size_t n;

	nraw = 0;
	desc(7, 0, 0xa0, 0);          /* conventional */
	desc(6, 0xa0000, 0x60, 0);    /* runtime data: reserved */
	desc(3, 0x100000, 0x100, 0);  /* boot services code: RAM, merges ... */
	desc(2, 0x200000, 0x100, 0);  /* ... with loader data */
	desc(15, 0x300000, 0x10, 0);  /* unaccepted: left out, as the stub does */
	desc(7, 0x310000, 0x10, 1ull << 18); /* special purpose: soft reserved */
	desc(9, 0x320000, 0x10, 0);
	desc(10, 0x330000, 0x10, 0);
	desc(14, 0x340000, 0x10, 0);
	assert_int_equal(lx_e820_from_efi((struct hs_view){ raw, nraw * DSZ }, DSZ, e, 8, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(e[0].type, LX_E820_RAM);
	assert_int_equal(e[1].type, LX_E820_RESERVED);
	assert_int_equal(e[2].addr, 0x100000);
	assert_int_equal(e[2].size, 0x200000);
	assert_int_equal(e[3].type, LX_E820_SOFT_RESERVED);
	assert_int_equal(e[4].type, LX_E820_ACPI);
	assert_int_equal(e[5].type, LX_E820_NVS);
	assert_int_equal(e[6].type, LX_E820_PMEM);
	assert_int_equal(lx_e820_from_efi((struct hs_view){ raw, nraw * DSZ }, DSZ, e, 6, &n),
			 -HS_ENOSPC);
	assert_int_equal(lx_e820_from_efi((struct hs_view){ raw, nraw * DSZ }, 36, e, 8, &n),
			 -HS_EINVAL);
}

static void test_boot_params(void **state)
{
	static uint8_t bp[LX_BOOT_PARAMS_SIZE];
	static struct lx_e820 e[130];
	struct lx_kernel k;
	struct hs_err err;
	struct hs_view f = bz();

	assert_int_equal(lx_parse(f, &k, &err), 0);
	for (int i = 0; i < 130; i++)
		e[i] = (struct lx_e820){ (uint64_t)i << 20, 1 << 20, LX_E820_RAM };
	struct lx_params p = { .cmdline = 0x123456789ull, .initrd = 0x100000000ull,
			       .initrd_size = 0x1000, .rsdp = 0x7fe00000, .efi_systab = 0x17e000000ull,
			       .efi_map = 0x7d000000, .efi_map_size = 48 * 10, .efi_desc_size = 48,
			       .efi_desc_version = 1, .e820 = e, .e820_count = 130,
			       .setup_data = 0x7c000000, .secure_boot = LX_SECURE_BOOT_ENABLED };
	memset(bp, 0xaa, sizeof(bp));
	lx_boot_params(bp, f, &k, &p);
	lx_set_memory(bp, &p);
	assert_memory_equal(bp + 0x202, "HdrS", 4);
	assert_int_equal(bp[LX_HDR_TYPE_OF_LOADER], 0xff);
	assert_int_equal(bp[0x1ef], 0); /* the sentinel: the zero page is clean */
	uint32_t v32;
	uint64_t v64;
	memcpy(&v32, bp + LX_HDR_CMD_LINE_PTR, 4);
	assert_int_equal(v32, 0x23456789);
	memcpy(&v32, bp + LX_BP_EXT_CMD_LINE_PTR, 4);
	assert_int_equal(v32, 1);
	memcpy(&v32, bp + LX_BP_EXT_RAMDISK_IMAGE, 4);
	assert_int_equal(v32, 1);
	memcpy(&v64, bp + LX_BP_ACPI_RSDP, 8);
	assert_int_equal(v64, 0x7fe00000);
	assert_memory_equal(bp + LX_BP_EFI_INFO, "EL64", 4);
	memcpy(&v32, bp + LX_BP_EFI_INFO + 24, 4); /* efi_systab_hi */
	assert_int_equal(v32, 1);
	assert_int_equal(bp[LX_BP_E820_ENTRIES], 128);
	memcpy(&v64, bp + LX_BP_E820_TABLE + 20 * 127, 8);
	assert_int_equal(v64, 127ull << 20);
	memcpy(&v64, bp + LX_HDR_SETUP_DATA, 8);
	assert_int_equal(v64, 0x7c000000);
	assert_int_equal(bp[LX_BP_SECURE_BOOT], 3);
	assert_int_equal(bp[LX_SI_ISVGA], 0); /* no framebuffer given */
	/* the two entries past 128 in one SETUP_E820_EXT node */
	static uint8_t ext[64];
	assert_int_equal(lx_e820_ext(ext, e, 130), 16 + 40);
	uint32_t type, len;
	memcpy(&v64, ext, 8);
	memcpy(&type, ext + 8, 4);
	memcpy(&len, ext + 12, 4);
	assert_int_equal(v64, 0);
	assert_int_equal(type, 1);
	assert_int_equal(len, 40);
	memcpy(&v64, ext + 16 + 20, 8);
	assert_int_equal(v64, 129ull << 20);
	memcpy(&type, ext + 16 + 20 + 16, 4);
	assert_int_equal(type, LX_E820_RAM);
	assert_int_equal(lx_e820_ext(ext, e, 128), 0);
	/* a GOP framebuffer above 4 GiB, BGRX */
	struct lx_fb fb = { 0x180000000ull, 0x3e8000, 1280, 800, 5120, 32, { 16, 8, 0, 24 },
			    { 8, 8, 8, 8 } };
	p.fb = &fb;
	lx_boot_params(bp, f, &k, &p);
	assert_int_equal(bp[LX_SI_ISVGA], LX_VIDEO_TYPE_EFI);
	uint16_t v16;
	memcpy(&v16, bp + LX_SI_LFB_LINELENGTH, 2);
	assert_int_equal(v16, 5120);
	memcpy(&v16, bp + LX_SI_LFB_DEPTH, 2);
	assert_int_equal(v16, 32);
	assert_int_equal(bp[LX_SI_RED_SIZE + 1], 16); /* red_pos */
	assert_int_equal(bp[LX_SI_RED_SIZE + 7], 24); /* rsvd_pos */
	memcpy(&v32, bp + LX_SI_LFB_BASE, 4);
	assert_int_equal(v32, 0x80000000);
	memcpy(&v32, bp + LX_SI_EXT_LFB_BASE, 4);
	assert_int_equal(v32, 1);
	memcpy(&v32, bp + LX_SI_CAPABILITIES, 4);
	assert_int_equal(v32, LX_VIDEO_CAPABILITY_64BIT_BASE);
	assert_int_equal(bp[0x1000 - 1], 0); /* past the table: zeroed */
}

/* The kernel make check boots, when present: a bzImage hotshim accepts. */
static void test_debian_kernel(void **state)
{
	FILE *fp = fopen("build/linux/vmlinuz", "rb");
	struct lx_kernel k;
	struct hs_err err;
	size_t len;

	if (!fp) {
		fail_msg("build/linux/vmlinuz missing: make check fetches it (test/linux/fetch.sh)");
		return;
	}
	fclose(fp);
	uint8_t *b = load_file("build/linux/vmlinuz", &len);
	assert_int_equal(lx_parse((struct hs_view){ b, len }, &k, &err), 0);
	assert_true(k.version >= 0x020f);
	/* the first 1,000,000 bytes of it: refused before anything is placed */
	assert_int_equal(lx_parse((struct hs_view){ b, 1000000 }, &k, &err), -HS_EINVAL);
	assert_non_null(strstr(err.msg, "the file is 1000000 bytes, its setup header says "));
	assert_true(k.relocatable);
	assert_true(k.above_4g);
	assert_int_equal(k.alignment, 0x200000);
	assert_int_equal(k.pref_address, 0x1000000);
	assert_true(k.init_size > k.kernel_size);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_e820),
		cmocka_unit_test(test_boot_params),
		cmocka_unit_test(test_debian_kernel),
	};
	return cmocka_run_group_tests_name("x86/linux", tests, NULL, NULL);
}
