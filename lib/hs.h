/* Common definitions for the pure (firmware-independent) parts of hotshim. */
#ifndef HS_LIB_HS_H
#define HS_LIB_HS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_VERSION "0.1.0"

/* Error codes: functions return 0 or one of these, negated. */
enum {
	HS_ENOENT = 2,
	HS_EIO = 5,
	HS_ENOMEM = 12,
	HS_EINVAL = 22,
	HS_ENOSPC = 28,
	HS_ERANGE = 34,
	HS_EBADMSG = 74,
	HS_E2BIG = 7,
	HS_EBUSY = 16,
	HS_EACCES = 13,   /* Secure Boot says no */
	HS_ENOTSUP = 95,  /* this machine cannot do what is asked */
};

#define HS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define HS_MAX(a, b) ((a) > (b) ? (a) : (b))

#define HS_KIB (1024ull)
#define HS_MIB (1024ull * HS_KIB)
#define HS_GIB (1024ull * HS_MIB)
#define HS_PAGE_SIZE 4096ull

/* One clear line for the user: what, where, why. */
struct hs_err {
	char msg[200];
};

/* A bounded (pointer, length) view of bytes nobody vouched for. */
struct hs_view {
	const uint8_t *data;
	size_t len;
};

static inline bool hs_view_has(struct hs_view v, size_t off, size_t n)
{
	return off <= v.len && n <= v.len - off;
}

/* Little-endian readers; callers check hs_view_has() first.  Out of
 * range reads return 0 rather than touching memory outside the view. */
static inline uint64_t hs_get_le(struct hs_view v, size_t off, unsigned n)
{
	uint64_t x = 0;

	if (!hs_view_has(v, off, n))
		return 0;
	for (unsigned i = 0; i < n; i++)
		x |= (uint64_t)v.data[off + i] << (8 * i);
	return x;
}
static inline uint8_t hs_get_u8(struct hs_view v, size_t off) { return (uint8_t)hs_get_le(v, off, 1); }
static inline uint16_t hs_get_u16(struct hs_view v, size_t off) { return (uint16_t)hs_get_le(v, off, 2); }
static inline uint32_t hs_get_u32(struct hs_view v, size_t off) { return (uint32_t)hs_get_le(v, off, 4); }
static inline uint64_t hs_get_u64(struct hs_view v, size_t off) { return hs_get_le(v, off, 8); }

/* The writer to match: n bytes of v at p, least significant first. */
static inline void hs_put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Physical memory access, injectable so host tests can feed any bytes.
 * map() returns a pointer to len readable bytes at addr, or NULL. */
struct hs_phys {
	const void *(*map)(void *ctx, uint64_t addr, size_t len);
	void *ctx;
};

/* Output sink: console in efi/, a string buffer in tests. */
struct hs_sink {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
};

/* lib/fmt.c: a small printf with Linux's %#x semantics (0x on zero). */
size_t hs_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t hs_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void hs_vprint(struct hs_sink *s, const char *fmt, va_list ap);
void hs_print(struct hs_sink *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* One whole line, newline included, in a single write (sinks may filter
 * by line); longer than 510 characters is cut. */
void hs_vprintln(struct hs_sink *s, const char *fmt, va_list ap);
void hs_println(struct hs_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hs_err_set(struct hs_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Human-readable binary size ("1.5 GiB", "512 MiB", "0 B"). */
void hs_fmt_size(char *buf, size_t cap, uint64_t bytes);

/* A sink that appends to caller storage; always NUL-terminated. */
struct hs_strbuf {
	char *buf;
	size_t cap;
	size_t len;
	bool truncated;
};
void hs_strbuf_init(struct hs_strbuf *sb, char *buf, size_t cap, struct hs_sink *ret_sink);

size_t hs_strlen(const char *s);

/* Name n of a list of NUL-ended names packed one after another ("a\0b\0",
 * whose end is the empty name after the last), or none when it has fewer:
 * a table of names without a pointer (a relocation) or padding each. */
static inline const char *hs_nth_name(const char *list, unsigned n, const char *none)
{
	for (; *list; list++) {
		if (!n--)
			return list;
		while (*list)
			list++;
	}
	return none;
}
int hs_strcmp(const char *a, const char *b);
int hs_memcmp(const void *a, const void *b, size_t n);
void hs_memcpy(void *dst, const void *src, size_t n);
/* Overlap-safe. */
void hs_memmove(void *dst, const void *src, size_t n);
void hs_memset(void *dst, int c, size_t n);

#endif
