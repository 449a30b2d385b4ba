/* The per-request context: made on libmicrohttpd's first call for a request, freed only in
 * its completion callback (docs/architecture.md step 1). */
#ifndef RDSEMU_REQUEST_H
#define RDSEMU_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rdsemu/errors.h"
#include "rdsemu/faults.h"
#include "rdsemu/model.h"
#include "rdsemu/router.h"

struct MHD_Connection;
struct app;
struct server;
struct credential;
struct request;

/* What a handler that waited for the store does once the request is resumed. */
typedef void (*request_continue_fn)(struct request *req);

struct request {
    struct MHD_Connection *conn; /* borrowed */
    struct app *app;             /* borrowed */
    struct server *server;       /* borrowed: the one that accepted it */
    const char *method;          /* borrowed from libmicrohttpd, valid for the request */
    char *uri;                   /* new: the request target as sent, query included */
    char *path;                  /* new: the raw path, without the query */
    const char *query;           /* into `uri`, after '?'; NULL when there is none */
    char request_id[UUID_TEXT_LEN + 1];
    struct route_match match;
    size_t operation;     /* index of the matched route; the table size when none matched */
    enum api_flavour api; /* whose shape errors take; API_GATEWAY until a route matched */
    bool headers_seen;    /* the first call of the access handler has run */

    /* Checks that need only the headers, run once on the first call, answered in this
     * order: route or auth (`auth_err`), then an injected fault, then `header_err`. */
    enum rdsemu_err auth_err;
    char auth_message[256];
    enum rdsemu_err header_err;
    char header_message[256];
    bool fault_checked;
    bool has_fault;
    struct fault_action fault;

    /* The body, capped at --max-body while it grows. */
    char *body; /* new */
    size_t body_len;
    size_t body_cap;
    bool body_too_large;
    bool body_unwanted;   /* already refused: what arrives of the body is not kept */
    bool too_many_params; /* the query has more parameters than rdsemu reads */

    /* A handler waiting for the store (request_defer): run `continuation` on resume. */
    request_continue_fn continuation;
    void *deferred; /* new: the handler's state, freed with deferred_free */
    void (*deferred_free)(void *deferred);

    /* Suspended (waiting for the store or for a fault's delay) and not yet back in the access
     * handler: the server counts these, so that a stop answers each before it ends. */
    bool suspended;
    bool delayed; /* suspended by a fault's delay */
    /* The answer says "Connection: close" and the connection ends after it (a broken request
     * head, or a body that will not be read). */
    bool close_after;

    /* What was answered, for the log line. */
    bool replied;
    int status;
    const char *error_code; /* borrowed static string, NULL on success */
    char reason[512];       /* the message of a refusal, for the journal; "" on success */
    struct timespec started;

    /* Auth state (src/api/check.c): what the header-time check leaves for the check that
     * needs the body. Non-NULL when `--auth tokens` must verify a signature by this access
     * key (borrowed from app->credentials) once the body is in. */
    const struct credential *auth_signer;
};

/* Parks the request without an answer: the connection is suspended (its worker is free for
 * others) until request_resume, then `cont` runs and answers. `state` (steals) is freed
 * with `free_state` when the request ends. */
void request_defer(struct request *req, request_continue_fn cont, void *state,
                   void (*free_state)(void *state));
/* Wakes a deferred request; may be called from any thread. */
void request_resume(void *req);
/* Suspends the request's connection and counts it (http/server.c); every suspension ends
 * back in the access handler, which uncounts it. */
void request_suspend(struct request *req);

/* Borrowed, NULL when absent. Names are matched case-insensitively. */
const char *request_header(struct request *req, const char *name);
/* How many times the header was sent (names matched case-insensitively). */
unsigned request_header_count(struct request *req, const char *name);
/* A query parameter, percent-decoded into `out` (new, NULL when absent). 0 absent or
 * present, -1 when given more than once or not decodable to text (the caller answers 400).
 * A parameter with an empty value counts as absent (docs/v3.md). */
int request_query(struct request *req, const char *name, char **out);
/* Borrowed path parameter of the matched route, NULL when absent. */
const char *request_param(struct request *req, const char *name);

#endif
