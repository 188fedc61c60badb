/*
 * A JSON writer over a sink (RFC 8259): objects and arrays nest, each
 * member on a line of its own, indented by two spaces a level.  Bytes of a
 * string that JSON does not allow raw (controls, '"', '\\') and bytes from
 * 0x7f up (OEM IDs are not UTF-8) are written as \u00XX escapes, so
 * the output is plain ASCII whatever the firmware put in its tables.
 */
#ifndef HS_LIB_JSON_H
#define HS_LIB_JSON_H

#include "hs.h"

#define HS_JSON_DEPTH 16

struct hs_json {
	struct hs_sink *out;
	unsigned depth;
	uint32_t more; /* bit d: the container at depth d has a member already */
};

void hs_json_init(struct hs_json *j, struct hs_sink *out);
/* key is NULL inside an array (and for the outermost value) */
void hs_json_open(struct hs_json *j, const char *key, char brace); /* '{' or '[' */
void hs_json_close(struct hs_json *j, char brace);                 /* '}' or ']' */
void hs_json_str(struct hs_json *j, const char *key, const char *s); /* NULL: null */
/* The next value, or several members of an object at once, written as
 * fmt says: numbers, true/false/null, "0x..." addresses (JSON numbers
 * lose bits above 2^53 in most readers) and strings known to need no
 * escaping; anything from a table or the user goes through hs_json_str. */
void hs_json_raw(struct hs_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A sink that turns each line written to it into a string of the array
 * that is open in j (the newline dropped): the report's warning and pin
 * lines, the same text in both outputs. */
void hs_json_lines(struct hs_json *j, struct hs_sink *ret_sink);

#endif
