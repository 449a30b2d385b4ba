/* Automated backups (docs/policy.md): made from the policy on the emulator clock, with no
 * timer. Exactly the windows of the last keep_days days, on the policy's weekdays, after a
 * clock jump; in the v3 list and not in v1; pruned after retention (also a shortened one);
 * delayed or skipped by a backup building at the window; refused by DELETE; kept over a
 * restart and a clock moved back; --auto-backups set, all and off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <time.h>

#include "check.h"
#include "expect.h"
#include "policy_kit.h"

#define P    "auto-project"
#define HOUR 3600LL

static void v3_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S+0000", &tm);
}

static void auto_name(int64_t w, char out[32])
{
    time_t tt = (time_t)w;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "auto-%Y%m%d%H%M%S", &tm);
}

/* The instance's automated backups in the v3 list, newest first (new). */
static json_t *autos(const struct emu *emu, const char *instance, int64_t *total)
{
    char query[160];
    snprintf(query, sizeof(query), "instance_id=%s&backup_type=auto", instance);
    return pk_v3_list(emu, P, query, total);
}

/* Checks one automated backup of the list: window `w`, started at `start`, with `status`. */
static void expect_auto(json_t *b, int64_t w, int64_t start, const char *status, int64_t end,
                        long long size)
{
    char name[32], begin[32], ended[32];
    auto_name(w, name);
    v3_time(start, begin);
    CHECK_STR(pk_str(b, "name"), name);
    CHECK_STR(pk_str(b, "type"), "auto");
    CHECK_STR(pk_str(b, "status"), status);
    CHECK_STR(pk_str(b, "begin_time"), begin);
    if (end >= 0) {
        v3_time(end, ended);
        CHECK_STR(pk_str(b, "end_time"), ended);
    } else {
        CHECK(json_is_null(json_object_get(b, "end_time")));
    }
    if (size >= 0)
        CHECK_INT(pk_int(b, "size"), size);
    else
        CHECK(json_is_null(json_object_get(b, "size")));
}

static const char *instance_status(const struct emu *emu, const char *instance, char out[32])
{
    char path[160];
    snprintf(path, sizeof(path), "/v3/" P "/instances?id=%s", instance);
    json_t *root = pk_get(emu, path);
    const char *s = pk_str(json_array_get(json_object_get(root, "instances"), 0), "status");
    snprintf(out, 32, "%s", s != NULL ? s : "?");
    json_decref(root);
    return out;
}

#define MON_DEC_28  (PK_MONDAY + 28 * PK_DAY)
#define AT_2AM(day) ((day) + 2 * HOUR)

/* A jump of 30 days: exactly the Monday, Wednesday and Friday windows of the last 7 days. */
static void jump_of_thirty_days(struct emu *emu)
{
    CHECK_INT(pk_instance(emu, P, "a", "MySQL", "\"backup_seconds\": 600"), 200);
    CHECK_INT(pk_v3_policy(emu, P, "a",
                           "{\"backup_policy\": {\"keep_days\": 7, \"start_time\": "
                           "\"02:00-03:00\", \"period\": \"1,3,5\"}}"),
              200);
    CHECK_INT(pk_clock_advance(emu, 30 * PK_DAY), 0); /* Wednesday 2026-12-30T00:00 */
    int64_t total = -1;
    json_t *list = autos(emu, "a", &total);
    CHECK_INT(total, 3);
    CHECK_INT(json_array_size(list), 3);
    int64_t windows[] = {AT_2AM(MON_DEC_28), AT_2AM(MON_DEC_28 - 3 * PK_DAY),
                         AT_2AM(MON_DEC_28 - 5 * PK_DAY)};
    for (size_t i = 0; i < 3; i++)
        expect_auto(json_array_get(list, i), windows[i], windows[i], "COMPLETED", windows[i] + 600,
                    2048);
    json_decref(list);
    /* The same three without the type filter, and none in v1, which lists manual backups. */
    list = pk_v3_list(emu, P, "instance_id=a", &total);
    CHECK_INT(total, 3);
    json_decref(list);
    json_t *v1 = pk_get(emu, "/rds/v1/" P "/backups");
    CHECK_INT(json_array_size(json_object_get(v1, "backups")), 0);
    json_decref(v1);
    list = pk_v3_list(emu, P, "instance_id=a&backup_type=manual", &total);
    CHECK_INT(total, 0);
    json_decref(list);
}

/* Two days and two hours on: a new window building, the oldest past retention gone; a create
 * meets the one building; DELETE refuses them; the control plane can end one. */
static void retention_and_building(struct emu *emu)
{
    CHECK_INT(pk_clock_advance(emu, 2 * PK_DAY + 2 * HOUR), 0); /* Friday 2027-01-01T02:00 */
    int64_t fri = MON_DEC_28 + 4 * PK_DAY, wed = MON_DEC_28 + 2 * PK_DAY;
    int64_t total = -1;
    json_t *list = autos(emu, "a", &total);
    CHECK_INT(total, 3);
    expect_auto(json_array_get(list, 0), AT_2AM(fri), AT_2AM(fri), "BUILDING", -1, -1);
    expect_auto(json_array_get(list, 1), AT_2AM(wed), AT_2AM(wed), "COMPLETED", AT_2AM(wed) + 600,
                2048);
    expect_auto(json_array_get(list, 2), AT_2AM(MON_DEC_28), AT_2AM(MON_DEC_28), "COMPLETED",
                AT_2AM(MON_DEC_28) + 600, 2048);
    char building_id[64];
    snprintf(building_id, sizeof(building_id), "%s", pk_str(json_array_get(list, 0), "id"));
    char completed_id[64];
    snprintf(completed_id, sizeof(completed_id), "%s", pk_str(json_array_get(list, 1), "id"));
    json_decref(list);
    char status[32];
    CHECK_STR(instance_status(emu, "a", status), "BACKING UP");

    /* A manual create while it builds: the 409 of a backup in progress, in both APIs. */
    struct http_response r;
    pk_call(emu, "POST", "/v3/" P "/backups", "{\"instance_id\": \"a\", \"name\": \"manual1\"}",
            NULL, &r);
    EXPECT_V3_ERROR(&r, 409, "DBS.201205");
    http_response_free(&r);
    pk_call(emu, "POST", "/rds/v1/" P "/backups",
            "{\"backup\": {\"instance\": \"a\", \"name\": \"manual1\"}}", NULL, &r);
    EXPECT_V1_ERROR(&r, 409, "RDS.3004");
    http_response_free(&r);

    /* Only retention deletes them. */
    char path[160];
    snprintf(path, sizeof(path), "/v3/" P "/backups/%s", completed_id);
    pk_call(emu, "DELETE", path, NULL, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    snprintf(path, sizeof(path), "/rds/v1/" P "/backups/%s", completed_id);
    pk_call(emu, "DELETE", path, NULL, NULL, &r);
    EXPECT_V1_ERROR(&r, 404, "RDS.3026");
    http_response_free(&r);

    /* Forced to its end like a manual one. */
    snprintf(path, sizeof(path), "/_emulator/backups/%s/complete", building_id);
    call_admin(emu, "POST", path, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK_STR(instance_status(emu, "a", status), "ACTIVE");

    /* A shorter retention prunes at once: 2 days keep only today's. */
    CHECK_INT(pk_v3_policy(emu, P, "a",
                           "{\"backup_policy\": {\"keep_days\": 2, \"start_time\": "
                           "\"02:00-03:00\", \"period\": \"1,3,5\"}}"),
              200);
    list = autos(emu, "a", &total);
    CHECK_INT(total, 1);
    expect_auto(json_array_get(list, 0), AT_2AM(fri), AT_2AM(fri), "COMPLETED", AT_2AM(fri), 2048);
    json_decref(list);
}

/* Stopped and started again on the same database: the windows go on, none twice. */
static void over_a_restart(struct emu *emu)
{
    CHECK_INT(emu_stop(emu), 0);
    CHECK_INT(emu_restart(emu), 0);
    CHECK_INT(pk_clock_advance(emu, 3 * PK_DAY + HOUR), 0); /* Monday 2027-01-04T03:00 */
    int64_t mon = MON_DEC_28 + 7 * PK_DAY;
    int64_t total = -1;
    json_t *list = autos(emu, "a", &total);
    CHECK_INT(total, 1); /* Friday's is past its 2 days */
    expect_auto(json_array_get(list, 0), AT_2AM(mon), AT_2AM(mon), "COMPLETED", AT_2AM(mon) + 600,
                2048);
    json_decref(list);
}

/* A backup building at the window: delayed to its end when that is within the hour (and
 * only made once that end has come), skipped when it is not. No name is held. */
static void manual_at_the_window(struct emu *emu)
{
    int64_t day = PK_MONDAY + 40 * PK_DAY; /* Saturday 2027-01-09 */
    CHECK_INT(pk_clock_at(emu, day), 0);
    CHECK_INT(pk_instance(emu, P, "b", "MySQL", "\"backup_seconds\": 300"), 200);
    CHECK_INT(pk_v3_policy(emu, P, "b",
                           "{\"backup_policy\": {\"keep_days\": 7, \"start_time\": "
                           "\"02:00-03:00\", \"period\": \"1,2,3,4,5,6,7\"}}"),
              200);
    char status[32];
    int64_t total = -1;

    CHECK_INT(pk_clock_at(emu, day + 110 * 60), 0);    /* 01:50 */
    free(pk_v3_create(emu, P, "b", "manual-1", 1200)); /* ends 02:10 */
    CHECK_INT(pk_clock_at(emu, day + 125 * 60), 0);    /* 02:05: waiting for it */
    json_t *list = autos(emu, "b", &total);
    CHECK_INT(total, 0);
    json_decref(list);
    CHECK_STR(instance_status(emu, "b", status), "BACKING UP");
    CHECK_INT(pk_clock_at(emu, day + 131 * 60), 0); /* 02:11: made, started at 02:10 */
    list = autos(emu, "b", &total);
    CHECK_INT(total, 1);
    expect_auto(json_array_get(list, 0), AT_2AM(day), day + 130 * 60, "BUILDING", -1, -1);
    json_decref(list);
    CHECK_INT(pk_clock_at(emu, day + 136 * 60), 0);
    list = autos(emu, "b", &total);
    expect_auto(json_array_get(list, 0), AT_2AM(day), day + 130 * 60, "COMPLETED", day + 135 * 60,
                2048);
    json_decref(list);

    /* Next day: one ending an hour or more after the window start takes that day's. */
    day += PK_DAY;
    CHECK_INT(pk_clock_at(emu, day + 110 * 60), 0);
    free(pk_v3_create(emu, P, "b", "manual-2", 5000)); /* ends 03:13:20 */
    CHECK_INT(pk_clock_at(emu, day + 4 * HOUR), 0);
    list = autos(emu, "b", &total);
    CHECK_INT(total, 1);
    json_decref(list);

    /* And one ending just within the hour delays it to that end. */
    day += PK_DAY;
    CHECK_INT(pk_clock_at(emu, day + 110 * 60), 0);
    free(pk_v3_create(emu, P, "b", "manual-3", 3999)); /* ends 02:56:39 */
    CHECK_INT(pk_clock_at(emu, day + 4 * HOUR), 0);
    list = autos(emu, "b", &total);
    CHECK_INT(total, 2);
    expect_auto(json_array_get(list, 0), AT_2AM(day), day + 110 * 60 + 3999, "COMPLETED",
                day + 110 * 60 + 3999 + 300, 2048);
    json_decref(list);

    /* A manual backup may take an automated one's name. */
    char name[32];
    auto_name(AT_2AM(day), name);
    char *id = pk_v3_create(emu, P, "b", name, 0);
    CHECK(id != NULL);
    free(id);
}

/* The clock moved back: what was made stays made, and nothing is made twice when it comes
 * forward again. */
static void clock_moved_back(struct emu *emu)
{
    int64_t day = PK_MONDAY + 50 * PK_DAY;
    CHECK_INT(pk_clock_at(emu, day), 0);
    CHECK_INT(pk_instance(emu, P, "c", "PostgreSQL", "\"backup_seconds\": 0"), 200);
    CHECK_INT(pk_v3_policy(emu, P, "c",
                           "{\"backup_policy\": {\"keep_days\": 30, \"start_time\": "
                           "\"00:00-01:00\", \"period\": \"1,2,3,4,5,6,7\"}}"),
              200);
    int64_t total = -1;
    CHECK_INT(pk_clock_at(emu, day + 2 * PK_DAY), 0);
    json_decref(autos(emu, "c", &total));
    CHECK_INT(total, 2);
    CHECK_INT(pk_clock_at(emu, day + PK_DAY / 2), 0);
    json_decref(autos(emu, "c", &total));
    CHECK_INT(total, 2);
    CHECK_INT(pk_clock_at(emu, day + 3 * PK_DAY), 0);
    json_decref(autos(emu, "c", &total));
    CHECK_INT(total, 3);

    /* keep_days 0 (PostgreSQL): none made, none pruned; reserve_backups false deletes them. */
    CHECK_INT(pk_v3_policy(emu, P, "c", "{\"backup_policy\": {\"keep_days\": 0}}"), 200);
    CHECK_INT(pk_clock_at(emu, day + 60 * PK_DAY), 0);
    json_decref(autos(emu, "c", &total));
    CHECK_INT(total, 3);
    CHECK_INT(pk_v3_policy(emu, P, "c",
                           "{\"backup_policy\": {\"keep_days\": 0}, \"reserve_backups\": false}"),
              200);
    json_decref(autos(emu, "c", &total));
    CHECK_INT(total, 0);
}

/* Deleting the instance deletes its automated backups; its manual ones stay. A replica, and
 * an instance whose policy was never set, get none; a failing outcome fails them. */
static void instance_kinds(struct emu *emu)
{
    int64_t day = PK_MONDAY + 120 * PK_DAY;
    CHECK_INT(pk_clock_at(emu, day), 0);
    CHECK_INT(pk_instance(emu, P, "d", "MySQL",
                          "\"backup_seconds\": 60, \"backup_outcome\": \"fail\", "
                          "\"backup_policy\": {\"keep_days\": 3, \"start_time\": \"06:00-07:00\", "
                          "\"period\": \"1,2,3,4,5,6,7\"}"),
              200);
    CHECK_INT(pk_instance(emu, P, "never", "MySQL", NULL), 200);
    CHECK_INT(pk_instance(emu, P, "rep", "MySQL",
                          "\"role\": \"replica\", \"backup_policy\": {\"keep_days\": 3, "
                          "\"start_time\": \"06:00-07:00\", \"period\": \"1,2,3,4,5,6,7\"}"),
              200);
    char *manual = pk_v3_create(emu, P, "d", "kept", 0);
    CHECK_INT(pk_clock_at(emu, day + 2 * PK_DAY), 0);
    int64_t total = -1;
    json_t *list = autos(emu, "d", &total);
    CHECK_INT(total, 2);
    expect_auto(json_array_get(list, 0), day + PK_DAY + 6 * HOUR, day + PK_DAY + 6 * HOUR, "FAILED",
                day + PK_DAY + 6 * HOUR + 60, -1);
    json_decref(list);
    json_decref(autos(emu, "never", &total));
    CHECK_INT(total, 0);
    json_decref(autos(emu, "rep", &total));
    CHECK_INT(total, 0);

    struct http_response r;
    call_admin(emu, "DELETE", "/_emulator/projects/" P "/instances/d", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    list = pk_v3_list(emu, P, "instance_id=d", &total);
    CHECK_INT(total, 1);
    CHECK_STR(pk_str(json_array_get(list, 0), "id"), manual);
    json_decref(list);
    free(manual);
}

/* A policy set through v1 only counts as set; manual backups are never pruned; an automated
 * backup can be forced to fail; deleting an instance deletes its policy with it. */
static void v1_policy_and_the_rest(struct emu *emu)
{
    int64_t day = PK_MONDAY + 200 * PK_DAY;
    CHECK_INT(pk_clock_at(emu, day), 0);
    CHECK_INT(pk_instance(emu, P, "e", "MySQL", "\"backup_seconds\": 600"), 200);
    char *manual = pk_v3_create(emu, P, "e", "old-manual", 0);
    struct http_response r;
    pk_call(emu, "PUT", "/rds/v1/" P "/instances/e/backups/policy",
            "{\"policy\": {\"keepday\": 1, \"starttime\": \"01:00\"}}", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK_INT(pk_clock_at(emu, day + 3 * PK_DAY + HOUR + 60), 0); /* a window building */
    int64_t total = -1;
    json_t *list = autos(emu, "e", &total);
    CHECK_INT(total, 1); /* 1 day kept: today's only */
    expect_auto(json_array_get(list, 0), day + 3 * PK_DAY + HOUR, day + 3 * PK_DAY + HOUR,
                "BUILDING", -1, -1);
    char path[160];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/fail",
             pk_str(json_array_get(list, 0), "id"));
    json_decref(list);
    call_admin(emu, "POST", path, "{\"reason\": \"disk gone\"}", &r);
    EXPECT_STATUS(&r, 200);
    json_t *forced = http_response_json(&r);
    CHECK_STR(pk_str(json_object_get(forced, "backup"), "status"), "FAILED");
    CHECK_STR(pk_str(json_object_get(forced, "backup"), "type"), "auto");
    json_decref(forced);
    http_response_free(&r);
    /* The manual backup, three days old, stays though the policy keeps one day. */
    list = pk_v3_list(emu, P, "instance_id=e&backup_type=manual", &total);
    CHECK_INT(total, 1);
    CHECK_STR(pk_str(json_array_get(list, 0), "id"), manual);
    json_decref(list);
    free(manual);
    /* The instance goes with its policy: made again, it has the default, not set. */
    call_admin(emu, "DELETE", "/_emulator/projects/" P "/instances/e", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    CHECK_INT(pk_instance(emu, P, "e", "MySQL", NULL), 200);
    json_t *inst = pk_get(emu, "/_emulator/projects/" P "/instances/e");
    CHECK(json_is_false(json_object_get(inst, "backup_policy_set")));
    CHECK_INT(pk_int(json_object_get(inst, "backup_policy"), "keep_days"), 7);
    json_decref(inst);
}

/* --auto-backups all: every primary from its creation; off: none at all. */
static void modes(void)
{
    struct emu emu;
    const char *all[] = {"--auto-backups", "all", NULL};
    if (pk_start(&emu, "auto-all", all) == 0) {
        CHECK_INT(pk_instance(&emu, P, "x", "MySQL", "\"backup_seconds\": 0"), 200);
        CHECK_INT(pk_clock_advance(&emu, 3 * PK_DAY), 0);
        int64_t total = -1;
        json_t *list = autos(&emu, "x", &total);
        CHECK_INT(total, 3); /* the default policy: every day at 00:00, after its creation */
        expect_auto(json_array_get(list, 2), PK_MONDAY + PK_DAY, PK_MONDAY + PK_DAY, "COMPLETED",
                    PK_MONDAY + PK_DAY, 2048);
        json_decref(list);
        CHECK_INT(emu_stop(&emu), 0);
    }
    emu_cleanup(&emu, check_failures > 0);

    const char *off[] = {"--auto-backups", "off", NULL};
    if (pk_start(&emu, "auto-off", off) == 0) {
        CHECK_INT(pk_instance(&emu, P, "x", "MySQL", NULL), 200);
        CHECK_INT(pk_v3_policy(&emu, P, "x",
                               "{\"backup_policy\": {\"keep_days\": 7, \"start_time\": "
                               "\"02:00-03:00\", \"period\": \"1,2,3,4,5,6,7\"}}"),
                  200);
        CHECK_INT(pk_clock_advance(&emu, 3 * PK_DAY), 0);
        int64_t total = -1;
        json_decref(autos(&emu, "x", &total));
        CHECK_INT(total, 0);
        CHECK_INT(emu_stop(&emu), 0);
    }
    emu_cleanup(&emu, check_failures > 0);
}

/* A seed's policy counts as set; what it made before a stop is made at the next start (the
 * seed applied again starts its policy from then); a reset makes the seed's instances at the
 * time the reset clock shows. */
static void seeded_policy(void)
{
    char dir[PATH_MAX], seed[PATH_MAX + 16];
    if (harness_tmpdir_create("auto-seed-file", dir, sizeof(dir)) != 0) {
        CHECK(!"temporary directory");
        return;
    }
    snprintf(seed, sizeof(seed), "%s/seed.json", dir);
    static const char text[] =
        "{\"projects\": [{\"id\": \"" P "\", \"instances\": [{\"id\": \"s1\", \"name\": "
        "\"s1\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
        "\"backup_seconds\": 0, \"backup_policy\": {\"keep_days\": 7, \"start_time\": "
        "\"02:00-03:00\", \"period\": \"1,2,3,4,5,6,7\"}}]}]}";
    CHECK_INT(harness_write_file(seed, text, sizeof(text) - 1), 0);
    struct emu emu;
    const char *args[] = {"--seed", seed, NULL};
    if (pk_start(&emu, "auto-seed", args) == 0) {
        /* Far past the real time the seed was applied at: the last 7 days' windows. */
        int64_t monday = 1893974400LL; /* 2030-01-07T00:00:00Z */
        CHECK_INT(pk_clock_at(&emu, monday), 0);
        CHECK_INT(emu_stop(&emu), 0); /* nothing read: nothing written down yet */
        CHECK_INT(emu_restart(&emu), 0);
        int64_t total = -1;
        json_t *list = autos(&emu, "s1", &total);
        CHECK_INT(total, 7);
        expect_auto(json_array_get(list, 0), monday - PK_DAY + 2 * HOUR, monday - PK_DAY + 2 * HOUR,
                    "COMPLETED", monday - PK_DAY + 2 * HOUR, 2048);
        json_decref(list);
        struct http_response r;
        call_admin(&emu, "POST", "/_emulator/reset", NULL, &r);
        EXPECT_STATUS(&r, 204);
        http_response_free(&r);
        json_t *inst = pk_get(&emu, "/_emulator/projects/" P "/instances/s1");
        json_t *clock = pk_get(&emu, "/_emulator/clock");
        /* The reset clock runs on the system's time again, and so was the seed applied. */
        CHECK(pk_str(clock, "now") != NULL && strncmp(pk_str(clock, "now"), "2030", 4) != 0);
        CHECK(pk_str(inst, "created") != NULL && strncmp(pk_str(inst, "created"), "2030", 4) != 0);
        json_decref(inst);
        json_decref(clock);
        CHECK_INT(emu_stop(&emu), 0);
    }
    emu_cleanup(&emu, check_failures > 0);
    harness_tmpdir_remove(dir);
}

int main(void)
{
    struct emu emu;
    if (pk_start(&emu, "auto", NULL) != 0) {
        emu_cleanup(&emu, true);
        return 1;
    }
    jump_of_thirty_days(&emu);
    retention_and_building(&emu);
    over_a_restart(&emu);
    manual_at_the_window(&emu);
    clock_moved_back(&emu);
    instance_kinds(&emu);
    v1_policy_and_the_rest(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    modes();
    seeded_policy();
    return CHECK_DONE();
}
