/* EFI_LOAD_OPTION reading (see loadopt.h). */
#include "loadopt.h"

#include <string.h>

#define DP_MEDIA 4u
#define DP_MEDIA_HD 1u
#define DP_MEDIA_FILE 4u
#define DP_END 0x7fu
#define DP_HD_LEN 42u

/* UCS-2 at v[off..end) to ASCII until a NUL; returns the bytes consumed
 * (NUL included), or 0 when no NUL comes before end. */
static size_t ucs2_take(struct hs_view v, size_t off, size_t end, char *buf, size_t cap)
{
	size_t o = 0;

	for (size_t i = off; i + 2 <= end; i += 2) {
		uint16_t c = hs_get_u16(v, i);
		if (c == 0) {
			buf[o] = '\0';
			return i + 2 - off;
		}
		if (o + 1 < cap)
			buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[o] = '\0';
	return 0;
}

int loadopt_parse(struct hs_view v, struct load_option *ret, struct hs_err *err)
{
	struct load_option o = { 0 };

	if (!hs_view_has(v, 0, 6)) {
		hs_err_set(err, "%zu bytes is shorter than a load option's header (6)", v.len);
		return -HS_EBADMSG;
	}
	o.attributes = hs_get_u32(v, 0);
	size_t fplen = hs_get_u16(v, 4);
	size_t used = ucs2_take(v, 6, v.len, o.desc, sizeof(o.desc));
	if (!used) {
		hs_err_set(err, "the description has no NUL before the end (%zu bytes)", v.len);
		return -HS_EBADMSG;
	}
	size_t dp = 6 + used;
	if (!hs_view_has(v, dp, fplen)) {
		hs_err_set(err, "file path list of %zu bytes at %zu runs past the end (%zu bytes)",
			   fplen, dp, v.len);
		return -HS_EBADMSG;
	}
	size_t end = dp + fplen;
	for (size_t n = dp; n < end;) {
		if (end - n < 4) {
			hs_err_set(err, "device path node at %zu: %zu bytes left, a header is 4", n,
				   end - n);
			return -HS_EBADMSG;
		}
		unsigned type = hs_get_u8(v, n), sub = hs_get_u8(v, n + 1);
		size_t len = hs_get_u16(v, n + 2);
		if (len < 4 || len > end - n) {
			hs_err_set(err, "device path node at %zu: length %zu out of range", n, len);
			return -HS_EBADMSG;
		}
		if (type == DP_END)
			break;
		if (type == DP_MEDIA && sub == DP_MEDIA_HD && len >= DP_HD_LEN && !o.has_hd) {
			o.has_hd = true;
			o.part = hs_get_u32(v, n + 4);
			memcpy(o.part_sig, v.data + n + 24, 16);
			o.sig_type = hs_get_u8(v, n + 41);
		} else if (type == DP_MEDIA && sub == DP_MEDIA_FILE && !o.file[0]) {
			ucs2_take(v, n + 4, n + len, o.file, sizeof(o.file));
		}
		n += len;
	}
	o.optional_len = v.len - end;
	*ret = o;
	return 0;
}

static char fold(char c)
{
	if (c == '/')
		return '\\';
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool loadopt_is(const struct load_option *o, const uint8_t part_uuid[16], const char *path)
{
	if (!o->has_hd || o->sig_type != 2 || memcmp(o->part_sig, part_uuid, 16))
		return false;
	size_t i = 0;
	for (; o->file[i] && path[i]; i++)
		if (fold(o->file[i]) != fold(path[i]))
			return false;
	return o->file[i] == path[i];
}

int boot_order_parse(struct hs_view v, uint16_t *ret, size_t cap, size_t *ret_n)
{
	if (v.len % 2)
		return -HS_EBADMSG;
	if (v.len / 2 > cap)
		return -HS_ENOSPC; /* never written back shortened */
	size_t n = v.len / 2;
	for (size_t i = 0; i < n; i++)
		ret[i] = hs_get_u16(v, 2 * i);
	*ret_n = n;
	return 0;
}
