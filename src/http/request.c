/* Accessors of the per-request context. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/request.h"
#include "rdsemu/validate.h"

const char *request_header(struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct header_search {
    const char *name;
    unsigned count;
};

static enum MHD_Result header_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    (void)value;
    struct header_search *search = cls;
    if (strcasecmp(key, search->name) == 0)
        search->count++;
    return MHD_YES;
}

unsigned request_header_count(struct request *req, const char *name)
{
    struct header_search search = {name, 0};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, header_visit, &search);
    return search.count;
}

void request_defer(struct request *req, request_continue_fn cont, void *state,
                   void (*free_state)(void *state))
{
    req->continuation = cont;
    req->deferred = state;
    req->deferred_free = free_state;
    request_suspend(req);
}

void request_resume(void *arg)
{
    struct request *req = arg;
    MHD_resume_connection(req->conn);
}

const char *request_param(struct request *req, const char *name)
{
    return route_match_param(&req->match, name);
}

struct query_search {
    const char *name;
    unsigned count;
    const char *value; /* raw, still percent-encoded; NULL for "?name" */
};

static enum MHD_Result query_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct query_search *search = cls;
    char *decoded = strdup(key);
    if (decoded == NULL)
        return MHD_NO;
    percent_decode(decoded);
    if (strcmp(decoded, search->name) == 0) {
        search->count++;
        search->value = value;
    }
    free(decoded);
    return MHD_YES;
}

int request_query(struct request *req, const char *name, char **out)
{
    struct query_search search = {name, 0, NULL};
    *out = NULL;
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_visit, &search);
    if (search.count > 1)
        return -1;
    if (search.count == 0 || search.value == NULL || search.value[0] == '\0')
        return 0;
    char *value = strdup(search.value);
    if (value == NULL)
        return -1;
    size_t len = percent_decode(value);
    if (len == 0) {
        free(value);
        return 0;
    }
    *out = value;
    return 0;
}
