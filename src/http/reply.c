/* The one way out for every answer (docs/architecture.md, "One request, end to end"). */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/log.h"
#include "rdsemu/reply.h"
#include "rdsemu/server.h"
#include "rdsemu/validate.h"

/* Queues `resp` (destroyed here): the one place an answer is made. X-Request-Id on all, the
 * content type when there is a body, and "Connection: close" once the server is stopping, so
 * that keep-alive clients do not send more while it drains. */
static void queue_response(struct request *req, int status, struct MHD_Response *resp,
                           const char *content_type)
{
    if (content_type != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    if (req->close_after || server_is_stopping(req))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (MHD_queue_response(req->conn, (unsigned)status, resp) != MHD_YES)
        log_error("request %s: cannot queue the response", req->request_id);
    MHD_destroy_response(resp);
    req->replied = true;
    req->status = status;
}

/* Queues `len` bytes of `body` (NULL for no body) with `content_type`. */
static void queue_bytes(struct request *req, int status, const char *content_type, char *body,
                        size_t len, bool is_static)
{
    if (req->replied) {
        if (!is_static)
            free(body);
        log_error("request %s: a second answer was dropped", req->request_id);
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        body != NULL ? len : 0, body,
        body != NULL && !is_static ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        if (!is_static)
            free(body);
        log_error("request %s: cannot create a response", req->request_id);
        return;
    }
    queue_response(req, status, resp, body != NULL ? content_type : NULL);
}

/* A streamed body: the caller's reader, its state and how to free it. */
struct stream {
    reply_stream_fn reader;
    void *state;
    void (*free_state)(void *state);
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *s = cls;
    long n = s->reader(s->state, buf, max);
    if (n < 0)
        return MHD_CONTENT_READER_END_WITH_ERROR; /* the connection is closed mid-answer */
    if (n == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct stream *s = cls;
    if (s->free_state != NULL)
        s->free_state(s->state);
    free(s);
}

/* Chunks of at most this many bytes are asked of the reader. */
#define STREAM_BLOCK (32 * 1024)

void reply_stream(struct request *req, int status, const char *content_type, reply_stream_fn reader,
                  void *state, void (*free_state)(void *state))
{
    struct stream *s = req->replied ? NULL : malloc(sizeof(*s));
    if (s == NULL) {
        if (free_state != NULL)
            free_state(state);
        if (req->replied)
            log_error("request %s: a second answer was dropped", req->request_id);
        else
            reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    *s = (struct stream){reader, state, free_state};
    /* Size unknown: chunked in HTTP/1.1, the connection closed at the end in HTTP/1.0. */
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
                                                                  stream_read, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        log_error("request %s: cannot create a response", req->request_id);
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    queue_response(req, status, resp, content_type);
}

/* JSON text (new, stolen; NULL for no body). */
static void queue(struct request *req, int status, char *body, size_t len)
{
    queue_bytes(req, status, "application/json", body, len, false);
}

void reply_bytes(struct request *req, int status, const char *content_type, char *body, size_t len,
                 bool is_static)
{
    queue_bytes(req, status, content_type, body, len, is_static);
}

void reply_json(struct request *req, int status, json_t *body)
{
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        /* Out of memory while rendering: the catalogue's internal error, in a fixed form. */
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    queue(req, status, text, strlen(text));
}

void reply_json_text(struct request *req, int status, char *text, size_t len)
{
    if (text == NULL) {
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    queue(req, status, text, len);
}

void reply_empty(struct request *req, int status)
{
    queue(req, status, NULL, 0);
}

static json_t *error_body(struct request *req, bool gateway, const char *code, const char *message)
{
    if (gateway)
        return json_pack("{s:s, s:s, s:s}", "error_code", code, "error_msg", message, "request_id",
                         req->request_id);
    switch (req->api) {
    case API_V1:
        return json_pack("{s:s, s:s}", "errCode", code, "externalMessage", message);
    case API_V3:
        return json_pack("{s:s, s:s}", "error_code", code, "error_msg", message);
    case API_ADMIN:
        return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
    case API_GATEWAY:
        break;
    }
    return json_pack("{s:s, s:s, s:s}", "error_code", code, "error_msg", message, "request_id",
                     req->request_id);
}

/* Queues the error body; `message` is UTF-8. */
static void reply_shaped(struct request *req, int status, bool gateway, const char *code,
                         const char *message)
{
    snprintf(req->reason, sizeof(req->reason), "%s", message);
    json_t *body = error_body(req, gateway, code, message);
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        static const char fallback[] = "{\"error\":\"out of memory\"}";
        text = strdup(fallback);
        if (text == NULL) {
            queue(req, 500, NULL, 0);
            return;
        }
        status = 500;
    }
    queue(req, status, text, strlen(text));
}

static void reply_error_message(struct request *req, enum rdsemu_err err, const char *raw)
{
    /* Messages quote what the client sent (path segments, names), cut to a length: make
     * sure the result is still UTF-8 so it can be a JSON string. */
    char message[512];
    snprintf(message, sizeof(message), "%s", raw);
    utf8_sanitize(message);
    const struct error_entry *entry = errors_lookup(err);
    enum api_flavour api = entry->gateway_only ? API_GATEWAY : req->api;
    req->error_code = errors_code(err, api);
    reply_shaped(req, errors_status(err, api), entry->gateway_only, req->error_code, message);
}

/* The catalogue row whose codes an injected status without a code takes. */
static enum rdsemu_err fault_error_for(int status)
{
    switch (status) {
    case 401:
        return ERR_UNAUTHORIZED;
    case 403:
        return ERR_FORBIDDEN;
    default:
        return status >= 400 && status < 500 ? ERR_BAD_REQUEST : ERR_INTERNAL;
    }
}

void reply_fault(struct request *req, int status, const char *code, const char *message)
{
    const struct error_entry *entry = errors_lookup(fault_error_for(status));
    bool gateway = code[0] == '\0' && entry->gateway_only;
    enum api_flavour api = gateway ? API_GATEWAY : req->api;
    /* A copy of the code lives in the request: the fault rule may be removed meanwhile. */
    req->error_code =
        code[0] != '\0' ? req->fault.error_code : errors_code(fault_error_for(status), api);
    reply_shaped(req, status, gateway, req->error_code, message);
    /* The journal says which rule answered, whatever message the rule gives. */
    snprintf(req->reason, sizeof(req->reason), "injected by fault %s: %s", req->fault.rule_id,
             message);
    utf8_sanitize(req->reason); /* a message of 512 bytes is cut: never in a UTF-8 sequence */
}

void reply_error(struct request *req, enum rdsemu_err err, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    reply_error_message(req, err, message);
}

void reply_rule_error(struct request *req, const struct rule_error *err)
{
    reply_error_message(req, err->err, err->message);
}
