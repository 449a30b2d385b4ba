/* The emulator clock as the control plane moves it (docs/emulator.md "Clock"): every change
 * is stored before it takes effect, so what a client was told survives a restart; at start the
 * stored clock is restored, and brought back into the times it can show. */
#include <stdio.h>

#include "clock_control.h"
#include "rdsemu/base/log.h"
#include "rdsemu/base/timefmt.h"

#define META_CLOCK_OFFSET    "clock_offset_seconds"
#define META_CLOCK_FROZEN    "clock_frozen"    /* 1 while frozen; absent or 0: running */
#define META_CLOCK_FROZEN_AT "clock_frozen_at" /* the time a frozen clock shows */

/* Stores then applies the clock's new state, running with `offset` or frozen at `frozen_at`;
 * the caller holds clock_lock. Stored first, so what a client was told survives a restart. */
struct clock_state {
    int64_t offset;
    bool frozen;
    int64_t frozen_at;
};

static int clock_store_tx(struct store_conn *conn, void *arg)
{
    const struct clock_state *s = arg;
    if (store_meta_set_int(conn, META_CLOCK_OFFSET, s->offset) != 0 ||
        store_meta_set_int(conn, META_CLOCK_FROZEN, s->frozen ? 1 : 0) != 0 ||
        (s->frozen && store_meta_set_int(conn, META_CLOCK_FROZEN_AT, s->frozen_at) != 0))
        return -1;
    return 0;
}

static int clock_store(struct api *api, int64_t offset, bool frozen, int64_t frozen_at)
{
    struct clock_state s = {offset, frozen, frozen_at};
    if (store_tx(api->store, clock_store_tx, &s) != 0)
        return -1;
    if (frozen)
        clock_freeze_at(&api->clock, frozen_at, offset);
    else
        clock_set_offset(&api->clock, offset);
    return 0;
}

/* A clock stored out of range (by an older rdsemu, or a running clock that passed the last
 * second while stopped) is set back to the nearest time it can show, and stored so. */
static int clock_bring_into_range(struct api *api, int64_t offset, bool frozen, int64_t frozen_at)
{
    int64_t shown = frozen ? frozen_at : clock_add_saturating(clock_system_now(), offset);
    if (time_in_range(shown))
        return 0;
    int64_t target = time_clamp(shown);
    char text[TIME_V3_LEN + 1];
    time_format_v3(target, text);
    log_warn("clock: the stored clock shows %lld seconds since 1970-01-01, outside the times it "
             "can show (%s); it is set to %s",
             (long long)shown, TIME_RANGE_TEXT, text);
    return clock_store(api, target - clock_system_now(), frozen, target);
}

int clock_restore(struct api *api, char *err, size_t errlen)
{
    struct store_conn *conn = store_acquire(api->store);
    int64_t offset = 0, frozen = 0, frozen_at = 0;
    bool has_offset = false, has_frozen = false, has_frozen_at = false;
    int rc = conn != NULL ? 0 : -1;
    if (rc == 0)
        rc = store_meta_get_int(conn, META_CLOCK_OFFSET, &offset, &has_offset);
    if (rc == 0)
        rc = store_meta_get_int(conn, META_CLOCK_FROZEN, &frozen, &has_frozen);
    if (rc == 0 && has_frozen && frozen != 0)
        rc = store_meta_get_int(conn, META_CLOCK_FROZEN_AT, &frozen_at, &has_frozen_at);
    if (conn != NULL)
        store_release(api->store, conn);
    if (rc != 0) {
        snprintf(err, errlen, "cannot read the clock from the store");
        return -1;
    }
    if (!has_offset)
        offset = 0;
    if (has_frozen_at)
        clock_freeze_at(&api->clock, frozen_at, offset);
    else
        clock_set_offset(&api->clock, offset);
    if (clock_bring_into_range(api, offset, has_frozen_at, frozen_at) != 0) {
        snprintf(err, errlen, "cannot store the clock, set back into range");
        return -1;
    }
    return 0;
}

int clock_change_apply(struct api *api, const struct clock_change *change)
{
    pthread_mutex_lock(&api->clock_lock);
    struct emu_clock *clock = &api->clock;
    bool was_frozen = clock_is_frozen(clock);
    int64_t current = clock_now(clock);
    int64_t target = change->set ? change->now : clock_add_saturating(current, change->advance);
    bool frozen = change->freeze < 0 ? was_frozen : change->freeze > 0;
    if (!time_in_range(target)) {
        /* Refused whole: nothing moves, nothing is stored. */
        pthread_mutex_unlock(&api->clock_lock);
        return 1;
    }
    int rc = 0;
    if (target < current) {
        /* Backwards: what has finished by now stays finished ("every later request sees
         * it finished"), and the automated backups made by now stay made, so it is written
         * down before the clock moves. */
        struct store_conn *conn = store_acquire(api->store);
        rc = conn != NULL ? store_settle(conn, current, &api->rules) : -1;
        if (conn != NULL)
            store_release(api->store, conn);
    }
    if (rc == 0) {
        /* A running clock keeps its distance to the system time, so a second that ticks
         * during the change is not lost; a clock that starts running again goes on from
         * the time it showed. */
        int64_t offset =
            was_frozen ? target - clock_system_now() : clock_offset(clock) + (target - current);
        rc = clock_store(api, offset, frozen, target);
    }
    pthread_mutex_unlock(&api->clock_lock);
    return rc;
}
