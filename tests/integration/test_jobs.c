/* The v3 jobs call (docs/v3.md, docs/emulator.md): GET /v3/{project_id}/jobs?id=<the job of a v1
 * create> answers {"job": {id, name: CreateManualBackup, status, created, ended, process, instance
 * {id, name}, entities {backup_id}, fail_reason}}: Running with ended and fail_reason null,
 * then Completed with ended = the completion time, or Failed with a fail_reason; times in the
 * v3 format; an unknown job, or another project's, is 404 DBS.200001 in the v3 shape; no id
 * is a 400; the job outlives its backup's deletion. */
#include "lifecycle.h"

#define PROJECT     "jobs-project"
#define OTHER       "jobs-other"
#define UNKNOWN_JOB "0123456789abcdef0123456789abcdef"

static void put(const struct emu *emu, const char *project, const char *id, const char *name)
{
    char body[200];
    snprintf(body, sizeof(body),
             "{\"name\": \"%s\", \"datastore\": {\"type\": \"PostgreSQL\", \"version\": \"14\"}}",
             name);
    CHECK(call_put_instance(emu, project, id, body) == 0);
}

/* The members that never change: id, name, created, instance, entities; and the types. */
static void check_fixed(json_t *job, const struct made *m, const char *instance,
                        const char *instance_name)
{
    static const char *const id_name[] = {"id", "name", NULL};
    static const char *const backup_id[] = {"backup_id", NULL};
    json_t *inst = json_object_get(job, "instance");
    json_t *entities = json_object_get(job, "entities");
    char created[32];
    CHECK_STR(json_string_value(json_object_get(job, "id")), m->job);
    CHECK_STR(json_string_value(json_object_get(job, "name")), "CreateManualBackup");
    CHECK_STR(json_string_value(json_object_get(job, "created")),
              time_format(m->created, TIME_V3, created));
    CHECK(json_keys_are(inst, id_name));
    CHECK_STR(json_string_value(json_object_get(inst, "id")), instance);
    CHECK_STR(json_string_value(json_object_get(inst, "name")), instance_name);
    CHECK(json_keys_are(entities, backup_id));
    CHECK_STR(json_string_value(json_object_get(entities, "backup_id")), m->id);
    CHECK(json_is_string(json_object_get(job, "process")));
}

static void check_job(const struct emu *emu, const struct made *m, const char *instance,
                      const char *instance_name)
{
    json_t *job = KIT_JOB(emu, m->project, m->job);
    if (job != NULL)
        check_fixed(job, m, instance, instance_name);
    json_decref(job);
}

/* Running, then Completed at created + build time (looked at long after). */
static void running_then_completed(const struct emu *emu)
{
    put(emu, PROJECT, "orders-db", "orders");
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, "orders-db", "polled", 600, NULL, &m))
        return;
    check_job(emu, &m, "orders-db", "orders");
    KIT_EXPECT_JOB(emu, &m, "Running", -1, NULL);
    EMU_CLOCK_SET(emu, m.created + 600 - KIT_MARGIN);
    KIT_EXPECT_JOB(emu, &m, "Running", -1, NULL);
    EMU_CLOCK_SET(emu, m.created + 600 + 1234);
    KIT_EXPECT_JOB(emu, &m, "Completed", m.created + 600, NULL);
    check_job(emu, &m, "orders-db", "orders");
    /* The job outlives its backup. */
    char path[128];
    snprintf(path, sizeof(path), "/rds/v1/" PROJECT "/backups/%s", m.id);
    struct http_response r;
    call_with_token(emu, "DELETE", path, NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    KIT_EXPECT_JOB(emu, &m, "Completed", m.created + 600, NULL);
    check_job(emu, &m, "orders-db", "orders");
    kit_made_free(&m);
}

/* Failed by the outcome (header or instance), and by the forced fail with its reason. */
static void failed_jobs(const struct emu *emu)
{
    put(emu, PROJECT, "flaky-db", "flaky");
    struct made m;
    if (KIT_CREATE(emu, PROJECT, "flaky-db", "failsByTime", 300, "fail", &m)) {
        KIT_EXPECT_JOB(emu, &m, "Running", -1, NULL);
        EMU_CLOCK_SET(emu, m.created + 300);
        KIT_EXPECT_JOB(emu, &m, "Failed", m.created + 300, "");
        check_job(emu, &m, "flaky-db", "flaky");
    }
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "flaky-db", "failsAtOnce", 0, "fail", &m))
        KIT_EXPECT_JOB(emu, &m, "Failed", m.created, "");
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "flaky-db", "forcedFail", 3600, NULL, &m)) {
        char path[128];
        snprintf(path, sizeof(path), "/_emulator/backups/%s/fail", m.id);
        int64_t at = EMU_CLOCK_ADVANCE(emu, 100);
        struct http_response r;
        call_admin(emu, "POST", path, "{\"reason\": \"storage node lost\"}", &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
        json_t *job = KIT_JOB(emu, PROJECT, m.job);
        int64_t ended = time_parse(json_string_value(json_object_get(job, "ended")), TIME_V3);
        CHECK(ended >= at && ended <= at + KIT_MARGIN);
        json_decref(job);
        KIT_EXPECT_JOB(emu, &m, "Failed", ended, "storage node lost");
    }
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "flaky-db", "forcedComplete", 3600, "fail", &m)) {
        char path[128];
        snprintf(path, sizeof(path), "/_emulator/backups/%s/complete", m.id);
        int64_t at = EMU_CLOCK_GET(emu, NULL);
        struct http_response r;
        call_admin(emu, "POST", path, NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
        json_t *job = KIT_JOB(emu, PROJECT, m.job);
        int64_t ended = time_parse(json_string_value(json_object_get(job, "ended")), TIME_V3);
        CHECK(ended >= at && ended <= at + KIT_MARGIN);
        json_decref(job);
        KIT_EXPECT_JOB(emu, &m, "Completed", ended, NULL);
    }
    kit_made_free(&m);
}

/* GET /v3/{project}/jobs{query}: must be that v3 error. */
static void job_error(const struct emu *emu, const char *project, const char *query, long status,
                      const char *code)
{
    char path[256];
    snprintf(path, sizeof(path), "/v3/%s/jobs%s", project, query);
    struct http_response r;
    call_with_token(emu, "GET", path, NULL, NULL, &r);
    if (!EXPECT_V3_ERROR(&r, status, code))
        fprintf(stderr, "    GET %s\n", path);
    http_response_free(&r);
}

static void not_found_and_bad_queries(const struct emu *emu)
{
    put(emu, PROJECT, "mine-db", "mine");
    put(emu, OTHER, "theirs-db", "theirs");
    struct made mine, theirs;
    KIT_CREATE(emu, PROJECT, "mine-db", "mine", 3600, NULL, &mine);
    KIT_CREATE(emu, OTHER, "theirs-db", "theirs", 3600, NULL, &theirs);
    char query[128];
    /* Each project finds its own job, not the other's. */
    KIT_EXPECT_JOB(emu, &mine, "Running", -1, NULL);
    KIT_EXPECT_JOB(emu, &theirs, "Running", -1, NULL);
    snprintf(query, sizeof(query), "?id=%s", theirs.job);
    job_error(emu, PROJECT, query, 400, "DBS.200543");
    snprintf(query, sizeof(query), "?id=%s", mine.job);
    job_error(emu, OTHER, query, 400, "DBS.200543");
    job_error(emu, "jobs-nobody", query, 400, "DBS.200543");
    /* Unknown ids. */
    job_error(emu, PROJECT, "?id=" UNKNOWN_JOB, 400, "DBS.200543");
    job_error(emu, PROJECT, "?id=not-a-job", 400, "DBS.200543");
    /* The backup id is not a job id. */
    snprintf(query, sizeof(query), "?id=%s", mine.id);
    job_error(emu, PROJECT, query, 400, "DBS.200543");
    /* No id. */
    job_error(emu, PROJECT, "", 400, "DBS.200001");
    job_error(emu, PROJECT, "?job_id=" UNKNOWN_JOB, 400, "DBS.200001");
    kit_made_free(&mine);
    kit_made_free(&theirs);
}

int main(void)
{
    struct emu emu;
    if (!kit_start(&emu, "jobs", NULL))
        return CHECK_DONE();
    running_then_completed(&emu);
    failed_jobs(&emu);
    not_found_and_bad_queries(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
