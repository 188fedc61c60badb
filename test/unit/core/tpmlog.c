/* Tests core/tpmlog.c: the TPM event log's sizes, against a real log. */
/* links: core/tpmlog.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "core/tpmlog.h"

static uint8_t log_buf[16384];
static size_t log_len;

static void load(void)
{
	FILE *f = fopen("test/fixtures/tpm/hotshim-guest.bin", "rb");
	assert_non_null(f);
	log_len = fread(log_buf, 1, sizeof(log_buf), f);
	fclose(f);
	assert_int_equal(log_len, 8237);
}

/* The offset of every event after the Spec ID event, walked to the end. */
static size_t walk(size_t *offs, size_t cap)
{
	struct hs_view v = { log_buf, log_len };
	size_t o = 32 + hs_get_u32(v, 28), n = 0;

	assert_int_equal(tpmlog_banks(v), 4);
	while (o < log_len && n < cap) {
		size_t s = tpmlog_event_size(v, o, v);
		assert_true(s > 0);
		offs[n++] = o;
		o += s;
	}
	assert_int_equal(o, log_len);
	return n;
}

/* The real log: four banks; 35 events after the Spec ID event, as
 * tpm2_eventlog counts them (36 with it), ending exactly at its end. */
static void test_real_log(void **state)
{
	size_t offs[64];
	struct hs_view v = { log_buf, log_len };
	(void)state;

	load();
	v.len = log_len;
	/* SHA-1, SHA-256, SHA-384, SHA-512 */
	assert_int_equal(tpmlog_banks(v), 4);
	const uint16_t id[] = { 0x4, 0xb, 0xc, 0xd }, size[] = { 20, 32, 48, 64 };
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(hs_get_u16(v, 60 + 4 * i), id[i]);
		assert_int_equal(hs_get_u16(v, 62 + 4 * i), size[i]);
	}
	size_t n = walk(offs, 64);
	assert_int_equal(n, 35);
	/* GetEventLog's last entry: the log's length to its end */
	assert_int_equal(tpmlog_size((struct hs_view){ log_buf, log_len }, offs[n - 1]), log_len);
	assert_int_equal(tpmlog_size((struct hs_view){ log_buf, log_len }, offs[10]), offs[11]);
	/* only the Spec ID event: nothing to hand over */
	assert_int_equal(tpmlog_size((struct hs_view){ log_buf, log_len }, 0), 0);
	/* one byte short of the last event: nothing */
	assert_int_equal(tpmlog_size((struct hs_view){ log_buf, log_len - 1 }, offs[n - 1]), 0);
	assert_int_equal(tpmlog_size((struct hs_view){ log_buf, log_len }, log_len + 1), 0);
}

/* The Final Events table: {version, count, events}; its events' bytes. */
static void test_final(void **state)
{
	static uint8_t final[16 + 4096];
	size_t offs[64];
	(void)state;

	load();
	size_t n = walk(offs, 64), two = log_len - offs[n - 2];
	hs_put_le(final, 1, 8);
	hs_put_le(final + 8, 2, 8);
	memcpy(final + 16, log_buf + offs[n - 2], two);
	struct hs_view log = { log_buf, log_len };
	assert_int_equal(tpmlog_final_size((struct hs_view){ final, 16 + two }, log), two);
	hs_put_le(final + 8, 0, 8);
	assert_int_equal(tpmlog_final_size((struct hs_view){ final, 16 + two }, log), 0);
	/* more events than the table holds */
	hs_put_le(final + 8, 3, 8);
	assert_int_equal(tpmlog_final_size((struct hs_view){ final, 16 + two }, log), 0);
	assert_int_equal(tpmlog_final_size((struct hs_view){ final, 8 }, log), 0);
}

/* What Linux's __calc_tpm2_event_size refuses, refused. */
static void test_bad(void **state)
{
	static uint8_t b[16384];
	size_t offs[64];
	struct hs_view v = { b, 0 };
	(void)state;

	load();
	size_t n = walk(offs, 64), o = offs[n - 1];
	v.len = log_len;
	memcpy(b, log_buf, log_len);
	assert_int_equal(tpmlog_event_size(v, o, v), log_len - o);
	/* more digests than banks, or fewer */
	hs_put_le(b + o + 8, 5, 4);
	assert_int_equal(tpmlog_event_size(v, o, v), 0);
	hs_put_le(b + o + 8, 3, 4);
	assert_int_equal(tpmlog_event_size(v, o, v), 0);
	/* a digest of an algorithm the Spec ID event does not name */
	memcpy(b, log_buf, log_len);
	hs_put_le(b + o + 12, 0x12, 2);
	assert_int_equal(tpmlog_event_size(v, o, v), 0);
	/* an event of type 0 with no data: the end of a log */
	memcpy(b, log_buf, log_len);
	memset(b + o, 0, 12);
	assert_int_equal(tpmlog_event_size(v, o, v), 0);
	/* a first event that is not the Spec ID event Linux takes: another
	 * PCR, type or digest, no signature, too many banks, too short */
	const size_t at[] = { 0, 4, 8, 32 };
	for (size_t i = 0; i < HS_ARRAY_SIZE(at); i++) {
		memcpy(b, log_buf, log_len);
		b[at[i]] ^= 1;
		assert_int_equal(tpmlog_banks(v), -HS_EBADMSG);
		assert_int_equal(tpmlog_size(v, o), 0);
	}
	memcpy(b, log_buf, log_len);
	hs_put_le(b + 56, TPMLOG_MAX_ALGS + 1, 4);
	assert_int_equal(tpmlog_banks(v), -HS_EBADMSG);
	assert_int_equal(tpmlog_banks((struct hs_view){ log_buf, 40 }), -HS_EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_log),
		cmocka_unit_test(test_final),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
