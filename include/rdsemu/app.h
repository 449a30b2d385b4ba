/* What every handler may reach: configuration, store, clock. One per running emulator. */
#ifndef RDSEMU_APP_H
#define RDSEMU_APP_H

#include <jansson.h>
#include <pthread.h>

#include <stdatomic.h>

#include "rdsemu/clock.h"
#include "rdsemu/commit_queue.h"
#include "rdsemu/config.h"
#include "rdsemu/credentials.h"
#include "rdsemu/faults.h"
#include "rdsemu/journal.h"
#include "rdsemu/metrics.h"
#include "rdsemu/store.h"

struct app {
    const struct config *cfg;    /* borrowed */
    struct store *store;         /* owned */
    struct commit_queue *writes; /* owned: the writer thread that group-commits creates */
    struct emu_clock clock;
    json_t *seed; /* owned: the parsed seed file, applied at start and on every reset */
    pthread_mutex_t clock_lock; /* orders clock changes, so memory and store agree */
    struct journal *journal;    /* owned */
    struct faults *faults;      /* owned */
    struct metrics *metrics;    /* owned */
    atomic_int in_flight;       /* requests between their first byte and their completion */
    /* Owned: the files of --tokens and --credentials; NULL when neither was given. */
    struct credentials *credentials;
};

/* Opens the store, restores the clock and applies the seed file. -1 with `err` filled. */
int app_init(struct app *app, const struct config *cfg, char *err, size_t errlen);
void app_fini(struct app *app);
/* Everything gone (data, clock offset, faults, journal), then the seed applied again. */
int app_reset(struct app *app, char *err, size_t errlen);
/* One change of the emulator clock (POST /_emulator/clock). */
struct clock_change {
    bool set; /* true: go to `now`; false: move forward by `advance` (0: stay) */
    int64_t now;
    int64_t advance;
    int freeze; /* 1: stand still from then on; 0: run; -1: as it was */
};
/* Applies `change` as one step; the new state is stored before it takes effect, so it
 * survives a restart. 0, -1 on a storage failure, or 1 when the clock would leave
 * [TIME_MIN, TIME_MAX] (nothing changed then). */
int app_clock_change(struct app *app, const struct clock_change *change);

#endif
