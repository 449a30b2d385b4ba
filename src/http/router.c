/* Route matching over a static table (docs/architecture.md step 2). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/router.h"

/* Length of the segment starting at `s` (up to '/' or the end). */
static size_t segment_length(const char *s)
{
    return strcspn(s, "/");
}

static void match_reset(struct route_match *m)
{
    for (size_t i = 0; i < m->param_count; i++) {
        free(m->names[i]);
        free(m->values[i]);
    }
    memset(m, 0, sizeof(*m));
}

/* 0 matched, 1 not, -1 out of memory. Fills `m` on a match. */
static int match_one(const struct route *route, const char *path, struct route_match *m)
{
    const char *p = route->pattern;
    const char *s = path;
    if (*p != '/' || *s != '/')
        return 1;
    while (*p == '/' && *s == '/') {
        p++;
        s++;
        size_t plen = segment_length(p);
        size_t slen = segment_length(s);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (m->param_count == ROUTE_MAX_PARAMS)
                return -1;
            char *name = strndup(p + 1, plen - 2);
            char *value = strndup(s, slen);
            if (name == NULL || value == NULL) {
                free(name);
                free(value);
                return -1;
            }
            percent_decode(value);
            m->names[m->param_count] = name;
            m->values[m->param_count] = value;
            m->param_count++;
        } else if (slen != plen || memcmp(s, p, plen) != 0) {
            /* A literal segment matches only as written: "%5Femulator" is not "_emulator",
             * so that what a fault's path glob sees is what the route table matched. */
            return 1;
        }
        p += plen;
        s += slen;
    }
    return *p == '\0' && *s == '\0' ? 0 : 1;
}

int router_match(const struct route *table, size_t count, const char *method, const char *path,
                 struct route_match *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < count; i++) {
        if (strcmp(table[i].method, method) != 0)
            continue;
        int rc = match_one(&table[i], path, out);
        if (rc == 0) {
            out->route = &table[i];
            return 0;
        }
        match_reset(out);
        if (rc < 0)
            return -1;
    }
    return 1;
}

void route_match_free(struct route_match *m)
{
    match_reset(m);
}

const char *route_match_param(const struct route_match *m, const char *name)
{
    for (size_t i = 0; i < m->param_count; i++)
        if (strcmp(m->names[i], name) == 0)
            return m->values[i];
    return NULL;
}
