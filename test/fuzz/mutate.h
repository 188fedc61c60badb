/*
 * Structure-aware mutation for the libFuzzer harnesses (issue 17): byte
 * flipping rarely gets past an SRAT's subtable lengths, a cpio header's
 * hex fields or an ELF's program headers with values that mean something,
 * so a harness that defines LLVMFuzzerCustomMutator calls one of these.
 * Each mutates the structure about half the time and lets libFuzzer's own
 * mutators have the rest; then it repairs what a parser checks first
 * (an ACPI table's length and checksum, cpio's magic), so runs reach the
 * code behind those checks.  Everything is driven by libFuzzer's seed, so
 * a run stays reproducible.
 */
#ifndef HS_FUZZ_MUTATE_H
#define HS_FUZZ_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* -DHS_FUZZ_PLAIN: libFuzzer's mutators only, to measure what these add
 * (docs/FUZZING.md) */
#ifdef HS_FUZZ_PLAIN
#define MUT_PLAIN 1
#else
#define MUT_PLAIN 0
#endif

struct mut {
	uint64_t s;
	uint8_t *d;
	size_t size, max;
};

static inline uint64_t mut_rand(struct mut *m)
{
	m->s ^= m->s << 13;
	m->s ^= m->s >> 7;
	m->s ^= m->s << 17;
	return m->s;
}

static inline uint64_t mut_below(struct mut *m, uint64_t n)
{
	return n ? mut_rand(m) % n : 0;
}

static inline size_t mut_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

static inline uint64_t mut_get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i--;)
		v = v << 8 | p[i];
	return v;
}

static inline void mut_put(uint8_t *p, unsigned bytes, uint64_t v)
{
	for (unsigned i = 0; i < bytes; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* A value for a field holding cur: a boundary the parsers care about, a
 * neighbour, a page multiple, or the value of a related field (rel). */
static inline uint64_t mut_value(struct mut *m, uint64_t cur, uint64_t rel)
{
	static const uint64_t edge[] = {
		0, 1, 2, 0xfff, 0x1000, 0x9f000, 0xa0000, 0x100000, 0x1000000, 0x7fffffff,
		0x80000000, 0xffffffff, 0x100000000ull, 0x100001000ull, 1ull << 40, 1ull << 46,
		1ull << 47, 1ull << 52, 1ull << 56, 1ull << 57, 1ull << 63, ~0ull, ~0ull << 12,
		0xffff888000000000ull, 0xffffffff80000000ull,
	};

	switch (mut_below(m, 6)) {
	case 0:
	case 1:
		return edge[mut_below(m, sizeof(edge) / sizeof(edge[0]))];
	case 2:
		return cur + mut_below(m, 9) - 4;
	case 3:
		return (cur & ~0xfffull) + (mut_below(m, 5) - 2) * 0x1000;
	case 4:
		return rel + mut_below(m, 3) - 1;
	default:
		return mut_rand(m) >> mut_below(m, 64);
	}
}

/* Opens a gap of n bytes at off (false when it does not fit). */
static inline bool mut_insert(struct mut *m, size_t off, size_t n)
{
	if (off > m->size || n > m->max - m->size)
		return false;
	memmove(m->d + off + n, m->d + off, m->size - off);
	m->size += n;
	return true;
}

static inline void mut_delete(struct mut *m, size_t off, size_t n)
{
	if (off > m->size || n > m->size - off)
		return;
	memmove(m->d + off, m->d + off + n, m->size - off - n);
	m->size -= n;
}

/* The bytes [a, a+n) copied in front of position at. */
static inline void mut_duplicate(struct mut *m, size_t a, size_t n, size_t at)
{
	if (a > m->size || n > m->size - a || at > m->size || !mut_insert(m, at, n))
		return;
	/* the source moved up by n where the gap opened below or inside it */
	if (at <= a)
		memmove(m->d + at, m->d + a + n, n);
	else if (at >= a + n)
		memmove(m->d + at, m->d + a, n);
	else { /* the gap split the source: its two parts */
		memmove(m->d + at, m->d + a, at - a);
		memmove(m->d + at + (at - a), m->d + at + n, a + n - at);
	}
}

/* ---- ACPI tables with subtables (the SRAT) at offset t ------------- */

#define MUT_SRAT_HDR 48u

static inline size_t mut_subtables(const struct mut *m, size_t t, size_t *off, size_t cap)
{
	size_t n = 0;

	for (size_t o = t + MUT_SRAT_HDR; o + 2 <= m->size && n < cap; o += m->d[o + 1]) {
		off[n++] = o;
		if (m->d[o + 1] < 2)
			break;
	}
	return n;
}

/* One field of an SRAT subtable, by its type's layout (ACPI 6.5, 5.2.16). */
enum { MUT_NUM, MUT_FLAGS, MUT_PXM };
static inline void mut_srat_field(struct mut *m, size_t o, size_t end)
{
	static const struct {
		uint8_t type, off, bytes, kind;
	} f[] = {
		{ 0, 2, 1, MUT_PXM },   { 0, 3, 1, MUT_NUM },   { 0, 4, 4, MUT_FLAGS },
		{ 0, 8, 1, MUT_NUM },   { 0, 9, 3, MUT_PXM },   { 1, 2, 4, MUT_PXM },
		{ 1, 8, 8, MUT_NUM },   { 1, 16, 8, MUT_NUM },  { 1, 28, 4, MUT_FLAGS },
		{ 2, 4, 4, MUT_PXM },   { 2, 8, 4, MUT_NUM },   { 2, 12, 4, MUT_FLAGS },
		{ 3, 2, 4, MUT_PXM },   { 3, 6, 4, MUT_NUM },   { 3, 10, 4, MUT_FLAGS },
		{ 5, 4, 4, MUT_PXM },   { 5, 24, 4, MUT_FLAGS }, { 6, 4, 4, MUT_PXM },
		{ 6, 24, 4, MUT_FLAGS },
	};
	size_t pick[sizeof(f) / sizeof(f[0])], n = 0;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].type == m->d[o] && o + f[i].off + f[i].bytes <= end)
			pick[n++] = i;
	if (!n) {
		if (o + 2 < end)
			m->d[o + 2 + mut_below(m, end - o - 2)] ^= (uint8_t)(1u << mut_below(m, 8));
		return;
	}
	size_t i = pick[mut_below(m, n)];
	uint8_t *p = m->d + o + f[i].off;
	uint64_t cur = mut_get(p, f[i].bytes);
	if (f[i].kind == MUT_FLAGS) /* enabled, hot-pluggable, non-volatile, or above */
		mut_put(p, f[i].bytes, cur ^ (1u << mut_below(m, mut_below(m, 4) ? 3 : 32)));
	else if (f[i].kind == MUT_PXM && mut_below(m, 2))
		mut_put(p, f[i].bytes, mut_below(m, 8)); /* a PXM next to the others */
	else
		mut_put(p, f[i].bytes, mut_value(m, cur, o + 24 <= end ? mut_get(m->d + o + 8, 8) +
									 mut_get(m->d + o + 16, 8)
								       : cur));
}

/* A memory affinity entry: a range next to one already there, or anywhere. */
static inline void mut_srat_new_memory(struct mut *m, size_t at, const size_t *sub, size_t n)
{
	uint8_t e[40] = { 1, 40 };
	uint64_t base = mut_value(m, 0, 0), len = 1ull << (20 + mut_below(m, 24));

	for (size_t k = 0; k < n && k < 4; k++) {
		size_t o = sub[mut_below(m, n)];
		if (m->d[o] == 1 && o + 24 <= m->size && mut_below(m, 2)) {
			base = mut_get(m->d + o + 8, 8) + mut_get(m->d + o + 16, 8);
			break;
		}
	}
	mut_put(e + 2, 4, mut_below(m, 4));
	mut_put(e + 8, 8, base);
	mut_put(e + 16, 8, len);
	mut_put(e + 28, 4, 1 | (mut_below(m, 2) << 1));
	if (mut_insert(m, at, sizeof(e)))
		memcpy(m->d + at, e, sizeof(e));
}

/* Length and checksum of the table at t, made right (mostly). */
static inline void mut_acpi_fix(struct mut *m, size_t t)
{
	if (m->size < t + 36 || !mut_below(m, 16))
		return;
	mut_put(m->d + t + 4, 4, m->size - t);
	uint8_t sum = 0;
	m->d[t + 9] = 0;
	for (size_t i = t; i < m->size; i++)
		sum += m->d[i];
	m->d[t + 9] = (uint8_t)-sum;
}

/* The SRAT at offset t of the input (the rest belongs to the harness). */
static inline size_t mut_srat(uint8_t *d, size_t size, size_t max, unsigned seed, size_t t)
{
	struct mut m = { seed * 0x9e3779b97f4a7c15ull + 1, d, size, max };
	size_t sub[512];

	if (MUT_PLAIN || size < t + MUT_SRAT_HDR || mut_below(&m, 2))
		return LLVMFuzzerMutate(d, size, max);
	size_t n = mut_subtables(&m, t, sub, 512);
	size_t i = mut_below(&m, n ? n : 1), o = n ? sub[i] : size;
	size_t len = n && o + 1 < size ? d[o + 1] : 0;
	size_t end = o + len < size ? o + len : size;
	switch (mut_below(&m, 8)) {
	case 0:
	case 1:
	case 2:
		if (n)
			mut_srat_field(&m, o, end);
		break;
	case 3:
		mut_srat_new_memory(&m, n ? end : size, sub, n);
		break;
	case 4:
		if (n && len >= 2)
			mut_duplicate(&m, o, len, mut_below(&m, 2) ? end : sub[mut_below(&m, n)]);
		break;
	case 5:
		if (n && len >= 2)
			mut_delete(&m, o, end - o);
		break;
	case 6: /* a type or a length of another kind */
		if (n && o + 1 < size)
			d[o + mut_below(&m, 2)] = mut_below(&m, 2)
							  ? (uint8_t)mut_below(&m, 8)
							  : (uint8_t)(uint8_t[]){ 0, 1, 16, 18, 24, 32, 39,
										  40, 41, 255 }[mut_below(&m, 10)];
		break;
	default: /* the header's revision, which decides x2APIC rules */
		d[t + 8] = (uint8_t)mut_below(&m, 4);
		break;
	}
	mut_acpi_fix(&m, t);
	return m.size;
}

/* ---- newc cpio archives (an initrd) -------------------------------- */

#define MUT_CPIO_HDR 110u

static inline uint64_t mut_hex(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i] | 0x20;
		v = v << 4 | (uint64_t)(c >= 'a' ? c - 'a' + 10 : c - '0');
	}
	return v & 0xffffffff;
}

static inline void mut_put_hex(uint8_t *p, uint32_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 4)
		p[i] = "0123456789ABCDEF"[v & 15];
}

/* The headers of the archive, as Linux's find_cpio_data walks them. */
static inline size_t mut_cpio_walk(const struct mut *m, size_t *off, size_t cap)
{
	size_t n = 0, o = 0;

	while (o + MUT_CPIO_HDR <= m->size && n < cap) {
		if (!m->d[o]) {
			o += 4;
			continue;
		}
		if (memcmp(m->d + o, "07070", 5))
			break;
		off[n++] = o;
		size_t name = mut_hex(m->d + o + 94), fsz = mut_hex(m->d + o + 54);
		size_t next = (((o + MUT_CPIO_HDR + name + 3) & ~(size_t)3) + fsz + 3) & ~(size_t)3;
		if (next <= o)
			break;
		o = next;
	}
	return n;
}

/* A new member: name, then data (an ACPI table header's worth, from an
 * existing table or made up), padded as newc wants. */
static inline void mut_cpio_new(struct mut *m, size_t at)
{
	static const char *const names[] = {
		"kernel/firmware/acpi/srat.aml", "kernel/firmware/acpi/a.aml", "kernel/firmware/acpi/",
		"kernel/firmware/acpi", "kernel/firmware/acpi/ssdt.aml", "TRAILER!!!", ".", "init",
		"kernel/x86/microcode/GenuineIntel.bin",
	};
	const char *name = names[mut_below(m, sizeof(names) / sizeof(names[0]))];
	size_t nlen = strlen(name) + 1, dlen = mut_below(m, 2) ? 0 : 36 + mut_below(m, 64);
	size_t hdr = (MUT_CPIO_HDR + nlen + 3) & ~(size_t)3, total = hdr + ((dlen + 3) & ~(size_t)3);

	at &= ~(size_t)3;
	if (!mut_insert(m, at, total))
		return;
	uint8_t *p = m->d + at;
	memset(p, 0, total);
	memcpy(p, "070701", 6);
	for (int i = 0; i < 13; i++)
		mut_put_hex(p + 6 + 8 * i, 0);
	mut_put_hex(p + 14, mut_below(m, 2) ? 0100644 : 040755); /* mode */
	mut_put_hex(p + 54, (uint32_t)dlen);
	mut_put_hex(p + 94, (uint32_t)nlen);
	memcpy(p + MUT_CPIO_HDR, name, nlen);
	if (dlen) {
		memcpy(p + hdr, "SRAT", 4);
		mut_put(p + hdr + 4, 4, dlen - mut_below(m, 2));
		p[hdr + 8] = 3;
		for (size_t i = hdr + 10; i < hdr + dlen; i++)
			p[i] = (uint8_t)mut_rand(m);
	}
}

static inline size_t mut_cpio(uint8_t *d, size_t size, size_t max, unsigned seed)
{
	struct mut m = { seed * 0x9e3779b97f4a7c15ull + 1, d, size, max };
	size_t h[256];

	if (MUT_PLAIN || mut_below(&m, 2))
		return LLVMFuzzerMutate(d, size, max);
	size_t n = mut_cpio_walk(&m, h, 256), o = n ? h[mut_below(&m, n)] : 0;
	switch (n ? mut_below(&m, 6) : 5) {
	case 0:
	case 1: { /* a field: filesize, namesize, mode, check, ino or mtime, and
		   now and then the magic's last digit */
		static const uint8_t field[] = { 54, 94, 14, 102, 6, 46 };
		uint8_t *p = d + o + field[mut_below(&m, sizeof(field))];
		uint64_t cur = mut_hex(p);
		mut_put_hex(p, (uint32_t)mut_value(&m, cur, size - o));
		if (mut_below(&m, 8) == 0)
			d[o + 5] = (uint8_t)"012789"[mut_below(&m, 6)];
		break;
	}
	case 2: /* lower-case hex, which Linux's simple_strntoul takes */
		for (size_t i = o + 6; i < o + MUT_CPIO_HDR; i++)
			if (d[i] >= 'A' && d[i] <= 'F')
				d[i] |= 0x20;
		break;
	case 3: { /* NUL padding in front of a member */
		size_t pad = (size_t)4 << mut_below(&m, 3);
		if (mut_insert(&m, o, pad))
			memset(d + o, 0, pad);
		break;
	}
	case 4: { /* a member removed or duplicated */
		size_t i = mut_below(&m, n), a = h[i], end = i + 1 < n ? h[i + 1] : size;
		if (mut_below(&m, 2))
			mut_delete(&m, a, end - a);
		else
			mut_duplicate(&m, a, end - a, end);
		break;
	}
	default:
		mut_cpio_new(&m, n ? h[mut_below(&m, n)] : 0);
		break;
	}
	return m.size;
}

/* ---- ELF64 kernels: header and program headers --------------------- */

static inline size_t mut_elf(uint8_t *d, size_t size, size_t max, unsigned seed)
{
	struct mut m = { seed * 0x9e3779b97f4a7c15ull + 1, d, size, max };

	if (MUT_PLAIN || size < 64 || memcmp(d, "\177ELF", 4) || mut_below(&m, 2))
		return LLVMFuzzerMutate(d, size, max);
	uint64_t phoff = mut_get(d + 32, 8);
	unsigned phnum = (unsigned)mut_get(d + 56, 2);
	bool have_ph = phoff < size && phnum && (size - phoff) / 56 >= 1;
	unsigned k = have_ph ? (unsigned)mut_below(&m, mut_min(phnum, (size - phoff) / 56)) : 0;
	uint8_t *ph = have_ph ? d + phoff + 56 * k : NULL;

	switch (have_ph ? mut_below(&m, 8) : 6 + mut_below(&m, 2)) {
	case 0:
	case 1:
	case 2: { /* p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align */
		unsigned f = 8 + 8 * (unsigned)mut_below(&m, 6);
		uint64_t rel = f == 8 || f == 32 ? size - mut_get(ph + (f == 8 ? 32 : 8), 8)
						 : mut_get(ph + 16, 8) + mut_get(ph + 40, 8);
		mut_put(ph + f, 8, mut_value(&m, mut_get(ph + f, 8), rel));
		break;
	}
	case 3: /* p_type: LOAD, DYNAMIC, INTERP, NOTE, GNU_STACK, or other */
		mut_put(ph, 4, (uint32_t[]){ 1, 2, 3, 4, 0x6474e551, 7, 0 }[mut_below(&m, 7)]);
		break;
	case 4: /* a program header copied over another, overlapping it */
		memcpy(ph, d + phoff + 56 * mut_below(&m, mut_min(phnum, (size - phoff) / 56)), 56);
		mut_put(ph + 16, 8, mut_get(ph + 16, 8) + mut_below(&m, 3) * 0x1000 - 0x1000);
		break;
	case 5: /* p_flags */
		ph[4] ^= (uint8_t)(1u << mut_below(&m, 3));
		break;
	case 6: /* e_phnum, e_phentsize, e_phoff */
		if (mut_below(&m, 2))
			mut_put(d + 56, 2, phnum + mut_below(&m, 3) - 1);
		else if (mut_below(&m, 2))
			mut_put(d + 54, 2, (uint16_t[]){ 56, 0, 55, 64 }[mut_below(&m, 4)]);
		else
			mut_put(d + 32, 8, mut_value(&m, phoff, size));
		break;
	default: /* e_type, e_entry, e_machine */
		if (mut_below(&m, 2))
			mut_put(d + 16, 2, 2 + mut_below(&m, 2));
		else if (mut_below(&m, 2))
			mut_put(d + 24, 8, mut_value(&m, mut_get(d + 24, 8), have_ph ? mut_get(ph + 16, 8) : 0));
		else
			mut_put(d + 18, 2, (uint16_t[]){ 62, 3, 183 }[mut_below(&m, 3)]);
		break;
	}
	return m.size;
}

/* ---- text files of "key value" lines (BLS entries, loader.conf, -----
 * ---- hotshim.conf) ------------------------------------------------ */

static inline size_t mut_lines(uint8_t *d, size_t size, size_t max, unsigned seed,
			const char *const *keys, size_t nkeys)
{
	static const char *const values[] = {
		"\\vmlinuz", "/EFI/debian/vmlinuz-6.1.0-13-amd64", "/initrd.img", "6.1.0-13-amd64",
		"1.2~rc1", "1.2^a", "*", "debian-*", "[a-c]?x", "", " ", "\t", "0", "-1", "10",
		"menu-force", "auto", "max", "keep", "x64", "console=ttyS0 movable_node",
		"\\EFI\\..\\..\\x", "a\\b/c", "report", "boot", "yes", "no",
	};
	struct mut m = { seed * 0x9e3779b97f4a7c15ull + 1, d, size, max };
	size_t starts[256], n = 0;
	char line[300];

	if (MUT_PLAIN || mut_below(&m, 2))
		return LLVMFuzzerMutate(d, size, max);
	for (size_t i = 0; i < size && n < 256; i++)
		if (i == 0 || d[i - 1] == '\n')
			starts[n++] = i;
	size_t at = n ? starts[mut_below(&m, n)] : 0;
	size_t end = at;
	while (end < size && d[end] != '\n')
		end++;
	int len;
	switch (mut_below(&m, 4)) {
	case 0: /* the line's value replaced */ {
		const char *v = values[mut_below(&m, sizeof(values) / sizeof(values[0]))];
		size_t k = at;
		while (k < end && d[k] != ' ' && d[k] != '\t')
			k++;
		mut_delete(&m, k, end - k);
		len = snprintf(line, sizeof(line), " %s", v);
		if (mut_insert(&m, k, (size_t)len))
			memcpy(m.d + k, line, (size_t)len);
		break;
	}
	case 1: /* a line duplicated */
		if (end < size)
			mut_duplicate(&m, at, end + 1 - at, mut_below(&m, 2) ? end + 1 : 0);
		break;
	case 2: /* a line removed */
		mut_delete(&m, at, end < size ? end + 1 - at : end - at);
		break;
	default: { /* a new line */
		const char *k = keys[mut_below(&m, nkeys)];
		const char *v = values[mut_below(&m, sizeof(values) / sizeof(values[0]))];
		len = mut_below(&m, 16) ? snprintf(line, sizeof(line), "%s %s\n", k, v)
					: snprintf(line, sizeof(line), "%s %0*d\n", k, 200, 7);
		if (len > 0 && (size_t)len < sizeof(line) && mut_insert(&m, at, (size_t)len))
			memcpy(m.d + at, line, (size_t)len);
		break;
	}
	}
	return m.size;
}

#endif
