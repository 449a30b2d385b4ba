/* UTF-8 text (include/rdsemu/base/utf8.h). */
#include "rdsemu/base/utf8.h"

size_t utf8_code_points(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) /* count lead bytes, skip continuations */
            n++;
    return n;
}

size_t utf8_decode(const unsigned char *s, size_t left, unsigned *cp)
{
    size_t len;
    unsigned min, value;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0)
        len = 2, min = 0x80, value = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, min = 0x800, value = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, min = 0x10000, value = s[0] & 0x07;
    else
        return 0;
    if (len > left)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        value = (value << 6) | (s[i] & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    *cp = value;
    return len;
}

size_t utf8_sequence_length(const unsigned char *s)
{
    unsigned cp;
    /* A NUL is never a continuation byte: the decoder stops at the string's end by itself. */
    return utf8_decode(s, 4, &cp);
}

void utf8_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p != '\0') {
        size_t len = utf8_sequence_length(p);
        if (len == 0) {
            *p++ = '?';
        } else {
            p += len;
        }
    }
}
