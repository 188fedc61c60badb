/*
 * A strict JSON (RFC 8259) well-formedness check for the fuzzers: the
 * JSON report must parse whatever bytes the tables hold.  Also requires
 * plain ASCII, as lib/json.c promises.  Returns true when [s, s+n) is one
 * JSON value with only whitespace around it.
 */
#ifndef HS_TEST_FUZZ_JSON_CHECK_H
#define HS_TEST_FUZZ_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct jc {
	const char *p, *end;
	int depth;
};

static void jc_ws(struct jc *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static bool jc_lit(struct jc *c, const char *w)
{
	for (; *w; w++, c->p++)
		if (c->p >= c->end || *c->p != *w)
			return false;
	return true;
}

static bool jc_string(struct jc *c)
{
	if (c->p >= c->end || *c->p++ != '"')
		return false;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p++;
		if (ch == '"')
			return true;
		if (ch < 0x20 || ch >= 0x80)
			return false;
		if (ch != '\\')
			continue;
		if (c->p >= c->end)
			return false;
		ch = (unsigned char)*c->p++;
		if (ch == 'u') {
			for (int i = 0; i < 4; i++, c->p++)
				if (c->p >= c->end || !((*c->p >= '0' && *c->p <= '9') ||
							(*c->p >= 'a' && *c->p <= 'f') ||
							(*c->p >= 'A' && *c->p <= 'F')))
					return false;
		} else if (!(ch == '"' || ch == '\\' || ch == '/' || ch == 'b' || ch == 'f' ||
			     ch == 'n' || ch == 'r' || ch == 't')) {
			return false;
		}
	}
	return false;
}

static bool jc_digits(struct jc *c)
{
	const char *s = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s;
}

static bool jc_number(struct jc *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!jc_digits(c))
		return false;
	if (c->p < c->end && *c->p == '.' && (c->p++, !jc_digits(c)))
		return false;
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!jc_digits(c))
			return false;
	}
	return true;
}

static bool jc_value(struct jc *c)
{
	jc_ws(c);
	if (c->p >= c->end || ++c->depth > 64)
		return false;
	bool ok;
	char open = *c->p;
	if (open == '{' || open == '[') {
		char close = open == '{' ? '}' : ']';
		c->p++;
		jc_ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			c->depth--;
			return true;
		}
		for (;;) {
			if (open == '{') {
				jc_ws(c);
				if (!jc_string(c))
					return false;
				jc_ws(c);
				if (c->p >= c->end || *c->p++ != ':')
					return false;
			}
			if (!jc_value(c))
				return false;
			jc_ws(c);
			if (c->p >= c->end)
				return false;
			char ch = *c->p++;
			if (ch == close)
				break;
			if (ch != ',')
				return false;
		}
		ok = true;
	} else if (open == '"') {
		ok = jc_string(c);
	} else if (open == 't') {
		ok = jc_lit(c, "true");
	} else if (open == 'f') {
		ok = jc_lit(c, "false");
	} else if (open == 'n') {
		ok = jc_lit(c, "null");
	} else {
		ok = jc_number(c);
	}
	c->depth--;
	return ok;
}

static inline bool json_check(const char *s, size_t n)
{
	struct jc c = { s, s + n, 0 };

	if (!jc_value(&c))
		return false;
	jc_ws(&c);
	return c.p == c.end;
}

#endif
