/* Every answer goes out through these (docs/architecture.md step 7): status, Content-Type,
 * X-Request-Id, body. Each queues exactly one response on the request's connection. */
#ifndef RDSEMU_REPLY_H
#define RDSEMU_REPLY_H

#include <jansson.h>

#include "rdsemu/errors.h"
#include "rdsemu/request.h"

/* Steals `body`. */
void reply_json(struct request *req, int status, json_t *body);
/* Steals `text` (JSON already written, `len` bytes; NULL means out of memory: 500). */
void reply_json_text(struct request *req, int status, char *text, size_t len);
/* `len` bytes of `body` with `content_type`; `body` is static (never freed) when
 * `is_static`, else new and stolen. */
void reply_bytes(struct request *req, int status, const char *content_type, char *body, size_t len,
                 bool is_static);
/* The next bytes of a streamed body, read into `buf` (at most `max`): their count, 0 at the
 * end, -1 on a failure (the connection is then closed: the client sees the answer cut short,
 * the status having gone already). */
typedef long (*reply_stream_fn)(void *state, char *buf, size_t max);
/* A body of unknown length, read by `reader` as the client takes it (chunked in HTTP/1.1), on
 * the connection's worker thread; `state` is freed with `free_state` when the answer is done
 * or abandoned (also on failure here). */
void reply_stream(struct request *req, int status, const char *content_type, reply_stream_fn reader,
                  void *state, void (*free_state)(void *state));
/* A status with no body at all (204, or v3's empty 200). */
void reply_empty(struct request *req, int status);
/* The error in the request's API shape (or the gateway's), with a message naming the field. */
void reply_error(struct request *req, enum rdsemu_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void reply_rule_error(struct request *req, const struct rule_error *err);
/* An injected fault (docs/emulator.md) in the request's API shape. An empty `code` takes the
 * catalogue's code for the status. */
void reply_fault(struct request *req, int status, const char *code, const char *message);

#endif
