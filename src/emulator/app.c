/* The emulator's state as a whole: store, clock, seed (docs/architecture.md "Lifecycle"). */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "rdsemu/app.h"
#include "rdsemu/log.h"
#include "rdsemu/seed.h"
#include "rdsemu/timefmt.h"

#define META_CLOCK_OFFSET    "clock_offset_seconds"
#define META_CLOCK_FROZEN    "clock_frozen"    /* 1 while frozen; absent or 0: running */
#define META_CLOCK_FROZEN_AT "clock_frozen_at" /* the time a frozen clock shows */

/* Applies the seed in one transaction on a connection of the calling thread. */
static int apply(struct app *app, bool wipe, char *err, size_t errlen)
{
    struct store_conn *conn = store_acquire(app->store);
    if (conn == NULL) {
        snprintf(err, errlen, "cannot open a store connection");
        return -1;
    }
    int rc = store_begin(conn);
    if (rc == 0 && wipe)
        rc = store_reset(conn);
    if (rc == 0 && app->seed != NULL)
        rc = seed_apply(conn, app->seed, app->cfg->seed_path, err, errlen);
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    if (rc != 0 && err[0] == '\0')
        snprintf(err, errlen, "cannot write the database %s", app->cfg->db_path);
    store_release(app->store, conn);
    return rc;
}

static int clock_store(struct app *app, int64_t offset, bool frozen, int64_t frozen_at);

/* A clock stored out of range (by an older rdsemu, or a running clock that passed the last
 * second while stopped) is set back to the nearest time it can show, and stored so. */
static int clock_bring_into_range(struct app *app, int64_t offset, bool frozen, int64_t frozen_at)
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
    return clock_store(app, target - clock_system_now(), frozen, target);
}

static int restore_clock(struct app *app, char *err, size_t errlen)
{
    struct store_conn *conn = store_acquire(app->store);
    int64_t offset = 0, frozen = 0, frozen_at = 0;
    int rc = -1, rc_frozen = -1, rc_at = 1;
    if (conn != NULL) {
        rc = store_meta_get_int(conn, META_CLOCK_OFFSET, &offset);
        rc_frozen = store_meta_get_int(conn, META_CLOCK_FROZEN, &frozen);
        if (rc_frozen == 0 && frozen != 0)
            rc_at = store_meta_get_int(conn, META_CLOCK_FROZEN_AT, &frozen_at);
        store_release(app->store, conn);
    }
    if (rc < 0 || rc_frozen < 0 || rc_at < 0) {
        snprintf(err, errlen, "cannot read the clock from the store");
        return -1;
    }
    if (rc != 0)
        offset = 0;
    if (rc_at == 0)
        clock_freeze_at(&app->clock, frozen_at, offset);
    else
        clock_set_offset(&app->clock, offset);
    if (clock_bring_into_range(app, offset, rc_at == 0, frozen_at) != 0) {
        snprintf(err, errlen, "cannot store the clock, set back into range");
        return -1;
    }
    return 0;
}

/* The writer's first step in every batch: due backups take their final state. */
static int settle_due(struct store_conn *conn, void *arg)
{
    struct app *app = arg;
    return store_backups_settle(conn, clock_now(&app->clock));
}

int app_init(struct app *app, const struct config *cfg, char *err, size_t errlen)
{
    memset(app, 0, sizeof(*app));
    err[0] = '\0';
    app->cfg = cfg;
    pthread_mutex_init(&app->clock_lock, NULL);
    if (cfg->journal_size > JOURNAL_SIZE_MAX) {
        /* The option's own check allows more (src/emulator/config.c): refused here. */
        snprintf(err, errlen, "--journal-size: must be a whole number from 0 to %d (got '%u')",
                 JOURNAL_SIZE_MAX, cfg->journal_size);
        pthread_mutex_destroy(&app->clock_lock);
        return -1;
    }
    uint64_t rng_seed = cfg->seed_rng;
    if (!cfg->has_seed_rng && getrandom(&rng_seed, sizeof(rng_seed), 0) != sizeof(rng_seed))
        rng_seed = (uint64_t)clock_now(&app->clock);
    app->journal = journal_new(cfg->journal_size);
    app->faults = faults_new(rng_seed);
    app->metrics = metrics_new();
    if (app->journal == NULL || app->faults == NULL || app->metrics == NULL) {
        snprintf(err, errlen, "out of memory");
        app_fini(app);
        return -1;
    }
    if (cfg->seed_path != NULL && (app->seed = seed_load(cfg->seed_path, err, errlen)) == NULL) {
        app_fini(app);
        return -1;
    }
    if (credentials_load(cfg, &app->credentials, err, errlen) != 0) {
        app_fini(app);
        return -1;
    }
    if (store_open(cfg->db_path, cfg->sync, &app->store, err, errlen) != 0 ||
        restore_clock(app, err, errlen) != 0 || apply(app, false, err, errlen) != 0) {
        app_fini(app);
        return -1;
    }
    if ((app->writes = commit_queue_start(app->store, settle_due, app)) == NULL) {
        snprintf(err, errlen, "cannot start the writer thread");
        app_fini(app);
        return -1;
    }
    return 0;
}

void app_fini(struct app *app)
{
    commit_queue_stop(app->writes); /* runs what is queued first */
    app->writes = NULL;
    store_close(app->store);
    json_decref(app->seed);
    journal_free(app->journal);
    faults_free(app->faults);
    metrics_free(app->metrics);
    credentials_free(app->credentials);
    app->credentials = NULL;
    app->journal = NULL;
    app->faults = NULL;
    app->metrics = NULL;
    pthread_mutex_destroy(&app->clock_lock);
    app->store = NULL;
    app->seed = NULL;
}

int app_reset(struct app *app, char *err, size_t errlen)
{
    err[0] = '\0';
    pthread_mutex_lock(&app->clock_lock);
    int rc = apply(app, true, err, errlen);
    if (rc == 0)
        clock_set_offset(&app->clock, 0); /* the stored offset went with the meta table */
    pthread_mutex_unlock(&app->clock_lock);
    if (rc == 0) {
        faults_reset(app->faults);
        journal_clear(app->journal);
    }
    return rc;
}

/* Stores then applies the clock's new state, running with `offset` or frozen at `frozen_at`;
 * the caller holds clock_lock. Stored first, so what a client was told survives a restart. */
static int clock_store(struct app *app, int64_t offset, bool frozen, int64_t frozen_at)
{
    struct store_conn *conn = store_acquire(app->store);
    if (conn == NULL)
        return -1;
    int rc = store_begin(conn);
    if (rc == 0)
        rc = store_meta_set_int(conn, META_CLOCK_OFFSET, offset);
    if (rc == 0)
        rc = store_meta_set_int(conn, META_CLOCK_FROZEN, frozen ? 1 : 0);
    if (rc == 0 && frozen)
        rc = store_meta_set_int(conn, META_CLOCK_FROZEN_AT, frozen_at);
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    store_release(app->store, conn);
    if (rc == 0 && frozen)
        clock_freeze_at(&app->clock, frozen_at, offset);
    else if (rc == 0)
        clock_set_offset(&app->clock, offset);
    return rc;
}

int app_clock_change(struct app *app, const struct clock_change *change)
{
    pthread_mutex_lock(&app->clock_lock);
    struct emu_clock *clock = &app->clock;
    bool was_frozen = clock_is_frozen(clock);
    int64_t current = clock_now(clock);
    int64_t target = change->set ? change->now : clock_add_saturating(current, change->advance);
    bool frozen = change->freeze < 0 ? was_frozen : change->freeze > 0;
    if (!time_in_range(target)) {
        /* Refused whole: nothing moves, nothing is stored. */
        pthread_mutex_unlock(&app->clock_lock);
        return 1;
    }
    int rc = 0;
    if (target < current) {
        /* Backwards: what has finished by now stays finished ("every later request sees
         * it finished"), so it is written down before the clock moves. */
        struct store_conn *conn = store_acquire(app->store);
        rc = conn != NULL ? store_backups_settle(conn, current) : -1;
        if (conn != NULL)
            store_release(app->store, conn);
    }
    if (rc == 0) {
        /* A running clock keeps its distance to the system time, so a second that ticks
         * during the change is not lost; a clock that starts running again goes on from
         * the time it showed. */
        int64_t offset =
            was_frozen ? target - clock_system_now() : clock_offset(clock) + (target - current);
        rc = clock_store(app, offset, frozen, target);
    }
    pthread_mutex_unlock(&app->clock_lock);
    return rc;
}
