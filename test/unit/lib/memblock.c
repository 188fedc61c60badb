/* Tests lib/memblock.c: add, merge, split, remove, flags, full arrays. */
/* links: lib/memblock.c */
#include "test/unit/helpers.h"
#include "lib/memblock.h"

static struct mb_region store[16];

static struct mb_type fresh(size_t cap)
{
	memset(store, 0, sizeof(store));
	return (struct mb_type){ store, 0, cap };
}

/* "base-last/node/flags/owner ..." for compact exact checks. */
static const char *dump(const struct mb_type *t)
{
	static char buf[1024];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->count; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%llx-%llx/%d/%u/%u", i ? " " : "",
				      (unsigned long long)t->r[i].base,
				      (unsigned long long)t->r[i].last, t->r[i].node, t->r[i].flags,
				      t->r[i].owner);
	return buf;
}

static void test_add_merge(void **state)
{
	struct mb_type t = fresh(16);

	assert_int_equal(mb_add(&t, 0x2000, 0x2fff, 0, 0, 0), 0);
	assert_int_equal(mb_add(&t, 0x0, 0xfff, 0, 0, 0), 0);
	assert_string_equal(dump(&t), "0-fff/0/0/0 2000-2fff/0/0/0");
	/* fills the hole: everything merges */
	assert_int_equal(mb_add(&t, 0x1000, 0x1fff, 0, 0, 0), 0);
	assert_string_equal(dump(&t), "0-2fff/0/0/0");
	/* overlapping add: only the new part is added, with its attributes */
	assert_int_equal(mb_add(&t, 0x2000, 0x4fff, 1, 0, 0), 0);
	assert_string_equal(dump(&t), "0-2fff/0/0/0 3000-4fff/1/0/0");
	/* touching but different: stays apart */
	assert_int_equal(mb_add(&t, 0x5000, 0x5fff, 1, MB_HOTPLUG, 0), 0);
	assert_string_equal(dump(&t), "0-2fff/0/0/0 3000-4fff/1/0/0 5000-5fff/1/1/0");
	/* spanning several with gaps */
	assert_int_equal(mb_add(&t, 0x8000, 0x8fff, 2, 0, 0), 0);
	assert_int_equal(mb_add(&t, 0x0, 0xffff, 3, 0, 0), 0);
	assert_string_equal(dump(&t), "0-2fff/0/0/0 3000-4fff/1/0/0 5000-5fff/1/1/0 6000-7fff/3/0/0 "
				      "8000-8fff/2/0/0 9000-ffff/3/0/0");
	assert_int_equal(mb_add(&t, 5, 4, 0, 0, 0), -HS_EINVAL);
}

static void test_top_of_address_space(void **state)
{
	struct mb_type t = fresh(16);

	assert_int_equal(mb_add(&t, 0xfffffffffffff000ull, UINT64_MAX, 0, 0, 0), 0);
	assert_int_equal(mb_add(&t, 0xffffffffffffe000ull, 0xffffffffffffefffull, 0, 0, 0), 0);
	assert_string_equal(dump(&t), "ffffffffffffe000-ffffffffffffffff/0/0/0");
	assert_int_equal(mb_update(&t, 0xfffffffffffff000ull, UINT64_MAX, MB_HOTPLUG, 0, false, 0), 0);
	assert_string_equal(dump(&t), "ffffffffffffe000-ffffffffffffefff/0/0/0 "
				      "fffffffffffff000-ffffffffffffffff/0/1/0");
}

static void test_remove_split(void **state)
{
	struct mb_type t = fresh(16);

	mb_add(&t, 0x0, 0xffff, 0, 0, 0);
	assert_int_equal(mb_remove(&t, 0x4000, 0x4fff), 0);
	assert_string_equal(dump(&t), "0-3fff/0/0/0 5000-ffff/0/0/0");
	assert_int_equal(mb_remove(&t, 0x3000, 0x5fff), 0);
	assert_string_equal(dump(&t), "0-2fff/0/0/0 6000-ffff/0/0/0");
	assert_int_equal(mb_remove(&t, 0x0, 0xffff), 0);
	assert_int_equal(t.count, 0);
}

static void test_update(void **state)
{
	struct mb_type t = fresh(16);

	mb_add(&t, 0x0, 0xffff, MB_NO_NODE, 0, 0);
	assert_int_equal(mb_update(&t, 0x4000, 0x7fff, MB_HOTPLUG, 0, true, 1), 0);
	assert_string_equal(dump(&t), "0-3fff/-1/0/0 4000-7fff/1/1/0 8000-ffff/-1/0/0");
	/* clearing the flag and node again merges back */
	assert_int_equal(mb_update(&t, 0x4000, 0x7fff, 0, MB_HOTPLUG, true, MB_NO_NODE), 0);
	assert_string_equal(dump(&t), "0-ffff/-1/0/0");
	/* an update over a hole touches only what exists */
	mb_remove(&t, 0x5000, 0x5fff);
	assert_int_equal(mb_update(&t, 0x4000, 0x6fff, MB_NONVOLATILE, 0, false, 0), 0);
	assert_string_equal(dump(&t), "0-3fff/-1/0/0 4000-4fff/-1/2/0 6000-6fff/-1/2/0 7000-ffff/-1/0/0");
}

/* A full array fails cleanly and leaves the array as it was. */
static void test_full(void **state)
{
	struct mb_type t = fresh(3);

	mb_add(&t, 0x0, 0xfff, 0, 0, 0);
	mb_add(&t, 0x2000, 0x2fff, 0, 0, 0);
	mb_add(&t, 0x4000, 0x4fff, 0, 0, 0);
	assert_int_equal(mb_add(&t, 0x6000, 0x6fff, 0, 0, 0), -HS_ENOSPC);
	assert_int_equal(mb_add(&t, 0x0, 0x8fff, 1, 0, 0), -HS_ENOSPC);
	assert_string_equal(dump(&t), "0-fff/0/0/0 2000-2fff/0/0/0 4000-4fff/0/0/0");
	assert_int_equal(mb_remove(&t, 0x2400, 0x24ff), -HS_ENOSPC);
	assert_int_equal(mb_update(&t, 0x4100, 0x41ff, MB_HOTPLUG, 0, false, 0), -HS_ENOSPC);
	assert_string_equal(dump(&t), "0-fff/0/0/0 2000-2fff/0/0/0 4000-4fff/0/0/0");
	/* an add that fills holes exactly fits after merging */
	assert_int_equal(mb_add(&t, 0x1000, 0x1fff, 0, 0, 0), 0);
	assert_string_equal(dump(&t), "0-2fff/0/0/0 4000-4fff/0/0/0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_merge),
		cmocka_unit_test(test_top_of_address_space),
		cmocka_unit_test(test_remove_split),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_full),
	};
	return cmocka_run_group_tests_name("core/memblock", tests, NULL, NULL);
}
