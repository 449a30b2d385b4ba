/* Percent-decoding and encoding (include/rdsemu/base/percent.h). */
#include <stdint.h>

#include "rdsemu/base/percent.h"

static const char upper_hex[] = "0123456789ABCDEF";

int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t percent_decode(char *s)
{
    char *out = s;
    for (const char *in = s; *in != '\0'; in++) {
        int hi, lo;
        if (in[0] == '%' && (hi = hex_digit_value(in[1])) >= 0 &&
            (lo = hex_digit_value(in[2])) >= 0 && (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

size_t percent_decode_bytes(const char *in, size_t len, char *out, bool plus_is_space)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (in[i] == '%' && i + 2 < len && (hi = hex_digit_value(in[i + 1])) >= 0 &&
            (lo = hex_digit_value(in[i + 2])) >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = plus_is_space && in[i] == '+' ? ' ' : in[i];
        }
    }
    return n;
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

void percent_encode_append(struct strbuf *out, const char *s, size_t len, bool space_as_plus)
{
    if (len > SIZE_MAX / 4) {
        out->error = STRBUF_NO_MEMORY;
        return;
    }
    strbuf_reserve(out, 3 * len);
    if (out->error != STRBUF_OK)
        return;
    char *at = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c)) {
            *at++ = (char)c;
        } else if (space_as_plus && c == ' ') {
            *at++ = '+';
        } else {
            *at++ = '%';
            *at++ = upper_hex[c >> 4];
            *at++ = upper_hex[c & 0x0f];
        }
    }
    out->len = (size_t)(at - out->data);
    out->data[out->len] = '\0';
}
