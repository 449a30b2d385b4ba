/* The growable buffer (include/rdsemu/base/strbuf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/strbuf.h"

/* Room for `more` bytes and a NUL; false (and the error set) when there is none. */
static bool room_for(struct strbuf *b, size_t more)
{
    if (b->error != STRBUF_OK)
        return false;
    if (more > SIZE_MAX / 2 - b->len) {
        b->error = STRBUF_NO_MEMORY;
        return false;
    }
    if (b->limit != 0 && b->len + more > b->limit) {
        b->error = STRBUF_OVER_LIMIT;
        return false;
    }
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap > 0 ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (b->limit != 0 && cap > b->limit + 1)
        cap = b->limit + 1;
    char *grown = realloc(b->data, cap);
    if (grown == NULL) {
        b->error = STRBUF_NO_MEMORY;
        return false;
    }
    b->data = grown;
    b->cap = cap;
    return true;
}

void strbuf_append(struct strbuf *b, const void *data, size_t len)
{
    if (!room_for(b, len))
        return;
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !room_for(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void strbuf_reserve(struct strbuf *b, size_t more)
{
    room_for(b, more);
}

void strbuf_reset(struct strbuf *b)
{
    b->len = 0;
    b->error = STRBUF_OK;
    if (b->data != NULL)
        b->data[0] = '\0';
}

char *strbuf_take(struct strbuf *b, size_t *len)
{
    char *data = NULL;
    if (b->error == STRBUF_OK && room_for(b, 0)) {
        data = b->data;
        if (len != NULL)
            *len = b->len;
        b->data = NULL;
    }
    strbuf_release(b);
    return data;
}

void strbuf_release(struct strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->error = STRBUF_OK;
}

void strbuf_json_string(struct strbuf *b, const char *s)
{
    if (s == NULL) {
        strbuf_append(b, "null", 4);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    strbuf_append(b, "\"", 1);
    const char *run = s; /* bytes that need no escape are copied in runs */
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c != '\0' && c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_append(b, run, (size_t)(p - run));
        if (c == '\0')
            break;
        char esc[7] = {'\\', (char)c, 0};
        size_t n = 2;
        switch (c) {
        case '"':
        case '\\':
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0x0F];
            n = 6;
        }
        strbuf_append(b, esc, n);
        run = p + 1;
    }
    strbuf_append(b, "\"", 1);
}

void strbuf_json_int(struct strbuf *b, long long v)
{
    strbuf_printf(b, "%lld", v);
}

void strbuf_json_real(struct strbuf *b, double v)
{
    char text[40];
    int n = snprintf(text, sizeof(text), "%.17g", v);
    /* Like jansson: a real always looks like one. */
    if (strpbrk(text, ".eE") == NULL && n + 2 < (int)sizeof(text)) {
        memcpy(text + n, ".0", 3);
        n += 2;
    }
    strbuf_append(b, text, (size_t)n);
}
