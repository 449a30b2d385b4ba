/* The emulator clock: system UTC plus an offset that tests move (API.md §5.3). Nothing else
 * in the program reads the system time for emulated timestamps. */
#ifndef RDSEMU_CLOCK_H
#define RDSEMU_CLOCK_H

#include <stdatomic.h>
#include <stdint.h>

struct emu_clock {
    _Atomic int64_t offset_seconds;
};

int64_t clock_now(struct emu_clock *clock);
void clock_set_offset(struct emu_clock *clock, int64_t offset_seconds);
int64_t clock_offset(struct emu_clock *clock);

#endif
