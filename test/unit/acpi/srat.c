/* Tests acpi/srat.c: Linux 6.1's lines and verdict, exactly. */
/* links: acpi/srat.c lib/fmt.c */
#include <dirent.h>

#include "test/unit/helpers.h"
#include "acpi/srat.h"

static struct srat_mem mem_store[SRAT_MAX_MEMBLKS + 8];

/* A tiny SRAT builder for odd tables that iasl would refuse to write. */
struct tb {
	uint8_t b[1 << 17];
	size_t len;
};

static void tb_init(struct tb *t, uint8_t revision)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "SRAT", 4);
	t->b[8] = revision;
	memcpy(t->b + 10, "HSTEST", 6);
	memcpy(t->b + 16, "ODDTABLE", 8);
	t->b[24] = 1;
	t->b[36] = 1;
	t->len = 48;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void tb_cpu(struct tb *t, uint32_t pxm, uint8_t apic, uint32_t flags)
{
	uint8_t *e = t->b + t->len;
	e[0] = SRAT_TYPE_CPU;
	e[1] = 16;
	e[2] = (uint8_t)pxm;
	e[3] = apic;
	put_le(e + 4, flags, 4);
	put_le(e + 9, pxm >> 8, 3);
	t->len += 16;
}

static void tb_x2apic(struct tb *t, uint32_t pxm, uint32_t apic, uint32_t flags)
{
	uint8_t *e = t->b + t->len;
	e[0] = SRAT_TYPE_X2APIC;
	e[1] = 24;
	put_le(e + 4, pxm, 4);
	put_le(e + 8, apic, 4);
	put_le(e + 12, flags, 4);
	t->len += 24;
}

static void tb_mem(struct tb *t, uint32_t pxm, uint64_t base, uint64_t len, uint32_t flags)
{
	uint8_t *e = t->b + t->len;
	e[0] = SRAT_TYPE_MEMORY;
	e[1] = 40;
	put_le(e + 2, pxm, 4);
	put_le(e + 8, base, 8);
	put_le(e + 16, len, 8);
	put_le(e + 28, flags, 4);
	t->len += 40;
}

static void tb_raw(struct tb *t, uint8_t type, uint8_t len)
{
	uint8_t *e = t->b + t->len;
	e[0] = type;
	e[1] = len;
	t->len += len ? len : 2;
}

static void tb_gi(struct tb *t, uint32_t pxm, uint32_t flags)
{
	uint8_t *e = t->b + t->len;
	e[0] = SRAT_TYPE_GENERIC_INIT;
	e[1] = 32;
	put_le(e + 4, pxm, 4);
	put_le(e + 24, flags, 4);
	t->len += 32;
}

static struct srat_result *parse(const uint8_t *b, size_t len, bool x2apic, struct outbuf *o)
{
	static struct srat_result r;
	struct srat_opts opts = { .x2apic_mode = x2apic };

	r.mem = mem_store;
	r.mem_cap = HS_ARRAY_SIZE(mem_store);
	assert_int_equal(srat_parse((struct hs_view){ b, len }, &opts, &r, &o->sink), 0);
	return &r;
}

static struct srat_result *parse_tb(struct tb *t, bool x2apic, struct outbuf *o)
{
	put_le(t->b + 4, t->len, 4);
	fix_checksum(t->b, t->len);
	return parse(t->b, t->len, x2apic, o);
}

static void test_two_nodes_fixture(void **state)
{
	struct outbuf *o = outbuf_new();
	size_t len;
	uint8_t *t = load_fixture("two-nodes", &len);
	struct srat_result *r = parse(t, len, false, o);

	assert_string_equal(o->text,
		"SRAT: PXM 5 -> APIC 0x00 -> Node 0\n"
		"SRAT: PXM 2 -> APIC 0x01 -> Node 1\n"
		"ACPI: SRAT: Node 0 PXM 5 [mem 0x00000000-0x0009ffff]\n"
		"ACPI: SRAT: Node 0 PXM 5 [mem 0x00100000-0x7fffffff]\n"
		"ACPI: SRAT: Node 1 PXM 2 [mem 0x100000000-0x17fffffff] hotplug\n");
	assert_true(r->used);
	assert_int_equal(r->node_count, 2);
	assert_int_equal(r->node[0].pxm, 5);
	assert_int_equal(r->node[1].pxm, 2);
	assert_int_equal(r->mem_count, 3);
	assert_int_equal(r->memblks, 3);
	assert_int_equal(r->accepted, 3);
	assert_int_equal(r->problem_count, 0);
	free(t);
}

/* Revision 1 keeps only the low 8 bits of a memory PXM, and CPU entries
 * ignore the high PXM bytes before revision 2. */
static void test_revision1_masking(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 1);
	tb_cpu(&t, 0x301, 0, SRAT_CPU_ENABLED);
	tb_mem(&t, 0x1201, 0, 0x100000000ull, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text, "SRAT: PXM 1 -> APIC 0x00 -> Node 0\n"
				     "ACPI: SRAT: Node 0 PXM 1 [mem 0x00000000-0xffffffff]\n");
	assert_true(r->used);

	o = outbuf_new();
	tb_init(&t, 2);
	tb_cpu(&t, 0x301, 0, SRAT_CPU_ENABLED);
	tb_mem(&t, 0x1201, 0, 0x100000000ull, SRAT_MEM_ENABLED);
	r = parse_tb(&t, false, o);
	/* revision 2: CPU PXM 0x301 counts whole and is below Debian's 1024
	 * domains; memory PXM 0x1201 is not */
	assert_string_equal(o->text, "SRAT: PXM 769 -> APIC 0x00 -> Node 0\n"
				     "ACPI: SRAT: Too many proximity domains.\n"
				     "ACPI: SRAT: SRAT not used.\n");
	assert_false(r->used);

	o = outbuf_new();
	tb_init(&t, 2);
	tb_cpu(&t, 0x400, 0, SRAT_CPU_ENABLED);
	tb_mem(&t, 0, 0, 0x100000000ull, SRAT_MEM_ENABLED);
	r = parse_tb(&t, false, o);
	assert_string_equal(o->text, "SRAT: Too many proximity domains 400\n"
				     "ACPI: SRAT: SRAT not used.\n");
	assert_false(r->used);
}

/* Debian's kernel (CONFIG_NODES_SHIFT=10) takes PXMs up to 1023 on every
 * kind of entry and numbers nodes by first appearance, so the node
 * numbers stay small (the QEMU machine pxm-high shows the same lines). */
static void test_pxm_up_to_1023(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_cpu(&t, 1000, 0, SRAT_CPU_ENABLED);
	tb_x2apic(&t, 255, 1, SRAT_CPU_ENABLED);
	tb_mem(&t, 1000, 0, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 255, HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 256, 2 * HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 1023, 3 * HS_GIB, HS_GIB, SRAT_MEM_ENABLED | SRAT_MEM_HOT_PLUGGABLE);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"SRAT: PXM 1000 -> APIC 0x00 -> Node 0\n"
		"SRAT: PXM 255 -> APIC 0x0001 -> Node 1\n"
		"ACPI: SRAT: Node 0 PXM 1000 [mem 0x00000000-0x3fffffff]\n"
		"ACPI: SRAT: Node 1 PXM 255 [mem 0x40000000-0x7fffffff]\n"
		"ACPI: SRAT: Node 2 PXM 256 [mem 0x80000000-0xbfffffff]\n"
		"ACPI: SRAT: Node 3 PXM 1023 [mem 0xc0000000-0xffffffff] hotplug\n");
	assert_true(r->used);
	assert_int_equal(r->node_count, 4);
	assert_int_equal(r->node[3].pxm, 1023);
	assert_int_equal(r->pxm_to_node[1023], 3);
	assert_int_equal(r->pxm_to_node[1022], -1);
}

/* 1024 distinct PXMs make 1024 nodes, Linux's MAX_NUMNODES; the 1025th
 * PXM cannot be below MAX_PXM_DOMAINS and is refused. */
static void test_1024_nodes(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	for (unsigned i = 0; i < SRAT_MAX_NODES; i++)
		tb_mem(&t, SRAT_MAX_NODES - 1 - i, (uint64_t)i * HS_MIB, HS_MIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_true(r->used);
	assert_int_equal(r->node_count, 1024);
	assert_int_equal(r->node[0].pxm, 1023);
	assert_int_equal(r->node[1023].pxm, 0);
	assert_int_equal(r->pxm_to_node[0], 1023);
	assert_non_null(strstr(o->text, "ACPI: SRAT: Node 1023 PXM 0 [mem 0x3ff00000-0x3fffffff]\n"));

	o = outbuf_new();
	tb_mem(&t, SRAT_MAX_NODES, HS_GIB, HS_MIB, SRAT_MEM_ENABLED);
	r = parse_tb(&t, false, o);
	assert_false(r->used);
	assert_int_equal(r->node_count, 1024);
	assert_non_null(strstr(o->text, "ACPI: SRAT: Node 1023 PXM 0 [mem 0x3ff00000-0x3fffffff]\n"
					"ACPI: SRAT: Too many proximity domains.\n"
					"ACPI: SRAT: SRAT not used.\n"));
}

static void test_disabled_entries_silent(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_cpu(&t, 4, 1, 0);
	tb_x2apic(&t, 4, 2, 0);
	tb_mem(&t, 4, 0, HS_GIB, 0);
	tb_mem(&t, 3, 0, HS_GIB, SRAT_MEM_ENABLED | SRAT_MEM_NON_VOLATILE);
	tb_mem(&t, 3, HS_GIB, HS_GIB, SRAT_MEM_ENABLED | 6);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"ACPI: SRAT: Node 0 PXM 3 [mem 0x00000000-0x3fffffff] non-volatile\n"
		"ACPI: SRAT: Node 0 PXM 3 [mem 0x40000000-0x7fffffff] hotplug non-volatile\n");
	assert_int_equal(r->node_count, 1);
	assert_true(r->used);
}

/* Zero length stops both walks, each naming its first type. */
static void test_zero_length(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_cpu(&t, 0, 0, SRAT_CPU_ENABLED);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	tb_raw(&t, 7, 0);
	tb_mem(&t, 1, HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"SRAT: PXM 0 -> APIC 0x00 -> Node 0\n"
		"ACPI: [SRAT:0x00] Invalid zero length\n"
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]\n"
		"ACPI: [SRAT:0x01] Invalid zero length\n");
	assert_false(r->used);
	assert_int_equal(r->problem_count, 1);
	assert_string_equal(r->problem[0], "offset 0x68: unknown type entry has length 0");
}

static void test_short_memory_entry(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	tb_raw(&t, SRAT_TYPE_MEMORY, 32);
	tb_mem(&t, 1, HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]\n"
		"ACPI: SRAT: Unexpected header length: 32\n"
		"ACPI: SRAT: SRAT not used.\n");
	assert_false(r->used);
	assert_string_equal(r->why_unused, "a memory affinity entry is shorter than 40 bytes");
}

static void test_cpu_entry_bad_length(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_cpu(&t, 0, 0, SRAT_CPU_ENABLED);
	tb_raw(&t, SRAT_TYPE_CPU, 20);
	tb_cpu(&t, 1, 1, SRAT_CPU_ENABLED);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	/* bad_srat() silences everything after it, memory entries included */
	assert_string_equal(o->text, "SRAT: PXM 0 -> APIC 0x00 -> Node 0\n"
				     "ACPI: SRAT: SRAT not used.\n");
	assert_false(r->used);
}

/* An overflowing range is warned about and not recorded, but still
 * printed with its wrapped end; an empty one prints end = base - 1. */
static void test_overflow_and_empty(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 0, 0xffffffff00000000ull, 0x200000000ull, SRAT_MEM_ENABLED);
	tb_mem(&t, 1, 0x100000000ull, 0, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]\n"
		"Warning: invalid memblk node 0 [mem 0xffffffff00000000-0xffffffff]\n"
		"ACPI: SRAT: Node 0 PXM 0 [mem 0xffffffff00000000-0xffffffff]\n"
		"ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0xffffffff]\n");
	assert_true(r->used);
	assert_int_equal(r->memblks, 1);
	assert_int_equal(r->accepted, 3);
	assert_int_equal(r->node_count, 2);
}

/* In xAPIC mode x2APIC ids >= 0xff are ignored before their PXM gets a
 * node; in x2APIC mode they map. */
static void test_x2apic_validity(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_x2apic(&t, 1, 0x100, SRAT_CPU_ENABLED);
	tb_x2apic(&t, 2, 0x10, SRAT_CPU_ENABLED);
	tb_x2apic(&t, 3, 0x9000, SRAT_CPU_ENABLED);
	tb_mem(&t, 1, 0, HS_GIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"SRAT: PXM 1 -> X2APIC 0x0100 ignored\n"
		"SRAT: PXM 2 -> APIC 0x0010 -> Node 0\n"
		"SRAT: PXM 3 -> X2APIC 0x9000 ignored\n"
		"ACPI: SRAT: Node 1 PXM 1 [mem 0x00000000-0x3fffffff]\n");
	assert_int_equal(r->node_count, 2);

	o = outbuf_new();
	r = parse_tb(&t, true, o);
	assert_string_equal(o->text,
		"SRAT: PXM 1 -> APIC 0x0100 -> Node 0\n"
		"SRAT: PXM 2 -> APIC 0x0010 -> Node 1\n"
		"SRAT: PXM 3 -> APIC 0x9000 -> Node 2 skipped apicid that is too big\n"
		"ACPI: SRAT: Node 0 PXM 1 [mem 0x00000000-0x3fffffff]\n");
	assert_int_equal(r->node_count, 3);
}

/* GICC, GIC ITS, generic port and unknown types print nothing on x86 and
 * are skipped by their length; an enabled generic initiator takes a node
 * number; a disabled one stops every later CPU-side handler. */
static void test_other_types(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_raw(&t, SRAT_TYPE_GICC, 18);
	tb_raw(&t, SRAT_TYPE_GIC_ITS, 12);
	tb_raw(&t, SRAT_TYPE_GENERIC_PORT, 32);
	tb_raw(&t, 0x42, 9);
	tb_gi(&t, 9, SRAT_GI_ENABLED);
	tb_cpu(&t, 4, 1, SRAT_CPU_ENABLED);
	tb_gi(&t, 8, 0);
	tb_cpu(&t, 6, 2, SRAT_CPU_ENABLED);
	tb_mem(&t, 6, 0, HS_GIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"SRAT: PXM 4 -> APIC 0x01 -> Node 1\n"
		"ACPI: SRAT: Node 2 PXM 6 [mem 0x00000000-0x3fffffff]\n");
	assert_int_equal(r->node_count, 3);
	assert_int_equal(r->node[0].pxm, 9);
	assert_true(r->node[0].initiator);
	assert_int_equal(r->entries[SRAT_TYPE_COUNT], 1);
	assert_true(r->used);
}

static void test_pxm_out_of_range_memory(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 2);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 1024, HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 1, 2 * HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text,
		"ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]\n"
		"ACPI: SRAT: Too many proximity domains.\n"
		"ACPI: SRAT: SRAT not used.\n");
	assert_false(r->used);
}

/* The walk goes on while entry + 2 < end: a 2-byte tail is not read, and
 * an entry that runs past the end is noted, never read past. */
static void test_table_tail(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	t.b[t.len] = 0;
	t.b[t.len + 1] = 0;
	t.len += 2;
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text, "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x3fffffff]\n");
	assert_true(r->used);

	o = outbuf_new();
	tb_init(&t, 3);
	tb_mem(&t, 0, 0, HS_GIB, SRAT_MEM_ENABLED);
	tb_mem(&t, 1, HS_GIB, HS_GIB, SRAT_MEM_ENABLED);
	t.len -= 12; /* cut into the flags of the second entry */
	r = parse_tb(&t, false, o);
	assert_true(r->reads_past_end);
	assert_string_equal(r->problem[0], "offset 0x58: memory affinity entry length 40 "
					   "(runs past the table end)");
}

static void test_no_memory(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	tb_cpu(&t, 0, 0, SRAT_CPU_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	assert_string_equal(o->text, "SRAT: PXM 0 -> APIC 0x00 -> Node 0\n");
	assert_false(r->used);
}

static void test_too_many_memblks(void **state)
{
	struct outbuf *o = outbuf_new();
	static struct tb t;

	tb_init(&t, 3);
	for (unsigned i = 0; i < SRAT_MAX_MEMBLKS + 1; i++)
		tb_mem(&t, 0, (uint64_t)i * HS_MIB, HS_MIB, SRAT_MEM_ENABLED);
	struct srat_result *r = parse_tb(&t, false, o);
	const char *tail = o->text + strlen(o->text) - 200;
	assert_non_null(strstr(tail, "too many memblk ranges\n"
				     "ACPI: SRAT: Failed to add memblk to node 0 "
				     "[mem 0x80000000-0x800fffff]\n"
				     "ACPI: SRAT: SRAT not used.\n"));
	assert_false(r->used);
	assert_int_equal(r->memblks, SRAT_MAX_MEMBLKS);
}

/* Every real table of the shared corpus against what Linux printed. */
static void test_corpus_one(void **state)
{
	const char *name = *state;
	char path[512];
	size_t len;
	struct outbuf *o = outbuf_new();

	snprintf(path, sizeof(path), "%s/%s.aml", corpus_dir(), name);
	uint8_t *t = load_file(path, &len);
	snprintf(path, sizeof(path), "%s/%s.linux.txt", corpus_dir(), name);
	char *want = load_text(path);
	parse(t, len, false, o);
	assert_string_equal(o->text, want);
	free(t);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_nodes_fixture),
		cmocka_unit_test(test_revision1_masking),
		cmocka_unit_test(test_pxm_up_to_1023),
		cmocka_unit_test(test_1024_nodes),
		cmocka_unit_test(test_disabled_entries_silent),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_short_memory_entry),
		cmocka_unit_test(test_cpu_entry_bad_length),
		cmocka_unit_test(test_overflow_and_empty),
		cmocka_unit_test(test_x2apic_validity),
		cmocka_unit_test(test_other_types),
		cmocka_unit_test(test_pxm_out_of_range_memory),
		cmocka_unit_test(test_table_tail),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_too_many_memblks),
	};
	int failed = cmocka_run_group_tests_name("acpi/srat", tests, NULL, NULL);

	/* one test per corpus table, named after it */
	static struct CMUnitTest corpus[256];
	static char names[256][128];
	size_t n = 0;
	DIR *d = opendir(corpus_dir());
	struct dirent *de;
	if (!d) {
		fprintf(stderr, "cannot open corpus %s\n", corpus_dir());
		return 1;
	}
	while ((de = readdir(d)) && n < 256) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".aml"))
			continue;
		snprintf(names[n], sizeof(names[n]), "%.*s", (int)(l - 4), de->d_name);
		corpus[n] = (struct CMUnitTest){ .name = names[n], .test_func = test_corpus_one,
						 .initial_state = names[n] };
		n++;
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "corpus %s holds no tables\n", corpus_dir());
		return 1;
	}
	failed += _cmocka_run_group_tests("acpi/srat corpus", corpus, n, NULL, NULL);
	return failed ? 1 : 0;
}
