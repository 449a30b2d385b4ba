/* What a request carries, read from libmicrohttpd, and its suspensions
 * (include/rdsemu/http/request.h). */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "delay.h"
#include "rdsemu/base/percent.h"
#include "rdsemu/http/request.h"
#include "server_internal.h"

const char *http_request_header(struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct header_search {
    const char *name;
    unsigned count;
};

static enum MHD_Result header_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    (void)value;
    struct header_search *search = cls;
    if (strcasecmp(key, search->name) == 0)
        search->count++;
    return MHD_YES;
}

unsigned http_request_header_count(struct http_request *req, const char *name)
{
    struct header_search search = {name, 0};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, header_visit, &search);
    return search.count;
}

struct header_walk {
    http_header_fn fn;
    void *arg;
};

static enum MHD_Result header_walk_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    (void)kind;
    struct header_walk *walk = cls;
    return walk->fn(key, value != NULL ? value : "", walk->arg) ? MHD_YES : MHD_NO;
}

void http_request_headers(struct http_request *req, http_header_fn fn, void *arg)
{
    struct header_walk walk = {fn, arg};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, header_walk_visit, &walk);
}

struct query_search {
    const char *name;
    unsigned count;
    const char *value; /* raw, still percent-encoded; NULL for "?name" */
    bool failed;
};

static enum MHD_Result query_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct query_search *search = cls;
    char *decoded = strdup(key);
    if (decoded == NULL) {
        search->failed = true;
        return MHD_NO;
    }
    percent_decode(decoded);
    if (strcmp(decoded, search->name) == 0) {
        search->count++;
        search->value = value;
    }
    free(decoded);
    return MHD_YES;
}

int http_request_query(struct http_request *req, const char *name, char **out)
{
    struct query_search search = {name, 0, NULL, false};
    *out = NULL;
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_visit, &search);
    if (search.count > 1 || search.failed)
        return -1;
    if (search.count == 0 || search.value == NULL || search.value[0] == '\0')
        return 0;
    char *value = strdup(search.value);
    if (value == NULL)
        return -1;
    if (percent_decode(value) == 0) {
        free(value);
        return 0;
    }
    *out = value;
    return 0;
}

bool http_request_body_skippable(struct http_request *req)
{
    const char *length = http_request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *encoding = http_request_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    const char *expect = http_request_header(req, MHD_HTTP_HEADER_EXPECT);
    bool no_body = encoding == NULL && (length == NULL || strspn(length, "0") == strlen(length));
    return no_body || (expect != NULL && strcasecmp(expect, "100-continue") == 0);
}

bool http_request_stopping(const struct http_request *req)
{
    return req->server != NULL && atomic_load(&req->server->stopping);
}

void http_request_suspend(struct http_request *req)
{
    req->suspended = true;
    atomic_fetch_add(&req->server->suspended, 1);
    MHD_suspend_connection(req->conn);
}

void http_request_resume(struct http_request *req)
{
    MHD_resume_connection(req->conn);
}

bool http_request_delay(struct http_request *req, long ms)
{
    struct http_server *srv = req->server;
    if (atomic_load(&srv->stopping))
        return false;
    if (atomic_fetch_add(&srv->delayed, 1) >= srv->delayed_max) {
        atomic_fetch_sub(&srv->delayed, 1);
        return false;
    }
    req->delayed = true;
    http_request_suspend(req);
    if (delay_queue_add(srv->delays, req->conn, ms) != 0)
        MHD_resume_connection(req->conn); /* out of memory: no delay rather than no answer */
    return true;
}

int http_request_delay_max(const struct http_request *req)
{
    return req->server->delayed_max;
}
