#include "cpio.h"

void cpio_iter_init(struct cpio_iter *it, struct hs_view buf)
{
	hs_memset(it, 0, sizeof(*it));
	it->buf = buf;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static int stop(struct cpio_iter *it, enum cpio_stop why)
{
	it->done = true;
	it->stop = why;
	it->stop_off = it->off;
	return 0;
}

int cpio_next(struct cpio_iter *it, struct cpio_file *ret)
{
	const uint8_t *b = it->buf.data;
	size_t len = it->buf.len;

	if (it->done)
		return 0;
	while (it->off < len && len - it->off > CPIO_HDR_LEN) {
		if (b[it->off] == 0) {
			it->off += 4;
			continue;
		}
		uint32_t field[14];
		size_t p = it->off;
		for (int i = 0; i < 14; i++) {
			uint32_t v = 0;
			for (int j = 0; j < (i ? 8 : 6); j++) {
				int h = hexval(b[p++]);
				if (h < 0)
					return stop(it, CPIO_STOP_NOT_CPIO);
				v = v << 4 | (uint32_t)h;
			}
			field[i] = v;
		}
		if (field[0] - 0x070701u > 1)
			return stop(it, CPIO_STOP_MAGIC);
		/* fields: 0 magic, 1 ino, 2 mode, ... 7 filesize, ... 12 namesize */
		size_t dptr = align4(p + field[12]);
		size_t nptr = align4(dptr + field[7]);
		if (nptr > len)
			return stop(it, CPIO_STOP_OVERRUN);
		*ret = (struct cpio_file){
			.hdr_off = it->off,
			.name = b + p,
			.namesize = field[12],
			.data = b + dptr,
			.size = field[7],
			.mode = field[2],
		};
		it->off = nptr;
		return 1;
	}
	return stop(it, CPIO_STOP_END);
}

bool cpio_match(const struct cpio_file *f, const char *prefix)
{
	size_t n = hs_strlen(prefix);

	return (f->mode & CPIO_MODE_TYPE) == CPIO_MODE_REG && f->namesize >= n &&
	       hs_memcmp(f->name, prefix, n) == 0;
}

void cpio_name(const struct cpio_file *f, char *buf, size_t cap)
{
	size_t i = 0;

	for (; i + 1 < cap && i < f->namesize && f->name[i]; i++)
		buf[i] = (f->name[i] >= 0x20 && f->name[i] < 0x7f) ? (char)f->name[i] : '?';
	if (cap)
		buf[i] = '\0';
}

const char *cpio_stop_describe(const struct cpio_iter *it)
{
	/* bytes in place, not pointers: no relocation per entry in the EFI
	 * image */
	static const struct {
		char magic[6];
		uint8_t n;
		char name[22];
	} kinds[] = {
		{ "\x1f\x8b", 2, "gzip-compressed data" },
		{ "\x1f\x9e", 2, "gzip-compressed data" },
		{ "\xfd" "7zXZ", 6, "xz-compressed data" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed data" },
		{ "\x02\x21\x4c\x18", 4, "lz4-compressed data" },
		{ "BZh", 3, "bzip2-compressed data" },
		{ "\x5d\x00\x00", 3, "lzma-compressed data" },
		{ "\x89LZO", 4, "lzo-compressed data" },
	};
	struct hs_view v = it->buf;

	switch (it->stop) {
	case CPIO_STOP_END:
		return "the end of the file";
	case CPIO_STOP_MAGIC:
		return "a header with a magic other than 070701/070702";
	case CPIO_STOP_OVERRUN:
		return "a header whose name or data run past the end of the file";
	case CPIO_STOP_NOT_CPIO:
		for (size_t i = 0; i < HS_ARRAY_SIZE(kinds); i++)
			if (hs_view_has(v, it->stop_off, kinds[i].n) &&
			    !hs_memcmp(v.data + it->stop_off, kinds[i].magic, kinds[i].n))
				return kinds[i].name;
		return "data that is not a cpio header";
	}
	return "?";
}
