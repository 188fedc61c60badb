/*
 * The leading uncompressed newc cpio archives of an initrd, walked exactly
 * as Linux's lib/earlycpio.c find_cpio_data() walks them: zero bytes are
 * skipped four at a time (padding between archives), TRAILER!!! is an
 * ordinary entry, and the walk stops at the first bytes that are not a
 * newc header or whose sizes run past the buffer.
 *
 *   0      6                                                110
 *   +------+--------+--------+-- ... --+--------+--------+---+-----+---+-----+
 *   |070701| ino    | mode   |  ...    |namesize| check  |name |pad| data|pad|
 *   +------+--------+--------+-- ... --+--------+--------+---+-----+---+-----+
 *           13 fields of 8 hex digits            name and data end 4-aligned
 */
#ifndef HS_LIB_CPIO_H
#define HS_LIB_CPIO_H

#include "hs.h"

#define CPIO_HDR_LEN 110u
#define CPIO_MODE_TYPE 0170000u
#define CPIO_MODE_REG 0100000u

struct cpio_file {
	size_t hdr_off;       /* offset of the header in the buffer */
	const uint8_t *name;  /* namesize bytes, NUL included when well formed */
	uint32_t namesize;
	const uint8_t *data;
	uint32_t size;
	uint32_t mode;
};

enum cpio_stop {
	CPIO_STOP_END,        /* 110 bytes or fewer left */
	CPIO_STOP_NOT_CPIO,   /* a header field is not hex: other data begins */
	CPIO_STOP_MAGIC,      /* hex, but not 070701/070702 */
	CPIO_STOP_OVERRUN,    /* name or data (padded) past the buffer */
};

struct cpio_iter {
	struct hs_view buf;
	size_t off;
	bool done;
	enum cpio_stop stop;
	size_t stop_off;
};

void cpio_iter_init(struct cpio_iter *it, struct hs_view buf);
/* 1 with *ret filled, or 0 at the end (it->stop says why). */
int cpio_next(struct cpio_iter *it, struct cpio_file *ret);
/* A regular file whose name starts with prefix (find_cpio_data's match). */
bool cpio_match(const struct cpio_file *f, const char *prefix);
/* The name for messages: up to the first NUL or namesize, at most cap-1. */
void cpio_name(const struct cpio_file *f, char *buf, size_t cap);
/* What the bytes at the stop offset are, for "compressed part reached". */
const char *cpio_stop_describe(const struct cpio_iter *it);

#endif
