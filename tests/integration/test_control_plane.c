/* The control plane (docs/emulator.md): instances (PUT/GET/DELETE, list), validation in the
 * control-plane error shape, deleting a project (only that one), reset (the seed again),
 * health; none of it needs X-Auth-Token. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define SEED_PROJECT "rules-project"
#define INSTANCES    "/_emulator/projects/"

/* A control-plane call; returns the parsed body (new reference) when `status` matched. */
static json_t *admin(const struct emu *emu, const char *method, const char *path, const char *body,
                     long status)
{
    struct http_response r;
    call_admin(emu, method, path, body, &r);
    json_t *root = NULL;
    if (EXPECT_STATUS(&r, status))
        root = http_response_json(&r);
    else
        fprintf(stderr, "    for %s %s\n", method, path);
    if (status == 204)
        CHECK_INT(r.body_len, 0);
    http_response_free(&r);
    return root;
}

static void admin_error(const struct emu *emu, const char *method, const char *path,
                        const char *body, long status)
{
    struct http_response r;
    call_admin(emu, method, path, body, &r);
    if (!EXPECT_ADMIN_ERROR(&r, status))
        fprintf(stderr, "    for %s %s %s\n", method, path, body != NULL ? body : "");
    http_response_free(&r);
}

/* The number of elements of `member` in the answer of GET `path` (-1 when not an array). */
static long count_of(const struct emu *emu, const char *path, const char *member)
{
    struct http_response r;
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    call_request(emu, NULL, "GET", path, headers, NULL, &r);
    json_t *root = http_response_json(&r);
    json_t *list = json_object_get(root, member);
    long n = r.status == 200 && json_is_array(list) ? (long)json_array_size(list) : -1;
    json_decref(root);
    http_response_free(&r);
    return n;
}

static bool list_has_instance(json_t *root, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(root, "instances"), i, item)
    {
        const char *got = json_string_value(json_object_get(item, "id"));
        if (got != NULL && strcmp(got, id) == 0)
            return true;
    }
    return false;
}

static void health(const struct emu *emu)
{
    static const char *const keys[] = {"status", "version", NULL};
    json_t *root = admin(emu, "GET", "/_emulator/health", NULL, 200);
    CHECK(json_keys_are(root, keys));
    CHECK_STR(json_string_value(json_object_get(root, "status")), "ok");
    const char *version = json_string_value(json_object_get(root, "version"));
    CHECK_STR(version, RDSEMU_EXPECTED_VERSION);

    /* The same version as `rdsemu --version`. */
    const char *args[] = {"--version", NULL};
    struct run_result run;
    CHECK(harness_run(emu->dir, args, NULL, HARNESS_RUN_TIMEOUT_MS, &run) == 0);
    CHECK(run.out != NULL && version != NULL && strstr(run.out, version) != NULL);
    run_result_free(&run);
    json_decref(root);
}

static void instance_lifecycle(const struct emu *emu)
{
    const char *path = INSTANCES "cp-a/instances/db-1";
    json_t *put = admin(emu, "PUT", path,
                        "{\"name\": \"orders\", \"datastore\": {\"type\": \"PostgreSQL\", "
                        "\"version\": \"14\"}, \"status\": \"ACTIVE\", \"role\": \"primary\", "
                        "\"databases\": [\"a\", \"b\"], \"backup_seconds\": 0, "
                        "\"backup_outcome\": \"success\", \"size_kb\": 4096}",
                        200);
    CHECK_STR(json_string_value(json_object_get(put, "id")), "db-1");
    CHECK_STR(json_string_value(json_object_get(put, "name")), "orders");
    json_t *store = json_object_get(put, "datastore");
    CHECK_STR(json_string_value(json_object_get(store, "type")), "PostgreSQL");
    CHECK_STR(json_string_value(json_object_get(store, "version")), "14");
    CHECK_STR(json_string_value(json_object_get(put, "status")), "ACTIVE");
    CHECK_STR(json_string_value(json_object_get(put, "role")), "primary");
    json_t *databases = json_object_get(put, "databases");
    CHECK_INT(json_array_size(databases), 2);
    CHECK_STR(json_string_value(json_array_get(databases, 0)), "a");
    CHECK_STR(json_string_value(json_array_get(databases, 1)), "b");
    CHECK(json_integer_value(json_object_get(put, "backup_seconds")) == 0 &&
          json_is_integer(json_object_get(put, "backup_seconds")));
    CHECK_STR(json_string_value(json_object_get(put, "backup_outcome")), "success");
    CHECK_INT(json_integer_value(json_object_get(put, "size_kb")), 4096);

    json_t *got = admin(emu, "GET", path, NULL, 200);
    CHECK(put != NULL && json_equal(put, got));
    json_decref(got);

    /* A PUT replaces; absent members take their defaults again. */
    json_t *replaced =
        admin(emu, "PUT", path,
              "{\"name\": \"orders-v2\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
              "\"8.0\"}}",
              200);
    got = admin(emu, "GET", path, NULL, 200);
    CHECK_STR(json_string_value(json_object_get(got, "name")), "orders-v2");
    CHECK_STR(json_string_value(json_object_get(json_object_get(got, "datastore"), "type")),
              "MySQL");
    CHECK_STR(json_string_value(json_object_get(got, "status")), "ACTIVE");
    const char *role = json_string_value(json_object_get(got, "role"));
    CHECK(role == NULL || strcmp(role, "primary") == 0);
    CHECK(json_equal(replaced, got));
    json_decref(replaced);
    json_decref(got);
    json_decref(put);

    json_decref(admin(emu, "PUT", INSTANCES "cp-a/instances/db-2",
                      "{\"name\": \"two\", \"datastore\": {\"type\": \"SQLServer\", "
                      "\"version\": \"2019_SE\"}, \"role\": \"replica\"}",
                      200));
    json_t *list = admin(emu, "GET", INSTANCES "cp-a/instances", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(list, "instances")), 2);
    CHECK(list_has_instance(list, "db-1") && list_has_instance(list, "db-2"));
    json_decref(list);
    list = admin(emu, "GET", INSTANCES "cp-nothing/instances", NULL, 200);
    CHECK(json_is_array(json_object_get(list, "instances")) &&
          json_array_size(json_object_get(list, "instances")) == 0);
    json_decref(list);

    json_decref(admin(emu, "DELETE", path, NULL, 204));
    admin_error(emu, "GET", path, NULL, 404);
    admin_error(emu, "DELETE", path, NULL, 404);
    admin_error(emu, "GET", INSTANCES "cp-a/instances/never-was", NULL, 404);
    admin_error(emu, "DELETE", INSTANCES "cp-a/instances/never-was", NULL, 404);
    list = admin(emu, "GET", INSTANCES "cp-a/instances", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(list, "instances")), 1);
    CHECK(!list_has_instance(list, "db-1"));
    json_decref(list);
}

static void validation_errors(const struct emu *emu)
{
    static const char *const bodies[] = {
        "{",
        "[]",
        "{\"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}",
        "{\"name\": \"\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}",
        "{\"name\": 5, \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}",
        "{\"name\": \"x\"}",
        "{\"name\": \"x\", \"datastore\": \"MySQL\"}",
        "{\"name\": \"x\", \"datastore\": {\"version\": \"8.0\"}}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"Oracle\", \"version\": \"19c\"}}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\"}}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"\"}}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"status\": 1}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"role\": \"leader\"}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"databases\": \"db1\"}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"databases\": [1]}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"databases\": [\"\"]}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"backup_seconds\": -1}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"backup_seconds\": \"10\"}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"backup_seconds\": 1.5}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"backup_outcome\": \"maybe\"}",
        "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"size_kb\": -5}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
        admin_error(emu, "PUT", INSTANCES "cp-v/instances/db", bodies[i], 400);

    static const char good[] = "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", "
                               "\"version\": \"8.0\"}}";
    char long_id[128];
    snprintf(long_id, sizeof(long_id), INSTANCES "cp-v/instances/%065d", 0);
    admin_error(emu, "PUT", long_id, good, 400);
    admin_error(emu, "PUT", INSTANCES "cp-v/instances/bad%20id", good, 400);
    admin_error(emu, "PUT", INSTANCES "bad.project/instances/db", good, 400);
    /* None of the refused PUTs stored anything. */
    CHECK_INT(count_of(emu, INSTANCES "cp-v/instances", "instances"), 0);
}

static void delete_project_only_that_one(const struct emu *emu)
{
    static const char instance[] = "{\"name\": \"s\", \"datastore\": {\"type\": \"MySQL\", "
                                   "\"version\": \"8.0\"}, \"backup_seconds\": 0}";
    CHECK(call_put_instance(emu, "cp-del", "shared-id", instance) == 0);
    CHECK(call_put_instance(emu, "cp-del", "second", instance) == 0);
    CHECK(call_put_instance(emu, "cp-keep", "shared-id", instance) == 0);
    char *body = call_v1_body("shared-id", "projectBackup");
    EXPECT_CREATE_OK(emu, "cp-del", body);
    EXPECT_CREATE_OK(emu, "cp-keep", body);
    long seed_instances = count_of(emu, INSTANCES SEED_PROJECT "/instances", "instances");

    json_decref(admin(emu, "DELETE", "/_emulator/projects/cp-del", NULL, 204));
    CHECK_INT(count_of(emu, INSTANCES "cp-del/instances", "instances"), 0);
    CHECK_INT(count_of(emu, "/rds/v1/cp-del/backups", "backups"), 0);
    admin_error(emu, "GET", INSTANCES "cp-del/instances/shared-id", NULL, 404);
    EXPECT_CREATE_ERROR(emu, "cp-del", body, 404, "RDS.0002");

    /* The other projects are untouched. */
    CHECK_INT(count_of(emu, INSTANCES "cp-keep/instances", "instances"), 1);
    CHECK_INT(count_of(emu, "/rds/v1/cp-keep/backups", "backups"), 1);
    EXPECT_CREATE_ERROR(emu, "cp-keep", body, 409, "RDS.0031");
    CHECK_INT(count_of(emu, INSTANCES SEED_PROJECT "/instances", "instances"), seed_instances);

    /* Everything of the deleted project is gone, its backup names too. */
    CHECK(call_put_instance(emu, "cp-del", "shared-id", instance) == 0);
    EXPECT_CREATE_OK(emu, "cp-del", body);
    free(body);
}

static void delete_instance_keeps_backups(const struct emu *emu)
{
    CHECK(call_put_instance(emu, "cp-keepbk", "gone-soon",
                            "{\"name\": \"g\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);
    char *body = call_v1_body("gone-soon", "outlivesInstance");
    EXPECT_CREATE_OK(emu, "cp-keepbk", body);
    free(body);
    json_decref(admin(emu, "DELETE", INSTANCES "cp-keepbk/instances/gone-soon", NULL, 204));
    CHECK_INT(count_of(emu, "/rds/v1/cp-keepbk/backups", "backups"), 1);
}

static void reset_applies_seed_again(const struct emu *emu)
{
    char *taken = call_v1_body("mysql-1", "resetMe");
    char *building = call_v1_body("mysql-2", "stillBuilding");
    char *after = call_v1_body("mysql-2", "afterReset");
    EXPECT_CREATE_OK(emu, SEED_PROJECT, taken);
    EXPECT_CREATE_ERROR(emu, SEED_PROJECT, taken, 409, "RDS.0031");
    struct http_response r;
    call_v1_create(emu, NULL, SEED_PROJECT, building, 3600, &r);
    json_decref(EXPECT_V1_CREATED(&r));
    http_response_free(&r);
    EXPECT_CREATE_ERROR(emu, SEED_PROJECT, after, 409, "RDS.3004");
    CHECK(call_put_instance(emu, "cp-extra", "x",
                            "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);
    CHECK(call_put_instance(emu, SEED_PROJECT, "mysql-2",
                            "{\"name\": \"renamed\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);
    json_decref(admin(emu, "DELETE", INSTANCES SEED_PROJECT "/instances/pg-1", NULL, 204));

    json_decref(admin(emu, "POST", "/_emulator/reset", NULL, 204));

    EXPECT_CREATE_OK(emu, SEED_PROJECT, taken); /* its backups are gone */
    EXPECT_CREATE_OK(emu, SEED_PROJECT, after); /* nothing is BUILDING any more */
    admin_error(emu, "GET", INSTANCES "cp-extra/instances/x", NULL, 404);
    CHECK_INT(count_of(emu, "/rds/v1/cp-keep/backups", "backups"), 0);
    json_t *pg = admin(emu, "GET", INSTANCES SEED_PROJECT "/instances/pg-1", NULL, 200);
    CHECK_STR(json_string_value(json_object_get(pg, "name")), "rules-postgres");
    json_decref(pg);
    json_t *mysql2 = admin(emu, "GET", INSTANCES SEED_PROJECT "/instances/mysql-2", NULL, 200);
    CHECK_STR(json_string_value(json_object_get(mysql2, "name")), "rules-mysql-two");
    json_decref(mysql2);
    free(taken);
    free(building);
    free(after);
}

/* Presence auth is on, and no control-plane call above sent a token; a garbage
 * Authorization header does not matter either. */
static void no_token_needed(const struct emu *emu)
{
    const char *headers[] = {"Authorization: garbage", NULL};
    struct http_response r;
    call_request(emu, NULL, "GET", INSTANCES SEED_PROJECT "/instances", headers, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    call_request(emu, NULL, "GET", "/_emulator/health", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

/* A restart with the same --seed on the same database applies the seed again, as the PUTs
 * it stands for (docs/emulator.md "idempotent"): seeded instances are as the seed says, and
 * everything else stays: backups, policies, instances the seed does not name. */
static void seed_again_on_restart(struct emu *emu)
{
    char *kept = call_v1_body("mysql-1", "keptOverRestart");
    struct http_response r;
    call_v1_create(emu, NULL, SEED_PROJECT, kept, 3600, &r);
    json_decref(EXPECT_V1_CREATED(&r));
    http_response_free(&r);
    static const char policy_path[] = "/rds/v1/" SEED_PROJECT "/instances/mysql-1/backups/policy";
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL};
    call_request(emu, NULL, "PUT", policy_path, headers,
                 "{\"policy\": {\"keepday\": 5, \"starttime\": \"03:00\"}}", &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK(call_put_instance(emu, SEED_PROJECT, "mysql-2",
                            "{\"name\": \"renamed-again\", \"datastore\": {\"type\": "
                            "\"MySQL\", \"version\": \"8.0\"}}") == 0);
    CHECK(call_put_instance(emu, "cp-restart", "not-seeded",
                            "{\"name\": \"n\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);

    CHECK_INT(emu_stop(emu), 0);
    if (emu_restart(emu) != 0) {
        CHECK(!"rdsemu restarted with its seed");
        free(kept);
        return;
    }
    /* The backup is there, still BUILDING (its name is taken, its instance busy). */
    EXPECT_CREATE_ERROR(emu, SEED_PROJECT, kept, 409, "RDS.3004");
    /* The policy set before the restart. */
    call_request(emu, NULL, "GET", policy_path, headers, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *root = http_response_json(&r);
    json_t *policy = json_object_get(root, "policy");
    CHECK_INT(json_integer_value(json_object_get(policy, "keepday")), 5);
    CHECK_STR(json_string_value(json_object_get(policy, "starttime")), "03:00:00");
    json_decref(root);
    http_response_free(&r);
    /* The seeded instance as the seed says; the other one as it was. */
    json_t *mysql2 = admin(emu, "GET", INSTANCES SEED_PROJECT "/instances/mysql-2", NULL, 200);
    CHECK_STR(json_string_value(json_object_get(mysql2, "name")), "rules-mysql-two");
    json_decref(mysql2);
    json_decref(admin(emu, "GET", INSTANCES "cp-restart/instances/not-seeded", NULL, 200));
    free(kept);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth", "presence",
                          NULL};
    if (emu_start(&emu, "control-plane", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    health(&emu);
    instance_lifecycle(&emu);
    validation_errors(&emu);
    delete_project_only_that_one(&emu);
    delete_instance_keeps_backups(&emu);
    reset_applies_seed_again(&emu);
    no_token_needed(&emu);
    seed_again_on_restart(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
