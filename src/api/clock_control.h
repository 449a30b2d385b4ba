/* Private to src/api/: the emulator clock as the control plane moves it. */
#ifndef RDSEMU_API_CLOCK_CONTROL_H
#define RDSEMU_API_CLOCK_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdsemu/api/api.h"

/* One change of the emulator clock (POST /_emulator/clock). */
struct clock_change {
    bool set; /* true: go to `now`; false: move forward by `advance` (0: stay) */
    int64_t now;
    int64_t advance;
    int freeze; /* 1: stand still from then on; 0: run; -1: as it was */
};

/* The clock as stored (at start), brought back into range with a warning. 0, or -1 with
 * `err`. */
int clock_restore(struct api *api, char *err, size_t errlen);
/* Applies `change` as one step; the new state is stored before it takes effect, so it
 * survives a restart. 0, -1 on a storage failure, or 1 when the clock would leave
 * [TIME_MIN, TIME_MAX] (nothing changed then). */
int clock_change_apply(struct api *api, const struct clock_change *change);

#endif
