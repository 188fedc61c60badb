/* libFuzzer: an arbitrary file as a kernel: parsed, and when it spans
 * little enough, loaded (PIEs relocated) into a buffer of exactly its span. */
#include <stdlib.h>
#include "lib/elf.h"
#include "test/fuzz/mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_view f = { data, size };
	struct elf_image img;
	struct hs_err err;
	uint64_t entry;

	if (elf_parse(f, 0xffff888000000000ull, &img, &err) < 0)
		return 0;
	if (img.last < img.lo || img.last - img.lo >= (1u << 22))
		return 0;
	uint8_t *dst = malloc(img.last - img.lo + 1);
	if (!dst)
		return 0;
	elf_load(f, &img, dst, img.dyn ? 0x40000000 : img.lo, &entry, &err);
	free(dst);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	return mut_elf(data, size, max, seed);
}
