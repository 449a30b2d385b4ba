/* The v1 list and delete (docs/api.md): GET /rds/v1/{project}/backups is every backup of the
 * project, oldest first, with the members of the create's `backup` in the same order and
 * their current state, never another project's; DELETE answers 200 {}, 404 RDS.3026 when
 * unknown (or another project's), 409 RDS.3004 while BUILDING; a deleted backup is gone from
 * the list, frees its name and its instance. versionId must be v1 on both. */
#include "lifecycle.h"

#define PROJECT "siblings-a"
#define OTHER   "siblings-b"
#define EMPTY   "siblings-empty"
#define UNKNOWN "00000000-0000-4000-8000-000000000000"

static const char *const backup_keys[] = {
    "created",   "dataStore", "description", "id",      "instance_id", "locationRef", "name",
    "parent_id", "size",      "status",      "updated", "backuptype",  NULL};

static void put(const struct emu *emu, const char *project, const char *id, const char *store)
{
    char body[256];
    snprintf(body, sizeof(body), "{\"name\": \"%s-name\", \"datastore\": %s}", id, store);
    CHECK(call_put_instance(emu, project, id, body) == 0);
}

/* DELETE /rds/{version}/{project}/backups/{id}. */
static void delete_backup(const struct emu *emu, const char *version, const char *project,
                          const char *id, struct http_response *r)
{
    char path[256];
    snprintf(path, sizeof(path), "/rds/%s/%s/backups/%s", version, project, id);
    call_with_token(emu, "DELETE", path, NULL, NULL, r);
}

/* A delete that must answer 200 with the body {}. */
static void delete_ok(const struct emu *emu, const char *project, const char *id)
{
    struct http_response r;
    delete_backup(emu, "v1", project, id, &r);
    if (EXPECT_STATUS(&r, 200)) {
        json_t *root = http_response_json(&r);
        CHECK(json_is_object(root) && json_object_size(root) == 0);
        json_decref(root);
    }
    http_response_free(&r);
}

static void delete_fails(const struct emu *emu, const char *project, const char *id, long status,
                         const char *code)
{
    struct http_response r;
    delete_backup(emu, "v1", project, id, &r);
    EXPECT_V1_ERROR(&r, status, code);
    http_response_free(&r);
}

/* The list element of `m` has the create's members, in order, with the same values except
 * the state (status, size, updated). */
static void same_as_created(json_t *item, const struct made *m)
{
    static const char *const fixed[] = {"created", "dataStore",   "description",
                                        "id",      "instance_id", "locationRef",
                                        "name",    "parent_id",   "backuptype"};
    CHECK(json_keys_are(item, backup_keys));
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (!json_equal(json_object_get(item, fixed[i]), json_object_get(m->backup, fixed[i])))
            CHECK(!"a listed member differs from the create's answer");
    }
}

static void empty_project(const struct emu *emu)
{
    json_t *list = KIT_LIST(emu, EMPTY);
    CHECK(list != NULL && json_array_size(list) == 0);
    json_decref(list);
}

/* Four backups of three instances, made 10 s apart, with one of another project in between;
 * then the list, once at the start and once after the clock moved. */
static void list_order_members_state(const struct emu *emu)
{
    put(emu, PROJECT, "a-mysql", "{\"type\": \"MySQL\", \"version\": \"5.7\"}");
    put(emu, PROJECT, "a-pg", "{\"type\": \"PostgreSQL\", \"version\": \"14\"}");
    put(emu, PROJECT, "a-mssql", "{\"type\": \"SQLServer\", \"version\": \"2019_SE\"}");
    put(emu, OTHER, "b-mysql", "{\"type\": \"MySQL\", \"version\": \"8.0\"}");
    put(emu, OTHER, "a-mysql", "{\"type\": \"MySQL\", \"version\": \"8.0\"}"); /* same id */
    struct made mine[4], theirs[2];
    KIT_CREATE(emu, PROJECT, "a-mysql", "first", 0, NULL, &mine[0]);
    KIT_CREATE(emu, OTHER, "a-mysql", "first", 0, NULL, &theirs[0]);
    EMU_CLOCK_ADVANCE(emu, 10);
    KIT_CREATE(emu, PROJECT, "a-pg", "second", 3600, NULL, &mine[1]);
    EMU_CLOCK_ADVANCE(emu, 10);
    /* Two hours: still BUILDING when the clock is set to the end of mine[1] below. */
    KIT_CREATE(emu, OTHER, "b-mysql", "theirs", 7200, NULL, &theirs[1]);
    KIT_CREATE_BODY(emu, PROJECT,
                    "{\"backup\": {\"instance\": \"a-mssql\", \"name\": \"third\", "
                    "\"description\": \"partial one\", \"databases\": [{\"name\": \"hr\"}]}}",
                    0, "fail", &mine[2]);
    EMU_CLOCK_ADVANCE(emu, 10);
    KIT_CREATE(emu, PROJECT, "a-mysql", "fourth", 0, NULL, &mine[3]);

    json_t *list = KIT_LIST(emu, PROJECT);
    CHECK_INT(json_array_size(list), 4);
    for (size_t i = 0; i < 4 && i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i);
        CHECK_STR(json_string_value(json_object_get(item, "id")), mine[i].id);
        same_as_created(item, &mine[i]);
    }
    json_decref(list);
    KIT_EXPECT_COMPLETED(emu, &mine[0], mine[0].created, 2048);
    KIT_EXPECT_BUILDING(emu, &mine[1]);
    KIT_EXPECT_FAILED(emu, &mine[2], mine[2].created);
    KIT_EXPECT_COMPLETED(emu, &mine[3], mine[3].created, 2048);

    /* The other project sees only its own two, oldest first. */
    list = KIT_LIST(emu, OTHER);
    CHECK_INT(json_array_size(list), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 0), "id")), theirs[0].id);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 1), "id")), theirs[1].id);
    for (size_t i = 0; i < 4; i++)
        CHECK(kit_find(list, mine[i].id) == NULL);
    json_decref(list);

    /* Current state: the second one is COMPLETED once its time has come; order unchanged. */
    EMU_CLOCK_SET(emu, mine[1].created + 3600);
    KIT_EXPECT_COMPLETED(emu, &mine[1], mine[1].created + 3600, 2048);
    list = KIT_LIST(emu, PROJECT);
    for (size_t i = 0; i < 4 && i < json_array_size(list); i++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(list, i), "id")), mine[i].id);
    json_decref(list);

    /* A backup outlives its instance: still listed once the instance is deleted. */
    struct http_response r;
    call_admin(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/a-pg", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    KIT_EXPECT_COMPLETED(emu, &mine[1], mine[1].created + 3600, 2048);

    /* Delete: 200 {}, then gone from the list, the others keep their order. */
    delete_ok(emu, PROJECT, mine[0].id);
    list = KIT_LIST(emu, PROJECT);
    CHECK_INT(json_array_size(list), 3);
    CHECK(kit_find(list, mine[0].id) == NULL);
    for (size_t i = 1; i < 4 && i - 1 < json_array_size(list); i++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(list, i - 1), "id")),
                  mine[i].id);
    json_decref(list);
    delete_fails(emu, PROJECT, mine[0].id, 404, "RDS.3026"); /* twice */
    /* Not in the v3 list either ("no longer appears in any list"). */
    struct http_response v3;
    call_with_token(emu, "GET", "/v3/" PROJECT "/backups?instance_id=a-mysql", NULL, NULL, &v3);
    if (EXPECT_STATUS(&v3, 200)) {
        json_t *root = http_response_json(&v3);
        json_t *backups = json_object_get(root, "backups");
        CHECK(kit_find(backups, mine[0].id) == NULL);
        CHECK(kit_find(backups, mine[3].id) != NULL);
        CHECK_INT(json_integer_value(json_object_get(root, "total_count")), 1);
        json_decref(root);
    }
    http_response_free(&v3);
    /* The other project's backup of the same name on the same instance id is untouched. */
    KIT_EXPECT_COMPLETED(emu, &theirs[0], theirs[0].created, 2048);

    /* Another project cannot delete mine, nor I theirs. */
    delete_fails(emu, OTHER, mine[3].id, 404, "RDS.3026");
    delete_fails(emu, PROJECT, theirs[0].id, 404, "RDS.3026");
    KIT_EXPECT_COMPLETED(emu, &mine[3], mine[3].created, 2048);
    KIT_EXPECT_COMPLETED(emu, &theirs[0], theirs[0].created, 2048);

    /* A FAILED backup can be deleted too; a BUILDING one cannot. */
    delete_ok(emu, PROJECT, mine[2].id);
    delete_fails(emu, OTHER, theirs[1].id, 409, "RDS.3004");
    KIT_EXPECT_BUILDING(emu, &theirs[1]);
    for (size_t i = 0; i < 4; i++)
        kit_made_free(&mine[i]);
    for (size_t i = 0; i < 2; i++)
        kit_made_free(&theirs[i]);
}

/* Unknown ids, and versionId on both routes. */
static void unknown_and_version(const struct emu *emu)
{
    delete_fails(emu, PROJECT, UNKNOWN, 404, "RDS.3026");
    delete_fails(emu, PROJECT, "no-such-backup", 404, "RDS.3026");
    delete_fails(emu, EMPTY, UNKNOWN, 404, "RDS.3026");
    static const char *const versions[] = {"V1", "v2", "v3"};
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        struct http_response r;
        snprintf(path, sizeof(path), "/rds/%s/" PROJECT "/backups", versions[i]);
        call_with_token(emu, "GET", path, NULL, NULL, &r);
        EXPECT_V1_ERROR(&r, 400, "RDS.0001");
        http_response_free(&r);
        delete_backup(emu, versions[i], PROJECT, UNKNOWN, &r);
        EXPECT_V1_ERROR(&r, 400, "RDS.0001");
        http_response_free(&r);
    }
    struct http_response r;
    call_with_token(emu, "GET", "/rds/v1/bad.project/backups", NULL, NULL, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);
}

/* Deleting frees the name on the instance, and the instance for a new create; until then
 * the name is taken and, while BUILDING, the delete is refused. */
static void delete_frees_name_and_instance(const struct emu *emu)
{
    put(emu, PROJECT, "reuse", "{\"type\": \"MySQL\", \"version\": \"8.0\"}");
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, "reuse", "nightly", 100, NULL, &m))
        return;
    delete_fails(emu, PROJECT, m.id, 409, "RDS.3004");
    KIT_EXPECT_BUILDING(emu, &m);
    char *body = call_v1_body("reuse", "another");
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 409, "RDS.3004");
    free(body);
    EMU_CLOCK_SET(emu, m.created + 100);
    body = call_v1_body("reuse", "nightly");
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 409, "RDS.0031");
    free(body);
    delete_ok(emu, PROJECT, m.id);
    json_t *list = KIT_LIST(emu, PROJECT);
    CHECK(kit_find(list, m.id) == NULL);
    json_decref(list);
    /* The same name on the same instance, at once: a new backup with a new id. */
    struct made again;
    if (KIT_CREATE(emu, PROJECT, "reuse", "nightly", 100, NULL, &again)) {
        CHECK(strcmp(again.id, m.id) != 0);
        KIT_EXPECT_BUILDING(emu, &again);
        EMU_CLOCK_SET(emu, again.created + 100);
        delete_ok(emu, PROJECT, again.id);
        /* and the instance takes a new backup after that delete too */
        struct made third;
        if (KIT_CREATE(emu, PROJECT, "reuse", "nightly", 0, NULL, &third))
            KIT_EXPECT_COMPLETED(emu, &third, third.created, 2048);
        kit_made_free(&third);
    }
    kit_made_free(&again);
    kit_made_free(&m);
    /* Its time passed while nobody looked: the delete sees it finished. */
    if (KIT_CREATE(emu, PROJECT, "reuse", "unseen", 100, NULL, &m)) {
        EMU_CLOCK_SET(emu, m.created + 100);
        delete_ok(emu, PROJECT, m.id);
    }
    kit_made_free(&m);
}

int main(void)
{
    struct emu emu;
    if (!kit_start(&emu, "v1-siblings-list", NULL))
        return CHECK_DONE();
    empty_project(&emu);
    list_order_members_state(&emu);
    unknown_and_version(&emu);
    delete_frees_name_and_instance(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
