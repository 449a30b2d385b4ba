/* Client bytes made safe for a log line (docs/emulator.md "Logs"): what a terminal would act on
 * (control bytes, C1 controls, bytes that are not UTF-8) is written as \xNN, a backslash as \\,
 * so a line cannot move the cursor, erase the screen or fake another line, and every line is
 * valid UTF-8, and valid JSON in --log-format json. A value longer than its budget is cut on a
 * character and ends with a mark saying how many bytes were left out. */
#include <stdio.h>
#include <string.h>

#include "rdsemu/base/log.h"
#include "rdsemu/base/utf8.h"

/* What one unit of input becomes: `text` (`len` bytes) and its cost against the budget (its
 * length in the line: as written in text, as JSON writes it with \u escapes in json). */
struct unit {
    char text[16];
    size_t len;
    size_t cost;
    size_t consumed; /* input bytes */
};

static void escaped_bytes(struct unit *u, const unsigned char *s, size_t n, bool json)
{
    static const char hex[] = "0123456789abcdef";
    u->len = 0;
    for (size_t i = 0; i < n; i++) {
        u->text[u->len++] = '\\';
        u->text[u->len++] = 'x';
        u->text[u->len++] = hex[s[i] >> 4];
        u->text[u->len++] = hex[s[i] & 0x0F];
    }
    u->cost = json ? n * 5 : u->len; /* JSON doubles the backslash */
    u->consumed = n;
}

static void next_unit(const unsigned char *s, size_t left, bool json, struct unit *u)
{
    unsigned cp = 0;
    size_t len = utf8_decode(s, left, &cp);
    if (len == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
        escaped_bytes(u, s, len == 0 ? 1 : len, json);
        return;
    }
    u->consumed = len;
    if (cp == '\\') {
        memcpy(u->text, "\\\\", 2);
        u->len = 2;
        u->cost = json ? 4 : 2;
        return;
    }
    memcpy(u->text, s, len);
    u->len = len;
    if (!json)
        u->cost = len;
    else if (cp < 0x80)
        u->cost = cp == '"' ? 2 : 1;
    else
        u->cost = cp < 0x10000 ? 6 : 12; /* \uXXXX, or a surrogate pair */
}

size_t log_escape(char *out, size_t size, const char *in, size_t len, size_t omitted, size_t budget,
                  bool json)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t used = 0, cost = 0, at = 0;
    while (at < len) {
        struct unit u;
        next_unit(s + at, len - at, json, &u);
        if (cost + u.cost > budget || used + u.len + LOG_CUT_MARK_MAX + 1 > size)
            break;
        memcpy(out + used, u.text, u.len);
        used += u.len;
        cost += u.cost;
        at += u.consumed;
    }
    if (at < len || omitted > 0) {
        int n = snprintf(out + used, size - used, "...(+%zu bytes)", len - at + omitted);
        used += n > 0 && (size_t)n < size - used ? (size_t)n : 0;
    }
    out[used] = '\0';
    return used;
}
