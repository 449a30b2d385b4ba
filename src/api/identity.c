/* The identity routes but the tokens (docs/identity.md): the version document, the service
 * catalog, projects and domains, just enough for the Open Telekom Cloud and Huawei Cloud
 * Terraform providers and SDKs to find the RDS endpoint; and what every identity route
 * shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "identity.h"
#include "rdsemu/api/credentials.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/base/utf8.h"
#include "respond.h"

/* How long a token lives, as IAM's do. */
#define TOKEN_SECONDS (24 * 3600)

bool identity_host_or_reply(struct call *call, char out[IDENTITY_HOST_MAX + 1])
{
    const char *host = call_header(call, "Host");
    if (host == NULL || host[0] == '\0') {
        respond_error(call, ERR_BAD_REQUEST, "Host is required: the answer's URLs are built on it");
        return false;
    }
    snprintf(out, IDENTITY_HOST_MAX + 1, "%s", host);
    utf8_sanitize(out);
    return true;
}

json_t *identity_catalog(const struct call *call, const char *host, const char *project)
{
    if (project == NULL)
        return json_array();
    const char *region = call->api->settings.region;
    char url[IDENTITY_HOST_MAX + IDENTITY_PROJECT_MAX + 16];
    snprintf(url, sizeof(url), "http://%s/v3/%s", host, project);
    return json_pack("[{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s}]}]", "id", "rdsv3", "name",
                     "rdsv3", "type", "rdsv3", "endpoints", "id", "rdsv3-public", "interface",
                     "public", "region", region, "region_id", region, "url", url);
}

static json_t *domain(void)
{
    return json_pack("{s:s, s:s}", "id", IDENTITY_DOMAIN, "name", IDENTITY_DOMAIN);
}

json_t *identity_token(const struct call *call, const char *host, const char *method,
                       const char *project)
{
    char expires[TIME_RFC3339_MICRO_LEN + 1];
    time_format_rfc3339_micro(clock_now(&call->api->clock) + TOKEN_SECONDS, expires);
    json_t *token = json_pack("{s:s, s:[s]}", "expires_at", expires, "methods", method);
    if (token == NULL)
        return NULL;
    if (project != NULL)
        json_object_set_new(token, "project",
                            json_pack("{s:s, s:s, s:o}", "id", project, "name",
                                      call->api->settings.region, "domain", domain()));
    json_object_set_new(token, "user",
                        json_pack("{s:s, s:s, s:o}", "id", IDENTITY_USER, "name", IDENTITY_USER,
                                  "domain", domain()));
    json_object_set_new(token, "catalog", identity_catalog(call, host, project));
    return json_pack("{s:o}", "token", token);
}

/* ---- projects: those of the control plane, each named by its ID ---- */

struct project_walk {
    const struct credential *caller; /* NULL: every project */
    const char *name;                /* the name asked; NULL: every project */
    size_t count;
    char first[IDENTITY_PROJECT_MAX + 1];
    char named[IDENTITY_PROJECT_MAX + 1]; /* "" until the project whose ID is `name` is seen */
    json_t *list;                         /* every project, when listing them all */
};

static int project_seen(const char *id, void *arg)
{
    struct project_walk *w = arg;
    if (w->caller != NULL && !credential_allows(w->caller, id))
        return 0; /* a caller never learns of projects it may not use */
    if (w->count++ == 0)
        snprintf(w->first, sizeof(w->first), "%s", id);
    if (w->name != NULL && strcmp(id, w->name) == 0)
        snprintf(w->named, sizeof(w->named), "%s", id);
    if (w->list != NULL && json_array_append_new(w->list, json_string(id)) != 0)
        return -1;
    return 0;
}

/* The project the walk's name means: the one whose ID it is, else the only one; NULL. */
static const char *walk_pick(const struct project_walk *w)
{
    if (w->named[0] != '\0')
        return w->named;
    return w->count == 1 ? w->first : NULL;
}

/* Walks the store's projects; 0, or -1 after answering the internal error. */
static int projects_walk_or_reply(struct call *call, struct project_walk *w)
{
    struct store_conn *conn = store_acquire_or_reply(call);
    if (conn == NULL)
        return -1;
    int rc = store_project_list(conn, project_seen, w);
    store_release(call->api->store, conn);
    if (rc != 0)
        respond_internal(call);
    return rc != 0 ? -1 : 0;
}

int identity_project_named_or_reply(struct call *call, const struct credential *caller,
                                    const char *name, char out[IDENTITY_PROJECT_MAX + 1],
                                    bool *found)
{
    struct project_walk w = {.caller = caller, .name = name};
    if (projects_walk_or_reply(call, &w) != 0)
        return -1;
    const char *pick = walk_pick(&w);
    *found = pick != NULL;
    snprintf(out, IDENTITY_PROJECT_MAX + 1, "%s", pick != NULL ? pick : "");
    return 0;
}

int identity_default_project_or_reply(struct call *call, char out[IDENTITY_PROJECT_MAX + 1],
                                      bool *found)
{
    const char *seeded = call->api->settings.seed_project;
    if (seeded != NULL) {
        snprintf(out, IDENTITY_PROJECT_MAX + 1, "%s", seeded);
        *found = true;
        return 0;
    }
    struct project_walk w = {0};
    if (projects_walk_or_reply(call, &w) != 0)
        return -1;
    *found = w.count > 0;
    snprintf(out, IDENTITY_PROJECT_MAX + 1, "%s", w.first);
    return 0;
}

/* ---- the handlers ---- */

/* {"self": "http://<host><path>[?<query>]", "next": null}: one page, always. */
static json_t *links(struct call *call, const char *host)
{
    const char *query = call->http.query;
    size_t len = strlen(host) + strlen(call->http.path) + (query != NULL ? strlen(query) : 0) + 16;
    char *self = malloc(len);
    if (self == NULL)
        return NULL;
    snprintf(self, len, "http://%s%s%s%s", host, call->http.path, query != NULL ? "?" : "",
             query != NULL ? query : "");
    utf8_sanitize(self);
    json_t *out = json_pack("{s:s, s:n}", "self", self, "next");
    free(self);
    return out;
}

void identity_versions(struct call *call)
{
    char host[IDENTITY_HOST_MAX + 1], href[IDENTITY_HOST_MAX + 16];
    if (!identity_host_or_reply(call, host))
        return;
    snprintf(href, sizeof(href), "http://%s/v3/", host);
    respond_json(call, 200,
                 json_pack("{s:{s:[{s:s, s:s, s:[{s:s, s:s}]}]}}", "versions", "values", "id",
                           "v3.6", "status", "stable", "links", "rel", "self", "href", href));
}

void identity_catalog_get(struct call *call)
{
    char host[IDENTITY_HOST_MAX + 1];
    if (!identity_host_or_reply(call, host))
        return;
    respond_json(call, 200,
                 json_pack("{s:o}", "catalog", identity_catalog(call, host, call_project(call))));
}

void identity_projects(struct call *call)
{
    char host[IDENTITY_HOST_MAX + 1], *name = NULL;
    if (call_query(call, "name", &name) != 0) {
        respond_error(call, ERR_BAD_REQUEST, "name must be given once");
        return;
    }
    if (name != NULL)
        utf8_sanitize(name); /* it is answered as the project's name */
    /* Without a name, every project is listed: the walk collects their IDs. */
    struct project_walk w = {
        .caller = call->verdicts.caller, .name = name, .list = name == NULL ? json_array() : NULL};
    json_t *projects = json_array();
    if (!identity_host_or_reply(call, host) || projects_walk_or_reply(call, &w) != 0)
        goto done;
    const char *pick = walk_pick(&w);
    size_t i;
    json_t *id;
    if (name == NULL) {
        json_array_foreach(w.list, i, id)
            json_array_append_new(projects, json_pack("{s:O, s:O, s:s, s:b}", "id", id, "name", id,
                                                      "domain_id", IDENTITY_DOMAIN, "enabled", 1));
    } else if (pick != NULL) {
        json_array_append_new(projects, json_pack("{s:s, s:s, s:s, s:b}", "id", pick, "name", name,
                                                  "domain_id", IDENTITY_DOMAIN, "enabled", 1));
    }
    respond_json(call, 200,
                 json_pack("{s:O, s:o}", "projects", projects, "links", links(call, host)));
done:
    json_decref(projects);
    json_decref(w.list);
    free(name);
}

void identity_domains(struct call *call)
{
    char host[IDENTITY_HOST_MAX + 1], *name = NULL;
    if (call_query(call, "name", &name) != 0) {
        respond_error(call, ERR_BAD_REQUEST, "name must be given once");
        return;
    }
    if (identity_host_or_reply(call, host)) {
        /* One domain; asked by name, it bears that name, as a client looking for its own
         * domain expects (emulator choice). */
        if (name != NULL)
            utf8_sanitize(name);
        respond_json(call, 200,
                     json_pack("{s:[{s:s, s:s, s:b}], s:o}", "domains", "id", IDENTITY_DOMAIN,
                               "name", name != NULL ? name : IDENTITY_DOMAIN, "enabled", 1, "links",
                               links(call, host)));
    }
    free(name);
}
