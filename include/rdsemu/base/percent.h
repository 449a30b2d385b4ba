/* Percent-encoding (RFC 3986) as the router and the signature check both need it. */
#ifndef RDSEMU_PERCENT_H
#define RDSEMU_PERCENT_H

#include <stddef.h>

/* The value of a hex digit (either case), or -1. */
int hex_digit_value(char c);

/* Decodes %XX in place. Invalid escapes and %00 are kept literally, so a decoded value never
 * hides a NUL byte. Returns the new length. */
size_t percent_decode(char *s);

#endif
