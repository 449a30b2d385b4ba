/* Answers in the API's own shape (src/api/respond.h): one path for every error a client sees,
 * which reads the catalogue (core/errors.c) and never shows internals. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/log.h"
#include "rdsemu/base/utf8.h"
#include "respond.h"

#define JSON_TYPE "application/json"

void respond_bytes(struct call *call, int status, const char *content_type, char *body, size_t len,
                   bool is_static)
{
    http_reply(&call->http, status, content_type, body, len, is_static);
}

void respond_json_text(struct call *call, int status, char *text, size_t len)
{
    if (text == NULL) {
        log_error("request %s: out of memory while writing the answer", call->http.request_id);
        respond_internal(call);
        return;
    }
    http_reply(&call->http, status, JSON_TYPE, text, len, false);
}

void respond_json(struct call *call, int status, json_t *body)
{
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    respond_json_text(call, status, text, text != NULL ? strlen(text) : 0);
}

void respond_json_with_header(struct call *call, int status, json_t *body, const char *name,
                              const char *value)
{
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    /* Only a success carries the header: a failed answer is the internal error, without it. */
    if (text != NULL && !http_reply_header(&call->http, name, value)) {
        free(text);
        text = NULL;
    }
    respond_json_text(call, status, text, text != NULL ? strlen(text) : 0);
}

void respond_empty(struct call *call, int status)
{
    http_reply(&call->http, status, NULL, NULL, 0, false);
}

static json_t *error_body(const struct call *call, enum api_flavour shape, const char *code,
                          const char *message)
{
    switch (shape) {
    case API_V1:
        return json_pack("{s:s, s:s}", "errCode", code, "externalMessage", message);
    case API_V3:
        return json_pack("{s:s, s:s}", "error_code", code, "error_msg", message);
    case API_ADMIN:
        return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
    case API_IDENTITY: /* the identity routes answer as the gateway does */
    case API_GATEWAY:
        break;
    }
    return json_pack("{s:s, s:s, s:s}", "error_code", code, "error_msg", message, "request_id",
                     call->http.request_id);
}

/* Queues the error body in `shape`; `message` is UTF-8. */
static void respond_shaped(struct call *call, int status, enum api_flavour shape, const char *code,
                           const char *message)
{
    call->answer.error_code = code;
    snprintf(call->answer.reason, sizeof(call->answer.reason), "%s", message);
    json_t *body = error_body(call, shape, code, message);
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        /* Out of memory: a fixed text, as static bytes, still an answer. */
        static const char fallback[] = "{\"error\":\"out of memory\"}";
        http_reply(&call->http, 500, JSON_TYPE, (char *)fallback, sizeof(fallback) - 1, true);
        return;
    }
    http_reply(&call->http, status, JSON_TYPE, text, strlen(text), false);
}

static void respond_message(struct call *call, enum rdsemu_err err, const char *raw)
{
    /* Messages quote what the client sent (path segments, names), cut to a length: the result
     * must still be UTF-8 to be a JSON string. */
    char message[512];
    snprintf(message, sizeof(message), "%s", raw);
    utf8_sanitize(message);
    const struct error_entry *entry = errors_lookup(err);
    enum api_flavour shape = entry->gateway_only ? API_GATEWAY : call->route.flavour;
    respond_shaped(call, errors_status(err, shape), shape, errors_code(err, shape), message);
}

void respond_error(struct call *call, enum rdsemu_err err, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    respond_message(call, err, message);
}

void respond_rule_error(struct call *call, const struct rule_error *err)
{
    respond_message(call, err->err, err->message);
}

void respond_internal(struct call *call)
{
    struct rule_error err;
    rule_internal(&err);
    respond_rule_error(call, &err);
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

void respond_fault(struct call *call)
{
    const struct fault_action *fault = &call->verdicts.fault;
    enum rdsemu_err err = fault_error_for(fault->status);
    bool own_code = fault->error_code[0] != '\0';
    enum api_flavour shape =
        !own_code && errors_lookup(err)->gateway_only ? API_GATEWAY : call->route.flavour;
    /* The code lives in the call: the fault rule may be removed meanwhile. */
    respond_shaped(call, fault->status, shape,
                   own_code ? fault->error_code : errors_code(err, shape), fault->message);
    /* The journal says which rule answered, whatever message the rule gives. */
    snprintf(call->answer.reason, sizeof(call->answer.reason), "injected by fault %s: %.440s",
             fault->rule_id, fault->message);
    utf8_sanitize(call->answer.reason); /* a cut message must not end inside a UTF-8 sequence */
}

struct store_conn *store_acquire_or_reply(struct call *call)
{
    struct store_conn *conn = store_acquire(call->api->store);
    if (conn == NULL)
        respond_internal(call);
    return conn;
}
