/* libFuzzer: any bytes as an initrd, walked as Linux walks it. */
#include "lib/cpio.h"
#include "test/fuzz/mutate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_file f;
	char name[64];
	size_t last = 0;

	cpio_iter_init(&it, (struct hs_view){ data, size });
	while (cpio_next(&it, &f) == 1) {
		/* every file lies inside the input, and the walk moves forward */
		if (f.data < data || f.data + f.size > data + size || f.hdr_off < last)
			__builtin_trap();
		last = f.hdr_off + 1;
		cpio_name(&f, name, sizeof(name));
		(void)cpio_match(&f, "kernel/firmware/acpi/");
	}
	(void)cpio_stop_describe(&it);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	return mut_cpio(data, size, max, seed);
}
