/* The emulator clock (docs/architecture.md "Clock"). Changes are serialised by the caller
 * (api/clock_control.c); the atomics only make each reader see a whole state: a change stores the
 * time it will show before it switches between running and frozen. */
#include <time.h>

#include "rdsemu/base/clock.h"
#include "rdsemu/base/timefmt.h"

int64_t clock_system_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t clock_add_saturating(int64_t a, int64_t b)
{
    int64_t sum;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return sum;
}

/* Clamped: a running clock stands still at the last second it can show (TIME_MAX), and a
 * state stored out of range never shows (app.c brings it back at start). */
int64_t clock_now(struct emu_clock *clock)
{
    if (atomic_load(&clock->frozen))
        return time_clamp(atomic_load(&clock->frozen_at));
    return time_clamp(
        clock_add_saturating(clock_system_now(), atomic_load(&clock->offset_seconds)));
}

int64_t clock_offset(struct emu_clock *clock)
{
    if (atomic_load(&clock->frozen))
        return atomic_load(&clock->frozen_at) - clock_system_now();
    return atomic_load(&clock->offset_seconds);
}

bool clock_is_frozen(struct emu_clock *clock)
{
    return atomic_load(&clock->frozen);
}

void clock_set_offset(struct emu_clock *clock, int64_t offset_seconds)
{
    atomic_store(&clock->offset_seconds, offset_seconds);
    atomic_store(&clock->frozen, false);
}

void clock_freeze_at(struct emu_clock *clock, int64_t at, int64_t offset_seconds)
{
    atomic_store(&clock->frozen_at, at);
    atomic_store(&clock->offset_seconds, offset_seconds);
    atomic_store(&clock->frozen, true);
}
