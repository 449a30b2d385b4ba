/* The route table: method + pattern with {param} segments -> handler (docs/architecture.md step 2).
 */
#ifndef RDSEMU_ROUTER_H
#define RDSEMU_ROUTER_H

#include <stddef.h>

#include "rdsemu/errors.h"
#include "rdsemu/percent.h"

#define ROUTE_MAX_PARAMS 4

struct request;
typedef void (*route_handler)(struct request *req);

struct route {
    const char *method;
    const char *pattern; /* "/rds/{versionId}/{project_id}/backups" */
    route_handler handler;
    enum api_flavour api;
    const char *operation; /* a stable name for logs and metrics */
};

struct route_match {
    const struct route *route;
    size_t param_count;
    char *names[ROUTE_MAX_PARAMS];  /* new */
    char *values[ROUTE_MAX_PARAMS]; /* new, percent-decoded */
};

/* 0 when `path` (raw, still percent-encoded, no query) matches a route of `table` with
 * `method`; 1 when none does; -1 when out of memory. A {param} matches one segment, empty
 * included, so that a bad value gets the 400 of its rule rather than a 404. */
int router_match(const struct route *table, size_t count, const char *method, const char *path,
                 struct route_match *out);
void route_match_free(struct route_match *m);
/* Borrowed; NULL when the route has no such parameter. */
const char *route_match_param(const struct route_match *m, const char *name);

#endif
