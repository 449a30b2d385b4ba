/* The checks of a request head (RFC 9112 framing, header syntax), for the pipeline that reads it
 * first (src/api/pipeline.c). */
#ifndef RDSEMU_HTTP_FRAMING_H
#define RDSEMU_HTTP_FRAMING_H

#include <stddef.h>

struct http_request;

/* The longest request line whose target is compared with what was sent (its read buffer is
 * far smaller: see the connection memory limit in server.c). */
#define FRAMING_TARGET_SPAN_MAX (1024 * 1024)

enum framing_problem {
    FRAMING_OK,
    FRAMING_BAD_REQUEST,     /* 400 */
    FRAMING_NOT_IMPLEMENTED, /* 501: a transfer coding rdsemu does not read */
};

struct framing_verdict {
    enum framing_problem problem;
    char message[160];
};

/* Checks the head of `req` (its target as sent, libmicrohttpd's URL and version, its headers).
 * Refuses: a NUL in the target or a space or control byte, a header name that is not a token
 * (whitespace before the colon, a folded line libmicrohttpd glued onto the name), a control
 * byte in a value, no Host in HTTP/1.1 or Host twice, two different Content-Lengths, a
 * Content-Length that is not a number, Content-Length with Transfer-Encoding, and any coding
 * but chunked (501). */
void framing_check(struct http_request *req, struct framing_verdict *out);

/* How many parameters the query of `raw_target` has ('&'-separated items after '?'). */
size_t framing_query_params(const char *raw_target);

#endif
