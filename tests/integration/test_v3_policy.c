/* The v3 automated backup policy (docs/policy.md): GET and PUT, every field rule on its
 * boundaries per engine, the order of the checks, and one stored policy seen through v1, v3,
 * the instance API and the control plane. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "expect.h"
#include "policy_kit.h"

#define P "policy-project"

static char path_buf[256];

static const char *policy_path(const char *instance)
{
    snprintf(path_buf, sizeof(path_buf), "/v3/" P "/instances/%s/backups/policy", instance);
    return path_buf;
}

/* PUT of `body` on `instance` must be that v3 error. */
static void put_refused(const struct emu *emu, const char *instance, const char *body, long status,
                        const char *code)
{
    struct http_response r;
    pk_call(emu, "PUT", policy_path(instance), body, NULL, &r);
    if (!EXPECT_V3_ERROR(&r, status, code))
        fprintf(stderr, "    PUT %s %s\n", instance, body);
    http_response_free(&r);
}

static void put_ok(const struct emu *emu, const char *instance, const char *body)
{
    struct http_response r;
    pk_call(emu, "PUT", policy_path(instance), body, NULL, &r);
    if (!EXPECT_STATUS(&r, 200))
        fprintf(stderr, "    PUT %s %s\n", instance, body);
    CHECK_INT(r.body_len, 0); /* 200 with an empty body */
    http_response_free(&r);
}

/* The v3 GET's text, compact. */
static void expect_v3_policy(const struct emu *emu, const char *instance, const char *expected)
{
    json_t *root = pk_get(emu, policy_path(instance));
    char *text = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
    CHECK_STR(text, expected);
    free(text);
    json_decref(root);
}

static void expect_v1_policy(const struct emu *emu, const char *instance, const char *expected)
{
    char path[256];
    snprintf(path, sizeof(path), "/rds/v1/" P "/instances/%s/backups/policy", instance);
    json_t *root = pk_get(emu, path);
    char *text = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
    CHECK_STR(text, expected);
    free(text);
    json_decref(root);
}

/* The instance API's backup_strategy of `instance`. */
static void expect_strategy(const struct emu *emu, const char *instance, const char *expected)
{
    char path[256];
    snprintf(path, sizeof(path), "/v3/" P "/instances?id=%s", instance);
    json_t *root = pk_get(emu, path);
    json_t *strategy =
        json_object_get(json_array_get(json_object_get(root, "instances"), 0), "backup_strategy");
    char *text = strategy != NULL ? json_dumps(strategy, JSON_COMPACT) : NULL;
    CHECK_STR(text, expected);
    free(text);
    json_decref(root);
}

static void defaults(const struct emu *emu)
{
    expect_v3_policy(emu, "my",
                     "{\"backup_policy\":{\"keep_days\":7,\"start_time\":\"00:00-01:00\","
                     "\"period\":\"1,2,3,4,5,6,7\"}}");
    expect_v1_policy(emu, "my", "{\"policy\":{\"keepday\":7,\"starttime\":\"00:00:00\"}}");
    expect_strategy(emu, "my", "{\"start_time\":\"00:00-01:00\",\"keep_days\":7}");
}

/* keep_days per engine: MySQL and SQL Server 1 to 732, PostgreSQL 0 to 3660. */
static void keep_days_boundaries(const struct emu *emu)
{
    static const struct {
        const char *instance;
        int min, max;
    } engines[] = {{"my", 1, 732}, {"ms", 1, 732}, {"pg", 0, 3660}};
    for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
        char body[256];
        int ok[] = {engines[i].min, engines[i].max};
        int bad[] = {engines[i].min - 1, engines[i].max + 1};
        for (int k = 0; k < 2; k++) {
            snprintf(body, sizeof(body),
                     "{\"backup_policy\": {\"keep_days\": %d, \"start_time\": \"08:15-09:15\", "
                     "\"period\": \"1,2\"}}",
                     ok[k]);
            put_ok(emu, engines[i].instance, body);
            snprintf(body, sizeof(body),
                     "{\"backup_policy\": {\"keep_days\": %d, \"start_time\": \"08:15-09:15\", "
                     "\"period\": \"1,2\"}}",
                     bad[k]);
            put_refused(emu, engines[i].instance, body, 400, "DBS.280250");
        }
    }
    put_refused(emu, "my",
                "{\"backup_policy\": {\"keep_days\": 99999999999999, \"start_time\": "
                "\"08:15-09:15\", \"period\": \"1\"}}",
                400, "DBS.280250");
    /* Missing (or null) is the keep_days code; a wrong type is the parameter code. */
    put_refused(emu, "my",
                "{\"backup_policy\": {\"start_time\": \"08:15-09:15\", \"period\": "
                "\"1\"}}",
                400, "DBS.280250");
    put_refused(emu, "my", "{\"backup_policy\": {\"keep_days\": null}}", 400, "DBS.280250");
    put_refused(emu, "my", "{\"backup_policy\": {\"keep_days\": \"7\"}}", 400, "DBS.200001");
    put_refused(emu, "my", "{\"backup_policy\": {\"keep_days\": 7.0}}", 400, "DBS.200001");
    put_refused(emu, "my", "{\"backup_policy\": {\"keep_days\": true}}", 400, "DBS.200001");
}

static void start_time_rules(const struct emu *emu)
{
    static const char *const bad[] = {
        "08:10-09:10",  "08:15-10:15", "08:15-09:30", "23:00-24:00", "8:15-9:15", "08:15", "",
        "08:15-09:15 ", "25:00-02:00", "08-15-09-15"};
    char body[256];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"%s\", \"period\": "
                 "\"1\"}}",
                 bad[i]);
        put_refused(emu, "my", body, 400, "DBS.280253");
    }
    put_refused(emu, "my", "{\"backup_policy\": {\"keep_days\": 3, \"period\": \"1\"}}", 400,
                "DBS.280253");
    put_refused(emu, "my",
                "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": 815, \"period\": \"1\"}}",
                400, "DBS.200001");
    static const char *const good[] = {"00:00-01:00", "23:00-00:00", "23:45-00:45", "12:30-13:30"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"%s\", \"period\": "
                 "\"1\"}}",
                 good[i]);
        put_ok(emu, "my", body);
        char expected[256];
        snprintf(expected, sizeof(expected),
                 "{\"backup_policy\":{\"keep_days\":3,\"start_time\":\"%s\",\"period\":\"1\"}}",
                 good[i]);
        expect_v3_policy(emu, "my", expected);
    }
}

static void period_rules(const struct emu *emu)
{
    static const char *const bad[] = {"",     "0",  "8",  "2,1", "1,1", "1,,2",
                                      "1, 2", "1,", ",1", "12",  "1;2", "Mon"};
    char body[256];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"08:15-09:15\", "
                 "\"period\": \"%s\"}}",
                 bad[i]);
        put_refused(emu, "my", body, 400, "DBS.280251");
    }
    put_refused(emu, "my",
                "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"08:15-09:15\"}}", 400,
                "DBS.280251");
    put_refused(emu, "my",
                "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"08:15-09:15\", "
                "\"period\": 1}}",
                400, "DBS.200001");
    put_ok(emu, "my",
           "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"08:15-09:15\", \"period\": "
           "\"1,7\"}}");
    expect_v3_policy(emu, "my",
                     "{\"backup_policy\":{\"keep_days\":3,\"start_time\":\"08:15-09:15\","
                     "\"period\":\"1,7\"}}");
}

static void body_rules_and_order(const struct emu *emu)
{
    put_refused(emu, "my", "{}", 400, "DBS.200001");
    put_refused(emu, "my", "{\"backup_policy\": null}", 400, "DBS.200001");
    put_refused(emu, "my", "{\"backup_policy\": \"x\"}", 400, "DBS.200001");
    put_refused(emu, "my", "[]", 400, "DBS.200001");
    put_refused(emu, "my",
                "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"08:15-09:15\", "
                "\"period\": \"1\"}, \"reserve_backups\": \"no\"}",
                400, "DBS.200001");
    /* Field rules come before the instance lookup; the keep_days range after it. */
    put_refused(emu, "nope",
                "{\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"08:10-09:10\", "
                "\"period\": \"1\"}}",
                400, "DBS.280253");
    put_refused(emu, "nope", "{\"backup_policy\": {\"keep_days\": 0}}", 404, "DBS.200045");
    put_refused(emu, "nope",
                "{\"backup_policy\": {\"keep_days\": 9999, \"start_time\": \"08:15-09:15\", "
                "\"period\": \"1\"}}",
                404, "DBS.200045");
    struct http_response r;
    pk_call(emu, "GET", policy_path("nope"), NULL, NULL, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.200045");
    http_response_free(&r);
    /* Unknown members are ignored. */
    put_ok(emu, "my",
           "{\"backup_policy\": {\"keep_days\": 4, \"start_time\": \"08:15-09:15\", \"period\": "
           "\"1\", \"extra\": 1}, \"other\": true}");
}

/* One stored policy: what one API sets, the others show. */
static void one_policy_three_shapes(const struct emu *emu)
{
    put_ok(emu, "pg",
           "{\"backup_policy\": {\"keep_days\": 5, \"start_time\": \"08:15-09:15\", \"period\": "
           "\"1,3,5\"}}");
    expect_v1_policy(emu, "pg", "{\"policy\":{\"keepday\":5,\"starttime\":\"08:15:00\"}}");
    expect_strategy(emu, "pg", "{\"start_time\":\"08:15-09:15\",\"keep_days\":5}");
    /* keep_days 0 turns it off; start_time and period are then not read (even malformed), and
     * the stored ones stay. */
    put_ok(emu, "pg",
           "{\"backup_policy\": {\"keep_days\": 0, \"start_time\": \"bad\", \"period\": \"x\"}}");
    expect_v3_policy(emu, "pg", "{\"backup_policy\":{\"keep_days\":0}}");
    expect_v1_policy(emu, "pg", "{\"policy\":{\"keepday\":0,\"starttime\":\"08:15:00\"}}");
    expect_strategy(emu, "pg", "{\"start_time\":\"\",\"keep_days\":0}");
    /* A v1 change keeps the weekdays; a start off the quarter hour shows as it is. */
    struct http_response r;
    pk_call(emu, "PUT", "/rds/v1/" P "/instances/pg/backups/policy",
            "{\"policy\": {\"keepday\": 9, \"starttime\": \"10:07:33\"}}", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    expect_v3_policy(emu, "pg",
                     "{\"backup_policy\":{\"keep_days\":9,\"start_time\":\"10:07-11:07\","
                     "\"period\":\"1,3,5\"}}");
    expect_strategy(emu, "pg", "{\"start_time\":\"10:07-11:07\",\"keep_days\":9}");
    /* v1 keeps its own rules: keepday 0 on MySQL is fine there. */
    pk_call(emu, "PUT", "/rds/v1/" P "/instances/my/backups/policy",
            "{\"policy\": {\"keepday\": 0, \"starttime\": \"01:00\"}}", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    expect_v3_policy(emu, "my", "{\"backup_policy\":{\"keep_days\":0}}");
    /* A replica has a policy too. */
    put_ok(emu, "rep",
           "{\"backup_policy\": {\"keep_days\": 2, \"start_time\": \"08:15-09:15\", \"period\": "
           "\"2\"}}");
    expect_v3_policy(emu, "rep",
                     "{\"backup_policy\":{\"keep_days\":2,\"start_time\":\"08:15-09:15\","
                     "\"period\":\"2\"}}");
}

/* The control plane takes the v3 shape (it counts as set) and shows it back. */
static void control_plane_policy(const struct emu *emu)
{
    CHECK_INT(pk_instance(emu, P, "cp", "MySQL",
                          "\"backup_policy\": {\"keep_days\": 11, \"start_time\": "
                          "\"22:30-23:30\", \"period\": \"6,7\"}"),
              200);
    expect_v3_policy(emu, "cp",
                     "{\"backup_policy\":{\"keep_days\":11,\"start_time\":\"22:30-23:30\","
                     "\"period\":\"6,7\"}}");
    json_t *inst = pk_get(emu, "/_emulator/projects/" P "/instances/cp");
    CHECK(json_is_true(json_object_get(inst, "backup_policy_set")));
    CHECK_INT(pk_int(json_object_get(inst, "backup_policy"), "keep_days"), 11);
    json_decref(inst);
    /* A replace without backup_policy keeps it. */
    CHECK_INT(pk_instance(emu, P, "cp", "MySQL", "\"backup_seconds\": 5"), 200);
    expect_v3_policy(emu, "cp",
                     "{\"backup_policy\":{\"keep_days\":11,\"start_time\":\"22:30-23:30\","
                     "\"period\":\"6,7\"}}");
    /* Its rules, in the control plane's shape. */
    struct http_response r;
    call_admin(emu, "PUT", "/_emulator/projects/" P "/instances/cp",
               "{\"name\": \"cp\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8\"}, "
               "\"backup_policy\": {\"keep_days\": 0}}",
               &r);
    EXPECT_ADMIN_ERROR(&r, 400);
    http_response_free(&r);
    call_admin(emu, "PUT", "/_emulator/projects/" P "/instances/cp",
               "{\"name\": \"cp\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8\"}, "
               "\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"01:00-02:00\"}}",
               &r);
    EXPECT_ADMIN_ERROR(&r, 400);
    http_response_free(&r);
    /* Set through v1 or v3, it counts as set. */
    json_t *set = pk_get(emu, "/_emulator/projects/" P "/instances/pg");
    CHECK(json_is_true(json_object_get(set, "backup_policy_set")));
    json_decref(set);
}

int main(void)
{
    struct emu emu;
    if (pk_start(&emu, "v3-policy", NULL) != 0) {
        emu_cleanup(&emu, true);
        return 1;
    }
    CHECK_INT(pk_instance(&emu, P, "my", "MySQL", NULL), 200);
    CHECK_INT(pk_instance(&emu, P, "ms", "SQLServer", NULL), 200);
    CHECK_INT(pk_instance(&emu, P, "pg", "PostgreSQL", NULL), 200);
    CHECK_INT(pk_instance(&emu, P, "rep", "MySQL", "\"role\": \"replica\""), 200);
    json_t *fresh = pk_get(&emu, "/_emulator/projects/" P "/instances/my");
    CHECK(json_is_false(json_object_get(fresh, "backup_policy_set")));
    json_decref(fresh);

    defaults(&emu);
    keep_days_boundaries(&emu);
    start_time_rules(&emu);
    period_rules(&emu);
    body_rules_and_order(&emu);
    one_policy_three_shapes(&emu);
    control_plane_policy(&emu);

    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
