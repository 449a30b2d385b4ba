/* Percent-encoding (RFC 3986) as the router and the signature check both need it. */
#ifndef RDSEMU_PERCENT_H
#define RDSEMU_PERCENT_H

#include <stdbool.h>
#include <stddef.h>

#include "rdsemu/base/strbuf.h"

/* The value of a hex digit (either case), or -1. */
int hex_digit_value(char c);

/* Decodes %XX in place. Invalid escapes and %00 are kept literally, so a decoded value never
 * hides a NUL byte. Returns the new length. */
size_t percent_decode(char *s);

/* Decodes %XX in `len` bytes of `in` into `out` (room for `len` bytes), for bytes that are
 * kept with their length: %00 gives a NUL byte; a '%' not followed by two hex digits stays a
 * '%'; '+' becomes a space when `plus_is_space` (the form encoding Go's url.ParseQuery
 * reads), else stays a '+'. Returns the decoded length. */
size_t percent_decode_bytes(const char *in, size_t len, char *out, bool plus_is_space);

/* Appends `len` bytes percent-encoded, as the signers of the SDKs encode: A-Z a-z 0-9 - _ . ~
 * stay literal, a space becomes '+' when `space_as_plus` (Go's url.QueryEscape), every other
 * byte %XX with upper-case hex. */
void percent_encode_append(struct strbuf *out, const char *s, size_t len, bool space_as_plus);

#endif
