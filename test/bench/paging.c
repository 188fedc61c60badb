/*
 * make bench: page-table building speed and size.  For each map (one RAM
 * range of 4 GiB, 1 TiB, 64 TiB; identity + direct map) and leaf size
 * (2 MiB, 1 GiB): pages used vs the minimum, time per GiB mapped, and as
 * the reference a memset of the same number of page-table bytes.
 * Prints figures; never fails on speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "x86/paging.h"

static uint8_t *pool;
static size_t pool_pages, pool_used;

static uint64_t bench_alloc(void *ctx)
{
	(void)ctx;
	if (pool_used >= pool_pages)
		return 0;
	memset(pool + pool_used * 4096, 0, 4096);
	return 0x1000000ull + (pool_used++) * 4096;
}

static uint64_t *bench_ptr(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (uint64_t *)(pool + (phys - 0x1000000ull));
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	static const struct {
		const char *name;
		uint64_t size;
	} maps[] = { { "4 GiB", 4ull << 30 }, { "1 TiB", 1ull << 40 }, { "64 TiB", 64ull << 40 } };
	const struct pt_mem mem = { bench_alloc, bench_ptr, NULL };

	printf("%-7s %-6s %9s %9s %12s %12s %14s\n", "map", "leaf", "pages", "minimum",
	       "build (ms)", "ns per GiB", "memset (ms)");
	for (size_t m = 0; m < sizeof(maps) / sizeof(maps[0]); m++) {
		for (int gb = 0; gb < 2; gb++) {
			struct pt_cfg cfg = { .gb_pages = gb, .nx = true, .offset = PT_DIRECT_MAP_DEFAULT };
			struct pt_range r = { 0x100000, maps[m].size - 1, false };
			size_t min = pt_min_pages(&cfg, &r, 1);
			pool_pages = min + 16;
			pool = mmap(NULL, pool_pages * 4096, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (pool == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
			int runs = maps[m].size > (1ull << 41) ? 3 : 9;
			double t[9], ref[9];
			struct pt pt;
			for (int k = 0; k < runs; k++) {
				pool_used = 0;
				double a = now();
				if (pt_init(&pt, &cfg, &mem) || pt_build_bottom_up(&pt, &r, 1, 0x2000000)) {
					fprintf(stderr, "build failed\n");
					return 1;
				}
				t[k] = now() - a;
				a = now();
				memset(pool, k, pt.pages * 4096);
				__asm__ volatile("" ::"r"(pool) : "memory");
				ref[k] = now() - a;
			}
			qsort(t, (size_t)runs, sizeof(double), cmp);
			qsort(ref, (size_t)runs, sizeof(double), cmp);
			double gib = (double)(maps[m].size - 0x100000) / (double)(1ull << 30) * 2;
			printf("%-7s %-6s %9zu %9zu %12.3f %12.0f %14.3f\n", maps[m].name,
			       gb ? "1 GiB" : "2 MiB", pt.pages, min, t[runs / 2] * 1e3,
			       t[runs / 2] * 1e9 / gib, ref[runs / 2] * 1e3);
			munmap(pool, pool_pages * 4096);
		}
	}
	printf("(median of 9 runs, 3 for 64 TiB; identity + direct map, so 2x the GiB; "
	       "memset: the same bytes of page-table pages)\n");
	return 0;
}
