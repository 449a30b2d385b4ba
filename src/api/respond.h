/* Private to src/api/: every answer of the API layer goes out through these, in the API's own
 * shape (docs/errors.md): v1 `{"errCode", "externalMessage"}`, v3 `{"error_code",
 * "error_msg"}`, the gateway's `{"error_code", "error_msg", "request_id"}`, the control plane's
 * `{"error": {"code", "message"}}`. Each queues exactly one answer. */
#ifndef RDSEMU_API_RESPOND_H
#define RDSEMU_API_RESPOND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "call.h"
#include "rdsemu/core/errors.h"
#include "rdsemu/http/reply.h"
#include "rdsemu/store/store.h"

/* JSON: a tree (steals `body`), or text already written (steals `text`, `len` bytes; NULL
 * means out of memory, answered as the internal error). */
void respond_json(struct call *call, int status, json_t *body);
void respond_json_text(struct call *call, int status, char *text, size_t len);
/* As respond_json, with one more header on the answer (X-Subject-Token). */
void respond_json_with_header(struct call *call, int status, json_t *body, const char *name,
                              const char *value);
/* Other bytes with their content type (see http_reply). */
void respond_bytes(struct call *call, int status, const char *content_type, char *body, size_t len,
                   bool is_static);
/* A status with no body at all (204, or v3's empty 200). */
void respond_empty(struct call *call, int status);
/* A refusal in the call's shape (or the gateway's for the rows that always take it), with a
 * message naming the field. */
void respond_error(struct call *call, enum rdsemu_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void respond_rule_error(struct call *call, const struct rule_error *err);
/* The one internal error: "internal error", the detail already logged by whoever failed. */
void respond_internal(struct call *call);
/* The calling thread's store connection (borrowed: store_release), or NULL after answering the
 * internal error. */
struct store_conn *store_acquire_or_reply(struct call *call);
/* The fault rule that fired (docs/emulator.md "Fault injection"), in the call's shape. */
void respond_fault(struct call *call);

#endif
