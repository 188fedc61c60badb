/*
 * A small, freestanding printf.  It follows the Linux kernel's vsprintf
 * where the two C worlds differ, because hotshim must print SRAT lines
 * byte-identical to Linux: "%#x" of zero prints "0x0" (lib/vsprintf.c
 * number() adds the prefix for base 16 even when the value is 0), and
 * the zero padding of "%#010x" counts the "0x".
 *
 * Only what hotshim's formats use, each byte counting in the EFI image:
 * %d %i %u %x %X %s %%, the flags - 0 #, a width and a precision (either
 * may be *), and l, ll, z.  Anything else is printed as written: "%c"
 * stays "%c".
 */
#include "hs.h"

struct out {
	char *buf;
	size_t cap;
	size_t len; /* would-be length, may exceed cap */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_rep(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum {
	F_LEFT = 1,
	F_ZERO = 2,
	F_ALT = 4,
};

static void put_num(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
		    unsigned flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;

	const char *pfx = "";
	if (neg)
		pfx = "-";
	if ((flags & F_ALT) && base == 16)
		pfx = upper ? "0X" : "0x";

	int plen = (int)hs_strlen(pfx);
	int zeros = prec > n ? prec - n : 0;
	int pad = width - plen - zeros - n;

	if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT)) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!(flags & F_LEFT))
		put_rep(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		put(o, pfx[i]);
	put_rep(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		put_rep(o, ' ', pad);
}

static void put_str(struct out *o, const char *s, unsigned flags, int width, int prec)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while ((prec < 0 || n < prec) && s[n])
		n++;
	if (!(flags & F_LEFT))
		put_rep(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		put_rep(o, ' ', width - n);
}

size_t hs_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		unsigned flags = 0;
		for (;; p++) {
			if (*p == '-')
				flags |= F_LEFT;
			else if (*p == '0')
				flags |= F_ZERO;
			else if (*p == '#')
				flags |= F_ALT;
			else
				break;
		}
		int width = 0;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (*p++ - '0');
		}
		int prec = -1;
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		int lng = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
		for (;; p++) {
			if (*p == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*p == 'z')
				lng = 3;
			else
				break;
		}
		uint64_t u;
		int64_t s;
		switch (*p) {
		case 'd':
		case 'i':
			if (lng == 2)
				s = va_arg(ap, long long);
			else if (lng == 1 || lng == 3)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);
			put_num(&o, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, s < 0, 10, false, flags,
				width, prec);
			break;
		case 'u':
		case 'x':
		case 'X':
			if (lng == 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else if (lng == 3)
				u = va_arg(ap, size_t);
			else
				u = va_arg(ap, unsigned int);
			put_num(&o, u, false, *p == 'u' ? 10 : 16, *p == 'X', flags, width, prec);
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *), flags, width, prec);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}

size_t hs_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = hs_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

void hs_vprint(struct hs_sink *s, const char *fmt, va_list ap)
{
	char line[512];
	size_t n = hs_vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	s->write(s->ctx, line, n);
}

void hs_print(struct hs_sink *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hs_vprint(s, fmt, ap);
	va_end(ap);
}

void hs_vprintln(struct hs_sink *s, const char *fmt, va_list ap)
{
	char line[512];
	size_t n = hs_vsnprintf(line, sizeof(line) - 1, fmt, ap);

	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	s->write(s->ctx, line, n);
}

void hs_println(struct hs_sink *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hs_vprintln(s, fmt, ap);
	va_end(ap);
}

void hs_err_set(struct hs_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	hs_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void hs_fmt_size(char *buf, size_t cap, uint64_t bytes)
{
	/* names in place, not pointers: a pointer table costs a relocation
	 * per entry in the EFI image */
	static const char unit[][4] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;

	while (u + 1 < HS_ARRAY_SIZE(unit) && bytes >= (1ull << (10 * (u + 1))))
		u++;
	if (u == 0) {
		hs_snprintf(buf, cap, "%llu B", (unsigned long long)bytes);
		return;
	}
	uint64_t whole = bytes >> (10 * u);
	uint64_t rest = bytes - (whole << (10 * u));
	/* one decimal, truncated; rest < 2^60, so rest * 10 cannot overflow */
	uint64_t tenth = (rest * 10) >> (10 * u);
	if (rest == 0)
		hs_snprintf(buf, cap, "%llu %s", (unsigned long long)whole, unit[u]);
	else
		hs_snprintf(buf, cap, "%llu.%llu %s", (unsigned long long)whole,
			    (unsigned long long)tenth, unit[u]);
}

static void strbuf_write(void *ctx, const char *s, size_t n)
{
	struct hs_strbuf *sb = ctx;

	for (size_t i = 0; i < n; i++) {
		if (sb->len + 1 < sb->cap)
			sb->buf[sb->len++] = s[i];
		else
			sb->truncated = true;
	}
	if (sb->cap)
		sb->buf[sb->len] = '\0';
}

void hs_strbuf_init(struct hs_strbuf *sb, char *buf, size_t cap, struct hs_sink *ret_sink)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->truncated = false;
	if (cap)
		buf[0] = '\0';
	ret_sink->write = strbuf_write;
	ret_sink->ctx = sb;
}

size_t hs_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int hs_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int hs_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/* The compiler's memcpy and memset: efi/lib.c's rep movsb/stosb in the
 * EFI application, libc's on the host.  A byte loop here was most of a
 * fuzzing run's time: srat_parse() clears an 80 KiB result per input, and
 * coverage instrumentation traced every byte. */
void hs_memcpy(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
}

void hs_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* memcpy only where the two do not meet: an overlapping memcpy is
	 * undefined, and glibc's may copy in any order */
	if (d + n <= s || d >= s + n) {
		hs_memcpy(dst, src, n);
	} else if (d < s) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		while (n--)
			d[n] = s[n];
	}
}

void hs_memset(void *dst, int c, size_t n)
{
	__builtin_memset(dst, c, n);
}
