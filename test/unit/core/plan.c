/* Tests core/plan.c: the one placement plan, line for line, for Linux and
 * the hotshim protocol; refusals; commits refused by firmware; and, over
 * thousands of random machines, that no piece ever lands in a
 * hot-pluggable SRAT range, on firmware memory, or on another piece. */
/* links: core/plan.c acpi/srat.c core/alloc.c core/kernel.c core/numa.c lib/elf.c lib/fmt.c lib/memblock.c lib/memmap.c x86/linux.c x86/paging.c */
#include "test/unit/helpers.h"
#include "core/plan.h"

static struct mb_region mr[256], rr[256];
static struct pt_range ranges[PLAN_MAX_PT_RANGES];
static struct srat_mem sm[16];
static struct srat_result srat = { .mem = sm, .mem_cap = 16, .used = true };
static struct mm_entry me[64];
static struct mm_map mmap = { me, 0, 64 };

struct fake_fw {
	uint64_t refuse;     /* the first commit at this address fails */
	unsigned commits, released, acpi;
};

static int commit(void *ctx, uint64_t base, uint64_t size, enum plan_mem type)
{
	struct fake_fw *f = ctx;

	(void)size;
	if (base == f->refuse) {
		f->refuse = 0;
		return -HS_EBUSY;
	}
	f->acpi += type == PLAN_MEM_ACPI_RECLAIM;
	f->commits++;
	return 0;
}

static void release(void *ctx)
{
	struct fake_fw *f = ctx;

	f->released = f->commits;
}

static void ram(uint64_t base, uint64_t last, enum mm_kind kind)
{
	mm_add(&mmap, base, last, kind, kind == MM_CONVENTIONAL ? EFI_CONVENTIONAL_MEMORY : 0);
}

static void node(unsigned i, uint64_t base, uint64_t len, unsigned n, bool hot)
{
	sm[i] = (struct srat_mem){ .base = base, .length = len, .end = base + len, .node = (uint16_t)n,
				   .flags = SRAT_MEM_ENABLED | (hot ? SRAT_MEM_HOT_PLUGGABLE : 0),
				   .memblk = true };
	srat.mem_count = i + 1;
	srat.node_count = HS_MAX(srat.node_count, n + 1);
}

/* Two nodes: [0, 2 GiB) with hotshim's image near its top, and [4 GiB,
 * 6 GiB) hot-pluggable. */
static void two_nodes(void)
{
	mmap.count = 0;
	ram(0, 0x9ffff, MM_CONVENTIONAL);
	ram(0x100000, 0x7cffffff, MM_CONVENTIONAL);
	ram(0x7d000000, 0x7d03ffff, MM_LOADER); /* hotshim */
	ram(0x7d040000, 0x7effffff, MM_CONVENTIONAL);
	ram(0x7f000000, 0x7fffffff, MM_ACPI);
	ram(0x100000000ull, 0x17fffffffull, MM_CONVENTIONAL);
	srat.node_count = 0;
	node(0, 0, 0x80000000, 0, false);
	node(1, 0x100000000ull, 0x80000000, 1, true);
}

static int make(const struct kernel *k, const struct plan_args *a0, struct fake_fw *fw,
		struct plan *p, struct outbuf *o, struct hs_err *err)
{
	static struct memblock mb;
	struct plan_commit pc = { commit, release, fw };
	struct plan_in sv = { .map = &mmap, .ndesc = mmap.count, .desc_size = 48, .srat = &srat,
			      .image_base = 0x7d000000, .image_last = 0x7d03ffff,
			      .cpu = { .gb_pages = true, .nx = true }, .commit = fw ? &pc : NULL };
	struct plan_args a = a0 ? *a0 : (struct plan_args){ .cmdline = "" };
	struct plan_in in;
	static char cmdline[300];
	bool movable;
	int r;

	a.kernel = k;
	mb = (struct memblock){ { mr, 0, 256 }, { rr, 0, 256 } };
	assert_int_equal(mb_build(&mb, &mmap, sv.srat, sv.image_base, sv.image_last), 0);
	r = plan_inputs(&a, &sv, cmdline, sizeof(cmdline), &movable, &in, err);
	if (r < 0)
		return r;
	p->ranges = ranges;
	r = plan_make(&mb, &in, p, err);
	if (o)
		plan_print(p, &srat, &o->sink);
	return r;
}

static void test_linux(void **state)
{
	struct outbuf *o = outbuf_new();
	struct fake_fw fw = { .refuse = 0x7d040000 };
	struct kernel k;
	struct plan p;
	struct hs_err err = { "" };
	struct plan_args a = { .has_initrd = true, .nmod = 1, .mod_size = { 0x123456 },
			       .cmdline = "console=ttyS0", .override_len = 0x100 };

	two_nodes();
	kernel_default(&k);
	assert_int_equal(make(&k, &a, &fw, &p, o, &err), 0);
	assert_string_equal(o->text,
		"  hotshim      [mem 0x7d000000-0x7d03ffff] node 0\n"
		/* 64 MiB do not fit above the image below 2 GiB: top-down below it */
		"  kernel       [mem 0x79000000-0x7cffffff] node 0, 64 MiB (top-down: no room above "
		"the image)\n"
		/* the first try at 0x7d040000 was refused: the next block up */
		"  page tables  [mem 0x7d046000-0x7d04bfff] node 0, 24 KiB (6 pages, the minimum for "
		"identity map, 1 GiB pages)\n"
		"  stack + GDT  [mem 0x7d04c000-0x7d05bfff] node 0, 64 KiB\n"
		"  initrd       [mem 0x7d05c000-0x7d17ffff] node 0, 1.1 MiB\n"
		/* "console=ttyS0 movable_node" and its NUL */
		"  command line [mem 0x7d180000-0x7d180fff] node 0, 27 B\n"
		/* RSDP, XSDT for 256 entries at 48, the table at 0x860 */
		"  ACPI copy    [mem 0x7d181000-0x7d181fff] node 0, 2.3 KiB\n"
		/* 4 KiB zero page, e820 and setup_data and map room for 6 + 192 descriptors */
		"  boot_params  [mem 0x7d182000-0x7d187fff] node 0, 21.8 KiB\n"
		"  none of these lies in a hot-pluggable range of the SRAT\n");
	assert_int_equal(fw.commits, 7);
	assert_int_equal(fw.acpi, 1);
	assert_int_equal(p.pt.offset, 0);
	assert_false(p.pt.nx);
	assert_int_equal(p.layout.ndesc, 6 + 2 * PLAN_MAX_COMMITS + 64);
	assert_int_equal(p.layout.off_map, 0x3220);
	assert_int_equal(p.layout.size, 0x3220 + 198 * 48);

	/* without XLF_CAN_BE_LOADED_ABOVE_4G everything stays below 4 GiB,
	 * and a kernel that is not relocatable goes at pref_address only */
	o = outbuf_new();
	k.lx.above_4g = false;
	k.lx.relocatable = false;
	k.lx.pref_address = 0x1000000;
	assert_int_equal(make(&k, NULL, NULL, &p, o, &err), 0);
	assert_non_null(strstr(o->text, "  kernel       [mem 0x01000000-0x04ffffff] node 0, 64 MiB (at "
					"pref_address: not relocatable)\n"));
	assert_int_equal(p.place_max, 0xffffffff);
	k.lx.pref_address = 0x7c000000;
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_ENOMEM);
	assert_string_equal(err.msg, "kernel (init_size 0x4000000): not relocatable, and its "
				     "preferred address 0x7c000000 is taken");
	(void)state;
}

/* A kernel larger than what is left outside hot-pluggable memory, and a
 * command line longer than the kernel takes. */
static void test_refusals(void **state)
{
	struct kernel k;
	struct plan p;
	struct hs_err err = { "" };
	char big[300];

	two_nodes();
	kernel_default(&k);
	k.lx.init_size = 3ull << 30;
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_ENOMEM);
	assert_string_equal(err.msg, "kernel (3 GiB): no room outside hot-pluggable memory");
	kernel_default(&k);
	k.lx.cmdline_size = 20;
	struct plan_args a = { .cmdline = "console=ttyS0 quiet" };
	assert_int_equal(make(&k, &a, NULL, &p, NULL, &err), -HS_E2BIG);
	assert_string_equal(err.msg, "the command line is 32 bytes; this kernel takes 20");
	/* an override with a kernel too old for acpi_rsdp_addr */
	k.lx.version = 0x020d;
	struct plan_args old = { .cmdline = "", .override_len = 200 };
	assert_int_equal(make(&k, &old, NULL, &p, NULL, &err), -HS_ENOTSUP);
	assert_string_equal(err.msg, "boot protocol 2.13 ignores acpi_rsdp_addr (2.14 and later): "
				     "the initrd's SRAT override would not apply before KASLR");
	old.override_len = 0;
	assert_int_equal(make(&k, &old, NULL, &p, NULL, &err), 0);
	k.lx.version = 0x020f;
	/* movable_node is never appended twice, nor when asked not to */
	k.lx.cmdline_size = 2047;
	memset(big, 'x', 250);
	big[250] = '\0';
	a.cmdline = "movable_node";
	assert_int_equal(make(&k, &a, NULL, &p, NULL, &err), 0);
	assert_int_equal(p.piece[p.cmdline].size, 13);
	a.cmdline = big;
	k.lx.cmdline_size = 255;
	assert_int_equal(make(&k, &a, NULL, &p, NULL, &err), -HS_E2BIG);
	assert_string_equal(err.msg, "the command line is 263 bytes; this kernel takes 255");
	a.no_movable_node = true;
	assert_int_equal(make(&k, &a, NULL, &p, NULL, &err), 0);
	assert_int_equal(p.piece[p.cmdline].size, 251);
	(void)state;
}

/* The hotshim protocol: a PIE placed by the allocator with identity +
 * direct map and NX, modules in order, no command line unless given; an
 * executable at its link address, or a line saying what is in the way. */
static void test_elf(void **state)
{
	struct outbuf *o = outbuf_new();
	struct kernel k = { .kind = KERNEL_ELF };
	struct plan p;
	struct hs_err err = { "" };
	struct plan_args a = { .nmod = 2, .mod_size = { 0x1000, 0x2001 }, .cmdline = "" };

	two_nodes();
	k.elf = (struct elf_image){ .dyn = true, .lo = 0, .last = 0x8fff, .align = 0x200000,
				    .nseg = 1 };
	k.elf.seg[0] = (struct elf_seg){ .paddr = 0, .memsz = 0x9000, .flags = ELF_PF_X };
	assert_int_equal(make(&k, &a, NULL, &p, o, &err), 0);
	assert_string_equal(o->text,
		"  hotshim      [mem 0x7d000000-0x7d03ffff] node 0\n"
		"  kernel       [mem 0x7d200000-0x7d208fff] node 0, 36 KiB\n"
		/* 4 KiB tables where the kernel's and hotshim's code meet data */
		"  page tables  [mem 0x7d040000-0x7d04cfff] node 0, 52 KiB (13 pages, the minimum for "
		"identity + direct map, 1 GiB pages)\n"
		"  stack + GDT  [mem 0x7d04d000-0x7d05dfff] node 0, 68 KiB\n"
		"  module       [mem 0x7d05e000-0x7d05efff] node 0, 4 KiB\n"
		"  module       [mem 0x7d05f000-0x7d061fff] node 0, 8.0 KiB\n"
		"  boot info    [mem 0x7d062000-0x7d066fff] node 0, 18.1 KiB\n"
		"  none of these lies in a hot-pluggable range of the SRAT\n");
	assert_int_equal(p.pt.offset, PT_DIRECT_MAP_DEFAULT);
	assert_true(p.pt.nx);
	assert_int_equal(p.cmdline, -1);
	assert_int_equal(p.layout.nodes, 2);

	/* ET_EXEC over the ACPI tables at 2 GiB - 16 MiB */
	k.elf = (struct elf_image){ .lo = 0x7eff0000, .last = 0x7f00ffff, .nseg = 0 };
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_EBUSY);
	assert_string_equal(err.msg, "kernel segments [mem 0x7eff0000-0x7f00ffff]: the firmware's "
				     "ACPI memory [mem 0x7f000000-0x7fffffff] lies in it");
	/* ... in node 1, which is hot-pluggable */
	k.elf = (struct elf_image){ .lo = 0x100000000ull, .last = 0x100000fffull };
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_EBUSY);
	assert_string_equal(err.msg, "kernel segments [mem 0x100000000-0x100000fff]: 0x100000000 "
				     "is hot-pluggable (node 1)");
	/* ... in a hole of the map */
	k.elf = (struct elf_image){ .lo = 0x90000000, .last = 0x90000fff };
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_EBUSY);
	assert_string_equal(err.msg, "kernel segments [mem 0x90000000-0x90000fff]: 0x90000000 is in "
				     "no memory-map range");
	/* ... in the first MiB, or beyond what 4-level tables map */
	k.elf = (struct elf_image){ .lo = 0xa0000, .last = 0xa0fff };
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "kernel segments [mem 0x000a0000-0x000a0fff]: outside "
				     "[0x100000, 0x3fffffffffff], what the kernel's page tables map");
	k.elf = (struct elf_image){ .lo = 1ull << 46, .last = (1ull << 46) + 0xfff };
	assert_int_equal(make(&k, NULL, NULL, &p, NULL, &err), -HS_EINVAL);
	/* ... and where it fits */
	o = outbuf_new();
	k.elf = (struct elf_image){ .lo = 0x2000000, .last = 0x2008fff };
	assert_int_equal(make(&k, NULL, NULL, &p, o, &err), 0);
	assert_non_null(strstr(o->text, "  kernel       [mem 0x02000000-0x02008fff] node 0, 36 KiB "
					"(at its link address)\n"));
	(void)state;
}

/* The firmware loaded hotshim into hot-pluggable memory: the plan goes to
 * the nearest memory that is not, and says so. */
static void test_image_in_hotplug(void **state)
{
	struct outbuf *o = outbuf_new();
	struct kernel k;
	struct plan p;
	struct hs_err err = { "" };

	two_nodes();
	node(1, 0x40000000, 0x40000000, 1, true); /* [1 GiB, 2 GiB): image and ACPI */
	node(2, 0x100000000ull, 0x80000000, 1, true);
	kernel_default(&k);
	assert_int_equal(make(&k, NULL, NULL, &p, o, &err), 0);
	assert_string_equal(o->text,
		"  hotshim      [mem 0x7d000000-0x7d03ffff] node 1 (hot-pluggable: the firmware "
		"loaded hotshim there; its pages are free RAM after the jump)\n"
		"  kernel       [mem 0x3c000000-0x3fffffff] node 0, 64 MiB (top-down: no room above "
		"the image)\n"
		"  page tables  [mem 0x3bffa000-0x3bffffff] node 0, 24 KiB (6 pages, the minimum for "
		"identity map, 1 GiB pages) (top-down: no room above the image)\n"
		"  stack + GDT  [mem 0x3bfea000-0x3bff9fff] node 0, 64 KiB (top-down: no room above "
		"the image)\n"
		"  command line [mem 0x3bfe9000-0x3bfe9fff] node 0, 13 B (top-down: no room above "
		"the image)\n"
		"  boot_params  [mem 0x3bfe3000-0x3bfe8fff] node 0, 21.8 KiB (top-down: no room above "
		"the image)\n"
		"  none of these lies in a hot-pluggable range of the SRAT\n");
	(void)state;
}

/* Regions smaller than a page are not mapped; RAM beyond what 4-level
 * paging reaches is left out, and the plan says so. */
static void test_odd_regions(void **state)
{
	struct outbuf *o = outbuf_new();
	struct kernel k;
	struct plan p;
	struct hs_err err = { "" };

	two_nodes();
	mmap.count = 0;
	ram(0x1, 0xfb, MM_CONVENTIONAL);
	ram(0x100000, 0x7cffffff, MM_CONVENTIONAL);
	ram(0x7d000000, 0x7d03ffff, MM_LOADER);
	ram(0x7d040000, 0x7fffffff, MM_CONVENTIONAL);
	ram(0x1000000000000000ull, 0x1000000010004fffull, MM_CONVENTIONAL);
	srat.mem_count = 1;
	kernel_default(&k);
	k.lx.init_size = 2ull << 20;
	assert_int_equal(make(&k, NULL, NULL, &p, o, &err), 0);
	assert_true(p.clipped);
	assert_non_null(strstr(o->text, "  RAM above 0x3fffffffffff is beyond what 4-level paging maps; "
					"left out\n"));
	for (size_t i = 0; i < p.nranges; i++)
		assert_true(p.ranges[i].last <= 0x3fffffffffffull && p.ranges[i].base >= 0x1000);
	(void)state;
}

/* --- property test over random machines -------------------------------- */

static uint32_t rng;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

static bool overlaps(uint64_t a, uint64_t z, uint64_t b, uint64_t y)
{
	return a <= y && b <= z;
}

static void one_machine(unsigned seed)
{
	struct kernel k;
	struct plan p, q;
	struct hs_err err = { "" };
	struct plan_args a = { .cmdline = "root=/dev/vda1" };
	struct fake_fw fw = { 0 };
	struct outbuf *o1 = outbuf_new(), *o2 = outbuf_new();

	rng = seed;
	mmap.count = 0;
	/* up to 8 GiB in runs of random kinds, with holes */
	uint64_t pos = 0x100000, img = 0;
	while (mmap.count < 40 && pos < (8ull << 30)) {
		uint64_t len = (1 + rnd(300)) * 0x100000ull;
		uint32_t t = rnd(10);
		enum mm_kind kind = t < 6 ? MM_CONVENTIONAL : t < 7 ? MM_BOOT_SERVICES :
				    t < 8 ? MM_ACPI : MM_RESERVED;
		ram(pos, pos + len - 1, kind);
		pos += len + (rnd(4) ? 0 : rnd(64) * 0x100000ull);
	}
	/* hotshim in one of the conventional ranges */
	for (size_t i = 0; i < mmap.count && !img; i++)
		if (mmap.e[i].kind == MM_CONVENTIONAL && rnd(2))
			img = mmap.e[i].base;
	if (!img)
		return;
	for (size_t i = 0; i < mmap.count; i++)
		if (mmap.e[i].base == img) {
			mmap.e[i].kind = MM_LOADER;
			uint64_t l = mmap.e[i].last;
			mmap.e[i].last = img + 0x3ffff;
			if (l > img + 0x3ffff)
				ram(img + 0x40000, l, MM_CONVENTIONAL);
		}
	mm_sort(&mmap);
	srat.node_count = 0;
	srat.mem_count = 0;
	for (uint64_t b = 0, n = 0; b < pos && srat.mem_count < 16; n++) {
		uint64_t len = (64 + rnd(2000)) * 0x100000ull;
		node((unsigned)srat.mem_count, b, len, (unsigned)(n % 4), rnd(3) == 0);
		b += len;
	}
	kernel_default(&k);
	k.lx.init_size = (1 + rnd(64)) * 0x100000ull;
	a.nmod = rnd(2);
	a.has_initrd = a.nmod;
	a.mod_size[0] = 1 + rnd(50 << 20);
	a.override_len = rnd(2) ? 200 : 0;
	struct plan_in sv;
	static struct memblock mb;
	static char cmd[300];
	bool movable;
	mb = (struct memblock){ { mr, 0, 256 }, { rr, 0, 256 } };
	assert_int_equal(mb_build(&mb, &mmap, &srat, img, img + 0x3ffff), 0);
	struct plan_commit pc = { commit, release, &fw };
	struct plan_in s0 = { .map = &mmap, .ndesc = mmap.count, .desc_size = 48, .srat = &srat,
			      .image_base = img, .image_last = img + 0x3ffff,
			      .cpu = { .gb_pages = rnd(2), .nx = true }, .commit = &pc };
	a.kernel = &k;
	assert_int_equal(plan_inputs(&a, &s0, cmd, sizeof(cmd), &movable, &sv, &err), 0);
	p.ranges = ranges;
	int r = plan_make(&mb, &sv, &p, &err);
	plan_print(&p, &srat, &o1->sink);
	if (r < 0) {
		assert_int_equal(r, -HS_ENOMEM);
		return;
	}
	for (size_t i = 0; i < p.n; i++) {
		const struct plan_piece *c = &p.piece[i];
		uint64_t z = c->base + ((c->size + 0xfff) & ~0xfffull) - 1;
		/* on conventional memory of the map only (neighbours merge) */
		bool inside = false;
		for (size_t j = 0, at = c->base; j < mmap.count && !inside; j++) {
			if (mmap.e[j].kind != MM_CONVENTIONAL || mmap.e[j].base > at ||
			    mmap.e[j].last < at)
				continue;
			inside = mmap.e[j].last >= z;
			at = mmap.e[j].last + 1;
		}
		/* never in a hot-pluggable SRAT range: checked against the table,
		 * not the allocator's flags */
		for (size_t j = 0; j < srat.mem_count; j++)
			if (sm[j].flags & SRAT_MEM_HOT_PLUGGABLE)
				assert_false(overlaps(c->base, z, sm[j].base, sm[j].end - 1));
		for (size_t j = 0; j < i; j++) {
			const struct plan_piece *d = &p.piece[j];
			assert_false(overlaps(c->base, z, d->base, d->base + d->size - 1));
		}
		if (!inside)
			fail_msg("seed %u: %s [%#llx-%#llx] is not on conventional memory", seed,
				 c->what, (unsigned long long)c->base, (unsigned long long)z);
		assert_true(c->base >= PLAN_LOW_LIMIT && z <= p.place_max);
		assert_false(overlaps(c->base, z, img, img + 0x3ffff));
	}
	assert_int_equal(fw.commits, p.n);
	/* deciding again on the same survey gives the same lines: what the
	 * report prints is what the boot does */
	mb = (struct memblock){ { mr, 0, 256 }, { rr, 0, 256 } };
	assert_int_equal(mb_build(&mb, &mmap, &srat, img, img + 0x3ffff), 0);
	q.ranges = ranges;
	assert_int_equal(plan_make(&mb, &sv, &q, &err), 0);
	plan_print(&q, &srat, &o2->sink);
	assert_string_equal(o1->text, o2->text);
}

static void test_random_machines(void **state)
{
	for (unsigned seed = 1; seed <= 1500; seed++)
		one_machine(seed);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_image_in_hotplug),
		cmocka_unit_test(test_odd_regions),
		cmocka_unit_test(test_random_machines),
	};
	return cmocka_run_group_tests_name("core/plan", tests, NULL, NULL);
}
