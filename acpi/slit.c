#include "slit.h"

void slit_read(struct hs_view t, struct slit *ret)
{
	hs_memset(ret, 0, sizeof(*ret));
	ret->t = t;
	if (!hs_view_has(t, 0, SLIT_HDR_LEN)) {
		hs_snprintf(ret->why, sizeof(ret->why), "%zu bytes is shorter than a SLIT header (%u)",
			    t.len, SLIT_HDR_LEN);
		return;
	}
	uint64_t d = hs_get_u64(t, 36), need;
	ret->localities = d;
	bool ovf = __builtin_mul_overflow(d, d, &need);
	if (ovf || need > t.len - SLIT_HDR_LEN) {
		if (ovf)
			hs_snprintf(ret->why, sizeof(ret->why), "%llu localities need more than 2^64 "
				    "bytes of distances: Linux would read past the table's end",
				    (unsigned long long)d);
		else
			hs_snprintf(ret->why, sizeof(ret->why), "%llu localities need %llu bytes of "
				    "distances, the table has %zu: Linux would read past its end",
				    (unsigned long long)d, (unsigned long long)need,
				    t.len - SLIT_HDR_LEN);
		return;
	}
	/* slit_valid(): 10 on the diagonal, more than 10 everywhere else */
	for (uint64_t i = 0; i < d; i++)
		for (uint64_t j = 0; j < d; j++) {
			unsigned v = hs_get_u8(t, SLIT_HDR_LEN + i * d + j);
			if (i == j ? v != SLIT_LOCAL : v <= SLIT_LOCAL) {
				hs_snprintf(ret->why, sizeof(ret->why), "SLIT table looks invalid. Not "
					    "used. (locality %llu to %llu is %u)", (unsigned long long)i,
					    (unsigned long long)j, v);
				return;
			}
		}
	ret->used = true;
}

unsigned slit_distance(const struct slit *s, const struct srat_result *r, unsigned from,
		       unsigned to)
{
	if (s && s->used && from < r->node_count && to < r->node_count) {
		uint64_t a = r->node[from].pxm, b = r->node[to].pxm;
		if (a < s->localities && b < s->localities)
			return hs_get_u8(s->t, SLIT_HDR_LEN + a * s->localities + b);
	}
	return from == to ? SLIT_LOCAL : SLIT_REMOTE;
}
