/* The emulator clock: system UTC plus an offset that tests move, or a time that stands still
 * while the clock is frozen (docs/emulator.md "Clock"). Nothing else in the
 * program reads the system time for emulated timestamps. A zeroed clock runs, offset 0. */
#ifndef RDSEMU_CLOCK_H
#define RDSEMU_CLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct emu_clock {
    _Atomic int64_t offset_seconds; /* added to the system time while running */
    _Atomic int64_t frozen_at;      /* the time shown while frozen */
    atomic_bool frozen;
};

/* Always within [TIME_MIN, TIME_MAX] (timefmt.h): a running clock that reaches TIME_MAX stays
 * there. */
int64_t clock_now(struct emu_clock *clock);
/* a + b, or INT64_MAX / INT64_MIN where it would overflow. */
int64_t clock_add_saturating(int64_t a, int64_t b);
/* The system's UTC seconds, for the arithmetic of clock changes. */
int64_t clock_system_now(void);
/* now - system time: the stored offset while running; while frozen it drifts as real time
 * passes. */
int64_t clock_offset(struct emu_clock *clock);
bool clock_is_frozen(struct emu_clock *clock);
/* Running with this offset. */
void clock_set_offset(struct emu_clock *clock, int64_t offset_seconds);
/* Standing still at `at`; `offset_seconds` is kept for when it runs again. */
void clock_freeze_at(struct emu_clock *clock, int64_t at, int64_t offset_seconds);

#endif
