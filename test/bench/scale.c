/*
 * make bench: how the report (SRAT parse, node table, pins, the placement
 * plan with page tables) grows with its inputs, up to what Linux 6.1
 * takes: 1024 nodes (CONFIG_NODES_SHIFT=10, Debian's), 2048 memory affinity
 * entries (NR_NODE_MEMBLKS), memory maps of 4096 descriptors, 64 TiB and
 * 4 PiB of RAM.  For each size: the time of one whole report and the time
 * per input element, so a cost that grows faster than the input shows as
 * a growing per-element time.  Prints figures; never fails on speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/report.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static size_t out_bytes;
static void count(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	out_bytes += n;
}

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* An SRAT of `nodes` nodes, each with one CPU (x2APIC) and `per` memory
 * ranges, spreading `total` bytes; the upper half of the nodes hot-pluggable.
 * down: the ranges listed from the top of memory down, as some firmware
 * lists them (the worst order for following ranges that join). */
static size_t make_srat(uint8_t *t, unsigned nodes, unsigned per, uint64_t total, bool down)
{
	size_t o = 48;
	uint64_t each = total / nodes / per & ~((1ull << 27) - 1), base = 0;
	uint64_t top = each * nodes * per;

	memset(t, 0, 48);
	memcpy(t, "SRAT", 4);
	t[8] = 3;
	memcpy(t + 10, "HSBNCH", 6);
	put(t + 36, 1, 4);
	for (unsigned n = 0; n < nodes; n++) {
		uint8_t *c = t + o; /* x2APIC affinity: type 2, 24 bytes */
		memset(c, 0, 24);
		c[0] = 2;
		c[1] = 24;
		put(c + 4, n, 4);
		put(c + 8, n, 4);
		put(c + 12, 1, 4);
		o += 24;
		for (unsigned r = 0; r < per; r++) {
			uint8_t *m = t + o; /* memory affinity: type 1, 40 bytes */
			memset(m, 0, 40);
			m[0] = 1;
			m[1] = 40;
			put(m + 2, n, 4);
			put(m + 8, down ? top - base - each : base, 8);
			put(m + 16, each, 8);
			put(m + 28, 1 | (n >= nodes / 2 && n ? 2 : 0), 4);
			base += each;
			o += 40;
		}
	}
	put(t + 4, o, 4);
	uint8_t sum = 0;
	for (size_t i = 0; i < o; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(0x100 - sum);
	return o;
}

/* A firmware map of `ndesc` entries over `total` bytes: conventional
 * memory cut into pieces with boot-services data between them. */
static void make_map(struct mm_map *m, size_t ndesc, uint64_t total)
{
	uint64_t step = total / ndesc & ~0xfffull, base = 0x100000;

	m->count = 0;
	for (size_t i = 0; i < ndesc && base + step <= total; i++, base += step)
		mm_add(m, base, base + step - 1,
		       i % 4 == 3 ? MM_BOOT_SERVICES : MM_CONVENTIONAL,
		       i % 4 == 3 ? EFI_BOOT_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY);
}

struct size {
	const char *name;
	unsigned nodes, per;
	size_t ndesc;
	uint64_t total;
	bool la57, down;
};

int main(void)
{
	static const struct size sizes[] = {
		{ "4 GiB, 2 nodes, 64 descriptors", 2, 1, 64, 4ull << 30, false },
		{ "64 GiB, 16 nodes, 256 descriptors", 16, 1, 256, 64ull << 30, false },
		{ "1 TiB, 128 nodes, 1024 descriptors", 128, 2, 1024, 1ull << 40, false },
		{ "16 TiB, 512 nodes, 2048 descriptors", 512, 2, 2048, 16ull << 40, false },
		{ "64 TiB, 1024 nodes, 2048 ranges, 4096 descriptors", 1024, 2, 4096, 64ull << 40, false },
		{ "4 PiB (5-level), 1024 nodes, 2048 ranges, 4096 descriptors", 1024, 2, 4096,
		  4ull << 50, true, false },
		{ "1 TiB, 128 nodes, 1024 descriptors, ranges top down", 128, 2, 1024, 1ull << 40, false,
		  true },
		{ "16 TiB, 512 nodes, 2048 descriptors, ranges top down", 512, 2, 2048, 16ull << 40,
		  false, true },
		{ "64 TiB, 1024 nodes, 4096 descriptors, ranges top down", 1024, 2, 4096, 64ull << 40,
		  false, true },
	};
	static struct report_scratch scratch;
	static uint8_t srat[48 + 1024 * (24 + 2 * 40)];
	static struct mm_entry e[8192];
	struct mm_map map = { e, 0, 8192 };
	static struct kernel k;
	struct hs_err err;

	kernel_default(&k);
	struct plan_args args = { .kernel = &k, .cmdline = "" };
	printf("%-58s %10s %12s %14s %10s %10s\n", "input", "ms/report", "elements", "us/element",
	       "output", "memory");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const struct size *z = &sizes[i];
		size_t len = make_srat(srat, z->nodes, z->per, z->total, z->down);
		make_map(&map, z->ndesc, z->total);
		struct report_in in = {
			.have_srat = true,
			.srat = { srat, len },
			.source = "bench",
			.map = &map,
			.image_base = 0x1000000,
			.image_last = 0x10fffff,
			.boot = &args,
			.cpu = { .gb_pages = true, .nx = true, .la57 = z->la57 },
			.ndesc = map.count,
			.desc_size = 48,
		};
		struct hs_sink sink = { count, NULL };
		int reps = 0;
		double t0 = now(), t;
		do {
			out_bytes = 0;
			if (report_print(&in, &scratch, &sink, &err) < 0) {
				printf("%s: the report failed: %s\n", z->name, err.msg);
				return 1;
			}
			reps++;
			t = now() - t0;
		} while (t < 0.5);
		double ms = t / reps * 1e3;
		size_t elems = z->nodes + (size_t)z->nodes * z->per + map.count;
		/* what the report works in: its fixed scratch, the map and the table */
		size_t mem = sizeof(scratch) + map.count * sizeof(struct mm_entry) + len;
		printf("%-58s %10.3f %12zu %14.3f %8zu B %6zu KiB\n", z->name, ms, elems,
		       ms * 1e3 / elems, out_bytes, mem >> 10);
	}
	return 0;
}
