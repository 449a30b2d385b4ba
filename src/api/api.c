/* The API layer as a whole (include/rdsemu/api/api.h): what api_start makes, what a reset
 * undoes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "clock_control.h"
#include "pipeline.h"
#include "rdsemu/api/api.h"
#include "rdsemu/api/faults.h"
#include "rdsemu/api/journal.h"
#include "rdsemu/api/metrics.h"

/* The writer's first step in every batch: what the clock made true is written down, so that
 * the creates see an automated backup building, for instance. */
static int settle_due(const struct commit_prepare *self, struct store_conn *conn)
{
    struct api *api = container_of(self, struct api, settle);
    return store_settle(conn, clock_now(&api->clock), &api->rules);
}

/* The route table compiled: its patterns, in its order. */
static struct router *routes_compile(char *err, size_t errlen)
{
    struct route_pattern *patterns = calloc(api_route_count, sizeof(*patterns));
    if (patterns == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < api_route_count; i++)
        patterns[i] = api_routes[i].pattern;
    struct router *router = router_compile(patterns, api_route_count, err, errlen);
    free(patterns);
    return router;
}

/* Wipes the store when `wipe`, then applies the seed at `now`, in one transaction on a
 * connection of the calling thread. What the clock made true comes first: a seed's policy
 * starts from now, after the windows of the one before have been made. */
static int store_seed(struct api *api, bool wipe, int64_t now, char *err, size_t errlen)
{
    struct store_conn *conn = store_acquire(api->store);
    if (conn == NULL) {
        snprintf(err, errlen, "cannot open a store connection");
        return -1;
    }
    int rc = store_begin(conn);
    if (rc == 0)
        rc = wipe ? store_reset(conn) : store_settle(conn, now, &api->rules);
    if (rc == 0 && api->seeder != NULL)
        rc = api->seeder->apply(api->seeder, conn, now, &api->rules, err, errlen);
    /* --auto-backups may differ from the last run's: every instance's next window again. */
    if (rc == 0)
        rc = store_auto_schedule_all(conn, &api->rules);
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    if (rc != 0 && err[0] == '\0')
        snprintf(err, errlen, "cannot write the database");
    store_release(api->store, conn);
    return rc;
}

int api_start(struct api *api, const struct api_settings *settings, struct store *store,
              struct credentials *credentials, const struct api_seeder *seeder, uint64_t rng_seed,
              char *err, size_t errlen)
{
    memset(api, 0, sizeof(*api));
    err[0] = '\0';
    pipeline_hooks(&api->hooks);
    api->settle.run = settle_due;
    api->settings = *settings;
    api->rules.auto_backups = settings->auto_backups;
    api->rules.backup_seconds = settings->backup_seconds;
    api->store = store;
    api->credentials = credentials;
    api->seeder = seeder;
    pthread_mutex_init(&api->clock_lock, NULL);
    api->journal = journal_new(settings->journal_size);
    api->faults = faults_new(rng_seed);
    api->metrics = metrics_new();
    if (api->journal == NULL || api->faults == NULL || api->metrics == NULL) {
        snprintf(err, errlen, "out of memory");
        api_stop(api);
        return -1;
    }
    if ((api->router = routes_compile(err, errlen)) == NULL ||
        clock_restore(api, err, errlen) != 0 ||
        store_seed(api, false, clock_now(&api->clock), err, errlen) != 0) {
        api_stop(api);
        return -1;
    }
    if ((api->writes = commit_queue_start(store, &api->settle)) == NULL) {
        snprintf(err, errlen, "cannot start the writer thread");
        api_stop(api);
        return -1;
    }
    return 0;
}

void api_stop(struct api *api)
{
    commit_queue_stop(api->writes); /* runs what is queued first */
    journal_free(api->journal);
    faults_free(api->faults);
    metrics_free(api->metrics);
    router_free(api->router);
    pthread_mutex_destroy(&api->clock_lock);
    memset(api, 0, sizeof(*api));
}

int api_reset(struct api *api, char *err, size_t errlen)
{
    err[0] = '\0';
    pthread_mutex_lock(&api->clock_lock);
    /* The seed's instances are made at the time the reset clock shows: the system's. */
    int rc = store_seed(api, true, clock_system_now(), err, errlen);
    if (rc == 0)
        clock_set_offset(&api->clock, 0); /* the stored offset went with the meta table */
    pthread_mutex_unlock(&api->clock_lock);
    if (rc == 0) {
        faults_reset(api->faults);
        journal_clear(api->journal);
    }
    return rc;
}
