/* libFuzzer: any bytes as an initrd, through Linux's table-upgrade rules. */
#include "acpi/override.h"
#include "test/fuzz/mutate.h"

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ovr_result r;
	static const struct acpi_header fw = { .sig = "SRAT", .oem_id = "BOCHS ",
					       .oem_table_id = "BXPC    ", .oem_revision = 1 };
	struct hs_sink sink = { discard, NULL };
	char buf[300];
	bool locked = size & 1, have_fw = size & 2;

	ovr_select((struct hs_view){ data, size }, "SRAT", have_fw ? &fw : NULL, locked, &r);
	if (r.count > OVR_MAX_FILES || (r.chosen >= 0 && (unsigned)r.chosen >= r.count))
		__builtin_trap();
	for (unsigned i = 0; i < r.count; i++)
		ovr_describe(&r.c[i], have_fw ? &fw : NULL, buf, sizeof(buf));
	ovr_linux_log(&r, "SRAT", locked, &sink);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	return mut_cpio(data, size, max, seed);
}
