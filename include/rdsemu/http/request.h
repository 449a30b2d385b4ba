/* One request on the wire (docs/architecture.md "One request, end to end"): what arrived, the
 * body as it grows, whether it was answered. http/ fills and frees it; the layer above keeps
 * its own state for the request in a struct that embeds this one (see http_hooks). */
#ifndef RDSEMU_HTTP_REQUEST_H
#define RDSEMU_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rdsemu/base/strbuf.h"

#define HTTP_REQUEST_ID_LEN 36 /* a UUID, lowercase 8-4-4-4-12 */
/* The most query parameters that are read; each costs libmicrohttpd a record in the
 * connection's memory, and a request with more (`too_many_params`) gets a 414 before they are
 * parsed. */
#define HTTP_QUERY_PARAMS_MAX 256
/* Headers an answer may carry beyond those every answer has (http_reply_header). */
#define HTTP_REPLY_HEADERS_MAX 2

struct MHD_Connection;
struct http_server;

struct http_request {
    struct MHD_Connection *conn; /* borrowed */
    struct http_server *server;  /* borrowed: the one that accepted it */
    const char *method;          /* borrowed from libmicrohttpd, valid for the request */
    const char *version;         /* borrowed: "HTTP/1.1", "HTTP/1.0"... */
    const char *url;             /* borrowed: libmicrohttpd's copy of the target */
    char *uri;                   /* new: the request target as sent, query included */
    char *path;                  /* new: the raw path, without the query */
    const char *query;           /* into `uri`, after '?'; NULL when there is none */
    char request_id[HTTP_REQUEST_ID_LEN + 1];
    struct timespec started;
    bool too_many_params; /* the query has more parameters than are read (see server.c) */

    /* The body, capped at the server's limit while it grows. */
    struct strbuf body;
    bool body_too_large; /* announced or grown past the limit */
    bool body_unwanted;  /* already refused: what arrives of it is not kept */

    /* Suspended (http_request_suspend) and not yet back in the access handler. */
    bool suspended;
    bool delayed; /* suspended by http_request_delay */

    /* The answer. */
    char *reply_headers[2 * HTTP_REPLY_HEADERS_MAX]; /* new: name, value, ... */
    size_t reply_header_count;
    bool replied;
    int status;
    bool close_after; /* the answer says "Connection: close" and the connection ends */
};

/* Borrowed, NULL when absent. Names are matched case-insensitively. */
const char *http_request_header(struct http_request *req, const char *name);
/* How many times the header was sent (names matched case-insensitively). */
unsigned http_request_header_count(struct http_request *req, const char *name);
/* Calls `fn` for every header, in the order sent, until it returns false. */
typedef bool (*http_header_fn)(const char *name, const char *value, void *arg);
void http_request_headers(struct http_request *req, http_header_fn fn, void *arg);
/* A query parameter, percent-decoded into `out` (new, NULL when absent). 0 absent or present,
 * -1 when given more than once (the caller answers 400). A parameter with an empty value
 * counts as absent (docs/v3.md). */
int http_request_query(struct http_request *req, const char *name, char **out);
/* True when the request carries no body, or waits for "100 Continue" before sending it: a
 * refusal can then be answered at once, without reading a byte of the body. */
bool http_request_body_skippable(struct http_request *req);
/* True once the server is stopping. */
bool http_request_stopping(const struct http_request *req);

/* Parks the request without an answer: its worker is free for others until
 * http_request_resume (from any thread), when the hooks' `resumed` runs. */
void http_request_suspend(struct http_request *req);
void http_request_resume(struct http_request *req);
/* Parks the request for `ms` milliseconds. False when too many are held by delays already
 * (half of --max-connections) or the server is stopping: the caller answers at once. */
bool http_request_delay(struct http_request *req, long ms);
/* The most requests http_request_delay holds at once. */
int http_request_delay_max(const struct http_request *req);

#endif
