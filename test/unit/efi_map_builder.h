/* A raw UEFI memory map for tests: descriptors DSZ bytes apart, as OVMF
 * hands them over (larger than the struct, as UEFI allows). */
#ifndef HS_TEST_EFI_MAP_BUILDER_H
#define HS_TEST_EFI_MAP_BUILDER_H

#include "test/unit/helpers.h"

#define DSZ 48

static uint8_t raw[64 * DSZ];
static size_t nraw;

static inline void desc(uint32_t type, uint64_t base, uint64_t pages)
{
	uint8_t *d = raw + nraw++ * DSZ;

	memset(d, 0xee, DSZ); /* padding and VirtualStart are not read */
	memcpy(d, &type, 4);
	memcpy(d + 8, &base, 8);
	memcpy(d + 24, &pages, 8);
	memset(d + 32, 0, 8); /* Attribute */
}

static inline void desc_attr(uint64_t attr)
{
	memcpy(raw + (nraw - 1) * DSZ + 32, &attr, 8);
}

static inline uint32_t desc_type(size_t i)
{
	uint32_t t;

	memcpy(&t, raw + i * DSZ, 4);
	return t;
}

static inline struct hs_view map(void)
{
	return (struct hs_view){ raw, nraw * DSZ };
}

#endif
