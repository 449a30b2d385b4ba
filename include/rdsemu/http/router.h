/* Routing (docs/architecture.md "One request, end to end"): method + pattern with {param}
 * segments, compiled once at start, so that a lookup allocates nothing and never fails for
 * memory. The layer above keeps what each route means (handler, flags) in its own table, in
 * the same order: a match gives the route's index. */
#ifndef RDSEMU_HTTP_ROUTER_H
#define RDSEMU_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#define ROUTE_PARAMS_MAX   4
#define ROUTE_SEGMENTS_MAX 8

struct route_pattern {
    const char *method;
    const char *pattern; /* "/rds/{versionId}/{project_id}/backups"; "/" is the root alone */
};

struct router;

/* Compiles `count` patterns (their strings borrowed for the router's life). NULL when a pattern is
 * not one (more than ROUTE_SEGMENTS_MAX segments or ROUTE_PARAMS_MAX parameters, an empty
 * literal...) or when out of memory, with why in `err`. */
struct router *router_compile(const struct route_pattern *patterns, size_t count, char *err,
                              size_t errlen);
void router_free(struct router *router);

struct route_match {
    size_t route; /* the index of the pattern matched */
    size_t param_count;
    const char *names[ROUTE_PARAMS_MAX];  /* borrowed from the router */
    const char *values[ROUTE_PARAMS_MAX]; /* percent-decoded, into the caller's scratch */
};

/* True when `path` (raw, still percent-encoded, no query) matches a pattern with `method`.
 * Literal segments match only as written (an encoded literal is another path); a {param}
 * matches one segment, empty included, so that a bad value gets the 400 of its rule rather
 * than a 404; its value is percent-decoded (each segment on its own: an encoded '/' stays in
 * it; %00 is left as it is) into `scratch`, which must hold strlen(path) + 1 bytes. */
bool router_match(const struct router *router, const char *method, const char *path, char *scratch,
                  struct route_match *out);
/* Borrowed; NULL when the route has no such parameter. */
const char *route_match_param(const struct route_match *m, const char *name);

#endif
