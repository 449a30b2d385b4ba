/* Checks of whole answers (expect.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "expect.h"

bool expect_that_at(const char *file, int line, bool ok, const struct http_response *r,
                    const char *fmt, ...)
{
    check_count++;
    if (ok)
        return true;
    va_list ap;
    check_failures++;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n    answer: %ld %s\n", r->status, r->body);
    return false;
}

/* ---- text forms ---- */

static bool text_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

bool text_is_uuid(const char *s)
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

bool text_is_job_id(const char *s)
{
    return s != NULL && strlen(s) == 32 && text_is_hex(s, 32);
}

/* ---- JSON ---- */

bool json_keys_are(json_t *obj, const char *const *keys)
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

bool json_is_nonempty_string(json_t *v)
{
    return json_is_string(v) && json_string_length(v) > 0;
}

const char *member_string(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

const char *created_member(json_t *root, const char *key)
{
    return member_string(json_object_get(root, "backup"), key);
}

const char *header_of(json_t *obj, const char *name)
{
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(obj, "headers"), key, value)
    {
        if (strcasecmp(key, name) == 0)
            return json_string_value(value);
    }
    return NULL;
}

bool expect_text_member_at(const char *file, int line, const char *text, const char *key,
                           const char *want)
{
    json_t *root = json_loads(text != NULL ? text : "", 0, NULL);
    bool ok = check_str_at(file, line, key, member_string(root, key), want);
    json_decref(root);
    return ok;
}

bool json_decref_ok(json_t *value)
{
    json_decref(value);
    return value != NULL;
}

/* ---- answers ---- */

bool expect_common_at(const char *file, int line, const struct http_response *r)
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

bool expect_status_at(const char *file, int line, const struct http_response *r, long status)
{
    if (!expect_common_at(file, line, r))
        return false;
    return EXPECT_THAT_AT(file, line, r->status == status, r, "status %ld, expected %ld", r->status,
                          status);
}

static const struct {
    const char *name;
    const char *const keys[4]; /* the code's, the message's, and the gateway's request_id */
} error_shapes[] = {
    [ERRORS_V1] = {"the v1 error shape {errCode, externalMessage}",
                   {"errCode", "externalMessage", NULL}},
    [ERRORS_V3] = {"the v3 error shape {error_code, error_msg}", {"error_code", "error_msg", NULL}},
    [ERRORS_GATEWAY] = {"the gateway shape {error_code, error_msg, request_id}",
                        {"error_code", "error_msg", "request_id", NULL}},
};

bool expect_error_at(const char *file, int line, const struct http_response *r,
                     enum error_shape shape, long status, const char *code)
{
    const char *const *keys = error_shapes[shape].keys;
    if (!expect_status_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    const char *got = member_string(root, keys[0]);
    const char *request_id = member_string(root, "request_id");
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, keys), r, "not %s",
                       error_shapes[shape].name) &&
        EXPECT_THAT_AT(file, line, got != NULL && strcmp(got, code) == 0, r, "%s is not %s",
                       keys[0], code) &&
        EXPECT_THAT_AT(file, line, json_is_nonempty_string(json_object_get(root, keys[1])), r,
                       "%s is not a non-empty string", keys[1]) &&
        (shape != ERRORS_GATEWAY ||
         EXPECT_THAT_AT(file, line, request_id != NULL && strcmp(request_id, r->request_id) == 0, r,
                        "request_id differs from X-Request-Id %s", r->request_id));
    json_decref(root);
    return ok;
}

bool expect_admin_error_at(const char *file, int line, const struct http_response *r, long status)
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

bool expect_members_at(const char *file, int line, const struct http_response *r, json_t *obj,
                       const struct member_rule *rules)
{
    static const char *const wanted[] = {
        [MEMBER_UUID] = "a lowercase UUID",           [MEMBER_STRING] = "a non-empty string",
        [MEMBER_STRING_OR_NULL] = "a string or null", [MEMBER_NULL] = "null",
        [MEMBER_V1_TIME] = "YYYY-MM-DDTHH:MM:SS",     [MEMBER_V3_TIME] = "YYYY-MM-DDTHH:MM:SS+0000",
    };
    bool all = true;
    for (const struct member_rule *m = rules; m->key != NULL; m++) {
        json_t *v = json_object_get(obj, m->key);
        const char *text = json_string_value(v);
        bool ok = m->equals != NULL                  ? text != NULL && strcmp(text, m->equals) == 0
                  : m->kind == MEMBER_UUID           ? text_is_uuid(text)
                  : m->kind == MEMBER_STRING         ? json_is_nonempty_string(v)
                  : m->kind == MEMBER_STRING_OR_NULL ? json_is_string(v) || json_is_null(v)
                  : m->kind == MEMBER_NULL           ? json_is_null(v)
                  : m->kind == MEMBER_V1_TIME        ? text_is_v1_time(text)
                                                     : text_is_v3_time(text);
        if (m->equals != NULL)
            all &= EXPECT_THAT_AT(file, line, ok, r, "%s is not \"%s\"", m->key, m->equals);
        else
            all &= EXPECT_THAT_AT(file, line, ok, r, "%s is not %s", m->key, wanted[m->kind]);
    }
    return all;
}

/* The v1 create answer (§2): its shape, its members, the state of a new backup and its one job. */
static bool expect_v1_created(const char *file, int line, const struct http_response *r,
                              json_t *root)
{
    static const char *const top[] = {"backup", "extendparam", NULL};
    static const char *const backup_keys[] = {
        "created",   "dataStore", "description", "id",      "instance_id", "locationRef", "name",
        "parent_id", "size",      "status",      "updated", "backuptype",  NULL};
    static const char *const store_keys[] = {"type", "version", "version_id", NULL};
    static const char *const extend_keys[] = {"jobs", NULL};
    static const struct member_rule backup[] = {{"created", MEMBER_V1_TIME, NULL},
                                                {"id", MEMBER_UUID, NULL},
                                                {"description", MEMBER_STRING_OR_NULL, NULL},
                                                {"instance_id", MEMBER_STRING, NULL},
                                                {"name", MEMBER_STRING, NULL},
                                                {"locationRef", MEMBER_NULL, NULL},
                                                {"parent_id", MEMBER_NULL, NULL},
                                                {"size", MEMBER_NULL, NULL},
                                                {"updated", MEMBER_NULL, NULL},
                                                {"status", MEMBER_STRING, "BUILDING"},
                                                {"backuptype", MEMBER_STRING, "1"},
                                                {NULL, MEMBER_NULL, NULL}};
    static const struct member_rule store[] = {{"version_id", MEMBER_UUID, NULL},
                                               {"type", MEMBER_STRING, NULL},
                                               {"version", MEMBER_STRING, NULL},
                                               {NULL, MEMBER_NULL, NULL}};
    json_t *b = json_object_get(root, "backup");
    json_t *jobs = json_object_get(json_object_get(root, "extendparam"), "jobs");
    if (!(EXPECT_THAT_AT(file, line, json_keys_are(root, top), r,
                         "top level is not {backup, extendparam}") &&
          EXPECT_THAT_AT(file, line, json_keys_are(b, backup_keys), r,
                         "backup members are not those of §2 in their order") &&
          EXPECT_THAT_AT(file, line, json_keys_are(json_object_get(b, "dataStore"), store_keys), r,
                         "dataStore is not {type, version, version_id}") &&
          EXPECT_THAT_AT(file, line,
                         json_keys_are(json_object_get(root, "extendparam"), extend_keys), r,
                         "extendparam is not {jobs}")))
        return false;
    bool ok = expect_members_at(file, line, r, b, backup);
    ok &= expect_members_at(file, line, r, json_object_get(b, "dataStore"), store);
    ok &= EXPECT_THAT_AT(file, line,
                         json_array_size(jobs) == 1 &&
                             text_is_job_id(json_string_value(json_array_get(jobs, 0))),
                         r, "extendparam.jobs is not one job ID of 32 lowercase hex digits");
    return ok;
}

/* The v3 create answer (docs/v3.md): exactly {"backup": {id, instance_id, name, description,
 * begin_time, status BUILDING, type manual}}, then databases for a partial backup: an array of
 * {"name"} objects. */
static bool expect_v3_created(const char *file, int line, const struct http_response *r,
                              json_t *root)
{
    static const char *const top[] = {"backup", NULL};
    static const char *const keys[] = {"id",         "instance_id", "name", "description",
                                       "begin_time", "status",      "type", NULL};
    static const char *const partial_keys[] = {"id",          "instance_id", "name",
                                               "description", "begin_time",  "status",
                                               "type",        "databases",   NULL};
    static const struct member_rule backup[] = {{"id", MEMBER_UUID, NULL},
                                                {"instance_id", MEMBER_STRING, NULL},
                                                {"name", MEMBER_STRING, NULL},
                                                {"description", MEMBER_STRING_OR_NULL, NULL},
                                                {"begin_time", MEMBER_V3_TIME, NULL},
                                                {"status", MEMBER_STRING, "BUILDING"},
                                                {"type", MEMBER_STRING, "manual"},
                                                {NULL, MEMBER_NULL, NULL}};
    json_t *b = json_object_get(root, "backup");
    json_t *databases = json_object_get(b, "databases");
    bool names_ok = json_array_size(databases) > 0;
    size_t i;
    json_t *db;
    json_array_foreach(databases, i, db) names_ok =
        names_ok && json_object_size(db) == 1 && json_is_string(json_object_get(db, "name"));
    return EXPECT_THAT_AT(file, line, json_keys_are(root, top), r, "top level is not {backup}") &&
           EXPECT_THAT_AT(file, line, json_keys_are(b, databases != NULL ? partial_keys : keys), r,
                          "backup members are not id, instance_id, name, description, "
                          "begin_time, status, type (databases) in that order") &&
           EXPECT_THAT_AT(file, line, databases == NULL || names_ok, r,
                          "databases is not an array of {\"name\"} objects") &&
           expect_members_at(file, line, r, b, backup);
}

json_t *expect_created_at(const char *file, int line, const struct http_response *r,
                          enum call_api api)
{
    if (!expect_status_at(file, line, r, 200))
        return NULL;
    json_t *root = http_response_json(r);
    bool ok = api == CALL_V1 ? expect_v1_created(file, line, r, root)
                             : expect_v3_created(file, line, r, root);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- creates sent and checked ---- */

json_t *create_json_at(const char *file, int line, const struct emu *emu, enum call_api api,
                       const char *project, const char *body, long build_seconds,
                       const char *outcome)
{
    struct http_response r;
    call_create(emu, NULL, api, project, body, build_seconds, outcome, &r);
    json_t *root = expect_created_at(file, line, &r, api);
    if (root == NULL)
        fprintf(stderr, "    request body: %s\n", body);
    http_response_free(&r);
    return root;
}

bool create_error_at(const char *file, int line, const struct emu *emu, enum call_api api,
                     const char *project, const char *body, long status, const char *code)
{
    struct http_response r;
    call_create(emu, NULL, api, project, body, 0, NULL, &r);
    bool ok = expect_error_at(file, line, &r, (enum error_shape)api, status, code);
    if (!ok)
        fprintf(stderr, "    request body: %s\n", body);
    http_response_free(&r);
    return ok;
}
