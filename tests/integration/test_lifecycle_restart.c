/* Restarts (docs/emulator.md "state survives a restart", §5.3 "the offset survives restarts"):
 * the clock offset is stored; a BUILDING backup is still BUILDING after a restart while its
 * time has not come, and finished when next seen once the clock passes it (completion time
 * created + build time, the job too), whatever API looks first; a frozen clock stays frozen
 * at its second; reset's offset 0 and running clock are stored. */
#include "lifecycle.h"

#define PROJECT "life-restart"
#define DAY     86400

static void put(const struct emu *emu, const char *id)
{
    char body[160];
    snprintf(body, sizeof(body),
             "{\"name\": \"%s\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}, "
             "\"size_kb\": 777}",
             id);
    CHECK(call_put_instance(emu, PROJECT, id, body) == 0);
}

/* Stops (status 0) and starts again on the same database; false when it does not come up. */
static bool restart(struct emu *emu)
{
    CHECK_INT(emu_stop(emu), 0);
    if (emu_restart(emu) == 0)
        return true;
    CHECK(!"rdsemu restarted");
    return false;
}

static void expect_offset(const struct emu *emu, int64_t offset)
{
    int64_t got;
    int64_t now = EMU_CLOCK_GET(emu, &got);
    CHECK_INT(got, offset);
    CHECK(now - offset - (int64_t)time(NULL) <= KIT_MARGIN &&
          (int64_t)time(NULL) - (now - offset) <= KIT_MARGIN);
}

int main(void)
{
    struct emu emu;
    if (!kit_start(&emu, "life-restart", NULL))
        return CHECK_DONE();
    put(&emu, "long-db");
    put(&emu, "short-db");
    put(&emu, "failing-db");
    put(&emu, "forced-db");
    EMU_CLOCK_ADVANCE(&emu, DAY);

    struct made longer, shorter, failing, forced;
    KIT_CREATE(&emu, PROJECT, "long-db", "longOne", 3600, NULL, &longer);
    KIT_CREATE(&emu, PROJECT, "short-db", "shortOne", 600, NULL, &shorter);
    KIT_CREATE(&emu, PROJECT, "failing-db", "failingOne", 900, "fail", &failing);
    KIT_CREATE(&emu, PROJECT, "forced-db", "forcedOne", 3600, NULL, &forced);
    /* The dates come from the moved clock. */
    CHECK(longer.created - DAY - (int64_t)time(NULL) <= KIT_MARGIN);
    CHECK(longer.created - DAY - (int64_t)time(NULL) >= -KIT_MARGIN);
    struct http_response r;
    char path[160];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/complete", forced.id);
    call_admin(&emu, "POST", path, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *answer = http_response_json(&r);
    int64_t forced_at = time_parse(
        json_string_value(json_object_get(json_object_get(answer, "backup"), "end_time")), TIME_V3);
    CHECK(forced_at >= forced.created);
    json_decref(answer);
    http_response_free(&r);

    /* 1st restart: the offset, and every BUILDING backup, are as they were. */
    if (!restart(&emu))
        goto out;
    expect_offset(&emu, DAY);
    KIT_EXPECT_BUILDING(&emu, &longer);
    KIT_EXPECT_BUILDING(&emu, &shorter);
    KIT_EXPECT_BUILDING(&emu, &failing);
    KIT_EXPECT_JOB(&emu, &shorter, "Running", -1, NULL);
    KIT_EXPECT_COMPLETED(&emu, &forced, forced_at, 777);
    char *body = call_v1_body("long-db", "secondOne");
    EXPECT_CREATE_ERROR(&emu, PROJECT, body, 409, "RDS.3004");
    free(body);

    /* Past the short one's time: the job is the first to see it, then the list. */
    EMU_CLOCK_SET(&emu, shorter.created + 700);
    KIT_EXPECT_JOB(&emu, &shorter, "Completed", shorter.created + 600, NULL);
    KIT_EXPECT_COMPLETED(&emu, &shorter, shorter.created + 600, 777);
    KIT_EXPECT_BUILDING(&emu, &longer);
    int64_t offset;
    EMU_CLOCK_GET(&emu, &offset);

    /* 2nd restart: the offset set by "now" is kept to the second; then the failing one's
     * time passes, and a create on its instance is the first to look. */
    if (!restart(&emu))
        goto out;
    expect_offset(&emu, offset);
    KIT_EXPECT_BUILDING(&emu, &longer);
    KIT_EXPECT_BUILDING(&emu, &failing);
    EMU_CLOCK_SET(&emu, failing.created + 900);
    struct made after;
    if (KIT_CREATE(&emu, PROJECT, "failing-db", "afterFailure", 0, NULL, &after))
        kit_made_free(&after);
    KIT_EXPECT_FAILED(&emu, &failing, failing.created + 900);
    KIT_EXPECT_JOB(&emu, &failing, "Failed", failing.created + 900, "");

    /* 3rd restart, then past the long one's time. */
    EMU_CLOCK_GET(&emu, &offset);
    if (!restart(&emu))
        goto out;
    expect_offset(&emu, offset);
    KIT_EXPECT_BUILDING(&emu, &longer);
    EMU_CLOCK_SET(&emu, longer.created + 3600);
    KIT_EXPECT_COMPLETED(&emu, &longer, longer.created + 3600, 777);
    KIT_EXPECT_JOB(&emu, &longer, "Completed", longer.created + 3600, NULL);
    if (KIT_CREATE(&emu, PROJECT, "long-db", "secondOne", 0, NULL, &after))
        kit_made_free(&after);

    /* Everything finished stays so over one more restart. */
    if (!restart(&emu))
        goto out;
    KIT_EXPECT_COMPLETED(&emu, &shorter, shorter.created + 600, 777);
    KIT_EXPECT_FAILED(&emu, &failing, failing.created + 900);
    KIT_EXPECT_COMPLETED(&emu, &longer, longer.created + 3600, 777);
    KIT_EXPECT_COMPLETED(&emu, &forced, forced_at, 777);

    /* A frozen clock is still frozen, at the same second, after a restart. */
    int64_t frozen_at = time_parse("2035-07-08T09:10:11+0000", TIME_V3);
    CHECK_INT(
        EMU_CLOCK_POST(&emu, "{\"now\": \"2035-07-08T09:10:11+0000\", \"freeze\": true}", NULL),
        frozen_at);
    if (!restart(&emu))
        goto out;
    CHECK_INT(EMU_CLOCK_GET(&emu, NULL), frozen_at);
    CHECK(emu_clock_frozen(&emu));

    /* Reset stores offset 0 and a running clock: so it is after a restart. */
    call_admin(&emu, "POST", "/_emulator/reset", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    expect_offset(&emu, 0);
    CHECK(!emu_clock_frozen(&emu));
    if (!restart(&emu))
        goto out;
    expect_offset(&emu, 0);
    CHECK(!emu_clock_frozen(&emu));
out:
    kit_made_free(&longer);
    kit_made_free(&shorter);
    kit_made_free(&failing);
    kit_made_free(&forced);
    kit_finish(&emu);
    return CHECK_DONE();
}
