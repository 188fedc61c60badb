/*
 * libFuzzer: a memory map and an SRAT, through the whole report.
 * Input: u8 n, then n map entries of (u64 base, u32 pages, u8 type), then
 * the table.  Both reports, the text and (when n & 2) the JSON, which must
 * parse as JSON and be ASCII whatever the table holds.
 */
#include "core/report.h"
#include "test/fuzz/fuzz_map.h"
#include "test/fuzz/mutate.h"
#include "test/fuzz/json_check.h"

/* the JSON report, whole, to be parsed */
struct buf {
	char b[1 << 20];
	size_t n;
	bool over;
};

static void keep(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;

	if (n > sizeof(b->b) - b->n) {
		b->over = true;
		return;
	}
	__builtin_memcpy(b->b + b->n, s, n);
	b->n += n;
}

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report_scratch scratch;
	struct mm_entry e[64];
	struct mm_map map = { e, 0, 64 };
	struct hs_sink sink = { discard, NULL };
	struct hs_err err;
	static struct kernel k;
	static struct plan_args args = { .kernel = &k, .has_initrd = true, .nmod = 1,
					 .mod_size = { 1 << 16 }, .cmdline = "" };

	if (size < 1)
		return 0;
	kernel_default(&k);
	k.lx.init_size = 1 << 20;
	unsigned n = data[0] % 65;
	size_t off = fuzz_map(data, size, &map, ~0ull);
	struct report_in in = {
		.have_srat = true,
		.srat = { data + off, size - off },
		.source = "fuzz",
		.map = n ? &map : NULL,
		.image_base = 0x1000000,
		.image_last = 0x10fffff,
		.linux_log = n & 1,
		.boot = &args,
		.cpu = { .gb_pages = true, .nx = true },
		.ndesc = map.count,
		.desc_size = 48,
	};
	if (!(n & 2)) {
		report_print(&in, &scratch, &sink, &err);
		return 0;
	}
	static struct buf json;
	struct hs_sink js = { keep, &json };
	json.n = 0;
	json.over = false;
	if (report_json(&in, &scratch, &js, &err) == 0 && !json.over && !json_check(json.b, json.n))
		__builtin_trap();
	return 0;
}

/* the table after the map entries, as fuzz_map reads them */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	size_t t = size ? 1 + (size_t)(data[0] % 65) * 13 : 0;

	return mut_srat(data, size, max, seed, t < size ? t : size);
}
