/* What the v3 test programs share (v3.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "v3.h"

#ifndef RDSEMU_TEST_SEED
#error "RDSEMU_TEST_SEED must name tests/integration/data/rules-seed.json"
#endif

/* ---- requests ---- */

int v3_create(const struct emu *emu, const char *project, const char *body, long seconds,
              const char *outcome, struct http_response *out)
{
    return call_create(emu, NULL, CALL_V3, project, body, seconds, outcome, out);
}

char *v3_body(const char *instance, const char *name)
{
    return call_create_body(CALL_V3, instance, name);
}

int v3_list(const struct emu *emu, const char *project, const char *query,
            struct http_response *out)
{
    char path[2048];
    snprintf(path, sizeof(path), "/v3/%s/backups%s%s", project, query != NULL ? "?" : "",
             query != NULL ? query : "");
    return call_with_token(emu, "GET", path, NULL, NULL, out);
}

int v3_delete(const struct emu *emu, const char *project, const char *id, struct http_response *out)
{
    char path[512];
    snprintf(path, sizeof(path), "/v3/%s/backups/%s", project, id);
    return call_with_token(emu, "DELETE", path, NULL, NULL, out);
}

int v3_job(const struct emu *emu, const char *project, const char *id, struct http_response *out)
{
    char path[512];
    snprintf(path, sizeof(path), "/v3/%s/jobs?id=%s", project, id);
    return call_with_token(emu, "GET", path, NULL, NULL, out);
}

/* ---- checks ---- */

/* size and end_time as the status says. */
static bool expect_v3_finish_at(const char *file, int line, const struct http_response *r,
                                json_t *e)
{
    const char *status = member_string(e, "status");
    json_t *size = json_object_get(e, "size");
    json_t *end = json_object_get(e, "end_time");
    if (status != NULL && strcmp(status, "BUILDING") == 0)
        return EXPECT_THAT_AT(file, line, json_is_null(size) && json_is_null(end), r,
                              "a BUILDING backup has a size or an end_time");
    bool ok;
    if (status != NULL && strcmp(status, "COMPLETED") == 0) {
        ok = EXPECT_THAT_AT(file, line, json_is_integer(size) && json_integer_value(size) >= 0, r,
                            "a COMPLETED backup's size is not an integer (kB)");
        ok &= EXPECT_THAT_AT(file, line, text_is_v3_time(json_string_value(end)), r,
                             "a COMPLETED backup's end_time is not a v3 time");
    } else if (status != NULL && strcmp(status, "FAILED") == 0) {
        ok = EXPECT_THAT_AT(file, line, json_is_null(size), r, "a FAILED backup has a size");
        ok &= EXPECT_THAT_AT(file, line, text_is_v3_time(json_string_value(end)), r,
                             "a FAILED backup's end_time is not a v3 time");
    } else {
        ok = EXPECT_THAT_AT(file, line, false, r, "status is not BUILDING, COMPLETED or FAILED");
    }
    return ok;
}

/* databases, when there: a non-empty array of {"name": "..."}. */
static bool databases_are_named(json_t *databases)
{
    static const char *const db_keys[] = {"name", NULL};
    bool good = json_is_array(databases) && json_array_size(databases) > 0;
    size_t i;
    json_t *item;
    json_array_foreach(databases, i, item)
    {
        good = good && json_keys_are(item, db_keys) &&
               json_is_nonempty_string(json_object_get(item, "name"));
    }
    return good;
}

bool expect_v3_element_at(const char *file, int line, const struct http_response *r, json_t *e)
{
    static const char *const keys[] = {"id",          "name",       "type",     "size",
                                       "status",      "begin_time", "end_time", "datastore",
                                       "instance_id", NULL};
    static const char *const keys_db[] = {"id",        "name",        "type",     "size",
                                          "status",    "begin_time",  "end_time", "datastore",
                                          "databases", "instance_id", NULL};
    static const char *const store_keys[] = {"type", "version", NULL};
    static const struct member_rule element[] = {{"id", MEMBER_UUID, NULL},
                                                 {"name", MEMBER_STRING, NULL},
                                                 {"instance_id", MEMBER_STRING, NULL},
                                                 {"type", MEMBER_STRING, "manual"},
                                                 {"begin_time", MEMBER_V3_TIME, NULL},
                                                 {NULL, MEMBER_NULL, NULL}};
    static const struct member_rule store[] = {
        {"type", MEMBER_STRING, NULL}, {"version", MEMBER_STRING, NULL}, {NULL, MEMBER_NULL, NULL}};
    json_t *databases = json_object_get(e, "databases");
    bool ok = EXPECT_THAT_AT(file, line, json_keys_are(e, databases != NULL ? keys_db : keys), r,
                             "list element members are not those of §4 in their order");
    if (!ok)
        return false;
    json_t *datastore = json_object_get(e, "datastore");
    ok &= EXPECT_THAT_AT(file, line, json_keys_are(datastore, store_keys), r,
                         "datastore is not {type, version}");
    ok &= expect_members_at(file, line, r, datastore, store);
    ok &= expect_members_at(file, line, r, e, element);
    ok &= expect_v3_finish_at(file, line, r, e);
    if (databases != NULL)
        ok &= EXPECT_THAT_AT(file, line, databases_are_named(databases), r,
                             "databases is not a non-empty array of {\"name\": \"...\"}");
    return ok;
}

json_t *expect_v3_list_at(const char *file, int line, const struct http_response *r)
{
    static const char *const top[] = {"backups", "total_count", NULL};
    if (!expect_status_at(file, line, r, 200))
        return NULL;
    json_t *root = http_response_json(r);
    json_t *list = json_object_get(root, "backups");
    json_t *total = json_object_get(root, "total_count");
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, top), r, "not {backups, total_count}") &&
        EXPECT_THAT_AT(file, line, json_is_array(list), r, "backups is not an array") &&
        EXPECT_THAT_AT(file, line,
                       json_is_integer(total) &&
                           json_integer_value(total) >= (json_int_t)json_array_size(list),
                       r, "total_count is not an integer at least the page's length");
    if (ok) {
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e)
        {
            ok &= expect_v3_element_at(file, line, r, e);
        }
    }
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- calls and their checks ---- */

char *v3_create_id_at(const char *file, int line, const struct emu *emu, const char *project,
                      const char *instance, const char *name, long seconds)
{
    char *body = v3_body(instance, name);
    json_t *root = create_json_at(file, line, emu, CALL_V3, project, body, seconds, NULL);
    free(body);
    const char *id = created_member(root, "id");
    char *copy = id != NULL ? strdup(id) : NULL;
    json_decref(root);
    return copy;
}

json_t *v3_list_json_at(const char *file, int line, const struct emu *emu, const char *project,
                        const char *query)
{
    struct http_response r;
    v3_list(emu, project, query, &r);
    json_t *root = expect_v3_list_at(file, line, &r);
    if (root == NULL)
        fprintf(stderr, "    query: %s\n", query != NULL ? query : "(none)");
    http_response_free(&r);
    return root;
}

bool v3_list_error_at(const char *file, int line, const struct emu *emu, const char *project,
                      const char *query, long status, const char *code)
{
    struct http_response r;
    v3_list(emu, project, query, &r);
    bool ok = expect_error_at(file, line, &r, ERRORS_V3, status, code);
    if (!ok)
        fprintf(stderr, "    query: %s\n", query != NULL ? query : "(none)");
    http_response_free(&r);
    return ok;
}

/* ---- reading list answers ---- */

json_t *list_backups(json_t *root)
{
    return json_object_get(root, "backups");
}

long long list_total(json_t *root)
{
    json_t *total = json_object_get(root, "total_count");
    return json_is_integer(total) ? (long long)json_integer_value(total) : -1;
}

size_t list_length(json_t *root)
{
    return json_array_size(list_backups(root));
}

json_t *list_find_by(json_t *root, const char *member, const char *key)
{
    size_t i;
    json_t *e;
    json_array_foreach(list_backups(root), i, e)
    {
        const char *got = member_string(e, member);
        if (got != NULL && key != NULL && strcmp(got, key) == 0)
            return e;
    }
    return NULL;
}

json_t *list_find(json_t *root, const char *id)
{
    return list_find_by(root, "id", id);
}

/* ---- start ---- */

int v3_start(struct emu *emu, const char *label, const char *const *extra)
{
    const char *args[HARNESS_MAX_ARGS + 1] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0"};
    size_t n = 4;
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < HARNESS_MAX_ARGS; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    if (emu_start(emu, label, args, NULL) != 0) {
        emu_cleanup(emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return -1;
    }
    return 0;
}
