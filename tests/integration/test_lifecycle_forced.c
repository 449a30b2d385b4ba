/* Forced transitions (docs/emulator.md): POST /_emulator/backups/{id}/complete and .../fail end a
 * BUILDING backup now, whatever its build time and outcome; body optional ({"reason"?}, empty
 * means {}); 200 {"backup": <the v3 list element>}; 404 when unknown; 409 when not BUILDING.
 * The new state shows in the v1 list and the job. */
#include "lifecycle.h"
#include "v3.h"

#define PROJECT "life-forced"
#define SIZE_KB 4096
#define UNKNOWN "00000000-0000-4000-8000-000000000000"

/* POST /_emulator/backups/{id}/{action} with `body` (NULL: none) and `headers`. */
static void force(const struct emu *emu, const char *id, const char *action,
                  const char *const *headers, const char *body, struct http_response *r)
{
    char path[256];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/%s", id, action);
    call_request(emu, NULL, "POST", path, headers, body, r);
}

static const char *const json_headers[] = {CALL_JSON_HEADER, NULL};

/* Checks a forced answer: 200 {"backup": {...}} in the v3 list format, ended at `now` (give
 * or take KIT_MARGIN) with `status` and `size` (-1: null). Returns the end time, or -1. */
static int64_t expect_forced(const struct http_response *r, const struct made *m,
                             const char *status, long long size, int64_t now, bool databases)
{
    static const char *const top[] = {"backup", NULL};
    int failures_before = check_failures;
    if (!EXPECT_STATUS(r, 200))
        return -1;
    json_t *root = http_response_json(r);
    json_t *b = json_object_get(root, "backup");
    json_t *store = json_object_get(b, "datastore");
    json_t *got_size = json_object_get(b, "size");
    char begin[32];
    int64_t end = time_parse(json_string_value(json_object_get(b, "end_time")), TIME_V3);
    CHECK(json_keys_are(root, top));
    CHECK((json_object_get(b, "databases") != NULL) == databases);
    expect_v3_element_at(__FILE__, __LINE__, r, b);
    CHECK_STR(json_string_value(json_object_get(b, "id")), m->id);
    CHECK_STR(json_string_value(json_object_get(b, "name")),
              json_string_value(json_object_get(m->backup, "name")));
    CHECK_STR(json_string_value(json_object_get(b, "type")), "manual");
    CHECK_STR(json_string_value(json_object_get(b, "status")), status);
    CHECK_STR(json_string_value(json_object_get(b, "begin_time")),
              time_format(m->created, TIME_V3, begin));
    CHECK_STR(json_string_value(json_object_get(store, "type")), "MySQL");
    CHECK_STR(json_string_value(json_object_get(store, "version")), "8.0");
    CHECK_STR(json_string_value(json_object_get(b, "instance_id")),
              json_string_value(json_object_get(m->backup, "instance_id")));
    if (size < 0)
        CHECK(json_is_null(got_size));
    else
        CHECK(json_is_integer(got_size) && json_integer_value(got_size) == size);
    CHECK(end >= now && end <= now + KIT_MARGIN);
    if (check_failures > failures_before)
        fprintf(stderr, "    forced answer: %s\n", r->body);
    json_decref(root);
    return end;
}

static void put(const struct emu *emu, const char *id, const char *extra)
{
    char body[256];
    snprintf(body, sizeof(body),
             "{\"name\": \"%s\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
             "\"size_kb\": %d%s}",
             id, SIZE_KB, extra);
    CHECK(call_put_instance(emu, PROJECT, id, body) == 0);
}

/* complete: now, not at created + build time; with no body, an empty body, or {}. */
static void complete_now(const struct emu *emu)
{
    static const char *const bodies[] = {NULL, "", "{}", "{\"reason\": \"ignored\"}"};
    put(emu, "to-complete", ", \"backup_outcome\": \"fail\"");
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        char name[32];
        snprintf(name, sizeof(name), "completeNow%zu", i);
        struct made m;
        if (!KIT_CREATE(emu, PROJECT, "to-complete", name, 3600, NULL, &m))
            continue;
        int64_t now = EMU_CLOCK_ADVANCE(emu, 60);
        struct http_response r;
        force(emu, m.id, "complete", bodies[i] != NULL ? json_headers : NULL, bodies[i], &r);
        /* COMPLETED with its size even though the instance's outcome is fail. */
        int64_t end = expect_forced(&r, &m, "COMPLETED", SIZE_KB, now, false);
        http_response_free(&r);
        CHECK(end != m.created + 3600);
        KIT_EXPECT_COMPLETED(emu, &m, end, SIZE_KB);
        KIT_EXPECT_JOB(emu, &m, "Completed", end, NULL);
        /* The instance is free again; the time of the build does not bring it back. */
        EMU_CLOCK_ADVANCE(emu, 3600);
        KIT_EXPECT_COMPLETED(emu, &m, end, SIZE_KB);
        kit_made_free(&m);
    }
}

/* fail: now, size null, with the given reason or a default one on the job. */
static void fail_now(const struct emu *emu)
{
    put(emu, "to-fail", "");
    struct made m;
    struct http_response r;
    /* Without a body: a default reason. */
    if (KIT_CREATE(emu, PROJECT, "to-fail", "failNoBody", 3600, NULL, &m)) {
        int64_t now = EMU_CLOCK_GET(emu, NULL);
        force(emu, m.id, "fail", NULL, NULL, &r);
        int64_t end = expect_forced(&r, &m, "FAILED", -1, now, false);
        http_response_free(&r);
        KIT_EXPECT_FAILED(emu, &m, end);
        KIT_EXPECT_JOB(emu, &m, "Failed", end, "");
    }
    kit_made_free(&m);
    /* With {} and with an empty body. */
    if (KIT_CREATE(emu, PROJECT, "to-fail", "failEmptyObject", 3600, NULL, &m)) {
        int64_t now = EMU_CLOCK_GET(emu, NULL);
        force(emu, m.id, "fail", json_headers, "{}", &r);
        int64_t end = expect_forced(&r, &m, "FAILED", -1, now, false);
        http_response_free(&r);
        KIT_EXPECT_JOB(emu, &m, "Failed", end, "");
    }
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "to-fail", "failEmptyBody", 3600, NULL, &m)) {
        int64_t now = EMU_CLOCK_GET(emu, NULL);
        force(emu, m.id, "fail", json_headers, "", &r);
        expect_forced(&r, &m, "FAILED", -1, now, false);
        http_response_free(&r);
    }
    kit_made_free(&m);
    /* With a reason, which becomes the job's fail_reason; null means absent. */
    if (KIT_CREATE(emu, PROJECT, "to-fail", "failWithReason", 3600, NULL, &m)) {
        int64_t now = EMU_CLOCK_ADVANCE(emu, 120);
        force(emu, m.id, "fail", json_headers, "{\"reason\": \"disk full\"}", &r);
        int64_t end = expect_forced(&r, &m, "FAILED", -1, now, false);
        http_response_free(&r);
        KIT_EXPECT_FAILED(emu, &m, end);
        KIT_EXPECT_JOB(emu, &m, "Failed", end, "disk full");
        EMU_CLOCK_ADVANCE(emu, 7200); /* its build time passes: nothing changes */
        KIT_EXPECT_FAILED(emu, &m, end);
        KIT_EXPECT_JOB(emu, &m, "Failed", end, "disk full");
    }
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "to-fail", "failNullReason", 3600, NULL, &m)) {
        int64_t now = EMU_CLOCK_GET(emu, NULL);
        force(emu, m.id, "fail", json_headers, "{\"reason\": null}", &r);
        int64_t end = expect_forced(&r, &m, "FAILED", -1, now, false);
        http_response_free(&r);
        KIT_EXPECT_JOB(emu, &m, "Failed", end, "");
    }
    kit_made_free(&m);
}

/* A reason of 256 characters is fine; 257, empty or not a string is a 400; so is a body that
 * is not a JSON object. The backup stays BUILDING after a refusal. */
static void fail_reason_rules(const struct emu *emu)
{
    put(emu, "reasons", "");
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, "reasons", "reasonRules", 3600, NULL, &m))
        return;
    char long_body[400], reason[300];
    memset(reason, 'r', 257);
    reason[257] = '\0';
    snprintf(long_body, sizeof(long_body), "{\"reason\": \"%s\"}", reason);
    const char *bad[] = {long_body, "{\"reason\": \"\"}", "{\"reason\": 5}", "[]", "{\"reason\":"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct http_response r;
        force(emu, m.id, "fail", json_headers, bad[i], &r);
        if (!EXPECT_ADMIN_CODE(&r, 400, "bad_request"))
            fprintf(stderr, "    body: %.60s\n", bad[i]);
        http_response_free(&r);
    }
    KIT_EXPECT_BUILDING(emu, &m);
    reason[256] = '\0';
    snprintf(long_body, sizeof(long_body), "{\"reason\": \"%s\"}", reason);
    struct http_response r;
    int64_t now = EMU_CLOCK_GET(emu, NULL);
    force(emu, m.id, "fail", json_headers, long_body, &r);
    int64_t end = expect_forced(&r, &m, "FAILED", -1, now, false);
    http_response_free(&r);
    KIT_EXPECT_JOB(emu, &m, "Failed", end, reason);
    kit_made_free(&m);
}

/* 409 conflict once the backup is not BUILDING: forced before, finished by time (even when
 * nobody looked at it yet), or finished at once. */
static void conflict_when_not_building(const struct emu *emu)
{
    put(emu, "done", "");
    struct made m;
    struct http_response r;
    if (KIT_CREATE(emu, PROJECT, "done", "forcedTwice", 3600, NULL, &m)) {
        force(emu, m.id, "complete", NULL, NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
        force(emu, m.id, "complete", NULL, NULL, &r);
        EXPECT_ADMIN_CODE(&r, 409, "conflict");
        http_response_free(&r);
        force(emu, m.id, "fail", NULL, NULL, &r);
        EXPECT_ADMIN_CODE(&r, 409, "conflict");
        http_response_free(&r);
    }
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "done", "failedThenComplete", 3600, NULL, &m)) {
        int64_t now = EMU_CLOCK_GET(emu, NULL);
        force(emu, m.id, "fail", NULL, NULL, &r);
        int64_t end = expect_forced(&r, &m, "FAILED", -1, now, false);
        http_response_free(&r);
        force(emu, m.id, "complete", NULL, NULL, &r);
        EXPECT_ADMIN_CODE(&r, 409, "conflict");
        http_response_free(&r);
        KIT_EXPECT_FAILED(emu, &m, end); /* unchanged by the refused complete */
    }
    kit_made_free(&m);
    /* Its time passed while nobody looked: it is COMPLETED, and stays at created + 100. */
    if (KIT_CREATE(emu, PROJECT, "done", "finishedUnseen", 100, NULL, &m)) {
        EMU_CLOCK_ADVANCE(emu, 200);
        force(emu, m.id, "fail", NULL, NULL, &r);
        EXPECT_ADMIN_CODE(&r, 409, "conflict");
        http_response_free(&r);
        KIT_EXPECT_COMPLETED(emu, &m, m.created + 100, SIZE_KB);
    }
    kit_made_free(&m);
    if (KIT_CREATE(emu, PROJECT, "done", "finishedAtOnce", 0, "fail", &m)) {
        force(emu, m.id, "complete", NULL, NULL, &r);
        EXPECT_ADMIN_CODE(&r, 409, "conflict");
        http_response_free(&r);
        KIT_EXPECT_FAILED(emu, &m, m.created);
    }
    kit_made_free(&m);
}

/* 404 not_found: an unknown id, or a backup that was deleted. */
static void not_found(const struct emu *emu)
{
    static const char *const actions[] = {"complete", "fail"};
    put(emu, "gone", "");
    struct made m;
    bool made = KIT_CREATE(emu, PROJECT, "gone", "deletedOne", 0, NULL, &m);
    if (made) {
        char path[128];
        snprintf(path, sizeof(path), "/rds/v1/" PROJECT "/backups/%s", m.id);
        struct http_response r;
        call_with_token(emu, "DELETE", path, NULL, NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
    }
    for (size_t i = 0; i < 2; i++) {
        struct http_response r;
        force(emu, UNKNOWN, actions[i], NULL, NULL, &r);
        EXPECT_ADMIN_CODE(&r, 404, "not_found");
        http_response_free(&r);
        force(emu, "not-a-backup", actions[i], json_headers, "{}", &r);
        EXPECT_ADMIN_CODE(&r, 404, "not_found");
        http_response_free(&r);
        if (made) {
            force(emu, m.id, actions[i], NULL, NULL, &r);
            EXPECT_ADMIN_CODE(&r, 404, "not_found");
            http_response_free(&r);
        }
    }
    kit_made_free(&m);
}

/* A partial SQL Server backup: the v3 element has its databases. */
static void with_databases(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "mssql",
                            "{\"name\": \"mssql\", \"datastore\": {\"type\": \"SQLServer\", "
                            "\"version\": \"2019_SE\"}}") == 0);
    struct made m;
    if (!KIT_CREATE_BODY(emu, PROJECT,
                         "{\"backup\": {\"instance\": \"mssql\", \"name\": \"partial\", "
                         "\"databases\": [{\"name\": \"sales\"}, {\"name\": \"hr\"}]}}",
                         3600, NULL, &m))
        return;
    struct http_response r;
    force(emu, m.id, "complete", NULL, NULL, &r);
    json_t *root = http_response_json(&r);
    json_t *b = json_object_get(root, "backup");
    EXPECT_STATUS(&r, 200);
    CHECK(json_object_get(b, "databases") != NULL);
    expect_v3_element_at(__FILE__, __LINE__, &r, b);
    json_t *want = json_loads("[{\"name\": \"sales\"}, {\"name\": \"hr\"}]", 0, NULL);
    CHECK(json_equal(json_object_get(b, "databases"), want));
    CHECK_STR(json_string_value(json_object_get(json_object_get(b, "datastore"), "type")),
              "SQLServer");
    CHECK(json_integer_value(json_object_get(b, "size")) == 2048);
    json_decref(want);
    json_decref(root);
    http_response_free(&r);
    kit_made_free(&m);
}

int main(void)
{
    struct emu emu;
    if (!kit_start(&emu, "life-forced", NULL))
        return CHECK_DONE();
    complete_now(&emu);
    fail_now(&emu);
    fail_reason_rules(&emu);
    conflict_when_not_building(&emu);
    not_found(&emu);
    with_databases(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
