/* Builds newc archives for the cpio and override tests. */
#ifndef HS_TEST_CPIO_BUILDER_H
#define HS_TEST_CPIO_BUILDER_H

#include "test/unit/helpers.h"

struct cb {
	uint8_t b[1 << 20];
	size_t len;
};

static inline void cb_pad(struct cb *c)
{
	while (c->len % 4)
		c->b[c->len++] = 0;
}

/* One entry: magic "070701" or "070702". */
static inline void cb_entry_magic(struct cb *c, const char *magic, const char *name, uint32_t mode,
				  const void *data, uint32_t size)
{
	size_t nsz = strlen(name) + 1;
	char hdr[160];

	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08zX%08X", magic,
		 1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, nsz, 0u);
	memcpy(c->b + c->len, hdr, 110);
	c->len += 110;
	memcpy(c->b + c->len, name, nsz);
	c->len += nsz;
	cb_pad(c);
	if (size)
		memcpy(c->b + c->len, data, size);
	c->len += size;
	cb_pad(c);
}

static inline void cb_file(struct cb *c, const char *name, const void *data, uint32_t size)
{
	cb_entry_magic(c, "070701", name, 0100644, data, size);
}

static inline void cb_trailer(struct cb *c)
{
	cb_entry_magic(c, "070701", "TRAILER!!!", 0, NULL, 0);
}

/* An ACPI table: header, zero body, valid checksum. */
static inline void make_table(uint8_t *t, const char *sig, uint32_t len, const char *oem,
			      const char *tid, uint32_t oem_rev)
{
	memset(t, 0, len);
	memcpy(t, sig, 4);
	for (int i = 0; i < 4; i++)
		t[4 + i] = (uint8_t)(len >> (8 * i));
	t[8] = 3;
	memcpy(t + 10, oem, 6);
	memcpy(t + 16, tid, 8);
	for (int i = 0; i < 4; i++)
		t[24 + i] = (uint8_t)(oem_rev >> (8 * i));
	fix_checksum(t, len);
}

#endif
