/* The one place an answer is made (docs/architecture.md): status, X-Request-Id on every answer,
 * the content type when there is a body, and "Connection: close" when the connection is to
 * end. Each call queues exactly one answer; a second one is dropped and logged. */
#ifndef RDSEMU_HTTP_REPLY_H
#define RDSEMU_HTTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "rdsemu/http/request.h"

/* `len` bytes of `body` with `content_type`; `body` is static (never freed) when `is_static`,
 * else new and stolen. NULL `body`: no body at all (a 204, v3's empty 200). */
void http_reply(struct http_request *req, int status, const char *content_type, char *body,
                size_t len, bool is_static);

/* One more header on the answer http_reply queues next for `req` (both texts copied; at most
 * HTTP_REPLY_HEADERS_MAX of them). False when out of memory or over that count. */
bool http_reply_header(struct http_request *req, const char *name, const char *value);

/* The next bytes of a streamed body, read into `buf` (at most `max`): their count, 0 at the
 * end, -1 on a failure (the connection is then closed: the client sees the answer cut short,
 * the status having gone already). */
typedef long (*http_stream_fn)(void *state, char *buf, size_t max);
/* A body of unknown length, read by `reader` as the client takes it (chunked in HTTP/1.1), on
 * the connection's worker thread; `state` is freed with `free_state` when the answer is done
 * or abandoned. False (and `state` freed) when the answer could not be made. */
bool http_reply_stream(struct http_request *req, int status, const char *content_type,
                       http_stream_fn reader, void *state, void (*free_state)(void *state));

#endif
