/* Routing over patterns compiled at start (include/rdsemu/http/router.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/percent.h"
#include "rdsemu/http/router.h"

/* One segment of a pattern: a literal to compare, or a parameter (its name). */
struct segment {
    const char *text; /* borrowed from the pattern: the literal, or the name after '{' */
    size_t len;
    bool is_param;
};

struct compiled {
    const char *method;
    struct segment segments[ROUTE_SEGMENTS_MAX];
    size_t segment_count;
    char names[ROUTE_PARAMS_MAX][64]; /* NUL-terminated parameter names */
};

struct router {
    struct compiled *routes;
    size_t count;
};

static int compile_one(const struct route_pattern *p, struct compiled *c, char *err, size_t errlen)
{
    c->method = p->method;
    const char *s = p->pattern;
    size_t params = 0;
    if (*s != '/') {
        snprintf(err, errlen, "route %s %s: a pattern starts with /", p->method, p->pattern);
        return -1;
    }
    if (strcmp(s, "/") == 0)
        return 0; /* the root: no segment at all */
    while (*s == '/') {
        s++;
        size_t len = strcspn(s, "/");
        if (c->segment_count == ROUTE_SEGMENTS_MAX || len == 0) {
            snprintf(err, errlen, "route %s %s: too many or empty segments", p->method, p->pattern);
            return -1;
        }
        struct segment *seg = &c->segments[c->segment_count++];
        seg->is_param = len >= 2 && s[0] == '{' && s[len - 1] == '}';
        if (seg->is_param) {
            if (params == ROUTE_PARAMS_MAX || len - 2 >= sizeof(c->names[0])) {
                snprintf(err, errlen, "route %s %s: too many or too long parameters", p->method,
                         p->pattern);
                return -1;
            }
            memcpy(c->names[params], s + 1, len - 2);
            c->names[params][len - 2] = '\0';
            seg->text = c->names[params++];
            seg->len = len - 2;
        } else {
            seg->text = s;
            seg->len = len;
        }
        s += len;
    }
    return 0;
}

struct router *router_compile(const struct route_pattern *patterns, size_t count, char *err,
                              size_t errlen)
{
    struct router *r = calloc(1, sizeof(*r));
    if (r == NULL || (r->routes = calloc(count, sizeof(*r->routes))) == NULL) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->count = count;
    for (size_t i = 0; i < count; i++) {
        if (compile_one(&patterns[i], &r->routes[i], err, errlen) != 0) {
            router_free(r);
            return NULL;
        }
    }
    return r;
}

void router_free(struct router *router)
{
    if (router == NULL)
        return;
    free(router->routes);
    free(router);
}

/* True when `path` has exactly the segments of `c`; the parameters' raw spans go to
 * `starts`/`lens`. */
static bool segments_match(const struct compiled *c, const char *path, const char **starts,
                           size_t *lens)
{
    const char *s = path;
    size_t params = 0;
    if (c->segment_count == 0)
        return strcmp(path, "/") == 0;
    for (size_t i = 0; i < c->segment_count; i++) {
        if (*s != '/')
            return false;
        s++;
        size_t len = strcspn(s, "/");
        const struct segment *seg = &c->segments[i];
        if (seg->is_param) {
            starts[params] = s;
            lens[params++] = len;
        } else if (len != seg->len || memcmp(s, seg->text, len) != 0) {
            return false;
        }
        s += len;
    }
    return *s == '\0';
}

bool router_match(const struct router *router, const char *method, const char *path, char *scratch,
                  struct route_match *out)
{
    const char *starts[ROUTE_PARAMS_MAX];
    size_t lens[ROUTE_PARAMS_MAX];
    for (size_t i = 0; i < router->count; i++) {
        const struct compiled *c = &router->routes[i];
        if (strcmp(c->method, method) != 0 || !segments_match(c, path, starts, lens))
            continue;
        out->route = i;
        out->param_count = 0;
        for (size_t k = 0; k < c->segment_count; k++) {
            if (!c->segments[k].is_param)
                continue;
            size_t n = out->param_count;
            memcpy(scratch, starts[n], lens[n]);
            scratch[lens[n]] = '\0';
            out->names[n] = c->segments[k].text;
            out->values[n] = scratch;
            scratch += percent_decode(scratch) + 1;
            out->param_count++;
        }
        return true;
    }
    return false;
}

const char *route_match_param(const struct route_match *m, const char *name)
{
    for (size_t i = 0; i < m->param_count; i++)
        if (strcmp(m->names[i], name) == 0)
            return m->values[i];
    return NULL;
}
