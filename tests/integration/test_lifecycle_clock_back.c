/* The lifecycle when the clock is set backwards (docs/emulator.md "sets the emulator's time,
 * backwards too; backups already stored keep their times", §5.2 "with build time 0, only the
 * create response itself shows BUILDING", "every later request sees it finished", §3 list
 * "oldest first"). Kept apart from test_lifecycle_clock because it pins the rules that the
 * backwards move makes hard: a finished backup never shows BUILDING again, and "oldest" is
 * by `created`, not by the order of the creates. */
#include "lifecycle.h"

#define PROJECT "life-clock-back"
#define DAY     86400

static const char mysql[] = "{\"name\": \"back\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}";

/* A finished backup, then the clock set back a day: every later request still sees it
 * finished at created + build time. Build time 0 (only the create answer shows BUILDING),
 * looked at or not before the move; and build time 100, seen COMPLETED before the move. */
static void finished_stays_finished(const struct emu *emu, long seconds, bool look_first)
{
    char instance[32];
    snprintf(instance, sizeof(instance), "db-%ld-%d", seconds, look_first ? 1 : 0);
    CHECK(call_put_instance(emu, PROJECT, instance, mysql) == 0);
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, instance, "finishedOne", seconds, NULL, &m))
        return;
    if (seconds > 0)
        EMU_CLOCK_SET(emu, m.created + seconds);
    if (look_first) {
        KIT_EXPECT_COMPLETED(emu, &m, m.created + seconds, 2048);
        KIT_EXPECT_JOB(emu, &m, "Completed", m.created + seconds, NULL);
    }
    EMU_CLOCK_SET(emu, m.created - DAY);
    KIT_EXPECT_COMPLETED(emu, &m, m.created + seconds, 2048);
    KIT_EXPECT_JOB(emu, &m, "Completed", m.created + seconds, NULL);
    /* and the instance is not busy */
    struct made next;
    if (KIT_CREATE(emu, PROJECT, instance, "finishedTwo", 0, NULL, &next))
        kit_made_free(&next);
    kit_made_free(&m);
}

/* A BUILDING backup over a move back and forth: done at created + build time. */
static void building_over_back_and_forth(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "slow-db", mysql) == 0);
    int64_t start = EMU_CLOCK_GET(emu, NULL);
    struct made m;
    if (!KIT_CREATE(emu, PROJECT, "slow-db", "backAndForth", 600, NULL, &m))
        return;
    CHECK(m.created >= start);
    EMU_CLOCK_SET(emu, m.created - DAY);
    KIT_EXPECT_BUILDING(emu, &m);
    EMU_CLOCK_SET(emu, m.created + 600);
    KIT_EXPECT_COMPLETED(emu, &m, m.created + 600, 2048);
    kit_made_free(&m);
}

/* Oldest first: a backup made after the clock was set back is older than one made before. */
static void oldest_by_created(const struct emu *emu)
{
    CHECK(call_put_instance(emu, "life-order", "db-1", mysql) == 0);
    CHECK(call_put_instance(emu, "life-order", "db-2", mysql) == 0);
    struct made newer, older;
    KIT_CREATE(emu, "life-order", "db-1", "madeFirst", 0, NULL, &newer);
    EMU_CLOCK_SET(emu, newer.created - DAY);
    KIT_CREATE(emu, "life-order", "db-2", "madeSecond", 0, NULL, &older);
    CHECK(older.created < newer.created);
    json_t *list = KIT_LIST(emu, "life-order");
    CHECK_INT(json_array_size(list), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 0), "id")), older.id);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 1), "id")), newer.id);
    json_decref(list);
    kit_made_free(&newer);
    kit_made_free(&older);
}

int main(void)
{
    struct emu emu;
    if (!kit_start(&emu, "life-clock-back", NULL))
        return CHECK_DONE();
    finished_stays_finished(&emu, 0, true);
    finished_stays_finished(&emu, 0, false);
    finished_stays_finished(&emu, 100, true);
    building_over_back_and_forth(&emu);
    oldest_by_created(&emu);
    kit_finish(&emu);
    return CHECK_DONE();
}
