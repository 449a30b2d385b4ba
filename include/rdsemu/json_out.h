/* Writing JSON text directly, for the answers on the hot path: building a jansson tree and
 * dumping it cost more than the rest of a create together (measured with callgrind). The
 * caller writes members in order, so the documented member order is the code's order. */
#ifndef RDSEMU_JSON_OUT_H
#define RDSEMU_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_out {
    char *buf; /* new; NULL after a failure */
    size_t len;
    size_t cap;
};

/* 0, or -1 when out of memory (then every later call does nothing and json_out_take
 * returns NULL). */
int json_out_init(struct json_out *o, size_t capacity);
/* Text as it is: punctuation and member names the caller knows to be safe. */
void json_out_raw(struct json_out *o, const char *text);
/* A JSON string: quoted and escaped; `s` must be UTF-8. NULL writes null. */
void json_out_string(struct json_out *o, const char *s);
void json_out_int(struct json_out *o, long long v);
/* A JSON number as jansson writes a real: up to 17 significant digits, always with a '.'
 * or an exponent. */
void json_out_real(struct json_out *o, double v);
/* New: the text, NUL-terminated; NULL if anything failed. The writer is empty after. */
char *json_out_take(struct json_out *o, size_t *len);

#endif
