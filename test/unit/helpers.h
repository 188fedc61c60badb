/* Shared by the unit tests: file loading and a string sink. */
#ifndef HS_TEST_HELPERS_H
#define HS_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/hs.h"

static inline uint8_t *load_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		fail_msg("cannot open %s", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static inline char *load_text(const char *path)
{
	size_t n;
	uint8_t *b = load_file(path, &n);
	char *s = realloc(b, n + 1);

	assert_non_null(s);
	s[n] = '\0';
	return s;
}

/* Build fixture path: build/fixtures/NAME.aml */
static inline uint8_t *load_fixture(const char *name, size_t *ret_len)
{
	char path[256];

	snprintf(path, sizeof(path), "build/fixtures/%s.aml", name);
	return load_file(path, ret_len);
}

static inline const char *corpus_dir(void)
{
	const char *d = getenv("CORPUS");
	return d ? d : "../shared/srat-corpus";
}

/* Recomputes an ACPI table's checksum after a test edits it. */
static inline void fix_checksum(uint8_t *t, size_t len)
{
	uint8_t s = 0;

	t[9] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + t[i]);
	t[9] = (uint8_t)(0 - s);
}

struct outbuf {
	char text[1 << 20];
	struct hs_strbuf sb;
	struct hs_sink sink;
};

/* One output buffer, emptied by each call (tests run one at a time). */
static inline struct outbuf *outbuf_new(void)
{
	static struct outbuf o;

	hs_strbuf_init(&o.sb, o.text, sizeof(o.text), &o.sink);
	return &o;
}

#endif
