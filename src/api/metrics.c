/* Request counters and the latency histogram. One mutex covers them, so that a scrape is a
 * consistent snapshot: the histogram's count always equals the sum of the request counters
 * (a request's counter and its bucket are never seen half-added). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "rdsemu/api/metrics.h"
#include "rdsemu/base/strbuf.h"
#include "rdsemu/core/model.h"

/* The statuses the emulator answers; any other is counted as "other". */
static const int known_statuses[] = {200, 201, 204, 400, 401, 403, 404, 409, 413, 500, 503};
#define STATUS_SLOTS (sizeof(known_statuses) / sizeof(known_statuses[0]) + 1)

/* Upper bounds of the latency buckets, in seconds. */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct counters {
    unsigned long long requests[METRICS_MAX_OPERATIONS + 1][STATUS_SLOTS];
    unsigned long long latency[BUCKETS + 1]; /* per bucket, not cumulative; the last is +Inf */
    unsigned long long latency_sum_us;
};

struct metrics {
    pthread_mutex_t lock;
    struct counters c;
};

struct metrics *metrics_new(void)
{
    struct metrics *m = calloc(1, sizeof(*m));
    if (m != NULL)
        pthread_mutex_init(&m->lock, NULL);
    return m;
}

void metrics_free(struct metrics *m)
{
    if (m == NULL)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static size_t status_slot(int status)
{
    for (size_t i = 0; i < STATUS_SLOTS - 1; i++)
        if (known_statuses[i] == status)
            return i;
    return STATUS_SLOTS - 1;
}

void metrics_observe(struct metrics *m, size_t operation, int status, double seconds)
{
    if (operation > METRICS_MAX_OPERATIONS)
        operation = METRICS_MAX_OPERATIONS;
    size_t slot = status_slot(status);
    size_t b = 0;
    while (b < BUCKETS && seconds > buckets[b])
        b++;
    pthread_mutex_lock(&m->lock);
    m->c.requests[operation][slot]++;
    m->c.latency[b]++;
    m->c.latency_sum_us += (unsigned long long)(seconds * 1e6);
    pthread_mutex_unlock(&m->lock);
}

char *metrics_render(struct metrics *m, const struct metrics_gauges *g)
{
    struct counters *c = malloc(sizeof(*c)); /* the snapshot: formatted outside the lock */
    if (c == NULL)
        return NULL;
    pthread_mutex_lock(&m->lock);
    *c = m->c;
    pthread_mutex_unlock(&m->lock);
    struct strbuf t = STRBUF_INIT;
    strbuf_printf(&t, "# HELP rdsemu_requests_total Requests answered, by operation and status.\n"
                      "# TYPE rdsemu_requests_total counter\n");
    for (size_t op = 0; op <= api_route_count && op <= METRICS_MAX_OPERATIONS; op++) {
        const char *name = op < api_route_count ? api_routes[op].operation : "unknown_route";
        for (size_t s = 0; s < STATUS_SLOTS; s++) {
            unsigned long long n = c->requests[op][s];
            if (n == 0)
                continue;
            if (s < STATUS_SLOTS - 1)
                strbuf_printf(&t, "rdsemu_requests_total{operation=\"%s\",status=\"%d\"} %llu\n",
                              name, known_statuses[s], n);
            else
                strbuf_printf(&t, "rdsemu_requests_total{operation=\"%s\",status=\"other\"} %llu\n",
                              name, n);
        }
    }
    strbuf_printf(&t, "# HELP rdsemu_request_duration_seconds Time from first byte to answer.\n"
                      "# TYPE rdsemu_request_duration_seconds histogram\n");
    unsigned long long cumulative = 0;
    for (size_t b = 0; b < BUCKETS; b++) {
        cumulative += c->latency[b];
        strbuf_printf(&t, "rdsemu_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[b],
                      cumulative);
    }
    cumulative += c->latency[BUCKETS];
    strbuf_printf(&t, "rdsemu_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cumulative);
    strbuf_printf(&t, "rdsemu_request_duration_seconds_sum %.6f\n",
                  (double)c->latency_sum_us / 1e6);
    strbuf_printf(&t, "rdsemu_request_duration_seconds_count %llu\n", cumulative);
    free(c);
    strbuf_printf(&t,
                  "# HELP rdsemu_requests_in_flight Requests being processed now.\n"
                  "# TYPE rdsemu_requests_in_flight gauge\n"
                  "rdsemu_requests_in_flight %d\n",
                  g->in_flight);
    strbuf_printf(&t, "# HELP rdsemu_backups Backups stored, by status.\n"
                      "# TYPE rdsemu_backups gauge\n");
    for (int s = 0; s < BACKUP_STATUS_COUNT; s++)
        strbuf_printf(&t, "rdsemu_backups{status=\"%s\"} %lld\n",
                      backup_status_name((enum backup_status)s), (long long)g->backups[s]);
    strbuf_printf(&t,
                  "# HELP rdsemu_journal_entries Requests held in the journal.\n"
                  "# TYPE rdsemu_journal_entries gauge\n"
                  "rdsemu_journal_entries %zu\n",
                  g->journal_entries);
    return strbuf_take(&t, NULL);
}
