/* Checks of whole answers against docs/api.md, on top of check.h: the common rules of §1 on every
 * answer (X-Request-Id, Content-Type), the four error shapes, and the exact v1 create body.
 * Header-only and static, so that the counts go to the including test program's check.h
 * counters; the EXPECT_* macros report the caller's line. */
#ifndef RDSEMU_TEST_EXPECT_H
#define RDSEMU_TEST_EXPECT_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "check.h"

__attribute__((format(printf, 3, 4))) static inline void expect_fail_at(const char *file, int line,
                                                                        const char *fmt, ...)
{
    va_list ap;
    check_failures++;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* One counted check: true when `ok`; otherwise prints the message and the answer. */
#define EXPECT_THAT_AT(file, line, ok, r, ...)                                                     \
    (check_count++,                                                                                \
     (ok) ? true                                                                                   \
          : (expect_fail_at(file, line, __VA_ARGS__),                                              \
             fprintf(stderr, "    answer: %ld %s\n", (r)->status, (r)->body), false))

static inline bool text_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* A lowercase 8-4-4-4-12 UUID. */
static inline bool text_is_uuid(const char *s)
{
    if (s == NULL || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !text_is_hex(s + i, 1))
            return false;
    }
    return true;
}

/* A job ID: 32 lowercase hex digits. */
static inline bool text_is_job_id(const char *s)
{
    return s != NULL && strlen(s) == 32 && text_is_hex(s, 32);
}

/* A v1 time: YYYY-MM-DDTHH:MM:SS. */
static inline bool text_is_v1_time(const char *s)
{
    static const char form[] = "dddd-dd-ddTdd:dd:dd";
    if (s == NULL || strlen(s) != sizeof(form) - 1)
        return false;
    for (size_t i = 0; i < sizeof(form) - 1; i++)
        if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
            return false;
    return true;
}

/* Seconds from now (system UTC) to a v1 time; a huge number when it is not one. */
static inline long long v1_time_seconds_from_now(const char *v1_time)
{
    struct tm tm = {0};
    if (!text_is_v1_time(v1_time) ||
        sscanf(v1_time, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 1LL << 40;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm) - (long long)time(NULL);
}

/* True when `obj` is an object whose members are exactly `keys`, in that order. */
static inline bool json_keys_are(json_t *obj, const char *const *keys)
{
    if (!json_is_object(obj))
        return false;
    size_t i = 0;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        (void)value;
        if (keys[i] == NULL || strcmp(keys[i], key) != 0)
            return false;
        i++;
    }
    return keys[i] == NULL;
}

/* §1 on every answer: it came, X-Request-Id is a UUID, a body comes as application/json. */
static inline bool expect_common_at(const char *file, int line, const struct http_response *r)
{
    if (!EXPECT_THAT_AT(file, line, r->status != 0, r, "no answer: %s", r->error))
        return false;
    bool ok = EXPECT_THAT_AT(file, line, text_is_uuid(r->request_id), r,
                             "X-Request-Id is \"%s\", not a UUID", r->request_id);
    if (r->body_len > 0)
        ok &= EXPECT_THAT_AT(file, line, strcmp(r->content_type, "application/json") == 0, r,
                             "Content-Type is \"%s\", not application/json", r->content_type);
    return ok;
}

static inline bool expect_status_at(const char *file, int line, const struct http_response *r,
                                    long status)
{
    if (!expect_common_at(file, line, r))
        return false;
    return EXPECT_THAT_AT(file, line, r->status == status, r, "status %ld, expected %ld", r->status,
                          status);
}

static inline bool json_is_nonempty_string(json_t *v)
{
    return json_is_string(v) && json_string_length(v) > 0;
}

/* v1 error: {"errCode": <code>, "externalMessage": "<non-empty>"}. */
static inline bool expect_v1_error_at(const char *file, int line, const struct http_response *r,
                                      long status, const char *code)
{
    static const char *const keys[] = {"errCode", "externalMessage", NULL};
    if (!expect_status_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, keys), r,
                       "not the v1 error shape {errCode, externalMessage}") &&
        EXPECT_THAT_AT(file, line,
                       json_is_string(json_object_get(root, "errCode")) &&
                           strcmp(json_string_value(json_object_get(root, "errCode")), code) == 0,
                       r, "errCode is not %s", code) &&
        EXPECT_THAT_AT(file, line,
                       json_is_nonempty_string(json_object_get(root, "externalMessage")), r,
                       "externalMessage is not a non-empty string");
    json_decref(root);
    return ok;
}

/* Gateway error: {"error_code": <code>, "error_msg": "...", "request_id": <X-Request-Id>}. */
static inline bool expect_gateway_error_at(const char *file, int line,
                                           const struct http_response *r, long status,
                                           const char *code)
{
    static const char *const keys[] = {"error_code", "error_msg", "request_id", NULL};
    if (!expect_status_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    const char *got_code = json_string_value(json_object_get(root, "error_code"));
    const char *request_id = json_string_value(json_object_get(root, "request_id"));
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, keys), r,
                       "not the gateway shape {error_code, error_msg, request_id}") &&
        EXPECT_THAT_AT(file, line, got_code != NULL && strcmp(got_code, code) == 0, r,
                       "error_code is not %s", code) &&
        EXPECT_THAT_AT(file, line, json_is_nonempty_string(json_object_get(root, "error_msg")), r,
                       "error_msg is not a non-empty string") &&
        EXPECT_THAT_AT(file, line, request_id != NULL && strcmp(request_id, r->request_id) == 0, r,
                       "request_id differs from X-Request-Id %s", r->request_id);
    json_decref(root);
    return ok;
}

/* Control-plane error: {"error": {"code": "<word>", "message": "..."}}. */
static inline bool expect_admin_error_at(const char *file, int line, const struct http_response *r,
                                         long status)
{
    static const char *const outer[] = {"error", NULL};
    static const char *const inner[] = {"code", "message", NULL};
    if (!expect_status_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    json_t *error = json_object_get(root, "error");
    bool ok = EXPECT_THAT_AT(file, line, json_keys_are(root, outer) && json_keys_are(error, inner),
                             r, "not the control-plane shape {error: {code, message}}") &&
              EXPECT_THAT_AT(file, line,
                             json_is_nonempty_string(json_object_get(error, "code")) &&
                                 json_is_nonempty_string(json_object_get(error, "message")),
                             r, "error.code or error.message is not a non-empty string");
    json_decref(root);
    return ok;
}

/* A 200 of the v1 create, exactly as §2 shows it. Returns the parsed body (new reference)
 * for more checks, or NULL when it is not that. */
static inline json_t *expect_v1_created_at(const char *file, int line,
                                           const struct http_response *r)
{
    static const char *const top[] = {"backup", "extendparam", NULL};
    static const char *const backup_keys[] = {
        "created",   "dataStore", "description", "id",      "instance_id", "locationRef", "name",
        "parent_id", "size",      "status",      "updated", "backuptype",  NULL};
    static const char *const store_keys[] = {"type", "version", "version_id", NULL};
    static const char *const extend_keys[] = {"jobs", NULL};
    if (!expect_status_at(file, line, r, 200))
        return NULL;
    json_t *root = http_response_json(r);
    json_t *b = json_object_get(root, "backup");
    json_t *store = json_object_get(b, "dataStore");
    json_t *jobs = json_object_get(json_object_get(root, "extendparam"), "jobs");
    json_t *description = json_object_get(b, "description");
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, top), r,
                       "top level is not {backup, "
                       "extendparam}") &&
        EXPECT_THAT_AT(file, line, json_keys_are(b, backup_keys), r,
                       "backup members are not those of §2 in their order") &&
        EXPECT_THAT_AT(file, line, json_keys_are(store, store_keys), r,
                       "dataStore is not {type, version, version_id}") &&
        EXPECT_THAT_AT(file, line, json_keys_are(json_object_get(root, "extendparam"), extend_keys),
                       r, "extendparam is not {jobs}");
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    ok &= EXPECT_THAT_AT(file, line,
                         text_is_v1_time(json_string_value(json_object_get(b, "created"))), r,
                         "created is not YYYY-MM-DDTHH:MM:SS");
    ok &= EXPECT_THAT_AT(file, line, text_is_uuid(json_string_value(json_object_get(b, "id"))), r,
                         "id is not a lowercase UUID");
    ok &= EXPECT_THAT_AT(file, line,
                         text_is_uuid(json_string_value(json_object_get(store, "version_id"))), r,
                         "dataStore.version_id is not a lowercase UUID");
    ok &= EXPECT_THAT_AT(file, line,
                         json_is_nonempty_string(json_object_get(store, "type")) &&
                             json_is_nonempty_string(json_object_get(store, "version")),
                         r, "dataStore.type or version is not a string");
    ok &= EXPECT_THAT_AT(file, line, json_is_null(description) || json_is_string(description), r,
                         "description is neither a string nor null");
    ok &= EXPECT_THAT_AT(file, line,
                         json_is_nonempty_string(json_object_get(b, "instance_id")) &&
                             json_is_nonempty_string(json_object_get(b, "name")),
                         r, "instance_id or name is not a string");
    ok &= EXPECT_THAT_AT(file, line,
                         json_is_null(json_object_get(b, "locationRef")) &&
                             json_is_null(json_object_get(b, "parent_id")) &&
                             json_is_null(json_object_get(b, "size")) &&
                             json_is_null(json_object_get(b, "updated")),
                         r, "locationRef, parent_id, size and updated are not all null");
    const char *status = json_string_value(json_object_get(b, "status"));
    const char *type = json_string_value(json_object_get(b, "backuptype"));
    ok &= EXPECT_THAT_AT(file, line, status != NULL && strcmp(status, "BUILDING") == 0, r,
                         "status is not BUILDING");
    ok &= EXPECT_THAT_AT(file, line, type != NULL && strcmp(type, "1") == 0, r,
                         "backuptype is not \"1\"");
    ok &= EXPECT_THAT_AT(file, line,
                         json_array_size(jobs) == 1 &&
                             text_is_job_id(json_string_value(json_array_get(jobs, 0))),
                         r, "extendparam.jobs is not one job ID of 32 lowercase hex digits");
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

#define EXPECT_STATUS(r, status) expect_status_at(__FILE__, __LINE__, (r), (status))
/* v3 error: exactly {"error_code": <code>, "error_msg": "<non-empty>"}. */
static inline bool expect_v3_error_at(const char *file, int line, const struct http_response *r,
                                      long status, const char *code)
{
    static const char *const keys[] = {"error_code", "error_msg", NULL};
    if (!expect_status_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    const char *got = json_string_value(json_object_get(root, "error_code"));
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, keys), r,
                       "not the v3 error shape {error_code, error_msg}") &&
        EXPECT_THAT_AT(file, line, got != NULL && strcmp(got, code) == 0, r, "error_code is not %s",
                       code) &&
        EXPECT_THAT_AT(file, line, json_is_nonempty_string(json_object_get(root, "error_msg")), r,
                       "error_msg is not a non-empty string");
    json_decref(root);
    return ok;
}

#define EXPECT_V3_ERROR(r, status, code)                                                           \
    expect_v3_error_at(__FILE__, __LINE__, (r), (status), (code))
#define EXPECT_V1_ERROR(r, status, code)                                                           \
    expect_v1_error_at(__FILE__, __LINE__, (r), (status), (code))
#define EXPECT_GATEWAY_ERROR(r, status, code)                                                      \
    expect_gateway_error_at(__FILE__, __LINE__, (r), (status), (code))
#define EXPECT_ADMIN_ERROR(r, status) expect_admin_error_at(__FILE__, __LINE__, (r), (status))
#define EXPECT_V1_CREATED(r)          expect_v1_created_at(__FILE__, __LINE__, (r))

/* Sends a v1 create (token, JSON type, build time 0) and checks that it is the exact 200.
 * Returns the parsed body (new reference) or NULL. */
static inline json_t *expect_create_json_at(const char *file, int line, const struct emu *emu,
                                            const char *project, const char *body)
{
    struct http_response r;
    call_v1_create(emu, NULL, project, body, 0, &r);
    json_t *root = expect_v1_created_at(file, line, &r);
    if (root == NULL)
        fprintf(stderr, "    request body: %s\n", body);
    http_response_free(&r);
    return root;
}

/* Sends a v1 create (token, JSON type, build time 0) and checks it gets that v1 error. */
static inline bool expect_create_error_at(const char *file, int line, const struct emu *emu,
                                          const char *project, const char *body, long status,
                                          const char *code)
{
    struct http_response r;
    call_v1_create(emu, NULL, project, body, 0, &r);
    bool ok = expect_v1_error_at(file, line, &r, status, code);
    if (!ok)
        fprintf(stderr, "    request body: %s\n", body);
    http_response_free(&r);
    return ok;
}

static inline bool expect_create_ok_at(const char *file, int line, const struct emu *emu,
                                       const char *project, const char *body)
{
    json_t *root = expect_create_json_at(file, line, emu, project, body);
    json_decref(root);
    return root != NULL;
}

/* A string member of the create answer's `backup` (borrowed from `root`), or NULL. */
static inline const char *created_member(json_t *root, const char *key)
{
    return json_string_value(json_object_get(json_object_get(root, "backup"), key));
}

#define EXPECT_CREATE_JSON(emu, project, body)                                                     \
    expect_create_json_at(__FILE__, __LINE__, (emu), (project), (body))
#define EXPECT_CREATE_OK(emu, project, body)                                                       \
    expect_create_ok_at(__FILE__, __LINE__, (emu), (project), (body))
#define EXPECT_CREATE_ERROR(emu, project, body, status, code)                                      \
    expect_create_error_at(__FILE__, __LINE__, (emu), (project), (body), (status), (code))

#endif
