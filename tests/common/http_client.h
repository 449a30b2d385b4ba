/* A small HTTP client on libcurl for the tests: any method, path, headers and body
 * (optionally sent chunked); gives back the status, the body and the headers the API
 * promises (X-Request-Id, Content-Type). Every request has a time limit. */
#ifndef RDSEMU_TEST_HTTP_CLIENT_H
#define RDSEMU_TEST_HTTP_CLIENT_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define HTTP_TIMEOUT_MS         10000
#define HTTP_CONNECT_TIMEOUT_MS 5000

struct http_request {
    const char *method;         /* "GET", "POST", "PUT", "DELETE", "PATCH"... */
    const char *path;           /* appended to the base URL as is: "/rds/v1/p/backups" */
    const char *const *headers; /* "Name: value", NULL-terminated, or NULL */
    const char *body;           /* NULL: no body */
    size_t body_len;            /* 0: strlen(body) */
    bool chunked;               /* send the body with Transfer-Encoding: chunked */
};

struct http_response {
    long status; /* 0 when no answer came */
    char *body;  /* new, NUL-terminated ("" when none) */
    size_t body_len;
    char request_id[128];   /* X-Request-Id, "" when absent */
    char content_type[128]; /* Content-Type, "" when absent */
    char error[512];        /* why no answer came, "" otherwise */
};

/* Sends `req` to `base_url` ("http://127.0.0.1:PORT") on `handle` (borrowed; one per thread)
 * or, when `handle` is NULL, on a handle of its own. libcurl adds no Content-Type and no
 * "Expect: 100-continue" unless `req->headers` names them. 0 when an answer came (whatever
 * its status), -1 otherwise (out->error says why). Free `out` with http_response_free. */
int http_send(CURL *handle, const char *base_url, const struct http_request *req,
              struct http_response *out);
void http_response_free(struct http_response *r);

/* The body parsed as JSON (new reference), or NULL when it is not JSON. */
json_t *http_response_json(const struct http_response *r);

/* A new libcurl handle for one thread (free with curl_easy_cleanup), or NULL. */
CURL *http_handle_new(void);

#endif
