/*
 * ELF64 kernels for the hotshim protocol: checked, then loaded into one
 * block of memory the caller placed.
 *
 * ET_EXEC kernels go where their PT_LOAD segments say (p_paddr); each
 * segment's virtual address must be its physical address or lie in the
 * direct map, since those are the only mappings hotshim builds.  ET_DYN
 * kernels go wherever the allocator puts them, identity mapped; their
 * R_X86_64_RELATIVE relocations are applied, any other relocation is
 * refused.
 */
#ifndef HS_LIB_ELF_H
#define HS_LIB_ELF_H

#include "hs.h"

#define ELF_MAX_SEGS 16

#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

struct elf_seg {
	uint64_t offset, filesz; /* in the file */
	uint64_t vaddr, paddr;   /* ET_DYN: paddr is relative to the load base */
	uint64_t memsz;
	uint32_t flags;          /* ELF_PF_* */
};

struct elf_image {
	bool dyn;               /* ET_DYN: relocatable */
	uint64_t entry;         /* e_entry (ET_DYN: relative to lo) */
	uint64_t lo, last;      /* physical span of all segments (ET_DYN: from 0) */
	uint64_t align;         /* ET_DYN: largest p_align, at least a page */
	struct elf_seg seg[ELF_MAX_SEGS];
	size_t nseg;
	/* ET_DYN: where the RELA table is, as file offsets */
	uint64_t rela_off, rela_size;
};

/* Checks the headers; direct_map is the offset hotshim maps RAM at. */
int elf_parse(struct hs_view file, uint64_t direct_map, struct elf_image *ret,
	      struct hs_err *err);

/*
 * Copies the segments into dst, which holds [base, base + last - lo] of
 * physical memory, zero-fills the rest and applies relocations (ET_DYN
 * with base as the load address).  The physical entry point goes to
 * ret_entry (a virtual address the identity or direct map resolves).
 */
int elf_load(struct hs_view file, const struct elf_image *img, uint8_t *dst, uint64_t base,
	     uint64_t *ret_entry, struct hs_err *err);

#endif
