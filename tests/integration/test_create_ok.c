/* The v1 create's success (docs/api.md): the documented sample request and the SQL Server
 * partial-backup sample give 200 with the documented body, member for member and in order;
 * ids, times and version_id have their forms; the common headers of §1 are there. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define DEMO_PROJECT   "0549c4d2e6c74b2a9e3b0f0c2f6a1d7e"
#define DEMO_MYSQL     "44b277eb-39be-4921-be31-3d61b43651d7"
#define DEMO_SQLSERVER "c2aac04b4b44460aa75674fc0fd878b2no04"
#define OWN_PROJECT    "create-ok-project"

/* The request sample of the create call's documentation page (docs/api.md), byte for byte. */
static const char documented_sample[] = "{\n"
                                        "\"backup\": {\n"
                                        "\"description\": \"My Backup\",\n"
                                        "\"instance\": \"44b277eb-39be-4921-be31-3d61b43651d7\",\n"
                                        "\"name\": \"backup\"\n"
                                        "}\n"
                                        "}\n";

/* The SQL Server partial-backup sample as the reference prints it: its final "}" is
 * missing, so it is not JSON. */
static const char sqlserver_sample_verbatim[] =
    "{ \n"
    "\"backup\": { \n"
    "\"description\": \"My Backup\", \n"
    "\"instance\": \"c2aac04b4b44460aa75674fc0fd878b2no04\", \n"
    "\"name\": \"test\",\n"
    "\"databases\": [\n"
    "        {\n"
    "            \"name\": \"user01\"\n"
    "        },\n"
    "        {\n"
    "            \"name\": \"user02\"\n"
    "        }\n"
    "    ]\n"
    "} \n";

static const char *store_member(json_t *root, const char *key)
{
    return json_string_value(
        json_object_get(json_object_get(json_object_get(root, "backup"), "dataStore"), key));
}

static void documented_sample_request(const struct emu *emu)
{
    struct http_response r;
    /* The create exactly as a client sends it: no emulator header. */
    call_v1_create(emu, NULL, DEMO_PROJECT, documented_sample, -1, &r);
    json_t *root = EXPECT_V1_CREATED(&r);
    CHECK(root != NULL);
    CHECK_STR(created_member(root, "description"), "My Backup");
    CHECK_STR(created_member(root, "instance_id"), DEMO_MYSQL);
    CHECK_STR(created_member(root, "name"), "backup");
    CHECK_STR(store_member(root, "type"), "MySQL");
    CHECK_STR(store_member(root, "version"), "5.6.30");
    long long skew = v1_time_seconds_from_now(created_member(root, "created"));
    CHECK(skew > -120 && skew < 120); /* UTC, from the emulator clock (offset 0) */
    json_decref(root);
    http_response_free(&r);
}

static void sqlserver_partial_sample(const struct emu *emu)
{
    size_t len = strlen(sqlserver_sample_verbatim);
    char *fixed = malloc(len + 3);
    memcpy(fixed, sqlserver_sample_verbatim, len);
    memcpy(fixed + len, "}\n", 3);

    json_t *root = EXPECT_CREATE_JSON(emu, DEMO_PROJECT, fixed);
    CHECK(root != NULL);
    CHECK_STR(created_member(root, "instance_id"), DEMO_SQLSERVER);
    CHECK_STR(created_member(root, "name"), "test");
    CHECK_STR(created_member(root, "description"), "My Backup");
    CHECK_STR(store_member(root, "type"), "SQLServer");
    CHECK_STR(store_member(root, "version"), "2017_SE");
    json_decref(root);
    free(fixed);

    /* Verbatim, the sample is truncated JSON: refused like any invalid body. */
    EXPECT_CREATE_ERROR(emu, DEMO_PROJECT, sqlserver_sample_verbatim, 400, "RDS.0001");
}

/* Creates `name` on `instance` of OWN_PROJECT and copies its dataStore.version_id. */
static void version_id_of(const struct emu *emu, const char *instance, const char *name,
                          char out[64])
{
    char *body = call_v1_body(instance, name);
    json_t *root = EXPECT_CREATE_JSON(emu, OWN_PROJECT, body);
    const char *id = store_member(root, "version_id");
    snprintf(out, 64, "%s", id != NULL ? id : "(none)");
    json_decref(root);
    free(body);
}

static void version_id_is_derived(const struct emu *emu)
{
    CHECK(call_put_instance(emu, OWN_PROJECT, "mysql-a",
                            "{\"name\": \"a\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"5.6.30\"}}") == 0);
    CHECK(call_put_instance(emu, OWN_PROJECT, "mysql-b",
                            "{\"name\": \"b\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"5.6.30\"}}") == 0);
    CHECK(call_put_instance(emu, OWN_PROJECT, "mysql-8",
                            "{\"name\": \"c\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);
    CHECK(call_put_instance(emu, OWN_PROJECT, "pg-5630",
                            "{\"name\": \"d\", \"datastore\": {\"type\": \"PostgreSQL\", "
                            "\"version\": \"5.6.30\"}}") == 0);
    char a1[64], a2[64], b[64], v8[64], pg[64], demo[64];
    version_id_of(emu, "mysql-a", "first", a1);
    version_id_of(emu, "mysql-a", "second", a2);
    version_id_of(emu, "mysql-b", "first", b);
    version_id_of(emu, "mysql-8", "first", v8);
    version_id_of(emu, "pg-5630", "first", pg);

    char *body = call_v1_body(DEMO_MYSQL, "fromDemo");
    json_t *root = EXPECT_CREATE_JSON(emu, DEMO_PROJECT, body);
    snprintf(demo, sizeof(demo), "%s", root ? store_member(root, "version_id") : "(none)");
    json_decref(root);
    free(body);

    CHECK_STR(a2, a1);   /* same instance, another request */
    CHECK_STR(b, a1);    /* same engine+version on another instance */
    CHECK_STR(demo, a1); /* ... and in another project */
    CHECK(strcmp(v8, a1) != 0);
    CHECK(strcmp(pg, a1) != 0); /* the engine is part of it, not only the version */
}

static void description_absent_or_null(const struct emu *emu)
{
    json_t *root = EXPECT_CREATE_JSON(emu, DEMO_PROJECT,
                                      "{\"backup\": {\"instance\": \"" DEMO_MYSQL
                                      "\", \"name\": \"noDesc\"}}");
    CHECK(root != NULL &&
          json_is_null(json_object_get(json_object_get(root, "backup"), "description")));
    json_decref(root);

    root = EXPECT_CREATE_JSON(emu, DEMO_PROJECT,
                              "{\"backup\": {\"instance\": \"" DEMO_MYSQL
                              "\", \"name\": \"nullDesc\", \"description\": null}}");
    CHECK(root != NULL &&
          json_is_null(json_object_get(json_object_get(root, "backup"), "description")));
    json_decref(root);

    root = EXPECT_CREATE_JSON(emu, DEMO_PROJECT,
                              "{\"backup\": {\"instance\": \"" DEMO_MYSQL
                              "\", \"name\": \"emptyDesc\", \"description\": \"\"}}");
    CHECK_STR(created_member(root, "description"), "");
    json_decref(root);
}

/* Every answer has its own request id, every backup and job its own id. */
static void ids_are_fresh(const struct emu *emu)
{
    struct http_response r1, r2;
    call_v1_create(emu, NULL, DEMO_PROJECT,
                   "{\"backup\": {\"instance\": \"" DEMO_MYSQL "\", \"name\": \"fresh-1\"}}", 0,
                   &r1);
    call_v1_create(emu, NULL, DEMO_PROJECT,
                   "{\"backup\": {\"instance\": \"" DEMO_MYSQL "\", \"name\": \"fresh-2\"}}", 0,
                   &r2);
    json_t *one = EXPECT_V1_CREATED(&r1);
    json_t *two = EXPECT_V1_CREATED(&r2);
    CHECK(strcmp(r1.request_id, r2.request_id) != 0);
    if (one != NULL && two != NULL) {
        CHECK(strcmp(created_member(one, "id"), created_member(two, "id")) != 0);
        const char *job1 = json_string_value(
            json_array_get(json_object_get(json_object_get(one, "extendparam"), "jobs"), 0));
        const char *job2 = json_string_value(
            json_array_get(json_object_get(json_object_get(two, "extendparam"), "jobs"), 0));
        CHECK(job1 != NULL && job2 != NULL && strcmp(job1, job2) != 0);
    }
    json_decref(one);
    json_decref(two);
    http_response_free(&r1);
    http_response_free(&r2);
}

/* A client that asks for JSON with the charset parameter, as many SDKs do. */
static void charset_parameter_accepted(const struct emu *emu)
{
    static const char *const spellings[] = {
        "Content-Type: application/json; charset=UTF-8",
        "Content-Type: application/json;charset=utf-8",
        "Content-Type: application/json; charset=\"utf-8\"",
    };
    for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        char name[32];
        snprintf(name, sizeof(name), "charset-%zu", i);
        char *body = call_v1_body(DEMO_MYSQL, name);
        const char *headers[] = {CALL_TOKEN_HEADER, spellings[i], "X-Emulator-Backup-Seconds: 0",
                                 NULL};
        struct http_response r;
        call_request(emu, NULL, "POST", "/rds/v1/" DEMO_PROJECT "/backups", headers, body, &r);
        json_t *root = EXPECT_V1_CREATED(&r);
        if (root == NULL)
            fprintf(stderr, "    with %s\n", spellings[i]);
        json_decref(root);
        http_response_free(&r);
        free(body);
    }
}

int main(void)
{
    struct emu emu;
    /* Build time 0 by default, so that the samples go out exactly as documented (no
     * emulator header) and still leave the instance free for the next create. */
    const char *args[] = {"--seed", RDSEMU_DEMO_SEED, "--backup-seconds", "0", NULL};
    if (emu_start(&emu, "create-ok", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    documented_sample_request(&emu);
    sqlserver_partial_sample(&emu);
    version_id_is_derived(&emu);
    description_absent_or_null(&emu);
    ids_are_fresh(&emu);
    charset_parameter_accepted(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    CHECK_INT(emu.extra_stdout, 0); /* exactly one line on stdout */
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
