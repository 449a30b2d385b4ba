/* Restore (docs/restore.md): the restorable times; restore to an existing instance on both
 * routes (v3 200, v3.1 202) with every check in its order; restore to a new instance; restore
 * jobs through their statuses; the restore controls; a backup in use; a restart during a
 * restore; and projects kept apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expect.h"
#include "policy_kit.h"

#define P     "restore-project"
#define OTHER "restore-other"

static const char *const recovery_paths[] = {"/v3/" P "/instances/recovery",
                                             "/v3.1/" P "/instances/recovery"};
static const long recovery_ok[] = {200, 202};

/* A recovery body from backup `backup` of `source` onto `target`. */
static void from_backup(char *out, size_t len, const char *source, const char *backup,
                        const char *target)
{
    snprintf(out, len,
             "{\"source\": {\"instance_id\": \"%s\", \"type\": \"backup\", \"backup_id\": \"%s\"}, "
             "\"target\": {\"instance_id\": \"%s\"}}",
             source, backup, target);
}

static void from_time(char *out, size_t len, const char *source, long long ms, const char *target)
{
    snprintf(out, len,
             "{\"source\": {\"instance_id\": \"%s\", \"type\": \"timestamp\", \"backup_id\": \"\", "
             "\"restore_time\": %lld}, \"target\": {\"instance_id\": \"%s\"}}",
             source, ms, target);
}

/* Both routes must refuse `body` with that v3 error. */
static void refused_on_both(const struct emu *emu, const char *body, const char *header,
                            long status, const char *code)
{
    for (size_t i = 0; i < 2; i++) {
        struct http_response r;
        pk_call(emu, "POST", recovery_paths[i], body, header, &r);
        if (!EXPECT_V3_ERROR(&r, status, code))
            fprintf(stderr, "    POST %s %s\n", recovery_paths[i], body);
        http_response_free(&r);
    }
}

/* A restore on route `route` (0: v3, 1: v3.1) that must be accepted: its job ID (new). */
static char *restore_ok(const struct emu *emu, int route, const char *body, const char *header)
{
    struct http_response r;
    pk_call(emu, "POST", recovery_paths[route], body, header, &r);
    char *job = NULL;
    if (EXPECT_STATUS(&r, recovery_ok[route])) {
        json_t *root = http_response_json(&r);
        CHECK_INT(json_object_size(root), 1);
        const char *id = pk_str(root, "job_id");
        CHECK(id != NULL && strlen(id) == 32);
        job = id != NULL ? strdup(id) : NULL;
        json_decref(root);
    } else {
        fprintf(stderr, "    POST %s %s\n", recovery_paths[route], body);
    }
    http_response_free(&r);
    return job;
}

static json_t *job_of(const struct emu *emu, const char *project, const char *id)
{
    char path[160];
    snprintf(path, sizeof(path), "/v3/%s/jobs?id=%s", project, id != NULL ? id : "none");
    json_t *root = pk_get(emu, path);
    json_t *job = json_incref(json_object_get(root, "job"));
    json_decref(root);
    return job;
}

static const char *status_of(const struct emu *emu, const char *id, char out[32])
{
    char path[160];
    snprintf(path, sizeof(path), "/v3/" P "/instances?id=%s", id);
    json_t *root = pk_get(emu, path);
    const char *s = pk_str(json_array_get(json_object_get(root, "instances"), 0), "status");
    snprintf(out, 32, "%s", s != NULL ? s : "?");
    json_decref(root);
    return out;
}

static char *completed_backup(const struct emu *emu, const char *instance, const char *name)
{
    char *id = pk_v3_create(emu, P, instance, name, 0);
    CHECK(id != NULL);
    return id;
}

static json_t *restore_time(const struct emu *emu, const char *instance, const char *query)
{
    char path[200];
    snprintf(path, sizeof(path), "/v3/" P "/instances/%s/restore-time%s", instance, query);
    json_t *root = pk_get(emu, path);
    json_t *ranges = json_incref(json_object_get(root, "restore_time"));
    CHECK_INT(json_object_size(root), 1);
    json_decref(root);
    return ranges;
}

static void expect_range(json_t *ranges, size_t i, long long start, long long end)
{
    json_t *r = json_array_get(ranges, i);
    CHECK_INT(pk_int(r, "start_time"), start);
    CHECK_INT(pk_int(r, "end_time"), end);
}

/* The times an instance can be restored to. */
static void restore_times(const struct emu *emu)
{
    struct http_response r;
    pk_call(emu, "GET", "/v3/" P "/instances/nope/restore-time", NULL, NULL, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.200045");
    http_response_free(&r);
    json_t *ranges = restore_time(emu, "times", "");
    CHECK_INT(json_array_size(ranges), 0);
    json_decref(ranges);

    /* A failed and a partial backup do not count. */
    pk_call(emu, "POST", "/v3/" P "/backups", "{\"instance_id\": \"times\", \"name\": \"fails\"}",
            "X-Emulator-Backup-Outcome: fail", &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    free(pk_v3_create(emu, P, "times-ms", "partial", 0));
    CHECK_INT(pk_clock_advance(emu, 10), 0);
    ranges = restore_time(emu, "times", "");
    CHECK_INT(json_array_size(ranges), 0);
    json_decref(ranges);

    /* keep_days > 0: from the oldest full backup's end to now. */
    int64_t t0 = PK_MONDAY + 10;
    free(completed_backup(emu, "times", "full-one"));
    CHECK_INT(pk_clock_advance(emu, 3600), 0);
    free(completed_backup(emu, "times", "full-two"));
    ranges = restore_time(emu, "times", "");
    CHECK_INT(json_array_size(ranges), 1);
    expect_range(ranges, 0, t0 * 1000, (t0 + 3600) * 1000);
    json_decref(ranges);
    /* keep_days 0: one point per backup (PostgreSQL may turn it off). */
    CHECK_INT(pk_v3_policy(emu, P, "times", "{\"backup_policy\": {\"keep_days\": 0}}"), 400);
    CHECK_INT(pk_instance(emu, P, "times-pg", "PostgreSQL",
                          "\"backup_seconds\": 0, \"backup_policy\": {\"keep_days\": 0}"),
              200);
    free(pk_v3_create(emu, P, "times-pg", "pg-one", 0));
    CHECK_INT(pk_clock_advance(emu, 100), 0);
    free(pk_v3_create(emu, P, "times-pg", "pg-two", 0));
    ranges = restore_time(emu, "times-pg", "");
    CHECK_INT(json_array_size(ranges), 2);
    expect_range(ranges, 0, (t0 + 3600) * 1000, (t0 + 3600) * 1000);
    expect_range(ranges, 1, (t0 + 3700) * 1000, (t0 + 3700) * 1000);
    json_decref(ranges);
    /* date clips to that UTC day. */
    CHECK_INT(pk_clock_advance(emu, PK_DAY), 0); /* Tuesday 01:01:50 */
    ranges = restore_time(emu, "times", "?date=2026-11-30");
    expect_range(ranges, 0, t0 * 1000, (PK_MONDAY + PK_DAY) * 1000 - 1);
    json_decref(ranges);
    ranges = restore_time(emu, "times", "?date=2026-12-01");
    expect_range(ranges, 0, (PK_MONDAY + PK_DAY) * 1000, (t0 + 3700 + PK_DAY) * 1000);
    json_decref(ranges);
    ranges = restore_time(emu, "times", "?date=2026-11-29");
    CHECK_INT(json_array_size(ranges), 0);
    json_decref(ranges);
    static const char *const bad[] = {"?date=2026-02-30", "?date=30-11-2026", "?date=2026-11-3",
                                      "?date=today", "?date=2026-11-30&date=2026-12-01"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[160];
        snprintf(path, sizeof(path), "/v3/" P "/instances/times/restore-time%s", bad[i]);
        pk_call(emu, "GET", path, NULL, NULL, &r);
        if (!EXPECT_V3_ERROR(&r, 400, "DBS.200001"))
            fprintf(stderr, "    %s\n", path);
        http_response_free(&r);
    }
}

/* Every check of a restore to an existing instance, in its order, on both routes. */
static void recovery_checks(const struct emu *emu, const char *backup, const char *failed,
                            const char *building)
{
    char body[600];
    /* Field rules. */
    static const char *const malformed[] = {
        "{}",
        "{\"source\": 1, \"target\": {\"instance_id\": \"t80\"}}",
        "{\"source\": {\"type\": \"backup\", \"backup_id\": \"x\"}, \"target\": {\"instance_id\": "
        "\"t80\"}}",
        "{\"source\": {\"instance_id\": \"s57\", \"type\": \"copy\"}, \"target\": "
        "{\"instance_id\": \"t80\"}}",
        "{\"source\": {\"instance_id\": \"s57\", \"type\": \"backup\", \"backup_id\": \"\"}, "
        "\"target\": {\"instance_id\": \"t80\"}}",
        "{\"source\": {\"instance_id\": \"s57\", \"type\": \"timestamp\"}, \"target\": "
        "{\"instance_id\": \"t80\"}}",
        "{\"source\": {\"instance_id\": \"s57\", \"type\": \"timestamp\", \"restore_time\": "
        "\"1\"}, \"target\": {\"instance_id\": \"t80\"}}",
        "{\"source\": {\"instance_id\": \"s57\", \"type\": \"backup\", \"backup_id\": \"x\"}}",
        "{\"source\": {\"instance_id\": \"s57\", \"type\": \"backup\", \"backup_id\": \"x\"}, "
        "\"target\": {}}",
    };
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
        refused_on_both(emu, malformed[i], NULL, 400, "DBS.200001");
    from_backup(body, sizeof(body), "s57", backup, "t80");
    refused_on_both(emu, body, "X-Emulator-Restore-Seconds: later", 400, "DBS.200001");
    refused_on_both(emu, body, "X-Emulator-Restore-Outcome: maybe", 400, "DBS.200001");
    /* 1. the target. */
    from_backup(body, sizeof(body), "nope", "nope", "nope");
    refused_on_both(emu, body, NULL, 404, "DBS.200045");
    /* 2. the source: a backup of that instance in this project, COMPLETED. */
    from_backup(body, sizeof(body), "s57", "nope", "t80");
    refused_on_both(emu, body, NULL, 404, "DBS.201010");
    from_backup(body, sizeof(body), "s80", backup, "t80"); /* a backup of another instance */
    refused_on_both(emu, body, NULL, 404, "DBS.201010");
    from_backup(body, sizeof(body), "s57", failed, "t80");
    refused_on_both(emu, body, NULL, 400, "DBS.201203");
    from_backup(body, sizeof(body), "s57", building, "t80");
    refused_on_both(emu, body, NULL, 400, "DBS.201203");
    from_time(body, sizeof(body), "nope", 1, "t80");
    refused_on_both(emu, body, NULL, 404, "DBS.200013");
    /* Just outside the range (before the first backup's end, after now). */
    from_time(body, sizeof(body), "s57", PK_MONDAY * 1000 - 1, "t80");
    refused_on_both(emu, body, NULL, 400, "DBS.201203");
    json_t *ranges = restore_time(emu, "s57", "");
    long long end = pk_int(json_array_get(ranges, 0), "end_time");
    json_decref(ranges);
    from_time(body, sizeof(body), "s57", end + 1, "t80");
    refused_on_both(emu, body, NULL, 400, "DBS.201203");
    /* 3. engine and version. */
    from_backup(body, sizeof(body), "s57", backup, "tpg");
    refused_on_both(emu, body, NULL, 400, "DBS.201207");
    from_backup(body, sizeof(body), "s57", backup, "t56");
    refused_on_both(emu, body, NULL, 400, "DBS.201207");
    /* 4. the target's state. */
    from_backup(body, sizeof(body), "s57", backup, "treplica");
    refused_on_both(emu, body, NULL, 400, "DBS.200086");
    from_backup(body, sizeof(body), "s57", backup, "trebooting");
    refused_on_both(emu, body, NULL, 400, "DBS.200086");
    free(pk_v3_create(emu, P, "tbusy", "keeps-busy", 600));
    from_backup(body, sizeof(body), "s57", backup, "tbusy");
    refused_on_both(emu, body, NULL, 409, "DBS.201202");
}

/* Restores that are accepted: the job through its statuses, the target RESTORING then ACTIVE,
 * the controls, a backup in use. */
static void recovery_runs(const struct emu *emu, const char *backup, const char *building)
{
    char body[600], status[32];
    struct http_response r;
    /* v3: 200, then RESTORING for --restore-seconds (3). */
    from_backup(body, sizeof(body), "s57", backup, "t80");
    char *job = restore_ok(emu, 0, body, NULL);
    CHECK_STR(status_of(emu, "t80", status), "RESTORING");
    json_t *j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "name"), "RestoreMysqlInInstance");
    CHECK_STR(pk_str(j, "status"), "Running");
    CHECK_STR(pk_str(json_object_get(j, "instance"), "id"), "t80");
    CHECK_STR(pk_str(json_object_get(j, "instance"), "name"), "t80");
    char *entities = json_dumps(json_object_get(j, "entities"), JSON_COMPACT | JSON_SORT_KEYS);
    char expected[300];
    snprintf(expected, sizeof(expected),
             "{\"source\":{\"backup_id\":\"%s\",\"instance_id\":\"s57\",\"type\":\"backup\"}}",
             backup);
    CHECK_STR(entities, expected);
    free(entities);
    json_decref(j);
    /* A restoring target: busy for another restore, no backups, and the backup in use. */
    refused_on_both(emu, body, NULL, 409, "DBS.201202");
    pk_call(emu, "POST", "/v3/" P "/backups", "{\"instance_id\": \"t80\", \"name\": \"during\"}",
            NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200086");
    http_response_free(&r);
    pk_call(emu, "POST", "/rds/v1/" P "/backups",
            "{\"backup\": {\"instance\": \"t80\", \"name\": \"during\"}}", NULL, &r);
    EXPECT_V1_ERROR(&r, 409, "RDS.1002");
    http_response_free(&r);
    char path[160];
    snprintf(path, sizeof(path), "/v3/" P "/backups/%s", backup);
    pk_call(emu, "DELETE", path, NULL, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200054");
    http_response_free(&r);
    snprintf(path, sizeof(path), "/rds/v1/" P "/backups/%s", backup);
    pk_call(emu, "DELETE", path, NULL, NULL, &r);
    EXPECT_V1_ERROR(&r, 409, "RDS.3004");
    http_response_free(&r);
    CHECK_INT(pk_clock_advance(emu, 3), 0);
    CHECK_STR(status_of(emu, "t80", status), "ACTIVE");
    j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "status"), "Completed");
    CHECK_STR(pk_str(j, "process"), "");
    CHECK(json_is_null(json_object_get(j, "fail_reason")));
    json_decref(j);
    free(job);

    /* v3.1: 202; a failing outcome fails the job, the target comes back ACTIVE all the same.
     * The header's time wins over the instance's restore_seconds (t80b has 100). */
    from_backup(body, sizeof(body), "s57", backup, "t80b");
    job = restore_ok(emu, 1, body, "X-Emulator-Restore-Outcome: fail");
    CHECK_INT(pk_clock_advance(emu, 99), 0);
    CHECK_STR(status_of(emu, "t80b", status), "RESTORING");
    j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "process"), "99%");
    json_decref(j);
    CHECK_INT(pk_clock_advance(emu, 1), 0);
    CHECK_STR(status_of(emu, "t80b", status), "ACTIVE");
    j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "status"), "Failed");
    CHECK_STR(pk_str(j, "fail_reason"), "Restore failed: outcome set to fail in the emulator");
    json_decref(j);
    free(job);
    job = restore_ok(emu, 1, body, "X-Emulator-Restore-Seconds: 0");
    CHECK_STR(status_of(emu, "t80b", status), "ACTIVE");
    j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "status"), "Completed");
    json_decref(j);
    free(job);

    /* A point in time at each end of the range; MySQL onto its own instance (once the backup
     * building on it is made to end). */
    snprintf(path, sizeof(path), "/_emulator/backups/%s/complete", building);
    call_admin(emu, "POST", path, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    json_t *ranges = restore_time(emu, "s57", "");
    long long start = pk_int(json_array_get(ranges, 0), "start_time");
    long long end = pk_int(json_array_get(ranges, 0), "end_time");
    json_decref(ranges);
    from_time(body, sizeof(body), "s57", start, "t80");
    free(restore_ok(emu, 0, body, "X-Emulator-Restore-Seconds: 0"));
    /* The same time written as a real with no fraction. */
    snprintf(body, sizeof(body),
             "{\"source\": {\"instance_id\": \"s57\", \"type\": \"timestamp\", \"restore_time\": "
             "%lld.0}, \"target\": {\"instance_id\": \"t80\"}}",
             start);
    free(restore_ok(emu, 0, body, "X-Emulator-Restore-Seconds: 0"));
    snprintf(body, sizeof(body),
             "{\"source\": {\"instance_id\": \"s57\", \"type\": \"timestamp\", \"restore_time\": "
             "%lld.5}, \"target\": {\"instance_id\": \"t80\"}}",
             start);
    refused_on_both(emu, body, NULL, 400, "DBS.200001");
    from_time(body, sizeof(body), "s57", end, "s57");
    free(restore_ok(emu, 1, body, "X-Emulator-Restore-Seconds: 0"));
    /* PostgreSQL: onto itself no, onto another of its major version yes. */
    char *pg = completed_backup(emu, "spg", "pg-full");
    from_backup(body, sizeof(body), "spg", pg, "spg");
    refused_on_both(emu, body, NULL, 400, "DBS.201207");
    from_backup(body, sizeof(body), "spg", pg, "tpg");
    free(restore_ok(emu, 0, body, "X-Emulator-Restore-Seconds: 0"));
    free(pg);
}

static json_t *post_new(const struct emu *emu, const char *project, const char *body,
                        const char *header, long status)
{
    char path[128];
    snprintf(path, sizeof(path), "/v3/%s/instances", project);
    struct http_response r;
    pk_call(emu, "POST", path, body, header, &r);
    json_t *root = NULL;
    if (status == 202 ? EXPECT_STATUS(&r, 202) : EXPECT_V3_ERROR(&r, status, "DBS.200001"))
        root = http_response_json(&r);
    else
        fprintf(stderr, "    POST %s %s\n", path, body);
    http_response_free(&r);
    return root;
}

#define NEW_BODY(extra, point)                                                                     \
    "{\"name\": \"restored-1\", \"flavor_ref\": \"rds.mysql.x1.large.2\", "                        \
    "\"availability_zone\": \"eu-de-01\", \"volume\": {\"type\": \"ULTRAHIGH\", \"size\": "        \
    "40}" extra ", \"restore_point\": " point "}"

/* Restore to a new instance: BUILD, then ACTIVE (or FAILED), with the source's settings. */
static void new_instance(const struct emu *emu, const char *backup)
{
    char point[200], body[1200], status[32];
    snprintf(point, sizeof(point),
             "{\"instance_id\": \"s57\", \"type\": \"backup\", \"backup_id\": \"%s\"}", backup);
    /* Without restore_point rdsemu makes no instance. */
    json_decref(post_new(emu, P,
                         "{\"name\": \"plain-one\", \"flavor_ref\": \"f\", "
                         "\"availability_zone\": \"z\", \"volume\": {\"type\": \"t\", "
                         "\"size\": 1}}",
                         NULL, 400));
    /* Each field rule once: the member given, the others good. */
    static const struct {
        const char *name, *flavor, *zone, *volume, *extra;
    } bad[] = {
        {"\"1abc\"", NULL, NULL, NULL, NULL},
        {"\"abc\"", NULL, NULL, NULL, NULL},
        {"\"ab cd\"", NULL, NULL, NULL, NULL},
        {NULL, "\"\"", NULL, NULL, NULL},
        {NULL, NULL, "5", NULL, NULL},
        {NULL, NULL, NULL, "{\"type\": \"t\"}", NULL},
        {NULL, NULL, NULL, "{\"size\": 0, \"type\": \"t\"}", NULL},
        {NULL, NULL, NULL, NULL, ", \"port\": 70000"},
        {NULL, NULL, NULL, NULL, ", \"ha\": true"},
        {NULL, NULL, NULL, NULL, ", \"datastore\": {\"type\": \"Oracle\", \"version\": \"1\"}"},
        {NULL, NULL, NULL, NULL,
         ", \"backup_strategy\": {\"keep_days\": 0, \"start_time\": \"01:00-02:00\"}"},
        {NULL, NULL, NULL, NULL,
         ", \"backup_strategy\": {\"keep_days\": 3, \"start_time\": \"01:10-02:10\"}"},
        {NULL, NULL, NULL, NULL, ", \"backup_strategy\": {\"keep_days\": 3}"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"name\": %s, \"flavor_ref\": %s, \"availability_zone\": %s, \"volume\": %s, "
                 "\"restore_point\": %s%s}",
                 bad[i].name != NULL ? bad[i].name : "\"good-name\"",
                 bad[i].flavor != NULL ? bad[i].flavor : "\"f\"",
                 bad[i].zone != NULL ? bad[i].zone : "\"z\"",
                 bad[i].volume != NULL ? bad[i].volume : "{\"type\": \"t\", \"size\": 1}", point,
                 bad[i].extra != NULL ? bad[i].extra : "");
        json_decref(post_new(emu, P, body, NULL, 400));
    }
    /* Step 3 against the source: another engine or an older MySQL. */
    snprintf(body, sizeof(body),
             NEW_BODY(", \"datastore\": {\"type\": \"MySQL\", \"version\": \"5.6\"}", "%s"), point);
    struct http_response r;
    pk_call(emu, "POST", "/v3/" P "/instances", body, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.201207");
    http_response_free(&r);

    /* The 202, exactly. */
    snprintf(body, sizeof(body),
             NEW_BODY(", \"datastore\": {\"type\": \"mysql\", \"version\": \"8.0\"}, "
                      "\"backup_strategy\": {\"start_time\": \"02:00-03:00\", \"keep_days\": 5}, "
                      "\"region\": \"eu-de\", \"port\": 3307, \"ha\": {\"mode\": \"Ha\"}, "
                      "\"password\": \"not stored\"",
                      "%s"),
             point);
    json_t *made = post_new(emu, P, body, NULL, 202);
    json_t *inst = json_object_get(made, "instance");
    const char *id = pk_str(inst, "id");
    char new_id[64];
    snprintf(new_id, sizeof(new_id), "%s", id != NULL ? id : "?");
    CHECK(id != NULL && strlen(id) == 36 && strcmp(id + 32, "in01") == 0);
    json_t *copy = json_deep_copy(inst);
    json_object_del(copy, "id");
    char *text = json_dumps(copy, JSON_COMPACT);
    CHECK_STR(text, "{\"name\":\"restored-1\",\"status\":\"BUILD\",\"datastore\":{\"type\":"
                    "\"MySQL\",\"version\":\"8.0\"},\"flavor_ref\":\"rds.mysql.x1.large.2\","
                    "\"volume\":{\"type\":\"ULTRAHIGH\",\"size\":40},\"region\":\"eu-de\","
                    "\"availability_zone\":\"eu-de-01\",\"backup_strategy\":{\"start_time\":"
                    "\"02:00-03:00\",\"keep_days\":5}}");
    free(text);
    json_decref(copy);
    char job[64];
    snprintf(job, sizeof(job), "%s", pk_str(made, "job_id") != NULL ? pk_str(made, "job_id") : "?");
    CHECK_INT(json_object_size(made), 2);
    json_decref(made);

    /* BUILD in the instance API, with the placement given; its job. */
    char path[200];
    snprintf(path, sizeof(path), "/v3/" P "/instances?id=%s", new_id);
    json_t *root = pk_get(emu, path);
    json_t *shown = json_array_get(json_object_get(root, "instances"), 0);
    CHECK_STR(pk_str(shown, "status"), "BUILD");
    CHECK_STR(pk_str(shown, "type"), "Ha");
    CHECK_STR(pk_str(shown, "region"), "eu-de");
    CHECK_INT(pk_int(shown, "port"), 3307);
    CHECK_STR(pk_str(shown, "created"), "");
    CHECK_STR(pk_str(shown, "flavor_ref"), "rds.mysql.x1.large.2");
    json_decref(root);
    json_t *j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "name"), "CreateMysqlSingleHAInstance");
    CHECK_STR(pk_str(json_object_get(j, "instance"), "id"), new_id);
    CHECK_STR(pk_str(json_object_get(j, "instance"), "name"), "restored-1");
    CHECK_STR(pk_str(json_object_get(json_object_get(j, "entities"), "source"), "backup_id"),
              backup);
    json_decref(j);
    /* The source's restore_seconds (7) applies. */
    CHECK_INT(pk_clock_advance(emu, 6), 0);
    CHECK_STR(status_of(emu, new_id, status), "BUILD");
    CHECK_INT(pk_clock_advance(emu, 1), 0);
    CHECK_STR(status_of(emu, new_id, status), "ACTIVE");
    j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "status"), "Completed");
    json_decref(j);
    /* The control plane has it, with the source's settings and its own policy. */
    snprintf(path, sizeof(path), "/_emulator/projects/" P "/instances/%s", new_id);
    root = pk_get(emu, path);
    CHECK_INT(pk_int(root, "backup_seconds"), 0);
    CHECK_INT(pk_int(root, "size_kb"), 4096);
    CHECK_INT(pk_int(root, "restore_seconds"), 7);
    CHECK(json_is_true(json_object_get(root, "backup_policy_set")));
    CHECK_STR(pk_str(json_object_get(root, "backup_policy"), "period"), "1,2,3,4,5,6,7");
    json_decref(root);

    /* Its updated: the end of the restore that made it, kept while another restore runs
     * onto it, then that one's end. */
    snprintf(path, sizeof(path), "/v3/" P "/instances?id=%s", new_id);
    root = pk_get(emu, path);
    char made_end[32];
    snprintf(made_end, sizeof(made_end), "%s",
             pk_str(json_array_get(json_object_get(root, "instances"), 0), "updated"));
    json_decref(root);
    char onto[600];
    from_backup(onto, sizeof(onto), "s57", backup, new_id);
    free(restore_ok(emu, 0, onto, "X-Emulator-Restore-Seconds: 5"));
    CHECK_INT(pk_clock_advance(emu, 2), 0);
    root = pk_get(emu, path);
    CHECK_STR(pk_str(json_array_get(json_object_get(root, "instances"), 0), "updated"), made_end);
    json_decref(root);
    CHECK_INT(pk_clock_advance(emu, 3), 0);
    root = pk_get(emu, path);
    CHECK(strcmp(pk_str(json_array_get(json_object_get(root, "instances"), 0), "updated"),
                 made_end) > 0);
    json_decref(root);

    /* A failing restore leaves it FAILED until a control-plane PUT. */
    snprintf(body, sizeof(body), NEW_BODY("", "%s"), point);
    made = post_new(emu, P, body, "X-Emulator-Restore-Outcome: fail", 202);
    snprintf(new_id, sizeof(new_id), "%s", pk_str(json_object_get(made, "instance"), "id"));
    json_decref(made);
    CHECK_INT(pk_clock_advance(emu, 7), 0);
    CHECK_STR(status_of(emu, new_id, status), "FAILED");
    snprintf(body, sizeof(body), "{\"instance_id\": \"%s\", \"name\": \"on-failed\"}", new_id);
    pk_call(emu, "POST", "/v3/" P "/backups", body, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200086");
    http_response_free(&r);
    CHECK_INT(pk_instance_v(emu, P, new_id, "MySQL", "5.7", NULL), 200);
    CHECK_STR(status_of(emu, new_id, status), "ACTIVE");

    /* From a point in time of a PostgreSQL instance: an in03 ID. */
    json_t *ranges = restore_time(emu, "spg", "");
    long long end = pk_int(json_array_get(ranges, 0), "end_time");
    json_decref(ranges);
    snprintf(point, sizeof(point),
             "{\"instance_id\": \"spg\", \"type\": \"timestamp\", \"restore_time\": %lld}", end);
    snprintf(body, sizeof(body), NEW_BODY("", "%s"), point);
    made = post_new(emu, P, body, NULL, 202);
    const char *pg_id = pk_str(json_object_get(made, "instance"), "id");
    CHECK(pg_id != NULL && strcmp(pg_id + 32, "in03") == 0);
    json_decref(made);
}

/* A restore never reaches another project's backups, instances or jobs. */
static void projects_apart(const struct emu *emu, const char *backup)
{
    char body[600];
    CHECK_INT(pk_instance(emu, OTHER, "theirs", "MySQL", NULL), 200);
    from_backup(body, sizeof(body), "s57", backup, "theirs");
    struct http_response r;
    pk_call(emu, "POST", "/v3/" OTHER "/instances/recovery", body, NULL, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.201010");
    http_response_free(&r);
    from_time(body, sizeof(body), "s57", PK_MONDAY * 1000, "theirs");
    pk_call(emu, "POST", "/v3/" OTHER "/instances/recovery", body, NULL, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.200013");
    http_response_free(&r);
    from_backup(body, sizeof(body), "s57", backup, "t80");
    char *job = restore_ok(emu, 0, body, "X-Emulator-Restore-Seconds: 0");
    char path[160];
    snprintf(path, sizeof(path), "/v3/" OTHER "/jobs?id=%s", job);
    pk_call(emu, "GET", path, NULL, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200543");
    http_response_free(&r);
    free(job);
}

/* Stopped in the middle of a restore: it goes on from where the clock is. */
static void over_a_restart(struct emu *emu, const char *backup)
{
    char body[600], status[32];
    from_backup(body, sizeof(body), "s57", backup, "t80");
    char *job = restore_ok(emu, 1, body, "X-Emulator-Restore-Seconds: 600");
    CHECK_INT(emu_stop(emu), 0);
    CHECK_INT(emu_restart(emu), 0);
    CHECK_STR(status_of(emu, "t80", status), "RESTORING");
    json_t *j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "status"), "Running");
    json_decref(j);
    CHECK_INT(pk_clock_advance(emu, 600), 0);
    CHECK_STR(status_of(emu, "t80", status), "ACTIVE");
    j = job_of(emu, P, job);
    CHECK_STR(pk_str(j, "status"), "Completed");
    json_decref(j);
    free(job);
}

int main(void)
{
    struct emu emu;
    if (pk_start(&emu, "restore", NULL) != 0) {
        emu_cleanup(&emu, true);
        return 1;
    }
    CHECK_INT(pk_instance_v(&emu, P, "times", "MySQL", "8.0", "\"backup_seconds\": 0"), 200);
    CHECK_INT(pk_instance_v(&emu, P, "times-ms", "SQLServer", "2019_SE",
                            "\"backup_seconds\": 0, \"databases\": [\"a\", \"b\"]"),
              200);
    restore_times(&emu);

    CHECK_INT(pk_instance_v(&emu, P, "s57", "MySQL", "5.7",
                            "\"backup_seconds\": 0, \"size_kb\": 4096, \"restore_seconds\": 7"),
              200);
    CHECK_INT(pk_instance_v(&emu, P, "s80", "MySQL", "8.0", "\"backup_seconds\": 0"), 200);
    CHECK_INT(pk_instance_v(&emu, P, "t80", "MySQL", "8.0", NULL), 200);
    CHECK_INT(pk_instance_v(&emu, P, "t80b", "MySQL", "8.0", "\"restore_seconds\": 100"), 200);
    CHECK_INT(pk_instance_v(&emu, P, "t56", "MySQL", "5.6", NULL), 200);
    CHECK_INT(pk_instance_v(&emu, P, "tpg", "PostgreSQL", "14", NULL), 200);
    CHECK_INT(pk_instance_v(&emu, P, "spg", "PostgreSQL", "14.4", "\"backup_seconds\": 0"), 200);
    CHECK_INT(pk_instance_v(&emu, P, "treplica", "MySQL", "8.0", "\"role\": \"replica\""), 200);
    CHECK_INT(pk_instance_v(&emu, P, "trebooting", "MySQL", "8.0", "\"status\": \"REBOOTING\""),
              200);
    CHECK_INT(pk_instance_v(&emu, P, "tbusy", "MySQL", "8.0", NULL), 200);
    char *backup = completed_backup(&emu, "s57", "source-full");
    struct http_response r;
    pk_call(&emu, "POST", "/v3/" P "/backups", "{\"instance_id\": \"s57\", \"name\": \"failed\"}",
            "X-Emulator-Backup-Outcome: fail", &r);
    json_t *root = http_response_json(&r);
    char *failed = strdup(pk_str(json_object_get(root, "backup"), "id"));
    json_decref(root);
    http_response_free(&r);
    CHECK_INT(pk_clock_advance(&emu, 60), 0);
    char *building = pk_v3_create(&emu, P, "s57", "still-building", 3600);

    recovery_checks(&emu, backup, failed, building);
    recovery_runs(&emu, backup, building);
    new_instance(&emu, backup);
    projects_apart(&emu, backup);
    over_a_restart(&emu, backup);

    free(backup);
    free(failed);
    free(building);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
