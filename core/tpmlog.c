#include "tpmlog.h"

/* TCG_PCR_EVENT: PCR, type, SHA-1 digest, event size, then the Spec ID
 * event: signature (16), platform class, version bytes (4), count, then
 * {algorithm, digest size} for each. */
#define SPECID_OFF 32
#define SPECID_ALGS (SPECID_OFF + 24)

int tpmlog_algs(struct hs_view log, struct tpmlog_algs *ret)
{
	static const char sig[16] = "Spec ID Event03";
	static const uint8_t zero[20];

	*ret = (struct tpmlog_algs){ 0 };
	/* PCR 0, EV_NO_ACTION (3), a zero SHA-1 digest, as Linux checks */
	if (!hs_view_has(log, 0, SPECID_ALGS + 4) || hs_get_u32(log, 0) ||
	    hs_get_u32(log, 4) != 3 || hs_memcmp(log.data + 8, zero, sizeof(zero)) ||
	    hs_memcmp(log.data + SPECID_OFF, sig, sizeof(sig)))
		return -HS_EBADMSG;
	uint32_t n = hs_get_u32(log, SPECID_ALGS);
	if (n == 0 || n > TPMLOG_MAX_ALGS || !hs_view_has(log, SPECID_ALGS + 4, 4 * n))
		return -HS_EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		ret->id[i] = hs_get_u16(log, SPECID_ALGS + 4 + 4 * i);
		ret->size[i] = hs_get_u16(log, SPECID_ALGS + 6 + 4 * i);
	}
	ret->n = n;
	return 0;
}

/* The event at off in v. */
static size_t event_size(struct hs_view v, size_t off, const struct tpmlog_algs *a)
{
	/* PCR, type, digest count */
	if (!hs_view_has(v, off, 12))
		return 0;
	uint32_t type = hs_get_u32(v, off + 4), count = hs_get_u32(v, off + 8);
	/* a digest in every bank, as Linux requires */
	if (count != a->n)
		return 0;
	size_t o = off + 12;
	for (uint32_t i = 0; i < count; i++) {
		if (!hs_view_has(v, o, 2))
			return 0;
		uint16_t id = hs_get_u16(v, o);
		uint32_t j = 0;
		while (j < a->n && a->id[j] != id)
			j++;
		if (j == a->n)
			return 0; /* a digest of unknown length: Linux stops here too */
		o += 2 + (size_t)a->size[j];
	}
	if (!hs_view_has(v, o, 4))
		return 0;
	uint32_t n = hs_get_u32(v, o);
	/* Linux takes an event of type 0 and no data for the log's end */
	if (!hs_view_has(v, o + 4, n) || (type == 0 && n == 0))
		return 0;
	return o + 4 + n - off;
}

size_t tpmlog_event_size(struct hs_view ev, const struct tpmlog_algs *a)
{
	return event_size(ev, 0, a);
}

size_t tpmlog_size(struct hs_view log, uint64_t last_off)
{
	struct tpmlog_algs a;

	/* last_off 0: the Spec ID event alone, no event to hand over */
	if (tpmlog_algs(log, &a) < 0 || last_off == 0 || last_off > log.len)
		return 0;
	size_t n = event_size(log, (size_t)last_off, &a);
	return n ? (size_t)last_off + n : 0;
}

size_t tpmlog_final_size(struct hs_view final, struct hs_view log)
{
	struct tpmlog_algs a;

	if (!hs_view_has(final, 0, 16) || tpmlog_algs(log, &a) < 0)
		return 0;
	size_t o = 16;
	for (uint64_t count = hs_get_u64(final, 8); count; count--) {
		size_t n = event_size(final, o, &a);
		if (!n)
			return 0;
		o += n;
	}
	return o - 16;
}
