/*
 * libFuzzer: any bytes as a kernel file, as `boot` and `report` identify
 * it (core/kernel.c): a bzImage by its setup header, else ELF, else named
 * as what it looks like; then its command line.  What is accepted must
 * describe a kernel that lies inside the file.
 */
#include "core/kernel.h"
#include "x86/paging.h"
#include "test/fuzz/mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel k;
	struct hs_err err = { "" };
	char buf[64];
	bool movable;

	if (kernel_identify((struct hs_view){ data, size }, PT_DIRECT_MAP_DEFAULT, &k, &err) < 0) {
		if (!err.msg[0])
			__builtin_trap(); /* every refusal says why */
		return 0;
	}
	if (k.kind == KERNEL_LINUX) {
		const struct lx_kernel *l = &k.lx;
		if (l->kernel_off >= size || l->kernel_off + l->kernel_size > size || !l->kernel_size ||
		    l->init_size < l->kernel_size || l->hdr_end > l->kernel_off ||
		    !l->alignment || (l->alignment & (l->alignment - 1)))
			__builtin_trap();
	} else if (k.elf.nseg > ELF_MAX_SEGS || k.elf.last < k.elf.lo) {
		__builtin_trap();
	}
	/* a command line built from the file's own bytes */
	char user[32];
	size_t n = size < sizeof(user) - 1 ? size : sizeof(user) - 1;
	for (size_t i = 0; i < n; i++)
		user[i] = data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : ' ';
	user[n] = '\0';
	if (kernel_cmdline(&k, user, size & 1, size & 2, buf, sizeof(buf), &movable, &err) == 0) {
		size_t len = hs_strlen(buf);
		if (len >= sizeof(buf) || (k.kind == KERNEL_LINUX && k.lx.cmdline_size &&
					   len > k.lx.cmdline_size))
			__builtin_trap();
	}
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	return mut_elf(data, size, max, seed);
}
