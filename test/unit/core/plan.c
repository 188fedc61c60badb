/* Tests core/plan.c: the placement plan, commits refused by firmware and
 * released afterwards, and the top-down fallback. */
#include "test/unit/helpers.h"
#include "core/plan.h"

static struct mb_region mr[64], rr[64];

struct fake_fw {
	uint64_t refuse;     /* the first commit at this address fails */
	unsigned commits, released;
};

static int commit(void *ctx, uint64_t base, uint64_t size)
{
	struct fake_fw *f = ctx;

	if (base == f->refuse) {
		f->refuse = 0;
		return -HS_EBUSY;
	}
	f->commits++;
	return 0;
}

static void release(void *ctx)
{
	struct fake_fw *f = ctx;

	f->released = f->commits;
}

static void test_plan(void **state)
{
	struct outbuf *o = outbuf_new();
	struct memblock mb = { { mr, 0, 64 }, { rr, 0, 64 } };
	struct fake_fw fw = { .refuse = 0x1000000 };
	struct plan_commit pc = { commit, release, &fw };
	struct plan_in in = { .image_last = 0xffffff, .kernel_size = 8ull << 20,
			      .initrd_size = 0x1800, .pt = { .gb_pages = true, .nx = true },
			      .commit = &pc };

	/* RAM 1 MiB - 32 MiB in node 0; 32 - 64 MiB node 1, hot-pluggable */
	mb_add(&mb.memory, 0x100000, 0x1ffffff, 0, 0, OWN_NONE);
	mb_add(&mb.memory, 0x2000000, 0x3ffffff, 1, MB_HOTPLUG, OWN_NONE);
	mb_add(&mb.reserved, 0xf00000, 0xffffff, MB_NO_NODE, 0, OWN_HOTSHIM);
	assert_int_equal(plan_report(&mb, &in, &o->sink), 0);
	assert_string_equal(o->text,
		"Placement plan (bottom-up above hotshim's image, never in hot-pluggable memory; "
		"each committed with AllocatePages and released again):\n"
		/* the first try at 0x1000000 was refused: the next block up */
		"  page tables  [mem 0x01004000-0x01007fff] node 0, 16 KiB (4 pages, the minimum for "
		"1 GiB pages)\n"
		"  kernel       [mem 0x01200000-0x019fffff] node 0, 8 MiB\n"
		"  initrd       [mem 0x01008000-0x01009fff] node 0, 6 KiB\n"
		"  boot info    [mem 0x0100a000-0x0100afff] node 0, 4 KiB\n"
		"  command line [mem 0x0100b000-0x0100bfff] node 0, 4 KiB\n"
		"  none of these lies in hot-pluggable memory\n");
	assert_int_equal(fw.commits, 5);
	assert_int_equal(fw.released, 5);
	/* the refused page stays marked as the firmware's */
	assert_int_equal(mb_find(&mb.reserved, 0x1000000)->owner, OWN_FIRMWARE);

	/* a kernel bigger than what is left above the image: top-down */
	o = outbuf_new();
	in.kernel_size = 12ull << 20;
	in.initrd_size = 0;
	assert_int_equal(plan_report(&mb, &in, &o->sink), 0);
	assert_non_null(strstr(o->text, "  kernel       [mem 0x00200000-0x00dfffff] node 0, 12 MiB "
					"(top-down: no room above the image)\n"));
	/* one that fits nowhere outside node 1 */
	o = outbuf_new();
	in.kernel_size = 40ull << 20;
	assert_int_equal(plan_report(&mb, &in, &o->sink), -HS_ENOMEM);
	assert_non_null(strstr(o->text, "  kernel       40 MiB: no room outside hot-pluggable memory\n"));
}

/* Regions smaller than a page are not mapped; RAM beyond what 4-level
 * paging reaches is left out, and the plan says so. */
static void test_odd_regions(void **state)
{
	struct outbuf *o = outbuf_new();
	struct memblock mb = { { mr, 0, 64 }, { rr, 0, 64 } };
	struct plan_in in = { .image_last = 0xffffff, .kernel_size = 2ull << 20,
			      .pt = { .gb_pages = true } };

	mb_add(&mb.memory, 0x1, 0xfb, 0, 0, OWN_NONE);
	mb_add(&mb.memory, 0x100000, 0x3ffffff, 0, 0, OWN_NONE);
	mb_add(&mb.memory, 0x1000000000000000ull, 0x1000000010004fffull, 0, 0, OWN_NONE);
	mb_add(&mb.reserved, 0xf00000, 0xffffff, MB_NO_NODE, 0, OWN_HOTSHIM);
	assert_int_equal(plan_report(&mb, &in, &o->sink), 0);
	assert_string_equal(o->text,
		"Placement plan (bottom-up above hotshim's image, never in hot-pluggable memory):\n"
		/* root, PDPT, PD, and a PT for the 4 KiB pages of 1-2 MiB */
		"  page tables  [mem 0x01000000-0x01003fff] node 0, 16 KiB (4 pages, the minimum for "
		"1 GiB pages)\n"
		"  kernel       [mem 0x01200000-0x013fffff] node 0, 2 MiB\n"
		"  boot info    [mem 0x01004000-0x01004fff] node 0, 4 KiB\n"
		"  command line [mem 0x01005000-0x01005fff] node 0, 4 KiB\n"
		"  RAM above 0x3fffffffffff is beyond what 4-level paging maps; left out\n"
		"  none of these lies in hot-pluggable memory\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_odd_regions),
	};
	return cmocka_run_group_tests_name("core/plan", tests, NULL, NULL);
}
