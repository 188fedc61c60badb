/* Tests lib/elf.c: header checks, each refusal with its message, and
 * loading (copy, zero fill, PIE relocation). */
/* links: lib/elf.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "lib/elf.h"

#define DM 0xffff888000000000ull

/* A small ELF64 image built field by field. */
struct eb {
	uint8_t b[16384];
	size_t len;
	unsigned nph;
};

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void eb_init(struct eb *e, uint16_t type, uint64_t entry)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->b, "\177ELF", 4);
	e->b[4] = 2; /* 64-bit */
	e->b[5] = 1; /* little-endian */
	e->b[6] = 1;
	put(e->b + 16, type, 2);
	put(e->b + 18, 62, 2);
	put(e->b + 24, entry, 8);
	put(e->b + 32, 64, 8);   /* program headers right after */
	put(e->b + 54, 56, 2);
	e->len = 64 + 8 * 56;    /* room for 8 headers; data from 512 */
}

static void eb_ph(struct eb *e, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		  uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	uint8_t *p = e->b + 64 + 56 * e->nph++;

	put(p, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, vaddr, 8);
	put(p + 24, paddr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, align, 8);
	put(e->b + 56, e->nph, 2);
	if (type == 1 && off + filesz > e->len)
		e->len = off + filesz;
}

static struct hs_view view(const struct eb *e)
{
	return (struct hs_view){ e->b, e->len };
}

static int parse(const struct eb *e, struct elf_image *img, struct hs_err *err)
{
	return elf_parse(view(e), DM, img, err);
}

static void test_exec(void **state)
{
	struct eb e;
	struct elf_image img;
	struct hs_err err;
	static uint8_t mem[0x3000];
	uint64_t entry;

	eb_init(&e, 2, 0x2000010);
	memset(e.b + 512, 0xcc, 0x100);
	eb_ph(&e, 1, ELF_PF_R | ELF_PF_X, 512, 0x2000000, 0x2000000, 0x100, 0x100, 0x1000);
	memset(e.b + 1024, 0xdd, 0x10);
	eb_ph(&e, 1, ELF_PF_R | ELF_PF_W, 1024, 0x2001000, 0x2001000, 0x10, 0x1800, 0x1000);
	assert_int_equal(parse(&e, &img, &err), 0);
	assert_false(img.dyn);
	assert_int_equal(img.nseg, 2);
	assert_int_equal(img.lo, 0x2000000);
	assert_int_equal(img.last, 0x2002fff);
	memset(mem, 0x55, sizeof(mem));
	assert_int_equal(elf_load(view(&e), &img, mem, img.lo, &entry, &err), 0);
	assert_int_equal(entry, 0x2000010);
	assert_int_equal(mem[0], 0xcc);
	assert_int_equal(mem[0xff], 0xcc);
	assert_int_equal(mem[0x100], 0);       /* gap zeroed */
	assert_int_equal(mem[0x1000], 0xdd);
	assert_int_equal(mem[0x1010], 0);      /* bss zeroed */
	assert_int_equal(mem[0x2fff], 0);

	/* a higher-half kernel linked in the direct map is fine */
	eb_init(&e, 2, DM + 0x2000000);
	eb_ph(&e, 1, ELF_PF_X, 512, DM + 0x2000000, 0x2000000, 0x100, 0x100, 0x1000);
	assert_int_equal(parse(&e, &img, &err), 0);
	/* anywhere else is not mapped by hotshim */
	eb_init(&e, 2, 0xffffffff80000000ull);
	eb_ph(&e, 1, ELF_PF_X, 512, 0xffffffff80000000ull, 0x2000000, 0x100, 0x100, 0x1000);
	assert_int_equal(parse(&e, &img, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "segment 0: virtual 0xffffffff80000000 is neither its physical "
				     "address 0x2000000 nor in the direct map");
}

/* expect: the header as built by fn refused with this message */
static void refused(struct eb *e, int code, const char *msg)
{
	struct elf_image img;
	struct hs_err err = { "" };

	assert_int_equal(parse(e, &img, &err), code);
	assert_string_equal(err.msg, msg);
}

static void test_refusals(void **state)
{
	struct eb e;

	eb_init(&e, 2, 0x1000);
	e.len = 63;
	refused(&e, -HS_EINVAL, "shorter than an ELF header (64 bytes)");
	eb_init(&e, 2, 0x1000);
	e.b[0] = 'M';
	refused(&e, -HS_EINVAL, "not an ELF file (no \\177ELF magic)");
	eb_init(&e, 2, 0x1000);
	e.b[4] = 1;
	refused(&e, -HS_EINVAL, "not a 64-bit little-endian ELF file");
	eb_init(&e, 2, 0x1000);
	put(e.b + 18, 183, 2);
	refused(&e, -HS_EINVAL, "ELF machine 183 is not x86-64 (62)");
	eb_init(&e, 1, 0x1000);
	refused(&e, -HS_EINVAL, "ELF type 1 is neither an executable nor a PIE");
	eb_init(&e, 2, 0x1000);
	refused(&e, -HS_EINVAL, "program headers missing or past the end of the file");
	eb_init(&e, 2, 0x1000);
	eb_ph(&e, 1, ELF_PF_X, 512, 0x1000, 0x1000, 0x10, 0x10, 0x1000);
	put(e.b + 32, e.len - 8, 8); /* phoff near the end */
	refused(&e, -HS_EINVAL, "program headers missing or past the end of the file");
	eb_init(&e, 2, 0x1000);
	eb_ph(&e, 4, 0, 0, 0, 0, 0, 0, 0); /* PT_NOTE only */
	refused(&e, -HS_EINVAL, "no PT_LOAD segment to load");
	eb_init(&e, 2, 0x1000);
	eb_ph(&e, 1, ELF_PF_X, 512, 0x1000, 0x1000, 0x20, 0x10, 0x1000);
	refused(&e, -HS_EINVAL, "segment 0: file bytes past the end of the file or its size");
	eb_init(&e, 2, 0x1000);
	eb_ph(&e, 1, ELF_PF_X, 512, 0x1000, 0x1000, 0x10, 0x10, 0x1000);
	put(e.b + 64 + 8, 1u << 20, 8); /* p_offset far beyond the file */
	refused(&e, -HS_EINVAL, "segment 0: file bytes past the end of the file or its size");
	eb_init(&e, 2, 0xfffffffffffff000ull);
	eb_ph(&e, 1, ELF_PF_X, 512, 0xfffffffffffff000ull, 0xfffffffffffff000ull, 0x10, 0x2000, 0);
	refused(&e, -HS_EINVAL, "segment 0: [0xfffffffffffff000 +0x2000] wraps or lies beyond 52 "
				"address bits");
	eb_init(&e, 2, 0x1000);
	eb_ph(&e, 1, ELF_PF_X, 512, 0x1000, 0x1000, 0x10, 0x2000, 0x1000);
	eb_ph(&e, 1, ELF_PF_W, 512, 0x2000, 0x2000, 0x10, 0x10, 0x1000);
	refused(&e, -HS_EINVAL, "segments 0 and 1 overlap");
	eb_init(&e, 2, 0x1000);
	eb_ph(&e, 1, ELF_PF_X, 512, 0x1000, 0x1000, 0x10, 0x10, 0x1000);
	eb_ph(&e, 1, ELF_PF_W, 512, 0x200000000ull, 0x200000000ull, 0x10, 0x10, 0x1000);
	refused(&e, -HS_EINVAL, "segments span more than 4 GiB");
	eb_init(&e, 2, 0x5000);
	eb_ph(&e, 1, ELF_PF_X, 512, 0x1000, 0x1000, 0x10, 0x10, 0x1000);
	eb_ph(&e, 1, ELF_PF_W, 512, 0x5000, 0x5000, 0x10, 0x10, 0x1000);
	refused(&e, -HS_EINVAL, "entry point 0x5000 is not in an executable segment");
	eb_init(&e, 2, 0x1000);
	for (int i = 0; i < ELF_MAX_SEGS + 1 && i < 8; i++)
		eb_ph(&e, 1, ELF_PF_X, 512, 0x1000 + 0x1000 * i, 0x1000 + 0x1000 * i, 0x10, 0x10, 0);
	struct elf_image img;
	struct hs_err err;
	assert_int_equal(parse(&e, &img, &err), 0); /* 8 is fine */
}

/* A PIE: placed anywhere, RELATIVE slots get the load bias. */
static void test_pie(void **state)
{
	struct eb e;
	struct elf_image img;
	struct hs_err err;
	static uint8_t mem[0x2000];
	uint64_t entry;

	eb_init(&e, 3, 0x40);
	eb_ph(&e, 1, ELF_PF_R | ELF_PF_X, 4096, 0, 0, 0x1000, 0x1000, 0x1000);
	eb_ph(&e, 1, ELF_PF_R | ELF_PF_W, 8192, 0x1000, 0x1000, 0x100, 0x1000, 0x200000);
	/* dynamic section at file 8192 + 0x80 (vaddr 0x1080): RELA at 0x1000 */
	uint8_t *d = e.b + 8192 + 0x80;
	put(d, 7, 8);       /* DT_RELA */
	put(d + 8, 0x1000, 8);
	put(d + 16, 8, 8);  /* DT_RELASZ */
	put(d + 24, 48, 8);
	put(d + 32, 9, 8);  /* DT_RELAENT */
	put(d + 40, 24, 8);
	eb_ph(&e, 2, 0, 8192 + 0x80, 0x1080, 0x1080, 0x40, 0x40, 8);
	uint8_t *r = e.b + 8192;   /* two RELATIVE relocations */
	put(r, 0x1040, 8);
	put(r + 8, 8, 8);
	put(r + 16, 0x123, 8);
	put(r + 24, 0x1048, 8);
	put(r + 32, 0, 8);         /* R_X86_64_NONE: skipped */
	put(r + 40, 0, 8);
	assert_int_equal(parse(&e, &img, &err), 0);
	assert_true(img.dyn);
	assert_int_equal(img.align, 0x200000);
	assert_int_equal(img.last - img.lo + 1, 0x2000);
	assert_int_equal(elf_load(view(&e), &img, mem, 0x40000000, &entry, &err), 0);
	assert_int_equal(entry, 0x40000040);
	uint64_t v;
	memcpy(&v, mem + 0x1040, 8);
	assert_int_equal(v, 0x40000123);

	/* other relocation kinds are refused, by name */
	put(r + 8, 1, 8); /* R_X86_64_64 */
	assert_int_equal(parse(&e, &img, &err), 0);
	assert_int_equal(elf_load(view(&e), &img, mem, 0x40000000, &entry, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "relocation 0: type 1 (only R_X86_64_RELATIVE is supported)");
	put(r + 8, 8, 8);
	put(r, 0x5000, 8); /* outside the image */
	assert_int_equal(elf_load(view(&e), &img, mem, 0x40000000, &entry, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "relocation 0: offset 0x5000 is outside the image");
	put(d, 2, 8); /* DT_PLTRELSZ: PLT relocations */
	refused(&e, -HS_EINVAL, "PLT relocations (DT_JMPREL): not supported in a kernel");
	put(d, 17, 8); /* DT_REL */
	refused(&e, -HS_EINVAL, "DT_REL relocations (only RELA is supported)");
	put(d, 7, 8);
	put(d + 24, 47, 8);
	refused(&e, -HS_EINVAL, "DT_RELAENT/DT_RELASZ are not whole 24-byte entries");
	put(d + 24, 48, 8);
	put(d + 8, 0x9000, 8);
	refused(&e, -HS_EINVAL, "DT_RELA table is not inside a loaded segment's file bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_pie),
	};
	return cmocka_run_group_tests_name("core/elf", tests, NULL, NULL);
}
