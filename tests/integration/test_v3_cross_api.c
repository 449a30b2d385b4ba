/* v1 and v3 over one store (docs/api.md, docs/v3.md, docs/emulator.md): a v1 backup is listed,
 * polled and deleted through v3 and its job is found by /v3/{project_id}/jobs; a v3 backup is in
 * the v1 list with the v1 members, and v1 can delete it; a backup BUILDING through one API blocks a
 * create and a delete through the other, each in its own shape; a name taken through one is taken
 * through the other; v1's size in GB is v3's size in kB / 1048576. Also the job call itself:
 * its members, Running → Completed or Failed, and its errors. */
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "v3.h"

#define PROJECT "rules-project"
#define OTHER   "other-project"

/* A v1 list element, exactly the members of the v1 create's `backup` in their order. */
static bool v1_element_shape(json_t *e)
{
    static const char *const keys[] = {
        "created",   "dataStore", "description", "id",      "instance_id", "locationRef", "name",
        "parent_id", "size",      "status",      "updated", "backuptype",  NULL};
    static const char *const store_keys[] = {"type", "version", "version_id", NULL};
    return json_keys_are(e, keys) && json_keys_are(json_object_get(e, "dataStore"), store_keys) &&
           text_is_uuid(member_string(json_object_get(e, "dataStore"), "version_id")) &&
           text_is_v1_time(member_string(e, "created")) &&
           json_is_null(json_object_get(e, "locationRef")) &&
           json_is_null(json_object_get(e, "parent_id")) &&
           strcmp(member_string(e, "backuptype") != NULL ? member_string(e, "backuptype") : "",
                  "1") == 0;
}

/* "YYYY-MM-DDTHH:MM:SS+0000" is the v1 time "YYYY-MM-DDTHH:MM:SS" of the same instant. */
static bool same_instant(const char *v3, const char *v1)
{
    return v3 != NULL && v1 != NULL && strlen(v1) == 19 && strncmp(v3, v1, 19) == 0 &&
           strcmp(v3 + 19, "+0000") == 0;
}

/* A v1 create that must be the exact 200; the parsed body (new reference). */
static json_t *v1_create(const struct emu *emu, const char *instance, const char *name,
                         long seconds, const char *outcome)
{
    char *body = call_v1_body(instance, name);
    json_t *root =
        create_json_at(__FILE__, __LINE__, emu, CALL_V1, PROJECT, body, seconds, outcome);
    free(body);
    return root;
}

static const char *v1_job_of(json_t *created)
{
    return json_string_value(
        json_array_get(json_object_get(json_object_get(created, "extendparam"), "jobs"), 0));
}

/* GET /v3/{project}/jobs?id=<id>, which must be the 200 of §4 with exactly its members;
 * the `job` object (new reference) or NULL. */
static json_t *job_get(const struct emu *emu, const char *project, const char *id)
{
    static const char *const top[] = {"job", NULL};
    static const char *const keys[] = {"id",      "name",     "status",   "created",     "ended",
                                       "process", "instance", "entities", "fail_reason", NULL};
    static const char *const instance_keys[] = {"id", "name", NULL};
    static const char *const entity_keys[] = {"backup_id", NULL};
    struct http_response r;
    v3_job(emu, project, id, &r);
    json_t *job = NULL;
    if (EXPECT_STATUS(&r, 200)) {
        json_t *root = http_response_json(&r);
        json_t *j = json_object_get(root, "job");
        bool ok = json_keys_are(root, top) && json_keys_are(j, keys) &&
                  json_keys_are(json_object_get(j, "instance"), instance_keys) &&
                  json_keys_are(json_object_get(j, "entities"), entity_keys);
        CHECK(ok);
        CHECK_STR(member_string(j, "id"), id);
        CHECK_STR(member_string(j, "name"), "CreateManualBackup");
        CHECK(text_is_v3_time(member_string(j, "created")));
        CHECK(json_is_string(json_object_get(j, "process")));
        if (!ok)
            fprintf(stderr, "    job answer: %s\n", r.body);
        job = json_incref(j);
        json_decref(root);
    }
    http_response_free(&r);
    return job;
}

static void v1_backup_through_v3(const struct emu *emu)
{
    json_t *created = v1_create(emu, "mysql-1", "fromVone", 60, NULL);
    json_t *b = json_object_get(created, "backup");
    const char *id = member_string(b, "id");
    const char *job_id = v1_job_of(created);

    /* Listed through v3, BUILDING. */
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1");
    json_t *e = list_find(list, id);
    CHECK(e != NULL);
    CHECK_STR(member_string(e, "name"), "fromVone");
    CHECK_STR(member_string(e, "status"), "BUILDING");
    CHECK_STR(member_string(e, "type"), "manual");
    CHECK_STR(member_string(e, "instance_id"), "mysql-1");
    CHECK(same_instant(member_string(e, "begin_time"), member_string(b, "created")));
    CHECK_STR(member_string(json_object_get(e, "datastore"), "type"),
              member_string(json_object_get(b, "dataStore"), "type"));
    CHECK_STR(member_string(json_object_get(e, "datastore"), "version"),
              member_string(json_object_get(b, "dataStore"), "version"));
    char begin[32];
    snprintf(begin, sizeof(begin), "%s",
             member_string(e, "begin_time") != NULL ? member_string(e, "begin_time") : "");
    json_decref(list);

    /* Its job, through v3: Running, no end, no failure. */
    json_t *job = job_get(emu, PROJECT, job_id);
    CHECK_STR(member_string(job, "status"), "Running");
    CHECK(json_is_null(json_object_get(job, "ended")));
    CHECK(json_is_null(json_object_get(job, "fail_reason")));
    CHECK_STR(member_string(json_object_get(job, "instance"), "id"), "mysql-1");
    CHECK_STR(member_string(json_object_get(job, "instance"), "name"), "rules-mysql");
    CHECK_STR(member_string(json_object_get(job, "entities"), "backup_id"), id);
    CHECK_STR(member_string(job, "created"), begin);
    json_decref(job);

    /* BUILDING: v3 cannot delete it either. */
    struct http_response r;
    v3_delete(emu, PROJECT, id, &r);
    EXPECT_V3_ERROR(&r, 409, "DBS.201205");
    http_response_free(&r);

    /* Finished: polled through v3, the job Completed at created + build time. */
    EMU_CLOCK_ADVANCE(emu, 90);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1");
    e = list_find(list, id);
    CHECK_STR(member_string(e, "status"), "COMPLETED");
    CHECK(time_parse(member_string(e, "end_time"), TIME_V3) == time_parse(begin, TIME_V3) + 60);
    CHECK(json_integer_value(json_object_get(e, "size")) == 2048);
    json_decref(list);
    job = job_get(emu, PROJECT, job_id);
    CHECK_STR(member_string(job, "status"), "Completed");
    CHECK(time_parse(member_string(job, "ended"), TIME_V3) == time_parse(begin, TIME_V3) + 60);
    CHECK(json_is_null(json_object_get(job, "fail_reason")));
    json_decref(job);

    /* Deleted through v3: 200 with no body, and gone from the v1 list. */
    v3_delete(emu, PROJECT, id, &r);
    EXPECT_STATUS(&r, 200);
    CHECK_INT(r.body_len, 0);
    http_response_free(&r);
    json_t *v1 = KIT_LIST(emu, PROJECT);
    CHECK(v1 != NULL && kit_find(v1, id) == NULL);
    json_decref(v1);
    json_decref(created);
}

static void v3_backup_through_v1(const struct emu *emu)
{
    /* 3 GB exactly, so v1's size is 3. */
    CHECK(call_put_instance(emu, PROJECT, "gb-1",
                            "{\"name\": \"gb\", \"datastore\": {\"type\": \"SQLServer\", "
                            "\"version\": \"2017_EE\"}, \"size_kb\": 3145728}") == 0);
    json_t *created = create_json_at(
        __FILE__, __LINE__, emu, CALL_V3, PROJECT,
        "{\"instance_id\": \"gb-1\", \"name\": \"fromVthree\", \"description\": \"three\"}", 45,
        NULL);
    json_t *b = json_object_get(created, "backup");
    const char *id = member_string(b, "id");

    json_t *v1 = KIT_LIST(emu, PROJECT);
    json_t *e = kit_find(v1, id);
    CHECK(e != NULL && v1_element_shape(e));
    CHECK_STR(member_string(e, "name"), "fromVthree");
    CHECK_STR(member_string(e, "description"), "three");
    CHECK_STR(member_string(e, "instance_id"), "gb-1");
    CHECK_STR(member_string(e, "status"), "BUILDING");
    CHECK(json_is_null(json_object_get(e, "size")) && json_is_null(json_object_get(e, "updated")));
    CHECK(same_instant(member_string(b, "begin_time"), member_string(e, "created")));
    CHECK_STR(member_string(json_object_get(e, "dataStore"), "type"), "SQLServer");
    CHECK_STR(member_string(json_object_get(e, "dataStore"), "version"), "2017_EE");
    json_decref(v1);

    /* BUILDING: v1 cannot delete it, in the v1 shape. */
    char path[128];
    snprintf(path, sizeof(path), "/rds/v1/%s/backups/%s", PROJECT, id != NULL ? id : "none");
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    struct http_response r;
    call_request(emu, NULL, "DELETE", path, headers, NULL, &r);
    EXPECT_V1_ERROR(&r, 409, "RDS.3004");
    http_response_free(&r);

    /* Finished: v1 sees COMPLETED, updated at the end, size_kb / 1048576 GB. */
    EMU_CLOCK_ADVANCE(emu, 45);
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=gb-1");
    json_t *e3 = list_find(list, id);
    CHECK(json_integer_value(json_object_get(e3, "size")) == 3145728);
    v1 = KIT_LIST(emu, PROJECT);
    e = kit_find(v1, id);
    CHECK(e != NULL && v1_element_shape(e));
    CHECK_STR(member_string(e, "status"), "COMPLETED");
    json_t *size = json_object_get(e, "size");
    CHECK(json_is_number(size) && json_number_value(size) == 3.0);
    CHECK(same_instant(member_string(e3, "end_time"), member_string(e, "updated")));
    json_decref(v1);
    json_decref(list);

    /* Deleted through v1: gone from the v3 list. */
    call_request(emu, NULL, "DELETE", path, headers, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    list = V3_LIST_JSON(emu, PROJECT, "instance_id=gb-1");
    CHECK(list_find(list, id) == NULL && list_total(list) == 0);
    json_decref(list);
    json_decref(created);
}

/* v1 size = v3 size / 1048576, unrounded, for sizes that are not whole GB. */
static void sizes_agree(const struct emu *emu)
{
    static const long sizes_kb[] = {5000, 1, 123456789};
    for (size_t i = 0; i < sizeof(sizes_kb) / sizeof(sizes_kb[0]); i++) {
        char put[256], name[32];
        snprintf(put, sizeof(put),
                 "{\"name\": \"sz\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
                 "\"size_kb\": %ld}",
                 sizes_kb[i]);
        CHECK(call_put_instance(emu, PROJECT, "size-1", put) == 0);
        snprintf(name, sizeof(name), "sized%zu", i);
        char *id = V3_CREATE_ID(emu, PROJECT, "size-1", name, 0);
        char query[128];
        snprintf(query, sizeof(query), "instance_id=size-1&backup_id=%s", id);
        json_t *list = V3_LIST_JSON(emu, PROJECT, query);
        json_t *v3size = json_object_get(list_find(list, id), "size");
        CHECK(json_is_integer(v3size) && json_integer_value(v3size) == sizes_kb[i]);
        json_t *v1 = KIT_LIST(emu, PROJECT);
        json_t *v1size = json_object_get(kit_find(v1, id), "size");
        double want = (double)sizes_kb[i] / 1048576.0;
        double diff = json_number_value(v1size) - want;
        CHECK(json_is_number(v1size) && diff <= want * 1e-12 && -diff <= want * 1e-12);
        json_decref(v1);
        json_decref(list);
        free(id);
    }
    /* The default 2048 kB: 2048 in v3, 2048 / 1048576 in v1. */
    char *id = V3_CREATE_ID(emu, PROJECT, "pg-1", "defaultSize", 0);
    json_t *v1 = KIT_LIST(emu, PROJECT);
    json_t *v1size = json_object_get(kit_find(v1, id), "size");
    CHECK(json_is_number(v1size) && json_number_value(v1size) == 2048.0 / 1048576.0);
    json_decref(v1);
    free(id);
}

static void building_blocks_the_other_api(const struct emu *emu)
{
    /* Running through v1 blocks a v3 create: 409 DBS.201205 in the v3 shape. */
    json_decref(v1_create(emu, "mysql-2", "vOneRunning", 3600, NULL));
    char *body = v3_body("mysql-2", "vThreeBlocked");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    free(body);

    /* Running through v3 blocks a v1 create: 409 RDS.3004 in the v1 shape. */
    free(V3_CREATE_ID(emu, PROJECT, "mssql-open", "vThreeRunning", 3600));
    char *v1body = call_v1_body("mssql-open", "vOneBlocked");
    EXPECT_CREATE_ERROR(emu, PROJECT, v1body, 409, "RDS.3004");
    free(v1body);

    /* Both finish: both APIs may create again. */
    EMU_CLOCK_ADVANCE(emu, 3600);
    free(V3_CREATE_ID(emu, PROJECT, "mysql-2", "vThreeAfter", 0));
    v1body = call_v1_body("mssql-open", "vOneAfter");
    EXPECT_CREATE_OK(emu, PROJECT, v1body);
    free(v1body);
}

static void names_shared(const struct emu *emu)
{
    /* Taken through v1: taken for v3 (409 DBS.201201). */
    json_decref(v1_create(emu, "pg-1", "sharedOne", 0, NULL));
    char *body = v3_body("pg-1", "sharedOne");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201201");
    free(body);
    /* Taken through v3: taken for v1 (409 RDS.0031). */
    char *id = V3_CREATE_ID(emu, PROJECT, "pg-1", "sharedTwo", 0);
    char *v1body = call_v1_body("pg-1", "sharedTwo");
    EXPECT_CREATE_ERROR(emu, PROJECT, v1body, 409, "RDS.0031");
    /* Deleted through v3: free for v1. */
    struct http_response r;
    v3_delete(emu, PROJECT, id, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    EXPECT_CREATE_OK(emu, PROJECT, v1body);
    free(v1body);
    free(id);
}

static void jobs(const struct emu *emu)
{
    /* A job that fails: Failed, with an end and a reason. */
    json_t *created = v1_create(emu, "mysql-1", "jobFails", 30, "fail");
    const char *job_id = v1_job_of(created);
    const char *backup_id = member_string(json_object_get(created, "backup"), "id");
    json_t *job = job_get(emu, PROJECT, job_id);
    CHECK_STR(member_string(job, "status"), "Running");
    CHECK(json_is_null(json_object_get(job, "fail_reason")));
    json_decref(job);
    EMU_CLOCK_ADVANCE(emu, 30);
    job = job_get(emu, PROJECT, job_id);
    CHECK_STR(member_string(job, "status"), "Failed");
    CHECK(text_is_v3_time(member_string(job, "ended")));
    CHECK(json_is_nonempty_string(json_object_get(job, "fail_reason")));
    json_decref(job);
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1");
    CHECK_STR(member_string(list_find(list, backup_id), "status"), "FAILED");
    json_decref(list);
    json_decref(created);

    /* Forced to fail with a reason through the control plane. */
    created = v1_create(emu, "mysql-1", "jobForced", 3600, NULL);
    job_id = v1_job_of(created);
    backup_id = member_string(json_object_get(created, "backup"), "id");
    char path[256];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/fail", backup_id);
    ADMIN_CALL(emu, "POST", path, "{\"reason\": \"disk full\"}", 200);
    job = job_get(emu, PROJECT, job_id);
    CHECK_STR(member_string(job, "status"), "Failed");
    CHECK(json_is_nonempty_string(json_object_get(job, "fail_reason")));
    json_decref(job);

    /* Errors: unknown, another project's, missing or empty id, id twice. */
    struct http_response r;
    v3_job(emu, PROJECT, "0123456789abcdef0123456789abcdef", &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200543");
    http_response_free(&r);
    v3_job(emu, OTHER, job_id, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200543");
    http_response_free(&r);
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    static const char *const bad[] = {"/v3/" PROJECT "/jobs",
                                      "/v3/" PROJECT "/jobs?id=", "/v3/" PROJECT "/jobs?job_id=x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        call_request(emu, NULL, "GET", bad[i], headers, NULL, &r);
        EXPECT_V3_ERROR(&r, 400, "DBS.200001");
        http_response_free(&r);
    }
    char twice[256];
    snprintf(twice, sizeof(twice), "/v3/%s/jobs?id=%s&id=%s", PROJECT, job_id, job_id);
    call_request(emu, NULL, "GET", twice, headers, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    json_decref(created);
}

int main(void)
{
    struct emu emu;
    if (v3_start(&emu, "v3-cross-api", NULL) != 0)
        return 1;
    v1_backup_through_v3(&emu);
    v3_backup_through_v1(&emu);
    sizes_agree(&emu);
    building_blocks_the_other_api(&emu);
    names_shared(&emu);
    jobs(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
