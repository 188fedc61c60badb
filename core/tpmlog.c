#include "tpmlog.h"

/* TCG_PCR_EVENT: PCR, type, SHA-1 digest, event size, then the Spec ID
 * event: signature (16), platform class, version bytes (4), count, then
 * {algorithm, digest size} for each. */
#define SPECID_OFF 32
#define SPECID_ALGS (SPECID_OFF + 24)
#define EV_NO_ACTION 3

int tpmlog_banks(struct hs_view log)
{
	static const char sig[16] = "Spec ID Event03";
	static const uint8_t zero[20];

	if (!hs_view_has(log, 0, SPECID_ALGS + 4) || hs_get_u32(log, 0) ||
	    hs_get_u32(log, 4) != EV_NO_ACTION || hs_memcmp(log.data + 8, zero, sizeof(zero)) ||
	    hs_memcmp(log.data + SPECID_OFF, sig, sizeof(sig)))
		return -HS_EBADMSG;
	uint32_t n = hs_get_u32(log, SPECID_ALGS);
	if (n == 0 || n > TPMLOG_MAX_ALGS || !hs_view_has(log, SPECID_ALGS + 4, 4 * n))
		return -HS_EBADMSG;
	return (int)n;
}

size_t tpmlog_event_size(struct hs_view v, size_t off, struct hs_view log)
{
	int n = tpmlog_banks(log);

	/* PCR, type, digest count: a digest in every bank, as Linux requires */
	if (n < 0 || !hs_view_has(v, off, 12) || hs_get_u32(v, off + 8) != (uint32_t)n)
		return 0;
	size_t o = off + 12;
	for (int i = 0; i < n; i++) {
		uint16_t id = hs_get_u16(v, o);
		int j = 0;
		while (j < n && hs_get_u16(log, SPECID_ALGS + 4 + 4 * j) != id)
			j++;
		/* a digest of unknown length (or none there): Linux stops too */
		if (j == n || !hs_view_has(v, o, 2))
			return 0;
		o += 2 + (size_t)hs_get_u16(log, SPECID_ALGS + 6 + 4 * j);
	}
	if (!hs_view_has(v, o, 4))
		return 0;
	uint32_t len = hs_get_u32(v, o);
	/* Linux takes an event of type 0 and no data for the log's end */
	if (!hs_view_has(v, o + 4, len) || (hs_get_u32(v, off + 4) == 0 && len == 0))
		return 0;
	return o + 4 + len - off;
}

size_t tpmlog_size(struct hs_view log, uint64_t last_off)
{
	if (last_off == 0 || last_off > log.len)
		return 0;
	size_t n = tpmlog_event_size(log, (size_t)last_off, log);
	return n ? (size_t)last_off + n : 0;
}

size_t tpmlog_final_size(struct hs_view final, struct hs_view log)
{
	size_t o = 16;

	for (uint64_t count = hs_get_u64(final, 8); count; count--) {
		size_t n = tpmlog_event_size(final, o, log);
		if (!n)
			return 0;
		o += n;
	}
	return hs_view_has(final, 0, 16) ? o - 16 : 0;
}
