/* A growing buffer of JSON text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/json_out.h"

int json_out_init(struct json_out *o, size_t capacity)
{
    o->len = 0;
    o->cap = capacity;
    o->buf = malloc(capacity);
    return o->buf != NULL ? 0 : -1;
}

/* Room for `n` more bytes and a NUL; false after a failure. */
static bool reserve(struct json_out *o, size_t n)
{
    if (o->buf == NULL)
        return false;
    if (o->len + n + 1 <= o->cap)
        return true;
    size_t cap = o->cap * 2;
    while (cap < o->len + n + 1)
        cap *= 2;
    char *grown = realloc(o->buf, cap);
    if (grown == NULL) {
        free(o->buf);
        o->buf = NULL;
        return false;
    }
    o->buf = grown;
    o->cap = cap;
    return true;
}

static void append(struct json_out *o, const char *s, size_t n)
{
    if (reserve(o, n)) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    }
}

void json_out_raw(struct json_out *o, const char *text)
{
    append(o, text, strlen(text));
}

void json_out_string(struct json_out *o, const char *s)
{
    if (s == NULL) {
        append(o, "null", 4);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    append(o, "\"", 1);
    const char *run = s; /* bytes that need no escape are copied in runs */
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c != '\0' && c >= 0x20 && c != '"' && c != '\\')
            continue;
        append(o, run, (size_t)(p - run));
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
        append(o, esc, n);
        run = p + 1;
    }
    append(o, "\"", 1);
}

void json_out_int(struct json_out *o, long long v)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%lld", v);
    append(o, text, (size_t)n);
}

void json_out_real(struct json_out *o, double v)
{
    char text[40];
    int n = snprintf(text, sizeof(text), "%.17g", v);
    /* Like jansson: a real always looks like one. */
    if (strpbrk(text, ".eE") == NULL && n + 2 < (int)sizeof(text)) {
        memcpy(text + n, ".0", 3);
        n += 2;
    }
    append(o, text, (size_t)n);
}

char *json_out_take(struct json_out *o, size_t *len)
{
    char *text = o->buf;
    if (text != NULL) {
        text[o->len] = '\0';
        if (len != NULL)
            *len = o->len;
    }
    o->buf = NULL;
    o->len = o->cap = 0;
    return text;
}
