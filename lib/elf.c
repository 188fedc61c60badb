#include "elf.h"

/* ELF64 (System V gABI; x86-64 psABI for the machine and relocations) */
#define EHDR_SIZE 64
#define PHDR_MIN 56
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_PLTRELSZ 2
#define DT_JMPREL 23
#define DT_REL 17
#define DT_RELR 36
#define RELA_SIZE 24
#define R_X86_64_NONE 0
#define R_X86_64_RELATIVE 8

/* A kernel spanning more than this is not one we should place. */
#define ELF_MAX_SPAN (4ull << 30)

static int bad(struct hs_err *err, const char *why)
{
	hs_err_set(err, "%s", why);
	return -HS_EINVAL;
}

/* The file offset of [vaddr, vaddr + len) inside one segment's file bytes. */
static bool vaddr_to_off(const struct elf_image *img, uint64_t vaddr, uint64_t len,
			 uint64_t *ret)
{
	for (size_t i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];
		if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->filesz &&
		    len <= s->filesz - (vaddr - s->vaddr)) {
			*ret = s->offset + (vaddr - s->vaddr);
			return true;
		}
	}
	return false;
}

/* Finds DT_RELA/DT_RELASZ; refuses relocation kinds hotshim does not do. */
static int parse_dynamic(struct hs_view f, uint64_t off, uint64_t size, struct elf_image *img,
			 struct hs_err *err)
{
	uint64_t rela = 0, relasz = 0, relaent = RELA_SIZE;
	bool have_rela = false;

	if (!hs_view_has(f, off, size))
		return bad(err, "PT_DYNAMIC lies past the end of the file");
	for (uint64_t p = 0; p + 16 <= size; p += 16) {
		uint64_t tag = hs_get_u64(f, off + p), val = hs_get_u64(f, off + p + 8);
		if (tag == DT_NULL)
			break;
		if (tag == DT_RELA) {
			rela = val;
			have_rela = true;
		} else if (tag == DT_RELASZ) {
			relasz = val;
		} else if (tag == DT_RELAENT) {
			relaent = val;
		} else if (tag == DT_PLTRELSZ && val) {
			return bad(err, "PLT relocations (DT_JMPREL): not supported in a kernel");
		} else if (tag == DT_REL || tag == DT_RELR) {
			return bad(err, tag == DT_REL ? "DT_REL relocations (only RELA is supported)"
						      : "DT_RELR relocations (only RELA is supported)");
		}
	}
	if (!have_rela || !relasz)
		return 0;
	if (relaent != RELA_SIZE || relasz % RELA_SIZE)
		return bad(err, "DT_RELAENT/DT_RELASZ are not whole 24-byte entries");
	if (!vaddr_to_off(img, rela, relasz, &img->rela_off))
		return bad(err, "DT_RELA table is not inside a loaded segment's file bytes");
	img->rela_size = relasz;
	return 0;
}

int elf_parse(struct hs_view f, uint64_t direct_map, struct elf_image *ret, struct hs_err *err)
{
	struct elf_image img = { .lo = UINT64_MAX, .align = HS_PAGE_SIZE };
	uint64_t dyn_off = 0, dyn_size = 0;
	bool have_dyn = false;

	if (!hs_view_has(f, 0, EHDR_SIZE))
		return bad(err, "shorter than an ELF header (64 bytes)");
	if (hs_memcmp(f.data, "\177ELF", 4))
		return bad(err, "not an ELF file (no \\177ELF magic)");
	if (hs_get_u8(f, 4) != 2 || hs_get_u8(f, 5) != 1)
		return bad(err, "not a 64-bit little-endian ELF file");
	uint16_t type = hs_get_u16(f, 16), machine = hs_get_u16(f, 18);
	if (machine != EM_X86_64) {
		hs_err_set(err, "ELF machine %u is not x86-64 (62)", machine);
		return -HS_EINVAL;
	}
	if (type != ET_EXEC && type != ET_DYN) {
		hs_err_set(err, "ELF type %u is neither an executable nor a PIE", type);
		return -HS_EINVAL;
	}
	img.dyn = type == ET_DYN;
	img.entry = hs_get_u64(f, 24);
	uint64_t phoff = hs_get_u64(f, 32);
	uint16_t phentsize = hs_get_u16(f, 54), phnum = hs_get_u16(f, 56);
	if (phentsize < PHDR_MIN || !phnum || !hs_view_has(f, phoff, (size_t)phentsize * phnum))
		return bad(err, "program headers missing or past the end of the file");

	for (unsigned i = 0; i < phnum; i++) {
		uint64_t ph = phoff + (uint64_t)i * phentsize;
		uint32_t ptype = hs_get_u32(f, ph);
		if (ptype == PT_DYNAMIC) {
			have_dyn = true;
			dyn_off = hs_get_u64(f, ph + 8);
			dyn_size = hs_get_u64(f, ph + 32);
			continue;
		}
		if (ptype != PT_LOAD)
			continue;
		struct elf_seg s = {
			.flags = hs_get_u32(f, ph + 4), .offset = hs_get_u64(f, ph + 8),
			.vaddr = hs_get_u64(f, ph + 16), .paddr = hs_get_u64(f, ph + 24),
			.filesz = hs_get_u64(f, ph + 32), .memsz = hs_get_u64(f, ph + 40),
		};
		uint64_t align = hs_get_u64(f, ph + 48), last, vlast;
		if (!s.memsz)
			continue;
		if (img.nseg == ELF_MAX_SEGS) {
			hs_err_set(err, "more than %d PT_LOAD segments", ELF_MAX_SEGS);
			return -HS_E2BIG;
		}
		if (s.filesz > s.memsz || !hs_view_has(f, s.offset, s.filesz)) {
			hs_err_set(err, "segment %u: file bytes past the end of the file or its size", i);
			return -HS_EINVAL;
		}
		if (img.dyn)
			s.paddr = s.vaddr; /* placed later, relative */
		if (__builtin_add_overflow(s.paddr, s.memsz - 1, &last) ||
		    __builtin_add_overflow(s.vaddr, s.memsz - 1, &vlast) || last > 0x000fffffffffffffull) {
			hs_err_set(err, "segment %u: [%#llx +%#llx] wraps or lies beyond 52 address bits", i,
				   (unsigned long long)s.paddr, (unsigned long long)s.memsz);
			return -HS_EINVAL;
		}
		if (!img.dyn && s.vaddr != s.paddr && s.vaddr != s.paddr + direct_map) {
			hs_err_set(err, "segment %u: virtual %#llx is neither its physical address "
				   "%#llx nor in the direct map", i, (unsigned long long)s.vaddr,
				   (unsigned long long)s.paddr);
			return -HS_EINVAL;
		}
		if (img.dyn && align > img.align) {
			if (align & (align - 1) || align > (1ull << 30)) {
				hs_err_set(err, "segment %u: alignment %#llx is not a power of two up "
					   "to 1 GiB", i, (unsigned long long)align);
				return -HS_EINVAL;
			}
			img.align = align;
		}
		img.lo = HS_MIN(img.lo, s.paddr & ~(HS_PAGE_SIZE - 1));
		img.last = HS_MAX(img.last, last | (HS_PAGE_SIZE - 1));
		img.seg[img.nseg++] = s;
	}
	if (!img.nseg)
		return bad(err, "no PT_LOAD segment to load");
	if (img.last - img.lo >= ELF_MAX_SPAN)
		return bad(err, "segments span more than 4 GiB");
	/* no two segments may claim the same byte */
	for (size_t i = 0; i < img.nseg; i++)
		for (size_t j = i + 1; j < img.nseg; j++) {
			const struct elf_seg *a = &img.seg[i], *b = &img.seg[j];
			if (a->paddr <= b->paddr + b->memsz - 1 && b->paddr <= a->paddr + a->memsz - 1) {
				hs_err_set(err, "segments %zu and %zu overlap", i, j);
				return -HS_EINVAL;
			}
		}
	/* the entry must be in code we load */
	bool entry_ok = false;
	for (size_t i = 0; i < img.nseg; i++) {
		const struct elf_seg *s = &img.seg[i];
		if ((s->flags & ELF_PF_X) && img.entry >= s->vaddr && img.entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok) {
		hs_err_set(err, "entry point %#llx is not in an executable segment",
			   (unsigned long long)img.entry);
		return -HS_EINVAL;
	}
	if (img.dyn) {
		if (img.lo & (img.align - 1))
			return bad(err, "PIE's lowest segment is not aligned to its p_align");
		if (have_dyn) {
			int r = parse_dynamic(f, dyn_off, dyn_size, &img, err);
			if (r < 0)
				return r;
		}
		img.entry -= img.lo;
	}
	*ret = img;
	return 0;
}

int elf_load(struct hs_view f, const struct elf_image *img, uint8_t *dst, uint64_t base,
	     uint64_t *ret_entry, struct hs_err *err)
{
	uint64_t span = img->last - img->lo + 1;

	hs_memset(dst, 0, span);
	for (size_t i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];
		hs_memcpy(dst + (s->paddr - img->lo), f.data + s->offset, s->filesz);
	}
	if (!img->dyn) {
		*ret_entry = img->entry;
		return 0;
	}
	/* PIE: every RELATIVE slot gets the load bias added */
	uint64_t bias = base - img->lo;
	for (uint64_t p = 0; p < img->rela_size; p += RELA_SIZE) {
		uint64_t where = hs_get_u64(f, img->rela_off + p);
		uint32_t type = (uint32_t)hs_get_u64(f, img->rela_off + p + 8);
		uint64_t addend = hs_get_u64(f, img->rela_off + p + 16);
		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE) {
			hs_err_set(err, "relocation %llu: type %u (only R_X86_64_RELATIVE is supported)",
				   (unsigned long long)(p / RELA_SIZE), type);
			return -HS_EINVAL;
		}
		if (where < img->lo || where - img->lo > span - 8) {
			hs_err_set(err, "relocation %llu: offset %#llx is outside the image",
				   (unsigned long long)(p / RELA_SIZE), (unsigned long long)where);
			return -HS_EINVAL;
		}
		uint64_t v = bias + addend;
		for (unsigned b = 0; b < 8; b++)
			dst[where - img->lo + b] = (uint8_t)(v >> (8 * b));
	}
	*ret_entry = base + img->entry;
	return 0;
}
