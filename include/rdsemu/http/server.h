/* The HTTP transport on libmicrohttpd (docs/architecture.md): a thread pool on poll(), the
 * request head checked for framing by the layer above, bodies capped, connections bounded, a
 * bounded stop. It knows neither the API nor the application: the layer above gives it hooks
 * and keeps its own state for each request in a struct that embeds struct http_request. */
#ifndef RDSEMU_HTTP_SERVER_H
#define RDSEMU_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "rdsemu/http/request.h"

struct http_server;

struct http_settings {
    const char *host; /* "" for every interface */
    unsigned port;    /* 0: any free port */
    unsigned threads;
    unsigned max_connections;
    unsigned idle_timeout; /* seconds */
    size_t max_body;       /* bytes a body may have; more is refused from Content-Length */
};

/* What the layer above does with requests. Each hook gets the struct it is a member of
 * (`self`), so that the layer finds its own state from it (container_of). */
struct http_hooks {
    /* A new request, zeroed, with room for the layer's state around it; NULL when out of
     * memory (the request is then dropped). Freed with `request_free`. */
    struct http_request *(*request_new)(const struct http_hooks *self);
    void (*request_free)(const struct http_hooks *self, struct http_request *req);
    /* The head has arrived. May answer at once; else the body is read (kept unless
     * `body_unwanted` is set) and `body` follows. */
    void (*head)(const struct http_hooks *self, struct http_request *req);
    /* The whole body is in. */
    void (*body)(const struct http_hooks *self, struct http_request *req);
    /* Back from http_request_suspend or http_request_delay. */
    void (*resumed)(const struct http_hooks *self, struct http_request *req);
    /* The request is over, answered or not (`ended_early`: its connection went before the
     * answer was sent); `seconds` from its first byte. Freed right after. */
    void (*ended)(const struct http_hooks *self, struct http_request *req, bool ended_early,
                  double seconds);
    /* At a stop, after the drain, requests are still suspended: make whatever they wait for
     * give up, so that each is resumed and answered. */
    void (*unblock)(const struct http_hooks *self);
};

/* Binds, listens and starts the workers. -1 with `err` filled (port taken, bad address).
 * `settings` and `hooks` are borrowed for the server's life. */
int http_server_start(const struct http_settings *settings, const struct http_hooks *hooks,
                      struct http_server **out, char *err, size_t errlen);
/* The bound address, for the "listening on" line: "127.0.0.1", "::", "0.0.0.0"... */
const char *http_server_host(const struct http_server *srv);
unsigned http_server_port(const struct http_server *srv);
/* Requests between their first byte and their end. */
int http_server_in_flight(const struct http_server *srv);
/* Stops accepting, answers what delays hold, lets requests in flight finish (bounded wait),
 * unblocks what is still suspended, then stops the workers. */
void http_server_stop(struct http_server *srv);

#endif
