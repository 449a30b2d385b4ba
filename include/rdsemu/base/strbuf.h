/* The one growable buffer of the program: bytes appended freely, the error checked once at the
 * end (a failed append makes every later one do nothing, as SQLite's sqlite3_str). It carries
 * request bodies, answers written as JSON text, the metrics page, the journal, and the
 * canonical requests of signatures (whose bytes may hold NULs: the buffer keeps lengths). */
#ifndef RDSEMU_BASE_STRBUF_H
#define RDSEMU_BASE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

enum strbuf_error {
    STRBUF_OK,
    STRBUF_NO_MEMORY,
    STRBUF_OVER_LIMIT, /* an append would have passed `limit` */
};

struct strbuf {
    char *data; /* new; NUL-terminated after `len` bytes while `error` is STRBUF_OK */
    size_t len;
    size_t cap;
    size_t limit; /* the most bytes it may hold; 0: no limit but memory */
    enum strbuf_error error;
};

/* Empty, with no limit; nothing is allocated before the first append. */
#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0, STRBUF_OK                                                                   \
    }

void strbuf_append(struct strbuf *b, const void *data, size_t len);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for `more` bytes beyond what it holds, so that the appends that follow cannot fail. */
void strbuf_reserve(struct strbuf *b, size_t more);
/* Empties the buffer (keeping its memory) and clears its error. */
void strbuf_reset(struct strbuf *b);
/* New: the bytes, NUL-terminated, their count in `*len` (may be NULL); NULL after an error.
 * The buffer is empty afterwards. */
char *strbuf_take(struct strbuf *b, size_t *len);
/* Frees what it holds; the buffer is empty afterwards. */
void strbuf_release(struct strbuf *b);

/* JSON text, for the answers on the hot path: building a jansson tree and dumping it cost more
 * than the rest of a create together (measured with callgrind). The caller writes members in
 * order, so the documented member order is the code's order. */

/* A JSON string, quoted and escaped; `s` must be UTF-8. NULL writes null. */
void strbuf_json_string(struct strbuf *b, const char *s);
void strbuf_json_int(struct strbuf *b, long long v);
/* A number as jansson writes a real: up to 17 significant digits, always with a '.' or an
 * exponent. */
void strbuf_json_real(struct strbuf *b, double v);

#endif
