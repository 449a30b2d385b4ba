/* UTF-8 text: counting code points, and making any bytes safe for a JSON string. */
#ifndef RDSEMU_BASE_UTF8_H
#define RDSEMU_BASE_UTF8_H

#include <stddef.h>

/* Code points in valid UTF-8 `s` (jansson has already refused invalid UTF-8). */
size_t utf8_code_points(const char *s);
/* Replaces every byte that is not part of valid UTF-8 by '?', so any text (a path segment, a
 * truncated message) can go into a JSON string. */
void utf8_sanitize(char *s);
/* Length of the valid UTF-8 sequence at `s` (at most `left` bytes) and its code point; 0 when
 * it is not one (a stray, overlong, surrogate or cut sequence). */
size_t utf8_decode(const unsigned char *s, size_t left, unsigned *cp);
/* utf8_decode on a NUL-terminated string: the length only. */
size_t utf8_sequence_length(const unsigned char *s);

#endif
