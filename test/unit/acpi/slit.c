/* Tests acpi/slit.c: the distances Linux 6.1 takes from a SLIT, and when
 * it takes none. */
/* links: acpi/slit.c acpi/srat.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "acpi/slit.h"

static uint8_t tab[256];

/* A SLIT of d localities with the distances v (d*d of them), and room. */
static struct hs_view slit_of(uint64_t d, const uint8_t *v, size_t nv)
{
	memset(tab, 0, sizeof(tab));
	memcpy(tab, "SLIT", 4);
	for (int i = 0; i < 8; i++)
		tab[36 + i] = (uint8_t)(d >> (8 * i));
	memcpy(tab + 44, v, nv);
	tab[4] = (uint8_t)(44 + nv);
	return (struct hs_view){ tab, 44 + nv };
}

/* Nodes 0, 1, 2 for PXMs 2, 0, 5 (Linux numbers nodes as PXMs appear). */
static struct srat_result nodes;
static void three_nodes(void)
{
	memset(&nodes, 0, sizeof(nodes));
	nodes.node_count = 3;
	nodes.node[0].pxm = 2;
	nodes.node[1].pxm = 0;
	nodes.node[2].pxm = 5;
}

static void test_used_by_pxm(void **state)
{
	(void)state;
	/* 3 localities, asymmetric: 0->1 15, 1->0 25, ... */
	static const uint8_t v[] = { 10, 15, 30, 25, 10, 40, 31, 41, 10 };
	struct slit s;
	three_nodes();
	slit_read(slit_of(3, v, sizeof(v)), &s);
	assert_true(s.used);
	assert_int_equal(s.localities, 3);
	/* node 0 is PXM 2, node 1 PXM 0: 2 -> 0 is row 2, column 0 */
	assert_int_equal(slit_distance(&s, &nodes, 0, 1), 31);
	assert_int_equal(slit_distance(&s, &nodes, 1, 0), 30);
	assert_int_equal(slit_distance(&s, &nodes, 0, 0), 10);
	/* PXM 5 has no locality: the defaults */
	assert_int_equal(slit_distance(&s, &nodes, 2, 0), 20);
	assert_int_equal(slit_distance(&s, &nodes, 2, 2), 10);
	assert_int_equal(slit_distance(NULL, &nodes, 0, 1), 20);
	assert_int_equal(slit_distance(NULL, &nodes, 1, 1), 10);
}

static void test_invalid(void **state)
{
	(void)state;
	static const uint8_t diag[] = { 10, 21, 21, 11 };
	static const uint8_t low[] = { 10, 10, 21, 10 };
	static const uint8_t zero[] = { 10, 0, 21, 10 };
	struct slit s;
	three_nodes();
	slit_read(slit_of(2, diag, sizeof(diag)), &s);
	assert_false(s.used);
	assert_string_equal(s.why, "SLIT table looks invalid. Not used. (locality 1 to 1 is 11)");
	assert_int_equal(slit_distance(&s, &nodes, 0, 1), 20);
	slit_read(slit_of(2, low, sizeof(low)), &s);
	assert_false(s.used);
	assert_string_equal(s.why, "SLIT table looks invalid. Not used. (locality 0 to 1 is 10)");
	slit_read(slit_of(2, zero, sizeof(zero)), &s);
	assert_false(s.used);
}

static void test_short_and_odd(void **state)
{
	(void)state;
	static const uint8_t v[] = { 10, 21, 21 };
	struct slit s;
	slit_read(slit_of(2, v, sizeof(v)), &s);
	assert_false(s.used);
	assert_string_equal(s.why, "2 localities need 4 bytes of distances, the table has 3: Linux "
				   "would read past its end");
	slit_read(slit_of(1ull << 33, v, sizeof(v)), &s);
	assert_false(s.used);
	assert_string_equal(s.why, "8589934592 localities need more than 2^64 bytes of distances: "
				   "Linux would read past the table's end");
	slit_read((struct hs_view){ tab, 40 }, &s);
	assert_false(s.used);
	assert_string_equal(s.why, "40 bytes is shorter than a SLIT header (44)");
	/* no localities: valid and empty, every distance the default */
	slit_read(slit_of(0, v, 0), &s);
	assert_true(s.used);
	three_nodes();
	assert_int_equal(slit_distance(&s, &nodes, 0, 1), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_used_by_pxm),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_short_and_odd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
