/* The request pipeline (docs/architecture.md "One request, end to end"), written once, in the
 * order every request goes through it:
 *
 *     framing -> route -> auth -> fault -> headers -> body -> handler -> journal
 *
 * http/ carries the bytes and calls the hooks below: `head` when the head has arrived, `body`
 * when the body is in, `resumed` after a delay or a wait for the writer, `ended` at the end.
 * A refusal is answered in the API's own shape, the first that applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "call.h"
#include "head_checks.h"
#include "pipeline.h"
#include "rdsemu/api/faults.h"
#include "rdsemu/api/journal.h"
#include "rdsemu/api/metrics.h"
#include "rdsemu/base/log.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/http/framing.h"
#include "respond.h"

static void pipeline_run(struct call *call);
static void pipeline_finish(struct call *call);

/* Framing, then the route: which API's shape every later answer takes. 0, or -1 after
 * answering (a broken head) or with the gateway's 404 in `route_auth`. */
static int step_route(struct call *call)
{
    struct framing_verdict framing;
    framing_check(&call->http, &framing);
    if (framing.problem != FRAMING_OK || call->http.too_many_params) {
        call->http.close_after = true; /* the rest of what was sent cannot be trusted */
        if (framing.problem == FRAMING_NOT_IMPLEMENTED)
            respond_error(call, ERR_NOT_IMPLEMENTED, "%s", framing.message);
        else if (framing.problem == FRAMING_BAD_REQUEST)
            respond_error(call, ERR_MALFORMED, "%s", framing.message);
        else
            respond_error(call, ERR_URI_TOO_LONG, "the query has more than %d parameters",
                          HTTP_QUERY_PARAMS_MAX);
        return -1;
    }
    struct call_route *r = &call->route;
    r->params = malloc(strlen(call->http.path) + 1);
    if (r->params == NULL)
        return rule_internal(&call->verdicts.route_auth);
    if (!router_match(call->api->router, call->http.method, call->http.path, r->params, &r->match))
        return rule_fail(&call->verdicts.route_auth, ERR_ROUTE_NOT_FOUND, GATEWAY_ROUTE_MESSAGE);
    r->route = &api_routes[r->match.route];
    r->flavour = r->route->flavour;
    return 0;
}

/* The head: framing, route, the head's part of auth, and the header checks that come after
 * the faults (kept for then). A refusal is answered now when the body need not be read. */
static void pipeline_head(const struct http_hooks *hooks, struct http_request *req)
{
    (void)hooks;
    struct call *call = call_of(req);
    if (step_route(call) == 0 && auth_check_head(call, &call->verdicts.route_auth) == 0)
        head_check(call, &call->verdicts.headers);
    if (call->http.replied) {
        pipeline_finish(call); /* a broken head, answered at once */
        return;
    }
    if (call->verdicts.route_auth.err != ERR_NONE) {
        req->body_unwanted = true;
        if (http_request_body_skippable(req))
            pipeline_run(call);
    } else if (req->body_too_large) {
        pipeline_run(call); /* refused from Content-Length, before the body is read */
    }
}

static void pipeline_body(const struct http_hooks *hooks, struct http_request *req)
{
    (void)hooks;
    pipeline_run(call_of(req));
}

/* The instance a request names (path, query, or body), for the fault rules that want one; NULL
 * when none. `query_copy` gets a copy to free. */
static const char *named_instance(struct call *call, char **query_copy)
{
    const char *instance = call_param(call, "instance_id");
    if (instance != NULL)
        return instance;
    const char *key = call->route.route->flags & ROUTE_INSTANCE_IN_ID ? "id" : "instance_id";
    if (call_query(call, key, query_copy) == 0 && *query_copy != NULL)
        return *query_copy;
    json_t *body = call_body_peek(call);
    if (call->route.route->flags & ROUTE_INSTANCE_IN_BODY) {
        /* A restore names its target first (an existing instance), else its source. */
        static const char *const holders[] = {"target", "source", "restore_point"};
        for (size_t i = 0; i < sizeof(holders) / sizeof(holders[0]); i++) {
            const char *id = json_string_value(
                json_object_get(json_object_get(body, holders[i]), "instance_id"));
            if (id != NULL)
                return id;
        }
        return NULL;
    }
    json_t *v1 = json_object_get(json_object_get(body, "backup"), "instance");
    return json_string_value(v1 != NULL ? v1 : json_object_get(body, "instance_id"));
}

/* True when a fault rule fired for the call (its action is in the verdicts). */
static bool step_fault(struct call *call)
{
    struct call_verdicts *v = &call->verdicts;
    v->fault_checked = true;
    if (!(call->route.route->flags & ROUTE_FAULTABLE))
        return false;
    struct faults *faults = call->api->faults;
    char *query_copy = NULL;
    struct fault_request fr = {call->http.method, call->http.path, call_project(call), NULL};
    if (faults_need_instance(faults))
        fr.instance_id = named_instance(call, &query_copy);
    v->has_fault = faults_match(faults, &fr, &v->fault);
    free(query_copy);
    return v->has_fault;
}

/* After the faults: the header checks, the body's size, then the handler. */
static void pipeline_handle(struct call *call)
{
    if (call->verdicts.has_fault && call->verdicts.fault.status != 0)
        respond_fault(call);
    else if (call->verdicts.headers.err != ERR_NONE)
        respond_rule_error(call, &call->verdicts.headers);
    else if (call->http.body_too_large)
        respond_error(call, ERR_BODY_TOO_LARGE, "request body is larger than %zu bytes",
                      call->api->settings.max_body);
    else
        call->route.route->handler(call);
}

static void pipeline_run(struct call *call)
{
    struct rule_error *refusal = &call->verdicts.route_auth;
    if (refusal->err == ERR_NONE && !call->http.body_too_large)
        auth_check_body(call, refusal);
    if (refusal->err != ERR_NONE) {
        respond_rule_error(call, refusal);
        pipeline_finish(call);
        return;
    }
    if (step_fault(call) && call->verdicts.fault.delay_ms > 0) {
        if (http_request_delay(&call->http, call->verdicts.fault.delay_ms)) {
            call->deferral.delayed = true;
            return; /* back in pipeline_resumed */
        }
        if (!http_request_stopping(&call->http)) {
            respond_error(call, ERR_UNAVAILABLE,
                          "too many requests are held by fault delays (at most %d at once); this "
                          "one is answered at once",
                          http_request_delay_max(&call->http));
            pipeline_finish(call);
            return;
        }
    }
    pipeline_handle(call);
    if (call->deferral.answer == NULL)
        pipeline_finish(call);
}

static void pipeline_resumed(const struct http_hooks *hooks, struct http_request *req)
{
    (void)hooks;
    struct call *call = call_of(req);
    struct call_deferral *d = &call->deferral;
    if (d->delayed) {
        d->delayed = false;
        pipeline_handle(call);
        if (d->answer != NULL)
            return; /* the handler waits for the writer now */
    } else if (d->answer != NULL) {
        void (*answer)(struct call *) = d->answer;
        d->answer = NULL;
        answer(call);
    }
    pipeline_finish(call);
}

#define JOURNAL_HEADERS_MAX 64

struct header_pairs {
    const char *items[2 * JOURNAL_HEADERS_MAX];
    size_t count;
};

static bool collect_header(const char *name, const char *value, void *arg)
{
    struct header_pairs *pairs = arg;
    if (pairs->count == JOURNAL_HEADERS_MAX)
        return false;
    pairs->items[2 * pairs->count] = name;
    pairs->items[2 * pairs->count + 1] = value;
    pairs->count++;
    return true;
}

/* The request as it came and went, before libmicrohttpd sends the answer. */
static void journal_call(struct call *call)
{
    struct header_pairs pairs = {.count = 0};
    http_request_headers(&call->http, collect_header, &pairs);
    char now[TIME_V3_LEN + 1];
    time_format_v3(clock_now(&call->api->clock), now);
    const char *body = call->http.body.data;
    size_t body_len = call->http.body.len;
    char *hidden = NULL;
    if (body_len > 0 && call->route.route != NULL &&
        (call->route.route->flags & ROUTE_SECRET_BODY)) {
        body = hidden = journal_body_redacted(body, body_len, &body_len);
        if (hidden == NULL) {
            log_error("request %s: not journaled (out of memory)", call->http.request_id);
            return;
        }
    }
    struct journal_record rec = {
        .request_id = call->http.request_id,
        .time = now,
        .method = call->http.method,
        .path = call->http.path,
        .query = call->http.query,
        .headers = pairs.items,
        .header_count = pairs.count,
        .body = body,
        .body_len = body_len,
        .status = call->http.status,
        .error_code = call->answer.error_code,
        .reason = call->answer.reason[0] != '\0' ? call->answer.reason : NULL,
        .project_id = call_project(call),
    };
    if (journal_add(call->api->journal, &rec) != 0)
        log_error("request %s: not journaled (out of memory)", call->http.request_id);
    free(hidden);
}

static void pipeline_finish(struct call *call)
{
    if (!call->http.replied) {
        log_error("request %s: handler gave no answer", call->http.request_id);
        respond_internal(call);
    }
    /* The emulated APIs and the requests no route took are journaled; the control plane not. */
    if (call->route.route == NULL || (call->route.route->flags & ROUTE_EMULATED))
        journal_call(call);
}

static void pipeline_ended(const struct http_hooks *hooks, struct http_request *req,
                           bool ended_early, double seconds)
{
    struct api *api = container_of(hooks, struct api, hooks);
    struct call *call = call_of(req);
    const struct api_route *route = call->route.route;
    int status = call->http.replied ? req->status : 0;
    size_t operation = route != NULL ? (size_t)(route - api_routes) : api_route_count;
    metrics_observe(api->metrics, operation, status, seconds);
    struct log_request line = {call->http.request_id,
                               req->method != NULL ? req->method : "-",
                               req->path,
                               status,
                               seconds * 1e3,
                               call->answer.error_code,
                               ended_early,
                               status == 200 && route != NULL && (route->flags & ROUTE_QUIET)};
    log_request_line(&line);
}

static void pipeline_unblock(const struct http_hooks *hooks)
{
    struct api *api = container_of(hooks, struct api, hooks);
    store_cancel_waits(api->store);
}

void pipeline_hooks(struct http_hooks *hooks)
{
    hooks->request_new = call_new;
    hooks->request_free = call_free;
    hooks->head = pipeline_head;
    hooks->body = pipeline_body;
    hooks->resumed = pipeline_resumed;
    hooks->ended = pipeline_ended;
    hooks->unblock = pipeline_unblock;
}
