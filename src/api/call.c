/* One request's state in the API layer (src/api/call.h). */
#include <stdlib.h>

#include "backup_ops.h"
#include "call.h"

struct http_request *call_new(const struct http_hooks *hooks)
{
    struct call *call = calloc(1, sizeof(*call));
    if (call == NULL)
        return NULL;
    call->api = container_of(hooks, struct api, hooks);
    call->route.flavour = API_GATEWAY;
    return &call->http;
}

void call_free(const struct http_hooks *hooks, struct http_request *req)
{
    (void)hooks;
    struct call *call = call_of(req);
    create_job_free(call->deferral.create);
    json_decref(call->body.json);
    free(call->route.params);
    free(call);
}

const char *call_param(const struct call *call, const char *name)
{
    return call->route.route != NULL ? route_match_param(&call->route.match, name) : NULL;
}

const char *call_project(struct call *call)
{
    const struct api_route *route = call->route.route;
    if (route == NULL || !(route->flags & ROUTE_IDENTITY))
        return call_param(call, "project_id");
    const char *header = call_header(call, "X-Project-Id");
    return header != NULL && header[0] != '\0' ? header : NULL;
}

const char *call_header(struct call *call, const char *name)
{
    return http_request_header(&call->http, name);
}

int call_query(struct call *call, const char *name, char **out)
{
    return http_request_query(&call->http, name, out);
}

void call_defer(struct call *call, struct create_job *job, void (*answer)(struct call *call))
{
    call->deferral.create = job;
    call->deferral.answer = answer;
    http_request_suspend(&call->http);
}
