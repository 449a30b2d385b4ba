/* The emulator clock (DESIGN.md "Clock"). */
#include <time.h>

#include "rdsemu/clock.h"

int64_t clock_now(struct emu_clock *clock)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec + atomic_load(&clock->offset_seconds);
}

void clock_set_offset(struct emu_clock *clock, int64_t offset_seconds)
{
    atomic_store(&clock->offset_seconds, offset_seconds);
}

int64_t clock_offset(struct emu_clock *clock)
{
    return atomic_load(&clock->offset_seconds);
}
