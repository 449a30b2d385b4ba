/* The rules of the v1 create that need the stored state (docs/api.md catalogue, §2, §5.2):
 * the instance must exist in this project (404 RDS.0002), be ACTIVE and not a replica
 * (409 RDS.0056), have no backup BUILDING (409 RDS.3004), and not have a backup of that name
 * already (409 RDS.0031); and these checks run in the documented order. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define PROJECT "rules-project"
#define OTHER   "other-project"

/* A create with the given build time (-1: none given) and optional outcome header. */
static void create(const struct emu *emu, const char *project, const char *instance,
                   const char *name, long seconds, const char *outcome, long status,
                   const char *code)
{
    char *body = call_v1_body(instance, name);
    struct http_response r;
    call_create(emu, NULL, CALL_V1, project, body, seconds, outcome, &r);
    bool ok;
    if (code == NULL) {
        ok = json_decref_ok(EXPECT_V1_CREATED(&r));
    } else {
        ok = EXPECT_V1_ERROR(&r, status, code);
    }
    if (!ok)
        fprintf(stderr, "    creating %s on %s/%s\n", name, project, instance);
    http_response_free(&r);
    free(body);
}

#define CREATE_OK(emu, project, instance, name, seconds)                                           \
    create((emu), (project), (instance), (name), (seconds), NULL, 200, NULL)
#define CREATE_FAILS(emu, project, instance, name, status, code)                                   \
    create((emu), (project), (instance), (name), 0, NULL, (status), (code))

static void instance_must_exist_here(const struct emu *emu)
{
    CREATE_FAILS(emu, PROJECT, "no-such-instance", "lookup", 404, "RDS.0002");
    /* other-mysql exists, but in another project. */
    CREATE_FAILS(emu, PROJECT, "other-mysql", "lookup", 404, "RDS.0002");
    CREATE_OK(emu, OTHER, "other-mysql", "lookup", 0);
    /* A project that has nothing at all. */
    CREATE_FAILS(emu, "empty-project", "mysql-1", "lookup", 404, "RDS.0002");
    /* The same instance id in two projects: two different instances. */
    char *body = call_v1_body("mysql-1", "sameIdElsewhere");
    json_t *root = EXPECT_CREATE_JSON(emu, OTHER, body);
    CHECK_STR(created_member(root, "instance_id"), "mysql-1");
    json_decref(root);
    free(body);

    /* An instance deleted through the control plane is gone for the API. */
    CHECK(call_put_instance(emu, PROJECT, "short-lived",
                            "{\"name\": \"s\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    CREATE_OK(emu, PROJECT, "short-lived", "beforeDelete", 0);
    struct http_response r;
    call_admin(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/short-lived", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    CREATE_FAILS(emu, PROJECT, "short-lived", "afterDelete", 404, "RDS.0002");
}

static void instance_must_be_active_primary(const struct emu *emu)
{
    CREATE_FAILS(emu, PROJECT, "replica-1", "onReplica", 409, "RDS.0056");
    CREATE_FAILS(emu, PROJECT, "rebooting-1", "onRebooting", 409, "RDS.0056");
    CHECK(call_put_instance(emu, PROJECT, "failed-1",
                            "{\"name\": \"f\", \"datastore\": {\"type\": \"SQLServer\", "
                            "\"version\": \"2019_SE\"}, \"status\": \"FAILED\"}") == 0);
    CREATE_FAILS(emu, PROJECT, "failed-1", "onFailed", 409, "RDS.0056");
    CHECK(call_put_instance(emu, PROJECT, "explicit-active",
                            "{\"name\": \"a\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}, \"status\": \"ACTIVE\", \"role\": \"primary\"}") == 0);
    CREATE_OK(emu, PROJECT, "explicit-active", "onActive", 0);

    /* Back to ACTIVE (a PUT replaces the instance): backups are possible again. */
    CHECK(call_put_instance(emu, PROJECT, "failed-1",
                            "{\"name\": \"f\", \"datastore\": {\"type\": \"SQLServer\", "
                            "\"version\": \"2019_SE\"}}") == 0);
    CREATE_OK(emu, PROJECT, "failed-1", "onRepaired", 0);
}

static void one_backup_building_per_instance(const struct emu *emu)
{
    CREATE_OK(emu, PROJECT, "mysql-2", "longOne", 3600);
    CREATE_FAILS(emu, PROJECT, "mysql-2", "secondOne", 409, "RDS.3004");
    CREATE_FAILS(emu, PROJECT, "mysql-2", "thirdOne", 409, "RDS.3004");
    /* It blocks only its own instance. */
    CREATE_OK(emu, PROJECT, "mssql-1", "meanwhile", 0);

    /* The instance's backup_seconds (3600) when the request names no build time... */
    create(emu, PROJECT, "slow-1", "instanceTime", -1, NULL, 200, NULL);
    CREATE_FAILS(emu, PROJECT, "slow-1", "instanceTime2", 409, "RDS.3004");
    /* ... and the header over the instance's value. */
    CHECK(call_put_instance(emu, PROJECT, "slow-2",
                            "{\"name\": \"s2\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}, \"backup_seconds\": 3600}") == 0);
    CREATE_OK(emu, PROJECT, "slow-2", "headerWins", 0);
    CREATE_OK(emu, PROJECT, "slow-2", "headerWins2", 0);
}

static void names_unique_per_instance(const struct emu *emu)
{
    CREATE_OK(emu, PROJECT, "mysql-1", "nightly", 0);
    CREATE_FAILS(emu, PROJECT, "mysql-1", "nightly", 409, "RDS.0031");
    CREATE_OK(emu, PROJECT, "pg-1", "nightly", 0);    /* another instance */
    CREATE_OK(emu, OTHER, "mysql-1", "nightly", 0);   /* same id, another project */
    CREATE_OK(emu, PROJECT, "mysql-1", "Nightly", 0); /* names are case-sensitive */
    CREATE_FAILS(emu, PROJECT, "mysql-1", "Nightly", 409, "RDS.0031");

    /* A FAILED backup holds its name but does not block the instance. */
    create(emu, PROJECT, "mssql-open", "willFail", 0, "fail", 200, NULL);
    CREATE_FAILS(emu, PROJECT, "mssql-open", "willFail", 409, "RDS.0031");
    CREATE_OK(emu, PROJECT, "mssql-open", "afterFailure", 0);
}

/* docs/api.md: fields → instance lookup → state → engine rules → running → duplicate name. */
static void order_of_checks(const struct emu *emu)
{
    /* name rule before the state of the instance */
    CREATE_FAILS(emu, PROJECT, "replica-1", "1bad", 400, "RDS.0001");
    /* state before the engine rule: a replica asked for databases it cannot take */
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"replica-1\", \"name\": \"withDbs\", "
                        "\"databases\": [{\"name\": \"user01\"}]}}",
                        409, "RDS.0056");
    /* engine rule before "already running" */
    CREATE_OK(emu, PROJECT, "pg-1", "first", 0);
    CREATE_OK(emu, PROJECT, "pg-1", "running", 3600);
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"pg-1\", \"name\": \"withDbs\", "
                        "\"databases\": [{\"name\": \"user01\"}]}}",
                        400, "RDS.0001");
    /* database names before "already running" */
    CREATE_OK(emu, PROJECT, "mssql-1", "busy", 3600);
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"mssql-1\", \"name\": \"unknownDb\", "
                        "\"databases\": [{\"name\": \"user09\"}]}}",
                        400, "RDS.0001");
    /* "already running" before the duplicate name */
    CREATE_FAILS(emu, PROJECT, "pg-1", "first", 409, "RDS.3004");
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", NULL};
    if (emu_start(&emu, "create-conflicts", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    instance_must_exist_here(&emu);
    instance_must_be_active_primary(&emu);
    one_backup_building_per_instance(&emu);
    names_unique_per_instance(&emu);
    order_of_checks(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
