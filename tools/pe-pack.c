/*
 * pe-pack IN OUT: the last step of hotshim.efi's build.  objcopy writes
 * a 64-byte DOS stub ("This program cannot be run in DOS mode") between
 * the MZ header and the PE header; with four sections (.text, .reloc,
 * .data, .sbat) the headers then need 552 bytes, and the file pays a
 * second 512-byte block for them.  No UEFI loader runs the stub (the PE
 * header is found through e_lfanew, PE/COFF spec 3.2), so this moves the
 * PE header down over it, shortens the headers to one file-alignment
 * block when they fit, moves every section's raw data down by what was
 * saved, and sets the optional header's CheckSum again.  Anything it does
 * not expect (not PE32+, a certificate table, symbols, data in the
 * headers past the section table) leaves the file as objcopy wrote it,
 * byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get(const uint8_t *p, int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put(uint8_t *p, uint32_t v, int n)
{
	while (n--)
		*p++ = (uint8_t)v, v >>= 8;
}

/* The PE CheckSum: 16-bit one's-complement-style sum of the file with
 * the CheckSum field taken as zero, plus the file's length. */
static uint32_t checksum(const uint8_t *f, size_t n, size_t at)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i += 2) {
		uint32_t w = f[i] | (i + 1 < n ? f[i + 1] << 8 : 0);
		if (i == at || i == at + 2)
			w = 0;
		s += w;
		s = (s & 0xffff) + (s >> 16);
	}
	s = (s & 0xffff) + (s >> 16);
	return (uint32_t)((s & 0xffff) + n);
}

/* Returns the new length, or n when the file is left as it is. */
static size_t pack(uint8_t *f, size_t n)
{
	if (n < 0x40 || f[0] != 'M' || f[1] != 'Z')
		return n;
	uint32_t pe = get(f + 0x3c, 4);
	if (pe <= 0x40 || pe > n || n - pe < 24 || memcmp(f + pe, "PE\0\0", 4))
		return n;
	uint32_t nsec = get(f + pe + 6, 2), opt = get(f + pe + 20, 2);
	uint32_t hdr_end = pe + 24 + opt + nsec * 40;
	uint8_t *o = f + pe + 24;
	if (opt < 240 || hdr_end > n || get(o, 2) != 0x20b || get(f + pe + 12, 4) ||
	    get(f + pe + 16, 4))
		return n; /* not PE32+, or with COFF symbols */
	uint32_t falign = get(o + 36, 4), hsize = get(o + 60, 4);
	uint32_t ndir = get(o + 108, 4);
	if (falign < 512 || (falign & (falign - 1)) || hsize % falign || hsize > n ||
	    hdr_end > hsize || ndir > (opt - 112) / 8)
		return n;
	/* signed: the certificate table covers these bytes; a debug
	 * directory holds a file offset this does not move */
	if ((ndir > 4 && get(o + 112 + 4 * 8 + 4, 4)) || (ndir > 6 && get(o + 112 + 6 * 8 + 4, 4)))
		return n;
	for (uint32_t i = hdr_end; i < hsize; i++)
		if (f[i])
			return n;
	uint32_t shift = pe - 0x40, end = hdr_end - shift;
	uint32_t want = (end + falign - 1) & ~(falign - 1), saved = hsize - want;
	if (!saved)
		return n;
	/* section data after the headers; no COFF relocations or line numbers
	 * (file offsets too) */
	for (uint32_t i = 0; i < nsec; i++) {
		const uint8_t *sec = f + pe + 24 + opt + i * 40;
		uint32_t raw = get(sec + 20, 4);
		if ((raw && raw < hsize) || get(sec + 24, 4) || get(sec + 28, 4))
			return n;
	}
	memmove(f + 0x40, f + pe, hdr_end - pe);
	memset(f + end, 0, hsize - end);
	put(f + 0x3c, 0x40, 4);
	o = f + 0x40 + 24;
	put(o + 60, want, 4);
	for (uint32_t i = 0; i < nsec; i++) {
		uint8_t *s = o + opt + i * 40 + 20;
		uint32_t raw = get(s, 4);
		if (raw)
			put(s, raw - saved, 4);
	}
	memmove(f + want, f + hsize, n - hsize);
	n -= saved;
	put(o + 64, checksum(f, n, (size_t)(o + 64 - f)), 4);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: pe-pack IN.efi OUT.efi\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	static uint8_t f[16 << 20];
	size_t n = fread(f, 1, sizeof(f), in);
	int bad = ferror(in) || !feof(in);
	fclose(in);
	if (bad) {
		fprintf(stderr, "pe-pack: %s: unreadable or larger than %zu bytes\n", argv[1],
			sizeof(f));
		return 1;
	}
	size_t m = pack(f, n);
	FILE *out = fopen(argv[2], "wb");
	if (!out || fwrite(f, 1, m, out) != m || fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	if (m == n)
		fprintf(stderr, "pe-pack: %s: left as it is\n", argv[1]);
	return 0;
}
