/* Private to src/api/: one request's way through the pipeline (pipeline.c), split by concern:
 * the transport (http/'s part, embedded first), the route, the verdicts, the parsed body, the
 * deferral, the answer as the journal and the log see it. */
#ifndef RDSEMU_API_CALL_H
#define RDSEMU_API_CALL_H

#include <jansson.h>
#include <stdbool.h>

#include "rdsemu/api/api.h"
#include "rdsemu/api/faults.h"
#include "rdsemu/base/container.h"
#include "rdsemu/core/errors.h"
#include "rdsemu/core/signed_auth.h"
#include "rdsemu/http/request.h"
#include "rdsemu/http/router.h"

struct call;
struct credential;
struct create_job;

/* Route flags: what the pipeline does for a route, said in its table row (routes.c). */
enum {
    ROUTE_EMULATED = 1 << 0,         /* an emulated API: token or signature auth, journaled */
    ROUTE_FAULTABLE = 1 << 1,        /* fault rules may answer or delay it */
    ROUTE_JSON_BODY = 1 << 2,        /* its body, when there is one, is JSON */
    ROUTE_QUIET = 1 << 3,            /* a success is logged at the debug level (health polls) */
    ROUTE_INSTANCE_IN_ID = 1 << 4,   /* the query's id names the instance (fault rules) */
    ROUTE_IDENTITY = 1 << 5,         /* its project is the X-Project-Id header, when sent, not a
                                        path segment (docs/identity.md) */
    ROUTE_OPEN = 1 << 6,             /* no credentials asked, whatever --auth: a login, whose
                                        handler judges the token in its body, or the version
                                        document */
    ROUTE_SECRET_BODY = 1 << 7,      /* its body holds secrets: journaled with them hidden */
    ROUTE_INSTANCE_IN_BODY = 1 << 8, /* the body's source, target or restore_point names it */
    ROUTE_PUBLIC = 1 << 9,           /* a control-plane route free of --admin-token */
};

struct api_route {
    struct route_pattern pattern;
    void (*handler)(struct call *call);
    enum api_flavour flavour; /* whose error shape */
    unsigned flags;
    const char *operation; /* a stable name for logs and metrics */
};

/* The route table (routes.c), in the order of its patterns. */
extern const struct api_route api_routes[];
extern const size_t api_route_count;

/* The transport's part of the request (what arrived) and the route it matched. */
struct call_route {
    const struct api_route *route; /* NULL until matched */
    struct route_match match;
    char *params;             /* new: the decoded path parameters */
    enum api_flavour flavour; /* whose error shape: the gateway's until a route matched */
};

/* What the pipeline decided before the handler, step by step (err ERR_NONE: passed). */
struct call_verdicts {
    struct rule_error route_auth;    /* the route, then auth: answered before any fault */
    struct rule_error headers;       /* path parameters and content type: after the faults */
    bool signed_request;             /* an Authorization: SDK-HMAC-SHA256 was judged */
    struct signed_auth signature;    /* parsed once, from the head */
    const struct credential *signer; /* --auth tokens: the AK whose signature is verified */
    const struct credential *caller; /* --auth tokens: the token or AK that passed auth */
    bool fault_checked;
    bool has_fault;
    struct fault_action fault;
};

/* The body, parsed once (head_checks.c): by the fault step when a rule needs the instance it names,
 * else by the pipeline before the handler; the handler reads the same value. */
struct call_body {
    bool parsed;
    json_t *json; /* new; NULL when not JSON (see `error`) */
    json_error_t error;
};

/* A handler waiting for the writer's batch (call_defer): what answers once it is back. */
struct call_deferral {
    bool delayed;                      /* held by a fault's delay */
    struct create_job *create;         /* owned: the write the handler waits for */
    void (*answer)(struct call *call); /* runs when the request is back */
};

/* The answer, as the journal and the log tell it. */
struct call_answer {
    const char *error_code; /* borrowed static string, NULL on success */
    char reason[512];       /* the message of a refusal; "" on success */
};

struct call {
    struct http_request http; /* http/ sees this part only */
    struct api *api;          /* borrowed */
    struct call_route route;
    struct call_verdicts verdicts;
    struct call_body body;
    struct call_deferral deferral;
    struct call_answer answer;
};

static inline struct call *call_of(struct http_request *req)
{
    return container_of(req, struct call, http);
}

/* The hooks' request_new and request_free (a call embeds the http request). */
struct http_hooks;
struct http_request *call_new(const struct http_hooks *hooks);
void call_free(const struct http_hooks *hooks, struct http_request *req);

/* Borrowed path parameter of the matched route, NULL when absent. */
const char *call_param(const struct call *call, const char *name);
/* Borrowed: the project the request acts on, NULL when none: the path's project_id, or, on a
 * ROUTE_IDENTITY route, the X-Project-Id header when sent and not empty. */
const char *call_project(struct call *call);
/* Borrowed request header, NULL when absent (names in any case). */
const char *call_header(struct call *call, const char *name);
/* A query parameter (see http_request_query). */
int call_query(struct call *call, const char *name, char **out);

/* The body as a JSON object, parsed once (borrowed), or NULL after answering 400 (no body,
 * not JSON, not an object). */
json_t *call_body_or_reply(struct call *call);
/* The body parsed (borrowed), NULL when it is not JSON; never answers (the fault step). */
json_t *call_body_peek(struct call *call);

/* Parks the call until the writer's batch holding `job` is done; `answer` then answers. The
 * call owns `job` from now on. */
void call_defer(struct call *call, struct create_job *job, void (*answer)(struct call *call));

#endif
