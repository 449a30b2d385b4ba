/* Counters for GET /_emulator/metrics (docs/emulator.md), in the Prometheus text format.
 * One mutex around the counters, so that every scrape is a consistent snapshot. */
#ifndef RDSEMU_METRICS_H
#define RDSEMU_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "rdsemu/core/model.h"

#define METRICS_MAX_OPERATIONS 48

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One finished request: `operation` is the route's index in the table, or the table size
 * for a request that matched no route. */
void metrics_observe(struct metrics *m, size_t operation, int status, double seconds);

struct metrics_gauges {
    int in_flight;
    int64_t backups[BACKUP_STATUS_COUNT]; /* by enum backup_status */
    size_t journal_entries;
};

/* New text, NULL when out of memory. */
char *metrics_render(struct metrics *m, const struct metrics_gauges *gauges);

#endif
