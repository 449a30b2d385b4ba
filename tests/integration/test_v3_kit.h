/* What the v3 test programs share (docs/api.md, docs/v3.md): the v3 requests, the v3 error shape,
 * the exact v3 create answer, the members of a v3 list element, v3 times, and the control-plane
 * calls that drive the clock and the lifecycle. Header-only and static, like expect.h, so the
 * counts go to the including program's check.h counters. */
#ifndef RDSEMU_TEST_V3_KIT_H
#define RDSEMU_TEST_V3_KIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/* ---- v3 times: "YYYY-MM-DDTHH:MM:SS+0000" ---- */

#define V3_TIME_LEN 24

static inline bool text_is_v3_time(const char *s)
{
    static const char form[] = "dddd-dd-ddTdd:dd:dd+0000";
    if (s == NULL || strlen(s) != sizeof(form) - 1)
        return false;
    for (size_t i = 0; i < sizeof(form) - 1; i++)
        if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
            return false;
    return true;
}

static inline int64_t v3_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Seconds since the epoch of a v3 time, or -1 when `s` is not one. */
static inline int64_t v3_time_parse(const char *s)
{
    if (!text_is_v3_time(s))
        return -1;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    int h = atoi(s + 11), mi = atoi(s + 14), se = atoi(s + 17);
    return v3_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

/* The v3 time of `t`; `+0000` written as `plus` (so "%2B0000" can be made for a query). */
static inline void v3_time_format(int64_t t, const char *plus, char *out, size_t outlen)
{
    int64_t days = t / 86400, rem = t % 86400;
    /* Civil date from days (Howard Hinnant's algorithm). */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%s0000", (int)y, (int)m, (int)d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), plus);
}

/* ---- requests ---- */

/* POST /v3/{project}/backups with a token and the JSON content type; with
 * X-Emulator-Backup-Seconds when `seconds` >= 0 and X-Emulator-Backup-Outcome when `outcome`
 * is not NULL. */
static inline int v3_create(const struct emu *emu, const char *project, const char *body,
                            long seconds, const char *outcome, struct http_response *out)
{
    char path[256], seconds_header[64], outcome_header[96];
    snprintf(path, sizeof(path), "/v3/%s/backups", project);
    snprintf(seconds_header, sizeof(seconds_header), "X-Emulator-Backup-Seconds: %ld", seconds);
    snprintf(outcome_header, sizeof(outcome_header), "X-Emulator-Backup-Outcome: %s",
             outcome != NULL ? outcome : "");
    const char *headers[5] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL, NULL, NULL};
    size_t n = 2;
    if (seconds >= 0)
        headers[n++] = seconds_header;
    if (outcome != NULL)
        headers[n++] = outcome_header;
    return call_request(emu, NULL, "POST", path, headers, body, out);
}

/* {"instance_id": <instance>, "name": <name>}, properly escaped (new: free()). */
static inline char *v3_body(const char *instance, const char *name)
{
    json_t *body = json_pack("{s:s, s:s}", "instance_id", instance, "name", name);
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

/* GET /v3/{project}/backups?<query> (`query` as sent, not encoded here; NULL for none). */
static inline int v3_list(const struct emu *emu, const char *project, const char *query,
                          struct http_response *out)
{
    char path[2048];
    snprintf(path, sizeof(path), "/v3/%s/backups%s%s", project, query != NULL ? "?" : "",
             query != NULL ? query : "");
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    return call_request(emu, NULL, "GET", path, headers, NULL, out);
}

/* DELETE /v3/{project}/backups/{id}. */
static inline int v3_delete(const struct emu *emu, const char *project, const char *id,
                            struct http_response *out)
{
    char path[512];
    snprintf(path, sizeof(path), "/v3/%s/backups/%s", project, id);
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    return call_request(emu, NULL, "DELETE", path, headers, NULL, out);
}

/* GET /v3/{project}/jobs?id=<id>. */
static inline int v3_job(const struct emu *emu, const char *project, const char *id,
                         struct http_response *out)
{
    char path[512];
    snprintf(path, sizeof(path), "/v3/%s/jobs?id=%s", project, id);
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    return call_request(emu, NULL, "GET", path, headers, NULL, out);
}

/* ---- checks ---- */

/* The 200 of the v3 create, exactly as §4 shows it. Returns the parsed body (new reference),
 * or NULL when it is not that. */
static inline json_t *expect_v3_created_at(const char *file, int line,
                                           const struct http_response *r)
{
    static const char *const top[] = {"backup", NULL};
    static const char *const keys[] = {"id",         "instance_id", "name", "description",
                                       "begin_time", "status",      "type", NULL};
    if (!expect_status_at(file, line, r, 200))
        return NULL;
    json_t *root = http_response_json(r);
    json_t *b = json_object_get(root, "backup");
    json_t *description = json_object_get(b, "description");
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, top), r, "top level is not {backup}") &&
        EXPECT_THAT_AT(file, line, json_keys_are(b, keys), r,
                       "backup members are not id, instance_id, name, description, "
                       "begin_time, status, type in that order");
    if (ok) {
        ok &= EXPECT_THAT_AT(file, line, text_is_uuid(json_string_value(json_object_get(b, "id"))),
                             r, "id is not a lowercase UUID");
        ok &= EXPECT_THAT_AT(file, line,
                             json_is_nonempty_string(json_object_get(b, "instance_id")) &&
                                 json_is_nonempty_string(json_object_get(b, "name")),
                             r, "instance_id or name is not a string");
        ok &= EXPECT_THAT_AT(file, line, json_is_null(description) || json_is_string(description),
                             r, "description is neither a string nor null");
        ok &= EXPECT_THAT_AT(file, line,
                             text_is_v3_time(json_string_value(json_object_get(b, "begin_time"))),
                             r, "begin_time is not YYYY-MM-DDTHH:MM:SS+0000");
        const char *status = json_string_value(json_object_get(b, "status"));
        const char *type = json_string_value(json_object_get(b, "type"));
        ok &= EXPECT_THAT_AT(file, line, status != NULL && strcmp(status, "BUILDING") == 0, r,
                             "status is not BUILDING");
        ok &= EXPECT_THAT_AT(file, line, type != NULL && strcmp(type, "manual") == 0, r,
                             "type is not manual");
    }
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* One element of the v3 list: exactly id, name, type, size, status, begin_time, end_time,
 * datastore {type, version}, databases? (a non-empty array of {name}), instance_id; size and
 * end_time null while BUILDING; end_time a time once finished; size an integer (kB) when
 * COMPLETED and null when FAILED. */
static inline bool expect_v3_element_at(const char *file, int line, const struct http_response *r,
                                        json_t *e)
{
    static const char *const keys[] = {"id",          "name",       "type",     "size",
                                       "status",      "begin_time", "end_time", "datastore",
                                       "instance_id", NULL};
    static const char *const keys_db[] = {"id",        "name",        "type",     "size",
                                          "status",    "begin_time",  "end_time", "datastore",
                                          "databases", "instance_id", NULL};
    static const char *const store_keys[] = {"type", "version", NULL};
    json_t *databases = json_object_get(e, "databases");
    bool ok = EXPECT_THAT_AT(file, line, json_keys_are(e, databases != NULL ? keys_db : keys), r,
                             "list element members are not those of §4 in their order");
    if (!ok)
        return false;
    json_t *store = json_object_get(e, "datastore");
    ok &= EXPECT_THAT_AT(file, line, json_keys_are(store, store_keys), r,
                         "datastore is not {type, version}");
    ok &= EXPECT_THAT_AT(file, line,
                         json_is_nonempty_string(json_object_get(store, "type")) &&
                             json_is_nonempty_string(json_object_get(store, "version")),
                         r, "datastore.type or version is not a string");
    ok &= EXPECT_THAT_AT(file, line, text_is_uuid(json_string_value(json_object_get(e, "id"))), r,
                         "id is not a lowercase UUID");
    ok &= EXPECT_THAT_AT(file, line,
                         json_is_nonempty_string(json_object_get(e, "name")) &&
                             json_is_nonempty_string(json_object_get(e, "instance_id")),
                         r, "name or instance_id is not a string");
    const char *type = json_string_value(json_object_get(e, "type"));
    ok &= EXPECT_THAT_AT(file, line, type != NULL && strcmp(type, "manual") == 0, r,
                         "type is not manual");
    ok &= EXPECT_THAT_AT(file, line,
                         text_is_v3_time(json_string_value(json_object_get(e, "begin_time"))), r,
                         "begin_time is not YYYY-MM-DDTHH:MM:SS+0000");
    const char *status = json_string_value(json_object_get(e, "status"));
    json_t *size = json_object_get(e, "size");
    json_t *end = json_object_get(e, "end_time");
    if (status != NULL && strcmp(status, "BUILDING") == 0) {
        ok &= EXPECT_THAT_AT(file, line, json_is_null(size) && json_is_null(end), r,
                             "a BUILDING backup has a size or an end_time");
    } else if (status != NULL && strcmp(status, "COMPLETED") == 0) {
        ok &= EXPECT_THAT_AT(file, line, json_is_integer(size) && json_integer_value(size) >= 0, r,
                             "a COMPLETED backup's size is not an integer (kB)");
        ok &= EXPECT_THAT_AT(file, line, text_is_v3_time(json_string_value(end)), r,
                             "a COMPLETED backup's end_time is not a v3 time");
    } else if (status != NULL && strcmp(status, "FAILED") == 0) {
        ok &= EXPECT_THAT_AT(file, line, json_is_null(size), r, "a FAILED backup has a size");
        ok &= EXPECT_THAT_AT(file, line, text_is_v3_time(json_string_value(end)), r,
                             "a FAILED backup's end_time is not a v3 time");
    } else {
        ok &= EXPECT_THAT_AT(file, line, false, r, "status is not BUILDING, COMPLETED or FAILED");
    }
    if (databases != NULL) {
        bool good = json_is_array(databases) && json_array_size(databases) > 0;
        size_t i;
        json_t *item;
        static const char *const db_keys[] = {"name", NULL};
        json_array_foreach(databases, i, item)
        {
            good = good && json_keys_are(item, db_keys) &&
                   json_is_nonempty_string(json_object_get(item, "name"));
        }
        ok &= EXPECT_THAT_AT(file, line, good, r,
                             "databases is not a non-empty array of {\"name\": \"...\"}");
    }
    return ok;
}

/* A 200 of the v3 list: exactly {"backups": [...], "total_count": N}, every element as
 * expect_v3_element_at says, no more elements than total_count. Returns the parsed body (new
 * reference) or NULL. */
static inline json_t *expect_v3_list_at(const char *file, int line, const struct http_response *r)
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

#define EXPECT_V3_CREATED(r) expect_v3_created_at(__FILE__, __LINE__, (r))
#define EXPECT_V3_LIST(r)    expect_v3_list_at(__FILE__, __LINE__, (r))

/* ---- composite steps ---- */

/* A v3 create of `body` that must be the exact 200; the parsed answer (new reference) or
 * NULL. */
static inline json_t *v3_create_json_at(const char *file, int line, const struct emu *emu,
                                        const char *project, const char *body, long seconds,
                                        const char *outcome)
{
    struct http_response r;
    v3_create(emu, project, body, seconds, outcome, &r);
    json_t *root = expect_v3_created_at(file, line, &r);
    if (root == NULL)
        fprintf(stderr, "    request body: %s\n", body);
    http_response_free(&r);
    return root;
}

/* A v3 create of `body` that must get that v3 error. */
static inline bool v3_create_error_at(const char *file, int line, const struct emu *emu,
                                      const char *project, const char *body, long seconds,
                                      long status, const char *code)
{
    struct http_response r;
    v3_create(emu, project, body, seconds, NULL, &r);
    bool ok = expect_v3_error_at(file, line, &r, status, code);
    if (!ok)
        fprintf(stderr, "    request body: %s\n", body);
    http_response_free(&r);
    return ok;
}

/* Creates `name` on `instance` through v3 (must be the exact 200): the new backup's id (new:
 * free()), or NULL. */
static inline char *v3_create_id_at(const char *file, int line, const struct emu *emu,
                                    const char *project, const char *instance, const char *name,
                                    long seconds)
{
    char *body = v3_body(instance, name);
    json_t *root = v3_create_json_at(file, line, emu, project, body, seconds, NULL);
    free(body);
    const char *id = json_string_value(json_object_get(json_object_get(root, "backup"), "id"));
    char *copy = id != NULL ? strdup(id) : NULL;
    json_decref(root);
    return copy;
}

/* GET the v3 list with `query`, which must be the 200 of expect_v3_list_at; the parsed body
 * (new reference) or NULL. */
static inline json_t *v3_list_json_at(const char *file, int line, const struct emu *emu,
                                      const char *project, const char *query)
{
    struct http_response r;
    v3_list(emu, project, query, &r);
    json_t *root = expect_v3_list_at(file, line, &r);
    if (root == NULL)
        fprintf(stderr, "    query: %s\n", query != NULL ? query : "(none)");
    http_response_free(&r);
    return root;
}

/* GET the v3 list with `query`, which must get that v3 error. */
static inline bool v3_list_error_at(const char *file, int line, const struct emu *emu,
                                    const char *project, const char *query, long status,
                                    const char *code)
{
    struct http_response r;
    v3_list(emu, project, query, &r);
    bool ok = expect_v3_error_at(file, line, &r, status, code);
    if (!ok)
        fprintf(stderr, "    query: %s\n", query != NULL ? query : "(none)");
    http_response_free(&r);
    return ok;
}

#define V3_CREATE_JSON(emu, project, body, seconds)                                                \
    v3_create_json_at(__FILE__, __LINE__, (emu), (project), (body), (seconds), NULL)
#define V3_CREATE_ERROR(emu, project, body, status, code)                                          \
    v3_create_error_at(__FILE__, __LINE__, (emu), (project), (body), 0, (status), (code))
#define V3_CREATE_ID(emu, project, instance, name, seconds)                                        \
    v3_create_id_at(__FILE__, __LINE__, (emu), (project), (instance), (name), (seconds))
#define V3_LIST_JSON(emu, project, query)                                                          \
    v3_list_json_at(__FILE__, __LINE__, (emu), (project), (query))
#define V3_LIST_ERROR(emu, project, query, status, code)                                           \
    v3_list_error_at(__FILE__, __LINE__, (emu), (project), (query), (status), (code))

/* ---- reading list answers ---- */

static inline json_t *list_backups(json_t *root)
{
    return json_object_get(root, "backups");
}

static inline long long list_total(json_t *root)
{
    json_t *total = json_object_get(root, "total_count");
    return json_is_integer(total) ? (long long)json_integer_value(total) : -1;
}

static inline size_t list_length(json_t *root)
{
    return json_array_size(list_backups(root));
}

/* The element whose id (or, when `by_name`, name) is `key` (borrowed), or NULL. */
static inline json_t *list_find_by(json_t *root, const char *member, const char *key)
{
    size_t i;
    json_t *e;
    json_array_foreach(list_backups(root), i, e)
    {
        const char *got = json_string_value(json_object_get(e, member));
        if (got != NULL && key != NULL && strcmp(got, key) == 0)
            return e;
    }
    return NULL;
}

static inline json_t *list_find(json_t *root, const char *id)
{
    return list_find_by(root, "id", id);
}

static inline const char *member_string(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* ---- the control plane ---- */

/* A control-plane call that must answer `status`; the parsed body (new reference, NULL for
 * none). */
static inline json_t *admin_call_at(const char *file, int line, const struct emu *emu,
                                    const char *method, const char *path, const char *body,
                                    long status)
{
    struct http_response r;
    call_admin(emu, method, path, body, &r);
    json_t *root = NULL;
    if (expect_status_at(file, line, &r, status))
        root = http_response_json(&r);
    else
        fprintf(stderr, "    for %s %s %s\n", method, path, body != NULL ? body : "");
    http_response_free(&r);
    return root;
}

#define ADMIN_CALL(emu, method, path, body, status)                                                \
    json_decref(admin_call_at(__FILE__, __LINE__, (emu), (method), (path), (body), (status)))

/* The emulator clock's now, in seconds (-1 when it could not be read). */
static inline int64_t emu_clock_now(const struct emu *emu)
{
    json_t *root = admin_call_at(__FILE__, __LINE__, emu, "GET", "/_emulator/clock", NULL, 200);
    int64_t now = v3_time_parse(json_string_value(json_object_get(root, "now")));
    json_decref(root);
    return now;
}

static inline void emu_clock_advance(const struct emu *emu, long seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\": %ld}", seconds);
    ADMIN_CALL(emu, "POST", "/_emulator/clock", body, 200);
}

/* Stops the emulator clock (true) or lets it run again (false): between a freeze and its
 * end no real second ticks into a test that checks a transition to the second. */
static inline void emu_clock_freeze(const struct emu *emu, bool freeze)
{
    ADMIN_CALL(emu, "POST", "/_emulator/clock",
               freeze ? "{\"freeze\": true}" : "{\"freeze\": false}", 200);
}

/* POST /_emulator/backups/{id}/<action> ("complete" or "fail"), which must answer 200. */
static inline void emu_backup_force(const struct emu *emu, const char *id, const char *action)
{
    char path[256];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/%s", id != NULL ? id : "none", action);
    ADMIN_CALL(emu, "POST", path, NULL, 200);
}

/* Starts rdsemu with the rules seed, build time 0 by default, plus `extra` arguments. */
static inline int v3_start(struct emu *emu, const char *label, const char *const *extra)
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

#endif
