/* The emulator clock (docs/emulator.md reset): GET {"now": <v3 time>, "offset_seconds",
 * "frozen"}; POST {"advance_seconds": N ≥ 0} or {"now": <v3 time>} (backwards too), not
 * both, and/or {"freeze": true|false}, answering like the GET, anything else a 400 in the
 * control-plane shape; every timestamp (created, updated, job times) and every transition
 * follows it; a frozen clock stands still until moved, and runs on from where it stood;
 * stored backups keep their times when it moves; reset sets the offset back to 0 and
 * unfreezes it. (Restarts: test_lifecycle_restart.) */
#include "lifecycle.h"

#define PROJECT "life-clock"

static const char mysql[] = "{\"name\": \"clocked\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}";

/* |a - b| <= KIT_MARGIN */
static bool close_to(int64_t a, int64_t b)
{
    return a - b <= KIT_MARGIN && b - a <= KIT_MARGIN;
}

static void get_shape(const struct emu *emu)
{
    int64_t offset;
    int64_t now = EMU_CLOCK_GET(emu, &offset);
    CHECK_INT(offset, 0);
    CHECK(close_to(now, (int64_t)time(NULL)));
}

static void advance(const struct emu *emu)
{
    int64_t offset;
    int64_t before = EMU_CLOCK_GET(emu, NULL);
    int64_t now = EMU_CLOCK_POST(emu, "{\"advance_seconds\": 0}", &offset);
    CHECK_INT(offset, 0);
    CHECK(close_to(now, before));
    now = EMU_CLOCK_POST(emu, "{\"advance_seconds\": 3600}", &offset);
    CHECK_INT(offset, 3600);
    CHECK(now >= before + 3600 && now <= before + 3600 + KIT_MARGIN);
    /* Advances add up; null for the other member means absent; unknown members are ignored. */
    now = EMU_CLOCK_POST(emu, "{\"advance_seconds\": 86400, \"now\": null, \"extra\": 1}", &offset);
    CHECK_INT(offset, 90000);
    CHECK(close_to(now, (int64_t)time(NULL) + 90000));
    /* The GET agrees with the POST's answer. */
    int64_t got = EMU_CLOCK_GET(emu, &offset);
    CHECK_INT(offset, 90000);
    CHECK(got >= now && got <= now + KIT_MARGIN);
}

/* Every refused body: 400 bad_request, and the clock does not move. */
static void refused_bodies(const struct emu *emu)
{
    static const char *const bad[] = {
        "{\"advance_seconds\": -1}",
        "{\"advance_seconds\": 1.5}",
        "{\"advance_seconds\": \"60\"}",
        "{\"advance_seconds\": true}",
        "{\"advance_seconds\": []}",
        "{\"advance_seconds\": 60, \"now\": \"2030-01-01T00:00:00+0000\"}",
        "{}",
        "{\"advance_seconds\": null}",
        "{\"now\": \"2030-01-01T00:00:00\"}",
        "{\"now\": \"2030-01-01 00:00:00+0000\"}",
        "{\"now\": \"2030-13-01T00:00:00+0000\"}",
        "{\"now\": \"2030-02-30T00:00:00+0000\"}",
        "{\"now\": \"2030-01-01T24:00:00+0000\"}",
        "{\"now\": \"\"}",
        "{\"now\": 1893456000}",
        "[]",
        "{\"advance_seconds\": ",
        "{\"freeze\": \"yes\"}",
        "{\"freeze\": 1}",
        "{\"freeze\": true, \"advance_seconds\": -5}",
        "{\"freeze\": null}",
    };
    int64_t offset_before;
    EMU_CLOCK_GET(emu, &offset_before);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct http_response r;
        call_admin(emu, "POST", "/_emulator/clock", bad[i], &r);
        if (!EXPECT_ADMIN_CODE(&r, 400, "bad_request"))
            fprintf(stderr, "    body: %s\n", bad[i]);
        http_response_free(&r);
    }
    /* No body at all. */
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/clock", NULL, &r);
    EXPECT_ADMIN_CODE(&r, 400, "bad_request");
    http_response_free(&r);
    int64_t offset_after;
    EMU_CLOCK_GET(emu, &offset_after);
    CHECK_INT(offset_after, offset_before);
    CHECK(!emu_clock_frozen(emu)); /* none of them froze it */
}

/* POST {"now"} sets the time, forwards and backwards. */
static void set_now(const struct emu *emu)
{
    int64_t offset;
    int64_t target = time_parse("2030-01-01T00:00:00+0000", TIME_V3);
    int64_t now = EMU_CLOCK_POST(emu, "{\"now\": \"2030-01-01T00:00:00+0000\"}", &offset);
    CHECK(now >= target && now <= target + KIT_MARGIN);
    CHECK(close_to(offset, target - (int64_t)time(NULL)));
    /* Backwards, to before the real time: a negative offset. */
    target = time_parse("2001-02-03T04:05:06+0000", TIME_V3);
    now = EMU_CLOCK_POST(emu, "{\"now\": \"2001-02-03T04:05:06+0000\"}", &offset);
    CHECK(now >= target && now <= target + KIT_MARGIN);
    CHECK(offset < 0);
    CHECK(close_to(offset, target - (int64_t)time(NULL)));
    int64_t got = EMU_CLOCK_GET(emu, NULL);
    CHECK(got >= now && got <= now + KIT_MARGIN);
}

/* created, updated and the job's times come from the emulator clock; stored backups keep
 * their created time when the clock is set back. */
static void timestamps_follow_the_clock(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "db-1", mysql) == 0);
    CHECK(call_put_instance(emu, PROJECT, "db-2", mysql) == 0);
    int64_t past = time_parse("2001-02-03T04:05:06+0000", TIME_V3);
    EMU_CLOCK_SET(emu, past);
    struct made old;
    if (!KIT_CREATE(emu, PROJECT, "db-1", "inThePast", 600, NULL, &old))
        return;
    CHECK(old.created >= past && old.created <= past + KIT_MARGIN);
    json_t *job = KIT_JOB(emu, PROJECT, old.job);
    char want[32];
    CHECK_STR(json_string_value(json_object_get(job, "created")),
              time_format(old.created, TIME_V3, want));
    json_decref(job);
    /* Transitions follow the emulator clock, not the real one (which is years later). */
    KIT_EXPECT_BUILDING(emu, &old);
    EMU_CLOCK_SET(emu, old.created + 600);
    KIT_EXPECT_COMPLETED(emu, &old, old.created + 600, 2048);
    KIT_EXPECT_JOB(emu, &old, "Completed", old.created + 600, NULL);

    /* Forwards into the future: a new backup is created then. */
    int64_t future = time_parse("2040-06-01T12:00:00+0000", TIME_V3);
    EMU_CLOCK_SET(emu, future);
    struct made late;
    if (KIT_CREATE(emu, PROJECT, "db-2", "inTheFuture", 0, NULL, &late)) {
        CHECK(late.created >= future && late.created <= future + KIT_MARGIN);
        KIT_EXPECT_COMPLETED(emu, &late, late.created, 2048);
    }
    /* Back again, before both: what is stored keeps its times. */
    EMU_CLOCK_SET(emu, past - 86400);
    json_t *list = KIT_LIST(emu, PROJECT);
    char created[32];
    CHECK_STR(json_string_value(json_object_get(kit_find(list, late.id), "created")),
              time_format(late.created, TIME_V1, created));
    CHECK_STR(json_string_value(json_object_get(kit_find(list, old.id), "created")),
              time_format(old.created, TIME_V1, created));
    json_decref(list);
    kit_made_free(&old);
    kit_made_free(&late);
}

/* {"freeze": true}: the clock stands still (real time passes, the emulator's does not),
 * moves only when told, by exactly what it is told, and transitions happen at exactly their
 * second; {"freeze": false}: it runs on from the time it showed. */
static void frozen_clock(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "db-3", mysql) == 0);
    int64_t at = time_parse("2031-03-04T05:06:07+0000", TIME_V3);
    int64_t offset;
    int64_t now =
        EMU_CLOCK_POST(emu, "{\"now\": \"2031-03-04T05:06:07+0000\", \"freeze\": true}", &offset);
    CHECK_INT(now, at);
    CHECK(emu_clock_frozen(emu));
    CHECK(close_to(offset, at - (int64_t)time(NULL)));
    /* Real time passes (the one wait of this suite: standing still is what is tested). */
    struct timespec pause = {1, 100 * 1000000L};
    nanosleep(&pause, NULL);
    CHECK_INT(EMU_CLOCK_GET(emu, NULL), at);
    /* Moves are exact while frozen; a freeze that is already on changes nothing. */
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"advance_seconds\": 30}", NULL), at + 30);
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"freeze\": true}", NULL), at + 30);
    CHECK(emu_clock_frozen(emu));
    /* A backup of 600 s: BUILDING one second before, COMPLETED at its second exactly. */
    struct made m;
    if (KIT_CREATE(emu, PROJECT, "db-3", "frozenBuild", 600, NULL, &m)) {
        CHECK_INT(m.created, at + 30);
        EMU_CLOCK_ADVANCE(emu, 599);
        KIT_EXPECT_BUILDING(emu, &m);
        KIT_EXPECT_JOB(emu, &m, "Running", -1, NULL);
        EMU_CLOCK_ADVANCE(emu, 1);
        KIT_EXPECT_COMPLETED(emu, &m, at + 630, 2048);
        KIT_EXPECT_JOB(emu, &m, "Completed", at + 630, NULL);
        kit_made_free(&m);
    }
    /* Set while frozen: exact, and still frozen. */
    CHECK_INT(EMU_CLOCK_POST(emu, "{\"now\": \"2031-03-04T05:06:07+0000\"}", NULL), at);
    CHECK(emu_clock_frozen(emu));
    /* Unfrozen: it runs on from where it stood, not from the real time. */
    now = EMU_CLOCK_POST(emu, "{\"freeze\": false, \"advance_seconds\": 5}", &offset);
    CHECK(now >= at + 5 && now <= at + 5 + KIT_MARGIN);
    CHECK(!emu_clock_frozen(emu));
    int64_t later = EMU_CLOCK_GET(emu, NULL);
    CHECK(later >= now && later <= now + KIT_MARGIN);
    /* Freezing from a running clock holds the time it shows then. */
    now = EMU_CLOCK_POST(emu, "{\"freeze\": true}", NULL);
    CHECK(now >= later && now <= later + KIT_MARGIN);
    CHECK_INT(EMU_CLOCK_GET(emu, NULL), now);
}

/* Reset: offset 0 again and running, the data gone and the seed applied again. */
static void reset_clears_the_offset(const struct emu *emu)
{
    int64_t offset;
    EMU_CLOCK_ADVANCE(emu, 1000);
    CHECK(emu_clock_frozen(emu)); /* left so by frozen_clock */
    EMU_CLOCK_GET(emu, &offset);
    CHECK(offset != 0);
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/reset", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    int64_t now = EMU_CLOCK_GET(emu, &offset);
    CHECK_INT(offset, 0);
    CHECK(!emu_clock_frozen(emu));
    CHECK(close_to(now, (int64_t)time(NULL)));
    json_t *list = KIT_LIST(emu, PROJECT);
    CHECK_INT(json_array_size(list), 0);
    json_decref(list);
    /* The demo seed is back, and its backups are dated by the real time now. */
    struct made m;
    if (KIT_CREATE(emu, "0549c4d2e6c74b2a9e3b0f0c2f6a1d7e", "44b277eb-39be-4921-be31-3d61b43651d7",
                   "afterReset", 0, NULL, &m))
        CHECK(close_to(m.created, (int64_t)time(NULL)));
    kit_made_free(&m);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_DEMO_SEED, NULL};
    if (!kit_start(&emu, "life-clock", args))
        return CHECK_DONE();
    get_shape(&emu);
    advance(&emu);
    refused_bodies(&emu);
    set_now(&emu);
    timestamps_follow_the_clock(&emu);
    frozen_clock(&emu);
    reset_clears_the_offset(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
