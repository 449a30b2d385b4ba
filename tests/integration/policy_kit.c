/* The calls of the policy tests (tests/integration/policy_kit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy_kit.h"

/* The kit checks nothing itself (the test program's checks count the failures): it says
 * what went wrong on stderr and gives it back. */

int pk_start(struct emu *emu, const char *label, const char *const *args)
{
    const char *all[HARNESS_MAX_ARGS + 1] = {"--auth", "presence"};
    size_t n = 2;
    for (size_t i = 0; args != NULL && args[i] != NULL && n < HARNESS_MAX_ARGS; i++)
        all[n++] = args[i];
    all[n] = NULL;
    if (emu_start(emu, label, all, NULL) != 0)
        return -1;
    return pk_clock_at(emu, PK_MONDAY);
}

static int clock_post(const struct emu *emu, const char *body)
{
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/clock", body, &r);
    int rc = r.status == 200 ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "POST /_emulator/clock %s: %ld %s\n", body, r.status, r.body);
    http_response_free(&r);
    return rc;
}

int pk_clock_at(const struct emu *emu, int64_t t)
{
    char stamp[32], body[96];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S+0000", &tm);
    snprintf(body, sizeof(body), "{\"now\": \"%s\", \"freeze\": true}", stamp);
    return clock_post(emu, body);
}

int pk_clock_advance(const struct emu *emu, int64_t seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\": %lld}", (long long)seconds);
    return clock_post(emu, body);
}

long pk_instance(const struct emu *emu, const char *project, const char *id, const char *engine,
                 const char *extra)
{
    return pk_instance_v(emu, project, id, engine, "8.0", extra);
}

long pk_instance_v(const struct emu *emu, const char *project, const char *id, const char *engine,
                   const char *version, const char *extra)
{
    char path[256], body[2048];
    snprintf(path, sizeof(path), "/_emulator/projects/%s/instances/%s", project, id);
    snprintf(body, sizeof(body),
             "{\"name\": \"%s\", \"datastore\": {\"type\": \"%s\", "
             "\"version\": \"%s\"}%s%s}",
             id, engine, version, extra != NULL ? ", " : "", extra != NULL ? extra : "");
    struct http_response r;
    call_admin(emu, "PUT", path, body, &r);
    long status = r.status;
    if (status != 200)
        fprintf(stderr, "PUT %s %s: %ld %s\n", path, body, r.status, r.body);
    http_response_free(&r);
    return status;
}

void pk_call(const struct emu *emu, const char *method, const char *path, const char *body,
             const char *header, struct http_response *out)
{
    const char *headers[4] = {CALL_TOKEN_HEADER};
    size_t n = 1;
    if (body != NULL)
        headers[n++] = CALL_JSON_HEADER;
    if (header != NULL)
        headers[n++] = header;
    headers[n] = NULL;
    call_request(emu, NULL, method, path, headers, body, out);
}

json_t *pk_get(const struct emu *emu, const char *path)
{
    struct http_response r;
    pk_call(emu, "GET", path, NULL, NULL, &r);
    json_t *root = NULL;
    if (r.status == 200)
        root = http_response_json(&r);
    else
        fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body);
    http_response_free(&r);
    return root;
}

json_t *pk_v3_list(const struct emu *emu, const char *project, const char *query, int64_t *total)
{
    char path[512];
    snprintf(path, sizeof(path), "/v3/%s/backups?%s", project, query);
    json_t *root = pk_get(emu, path);
    json_t *backups = json_incref(json_object_get(root, "backups"));
    if (total != NULL)
        *total = pk_int(root, "total_count");
    json_decref(root);
    return backups;
}

char *pk_v3_create(const struct emu *emu, const char *project, const char *instance,
                   const char *name, long seconds)
{
    char path[256], body[512], header[64];
    snprintf(path, sizeof(path), "/v3/%s/backups", project);
    snprintf(body, sizeof(body), "{\"instance_id\": \"%s\", \"name\": \"%s\"}", instance, name);
    snprintf(header, sizeof(header), "X-Emulator-Backup-Seconds: %ld", seconds);
    struct http_response r;
    pk_call(emu, "POST", path, body, seconds >= 0 ? header : NULL, &r);
    char *id = NULL;
    if (r.status != 200)
        fprintf(stderr, "POST %s %s: %ld %s\n", path, body, r.status, r.body);
    if (r.status == 200) {
        json_t *root = http_response_json(&r);
        const char *got = pk_str(json_object_get(root, "backup"), "id");
        id = got != NULL ? strdup(got) : NULL;
        json_decref(root);
    }
    http_response_free(&r);
    return id;
}

long pk_v3_policy(const struct emu *emu, const char *project, const char *instance,
                  const char *body)
{
    char path[256];
    snprintf(path, sizeof(path), "/v3/%s/instances/%s/backups/policy", project, instance);
    struct http_response r;
    pk_call(emu, "PUT", path, body, NULL, &r);
    long status = r.status;
    if (status != 200)
        fprintf(stderr, "PUT %s %s: %ld %s\n", path, body, r.status, r.body);
    http_response_free(&r);
    return status;
}

const char *pk_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

long long pk_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}
