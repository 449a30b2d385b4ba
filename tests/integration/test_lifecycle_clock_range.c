/* The clock's range (docs/emulator.md "Clock", docs/guarantees.md "Limits"): it only ever shows
 * times from 1970-01-01T00:00:00 to 9999-12-31T23:59:59. A move outside, by `now` (with any UTC
 * offset) or by `advance_seconds`, is a 400 bad_request naming the limit, and changes and
 * stores nothing; a running clock stops at the last second; a completion time (created + build
 * time) is clamped to it; a clock stored out of range is set back into range at start with a
 * warning. At both ends every time keeps its fixed form. */
#include <sqlite3.h>
#include <unistd.h>

#include "lifecycle.h"

#define PROJECT "clock-range"
#define LAST    253402300799LL /* 9999-12-31T23:59:59Z */
#define RANGE   "1970-01-01T00:00:00+0000 to 9999-12-31T23:59:59+0000"

static const char mysql[] = "{\"name\": \"edge\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}, \"backup_seconds\": 600}";

/* POST /_emulator/clock with `body` is a 400 bad_request whose message contains `words`. */
static void expect_refused(const struct emu *emu, const char *body, const char *words)
{
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/clock", body, &r);
    if (!EXPECT_ADMIN_CODE(&r, 400, "bad_request") || strstr(r.body, words) == NULL)
        fprintf(stderr, "    body %s: the message should contain \"%s\": %s\n", body, words,
                r.body);
    CHECK(strstr(r.body, words) != NULL);
    http_response_free(&r);
}

/* The raw body of GET `path` with a token (new: free()), after checking the 200. */
static char *api_body(const struct emu *emu, const char *path)
{
    struct http_response r;
    call_with_token(emu, "GET", path, NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    char *body = strdup(r.body != NULL ? r.body : "");
    http_response_free(&r);
    return body;
}

/* Frozen at the last second, one second more is refused; what is shown at
 * that second keeps its form, in the lists and in the clock, and across a restart. */
static void at_the_last_second(struct emu *emu)
{
    CHECK_INT(
        EMU_CLOCK_POST(emu, "{\"now\": \"9999-12-31T23:59:59+0000\", \"freeze\": true}", NULL),
        LAST);
    expect_refused(emu, "{\"advance_seconds\": 1}", "9999-12-31T23:59:59+0000");
    expect_refused(emu, "{\"advance_seconds\": 1, \"freeze\": false}", "9999-12-31T23:59:59+0000");
    CHECK_INT(EMU_CLOCK_GET(emu, NULL), LAST);
    CHECK(emu_clock_frozen(emu)); /* the refused move did not unfreeze it either */
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"advance_seconds\": 0}", NULL), LAST);

    /* A backup made at the last second: its completion (created + 600 s) is clamped to it. */
    struct made m;
    if (KIT_CREATE(emu, PROJECT, "db-1", "lastSecond", -1, NULL, &m)) {
        CHECK_INT(m.created, LAST);
        KIT_EXPECT_COMPLETED(emu, &m, LAST, 2048);
        KIT_EXPECT_JOB(emu, &m, "Completed", LAST, NULL);
        kit_made_free(&m);
    }
    char *list = api_body(emu, "/rds/v1/" PROJECT "/backups");
    json_t *parsed = json_loads(list, 0, NULL);
    CHECK(parsed != NULL);
    CHECK(strstr(list, "\"created\":\"9999-12-31T23:59:59\"") != NULL);
    CHECK(strstr(list, "10000") == NULL);
    json_decref(parsed);
    free(list);
    list = api_body(emu, "/v3/" PROJECT "/backups?instance_id=db-1");
    CHECK(strstr(list, "\"end_time\":\"9999-12-31T23:59:59+0000\"") != NULL);
    free(list);

    /* Nothing out of range was stored: after a restart the clock answers, at the same time. */
    CHECK_INT(emu_stop(emu), 0);
    if (emu_restart(emu) != 0) {
        CHECK(!"rdsemu restarted");
        return;
    }
    CHECK_INT(EMU_CLOCK_GET(emu, NULL), LAST);
}

/* Moves past either end, with UTC offsets and by advance_seconds: refused, nothing changes. */
static void moves_past_either_end(const struct emu *emu)
{
    int64_t start = time_parse("9999-12-31T00:00:00+0000", TIME_V3);
    CHECK_INT(
        EMU_CLOCK_POST(emu, "{\"now\": \"9999-12-31T00:00:00+0000\", \"freeze\": true}", NULL),
        start);
    static const char *const past_the_end[] = {
        "{\"now\": \"9999-12-31T23:59:59-0001\"}", /* one minute past, said in UTC-00:01 */
        "{\"now\": \"9999-12-31T23:00:00-0100\"}",
        "{\"now\": \"1970-01-01T00:59:59+0100\"}", /* one second before 1970 */
        "{\"now\": \"1969-12-31T23:59:59+0000\"}",
        "{\"now\": \"0000-01-01T00:00:00+0000\"}",
        "{\"now\": \"9999-12-31T23:59:59-2359\", \"freeze\": false}",
    };
    for (size_t i = 0; i < sizeof(past_the_end) / sizeof(past_the_end[0]); i++)
        expect_refused(emu, past_the_end[i], RANGE);
    expect_refused(emu, "{\"advance_seconds\": 86400}", "9999-12-31T23:59:59+0000");
    expect_refused(emu, "{\"advance_seconds\": 3162240000}", "9999-12-31T23:59:59+0000");
    CHECK_INT(EMU_CLOCK_GET(emu, NULL), start);
    CHECK(emu_clock_frozen(emu));
    /* Up to the last second is fine, and so are the first second and offsets that land inside. */
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"advance_seconds\": 86399}", NULL), LAST);
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"now\": \"9999-12-31T23:59:59+0000\"}", NULL), LAST);
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"now\": \"1970-01-01T01:00:00+0100\"}", NULL), 0);
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"now\": \"1969-12-31T23:00:00-0100\"}", NULL), 0);
}

/* A completion time that would pass the last second is clamped to it. */
static void completion_clamped(const struct emu *emu)
{
    CHECK_INT(
        EMU_CLOCK_POST(emu, "{\"now\": \"9999-12-31T23:58:19+0000\", \"freeze\": true}", NULL),
        LAST - 100);
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, "db-2", "nearTheEnd", 315360000, NULL, &m))
        return;
    EMU_CLOCK_ADVANCE(emu, 99);
    KIT_EXPECT_BUILDING(emu, &m);
    KIT_EXPECT_JOB(emu, &m, "Running", -1, NULL);
    EMU_CLOCK_ADVANCE(emu, 1);
    KIT_EXPECT_COMPLETED(emu, &m, LAST, 2048);
    KIT_EXPECT_JOB(emu, &m, "Completed", LAST, NULL);
    kit_made_free(&m);
}

/* The first second: times are shown (not null), the job's progress moves, and the v3 list
 * takes a begin_time filter at it. */
static void the_first_second(const struct emu *emu)
{
    CHECK_INT(
        EMU_CLOCK_POST(emu, "{\"now\": \"1970-01-01T00:00:00+0000\", \"freeze\": true}", NULL), 0);
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, "db-3", "firstSecond", 10, NULL, &m))
        return;
    CHECK_INT(m.created, 0);
    json_t *job = KIT_JOB(emu, PROJECT, m.job);
    CHECK_STR(json_string_value(json_object_get(job, "created")), "1970-01-01T00:00:00+0000");
    CHECK_STR(json_string_value(json_object_get(job, "process")), "0%");
    json_decref(job);
    EMU_CLOCK_ADVANCE(emu, 5);
    job = KIT_JOB(emu, PROJECT, m.job);
    CHECK_STR(json_string_value(json_object_get(job, "process")), "50%");
    json_decref(job);
    char *list = api_body(emu, "/v3/" PROJECT "/backups?instance_id=db-3&begin_time="
                               "1970-01-01T00:00:00%2B0000&end_time=1970-01-01T00:00:01%2B0000");
    json_t *root = json_loads(list, 0, NULL);
    CHECK_INT(json_integer_value(json_object_get(root, "total_count")), 1);
    CHECK(strstr(list, "\"begin_time\":\"1970-01-01T00:00:00+0000\"") != NULL);
    json_decref(root);
    free(list);
    EMU_CLOCK_ADVANCE(emu, 5);
    KIT_EXPECT_COMPLETED(emu, &m, 10, 2048);
    KIT_EXPECT_JOB(emu, &m, "Completed", 10, NULL);
    kit_made_free(&m);
}

/* A running clock set just before the end stops at the last second instead of passing it. */
static void running_clock_stops_at_the_end(const struct emu *emu)
{
    int64_t now =
        EMU_CLOCK_POST(emu, "{\"now\": \"9999-12-31T23:59:58+0000\", \"freeze\": false}", NULL);
    CHECK(now == LAST - 1 || now == LAST);
    CHECK(!emu_clock_frozen(emu));
    struct timespec pause = {2, 200 * 1000000L}; /* the clock must run past its end */
    nanosleep(&pause, NULL);
    CHECK_INT(EMU_CLOCK_GET(emu, NULL), LAST);
    expect_refused(emu, "{\"advance_seconds\": 1}", "9999-12-31T23:59:59+0000");
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"now\": \"2030-01-01T00:00:00+0000\"}", NULL) > 0, 1);
}

/* Sets meta `key` to `value` in the (stopped) server's database. */
static void meta_set(const struct emu *emu, const char *key, long long value)
{
    sqlite3 *db = NULL;
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO meta (key, value) VALUES ('%s', %lld) ON CONFLICT (key) DO UPDATE "
             "SET value = excluded.value",
             key, value);
    CHECK_INT(sqlite3_open(emu->db_path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int warnings_in_log(const struct emu *emu)
{
    char *log = harness_read_file(emu->log_path, NULL);
    int n = 0;
    for (const char *p = log; p != NULL && (p = strstr(p, "the stored clock shows")) != NULL; p++)
        n++;
    free(log);
    return n;
}

/* A clock stored out of range (as an older rdsemu could) is set back at start, with a
 * warning, and stored so: the next start says nothing. */
static void stored_out_of_range(void)
{
    struct emu emu;
    if (!kit_start(&emu, "clock-range-stored", NULL))
        return;
    CHECK_INT(emu_stop(&emu), 0);
    meta_set(&emu, "clock_frozen", 1);
    meta_set(&emu, "clock_frozen_at", LAST + 1);
    CHECK_INT(emu_restart(&emu), 0);
    CHECK_INT(EMU_CLOCK_GET(&emu, NULL), LAST);
    CHECK(emu_clock_frozen(&emu));
    CHECK_INT(warnings_in_log(&emu), 1);
    CHECK_INT(emu_stop(&emu), 0);
    CHECK_INT(emu_restart(&emu), 0);
    CHECK_INT(EMU_CLOCK_GET(&emu, NULL), LAST);
    CHECK_INT(warnings_in_log(&emu), 1);

    /* Running, before 1970: set to the first second, and it runs on from there. */
    CHECK_INT(emu_stop(&emu), 0);
    meta_set(&emu, "clock_frozen", 0);
    meta_set(&emu, "clock_offset_seconds", -(long long)time(NULL) - 86400);
    CHECK_INT(emu_restart(&emu), 0);
    int64_t now = EMU_CLOCK_GET(&emu, NULL);
    CHECK(now >= 0 && now <= KIT_MARGIN);
    CHECK(!emu_clock_frozen(&emu));
    CHECK_INT(warnings_in_log(&emu), 2);
    kit_finish(&emu);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--backup-seconds", "600", NULL};
    if (!kit_start(&emu, "clock-range", args))
        return CHECK_DONE();
    for (int i = 1; i <= 3; i++) {
        char id[8];
        snprintf(id, sizeof(id), "db-%d", i);
        CHECK(call_put_instance(&emu, PROJECT, id, mysql) == 0);
    }
    at_the_last_second(&emu);
    moves_past_either_end(&emu);
    completion_clamped(&emu);
    the_first_second(&emu);
    running_clock_stops_at_the_end(&emu);
    kit_finish(&emu);
    stored_out_of_range();
    return CHECK_DONE();
}
