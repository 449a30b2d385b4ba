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

/* Length of the valid UTF-8 sequence at `s`, or 0 when it is not one. */
size_t utf8_sequence_length(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t len;
    unsigned min;
    unsigned cp;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
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
