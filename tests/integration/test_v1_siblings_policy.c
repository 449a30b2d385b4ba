/* The v1 backup policy (docs/api.md): GET .../instances/{id}/backups/policy is
 * {"policy": {"keepday": 7, "starttime": "00:00:00"}} for a new instance; PUT
 * {"policy": {"keepday": 0..732, "starttime": "hh:mm" or "hh:mm:ss"}}, both required, answers
 * 200 {} and the GET then shows the stored values (starttime as hh:mm:ss); anything else is a
 * 400 RDS.0001 that stores nothing; an instance unknown in this project is 404 RDS.0002 on
 * both. */
#include "lifecycle.h"

#define PROJECT "policy-project"
#define OTHER   "policy-other"

static const char mysql[] = "{\"name\": \"pol\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}";

static void policy_path(const char *version, const char *project, const char *instance,
                        char out[256])
{
    snprintf(out, 256, "/rds/%s/%s/instances/%s/backups/policy", version, project, instance);
}

/* GET must answer 200 with exactly {"policy": {"keepday": <keepday>, "starttime": <start>}}. */
static void expect_policy_at(const char *file, int line, const struct emu *emu, const char *project,
                             const char *instance, long keepday, const char *starttime)
{
    static const char *const top[] = {"policy", NULL};
    static const char *const keys[] = {"keepday", "starttime", NULL};
    char path[256];
    policy_path("v1", project, instance, path);
    struct http_response r;
    call_with_token(emu, "GET", path, NULL, NULL, &r);
    if (expect_status_at(file, line, &r, 200)) {
        json_t *root = http_response_json(&r);
        json_t *policy = json_object_get(root, "policy");
        json_t *days = json_object_get(policy, "keepday");
        const char *start = json_string_value(json_object_get(policy, "starttime"));
        EXPECT_THAT_AT(file, line,
                       json_keys_are(root, top) && json_keys_are(policy, keys) &&
                           json_is_integer(days) && json_integer_value(days) == keepday &&
                           start != NULL && strcmp(start, starttime) == 0,
                       &r, "not {\"policy\": {\"keepday\": %ld, \"starttime\": \"%s\"}}", keepday,
                       starttime);
        json_decref(root);
    }
    http_response_free(&r);
}

#define EXPECT_POLICY(emu, project, instance, keepday, starttime)                                  \
    expect_policy_at(__FILE__, __LINE__, (emu), (project), (instance), (keepday), (starttime))

static void put_policy(const struct emu *emu, const char *project, const char *instance,
                       const char *body, struct http_response *r)
{
    char path[256];
    policy_path("v1", project, instance, path);
    call_with_token(emu, "PUT", path, NULL, body, r);
}

/* PUT must answer 200 with the body {}. */
static void put_ok_at(const char *file, int line, const struct emu *emu, const char *instance,
                      const char *body)
{
    struct http_response r;
    put_policy(emu, PROJECT, instance, body, &r);
    if (expect_status_at(file, line, &r, 200)) {
        json_t *root = http_response_json(&r);
        EXPECT_THAT_AT(file, line, json_is_object(root) && json_object_size(root) == 0, &r,
                       "the body is not {}");
        json_decref(root);
    } else {
        fprintf(stderr, "    body: %s\n", body);
    }
    http_response_free(&r);
}

static void put_fails_at(const char *file, int line, const struct emu *emu, const char *project,
                         const char *instance, const char *body, long status, const char *code)
{
    struct http_response r;
    put_policy(emu, project, instance, body, &r);
    if (!expect_error_at(file, line, &r, ERRORS_V1, status, code))
        fprintf(stderr, "    body: %s\n", body);
    http_response_free(&r);
}

#define PUT_OK(emu, instance, body) put_ok_at(__FILE__, __LINE__, (emu), (instance), (body))
#define PUT_BAD(emu, instance, body)                                                               \
    put_fails_at(__FILE__, __LINE__, (emu), PROJECT, (instance), (body), 400, "RDS.0001")

static void defaults_and_storage(const struct emu *emu)
{
    EXPECT_POLICY(emu, PROJECT, "db-1", 7, "00:00:00");
    EXPECT_POLICY(emu, PROJECT, "db-2", 7, "00:00:00");
    PUT_OK(emu, "db-1", "{\"policy\": {\"keepday\": 0, \"starttime\": \"00:00\"}}");
    EXPECT_POLICY(emu, PROJECT, "db-1", 0, "00:00:00");
    PUT_OK(emu, "db-1", "{\"policy\": {\"keepday\": 732, \"starttime\": \"23:59\"}}");
    EXPECT_POLICY(emu, PROJECT, "db-1", 732, "23:59:00");
    PUT_OK(emu, "db-1", "{\"policy\": {\"keepday\": 30, \"starttime\": \"23:59:59\"}}");
    EXPECT_POLICY(emu, PROJECT, "db-1", 30, "23:59:59");
    PUT_OK(emu, "db-1",
           "{\"policy\": {\"keepday\": 1, \"starttime\": \"08:15:30\", "
           "\"extra\": true}, \"incremental\": 0}");
    EXPECT_POLICY(emu, PROJECT, "db-1", 1, "08:15:30");
    /* Each instance has its own. */
    EXPECT_POLICY(emu, PROJECT, "db-2", 7, "00:00:00");
    /* Replacing the instance through the control plane keeps its policy (docs/emulator.md). */
    CHECK(call_put_instance(emu, PROJECT, "db-1", mysql) == 0);
    EXPECT_POLICY(emu, PROJECT, "db-1", 1, "08:15:30");
}

/* Every refused body answers 400 RDS.0001 and leaves the stored policy as it was. */
static void refused_bodies(const struct emu *emu)
{
    static const char *const bad[] = {
        /* keepday */
        "{\"policy\": {\"keepday\": 733, \"starttime\": \"01:00\"}}",
        "{\"policy\": {\"keepday\": -1, \"starttime\": \"01:00\"}}",
        "{\"policy\": {\"keepday\": \"7\", \"starttime\": \"01:00\"}}",
        "{\"policy\": {\"keepday\": 7.5, \"starttime\": \"01:00\"}}",
        "{\"policy\": {\"keepday\": true, \"starttime\": \"01:00\"}}",
        "{\"policy\": {\"keepday\": null, \"starttime\": \"01:00\"}}",
        "{\"policy\": {\"starttime\": \"01:00\"}}",
        /* starttime */
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"24:00\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"12:60\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"1:00\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"12:00:60\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"noon\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"12:00:00:00\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": \"12-00\"}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": 1200}}",
        "{\"policy\": {\"keepday\": 7}}",
        "{\"policy\": {\"keepday\": 7, \"starttime\": null}}",
        /* the envelope */
        "{\"policy\": {}}",
        "{\"policy\": null}",
        "{\"policy\": [7, \"01:00\"]}",
        "{\"keepday\": 7, \"starttime\": \"01:00\"}",
        "{}",
        "[]",
        "{\"policy\": ",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        PUT_BAD(emu, "db-1", bad[i]);
    EXPECT_POLICY(emu, PROJECT, "db-1", 1, "08:15:30");
    /* A wrong content type too. */
    char path[256];
    policy_path("v1", PROJECT, "db-1", path);
    const char *headers[] = {CALL_TOKEN_HEADER, "Content-Type: text/plain", NULL};
    struct http_response r;
    call_request(emu, NULL, "PUT", path, headers,
                 "{\"policy\": {\"keepday\": 7, \"starttime\": \"01:00\"}}", &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);
    EXPECT_POLICY(emu, PROJECT, "db-1", 1, "08:15:30");
}

/* An instance unknown in this project: 404 RDS.0002 on GET and on a valid PUT. */
static void unknown_instance(const struct emu *emu)
{
    static const char good[] = "{\"policy\": {\"keepday\": 3, \"starttime\": \"02:00\"}}";
    static const char *const where[][2] = {
        {PROJECT, "no-such-db"},
        {OTHER, "db-1"}, /* db-1 is PROJECT's */
        {"policy-nobody", "db-1"},
    };
    for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        char path[256];
        policy_path("v1", where[i][0], where[i][1], path);
        struct http_response r;
        call_with_token(emu, "GET", path, NULL, NULL, &r);
        EXPECT_V1_ERROR(&r, 404, "RDS.0002");
        http_response_free(&r);
        put_fails_at(__FILE__, __LINE__, emu, where[i][0], where[i][1], good, 404, "RDS.0002");
    }
    /* Body rules come before the instance lookup (docs/api.md order of the checks). */
    put_fails_at(__FILE__, __LINE__, emu, PROJECT, "no-such-db",
                 "{\"policy\": {\"keepday\": 733, \"starttime\": \"02:00\"}}", 400, "RDS.0001");
    /* ...and the other project's PUT did not change PROJECT's db-1. */
    EXPECT_POLICY(emu, PROJECT, "db-1", 1, "08:15:30");
    /* A deleted instance is unknown. */
    struct http_response r;
    call_admin(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/db-2", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    char path[256];
    policy_path("v1", PROJECT, "db-2", path);
    call_with_token(emu, "GET", path, NULL, NULL, &r);
    EXPECT_V1_ERROR(&r, 404, "RDS.0002");
    http_response_free(&r);
    /* versionId must be v1 here too. */
    policy_path("V1", PROJECT, "db-1", path);
    call_with_token(emu, "GET", path, NULL, NULL, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);
    call_with_token(emu, "PUT", path, NULL, good, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);
}

int main(void)
{
    struct emu emu;
    if (!kit_start(&emu, "v1-siblings-policy", NULL))
        return CHECK_DONE();
    CHECK(call_put_instance(&emu, PROJECT, "db-1", mysql) == 0);
    CHECK(call_put_instance(&emu, PROJECT, "db-2", mysql) == 0);
    CHECK(call_put_instance(&emu, OTHER, "db-other", mysql) == 0);
    defaults_and_storage(&emu);
    refused_bodies(&emu);
    unknown_instance(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
