#include "json.h"

static void put(struct hs_json *j, const char *s, size_t n)
{
	j->out->write(j->out->ctx, s, n);
}

void hs_json_init(struct hs_json *j, struct hs_sink *out)
{
	j->out = out;
	j->depth = 0;
	j->more = 0;
}

/* two spaces a level, up to 16 levels */
static void indent(struct hs_json *j)
{
	static const char spaces[] = "                                ";

	put(j, spaces, HS_MIN(2 * j->depth, sizeof(spaces) - 1));
}

static void put_str(struct hs_json *j, const char *s, size_t n)
{
	/* a string literal, so the linker shares lib/fmt.c's digits */
	const char *hex = "0123456789abcdef";
	size_t run = 0;

	put(j, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		put(j, s + run, i - run);
		run = i + 1;
		char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
		if (c == '"' || c == '\\')
			e[1] = (char)c;
		put(j, e, c == '"' || c == '\\' ? 2 : 6);
	}
	put(j, s + run, n - run);
	put(j, "\"", 1);
}

/* the separator, the indent and the key of the next value */
static void member(struct hs_json *j, const char *key)
{
	uint32_t bit = 1u << j->depth;

	if (j->depth)
		put(j, j->more & bit ? ",\n" : "\n", j->more & bit ? 2 : 1);
	j->more |= bit;
	indent(j);
	if (key) {
		put_str(j, key, hs_strlen(key));
		put(j, ": ", 2);
	}
}

void hs_json_open(struct hs_json *j, const char *key, char brace)
{
	member(j, key);
	put(j, &brace, 1);
	if (j->depth + 1 < HS_JSON_DEPTH)
		j->depth++;
	j->more &= ~(1u << j->depth);
}

void hs_json_close(struct hs_json *j, char brace)
{
	bool any = j->more & (1u << j->depth);

	if (j->depth)
		j->depth--;
	if (any) {
		put(j, "\n", 1);
		indent(j);
	}
	put(j, &brace, 1);
	if (!j->depth)
		put(j, "\n", 1);
}

void hs_json_str(struct hs_json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		put_str(j, s, hs_strlen(s));
	else
		put(j, "null", 4);
}

void hs_json_raw(struct hs_json *j, const char *fmt, ...)
{
	va_list ap;

	member(j, NULL);
	va_start(ap, fmt);
	hs_vprint(j->out, fmt, ap);
	va_end(ap);
}

static void lines_write(void *ctx, const char *s, size_t n)
{
	struct hs_json *j = ctx;

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	member(j, NULL);
	put_str(j, s, n);
}

void hs_json_lines(struct hs_json *j, struct hs_sink *ret_sink)
{
	*ret_sink = (struct hs_sink){ lines_write, j };
}
