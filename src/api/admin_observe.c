/* What a test can observe of the emulator: the request journal and the metrics
 * (docs/emulator.md). */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "rdsemu/api/journal.h"
#include "rdsemu/api/metrics.h"
#include "rdsemu/base/parse.h"
#include "respond.h"

/* The most entries one read of the journal asks for. */
#define JOURNAL_READ_MAX 1000000

/* Queues `text` (new, steals) with a content type. */
static void reply_text(struct call *call, char *text, const char *content_type)
{
    respond_bytes(call, 200, content_type, text, strlen(text), false);
}

void admin_requests_get(struct call *call)
{
    char *project = NULL, *limit_text = NULL;
    if (call_query(call, "project_id", &project) != 0 ||
        call_query(call, "limit", &limit_text) != 0) {
        respond_error(call, ERR_BAD_REQUEST, "project_id and limit may each be given once");
        goto out;
    }
    int64_t limit = 0;
    if (limit_text != NULL && !parse_bounded_int(limit_text, 1, JOURNAL_READ_MAX, &limit)) {
        respond_error(call, ERR_BAD_REQUEST, "limit must be a whole number from 1 to %d",
                      JOURNAL_READ_MAX);
        goto out;
    }
    char *text = journal_render(call->api->journal, project, (size_t)limit);
    if (text == NULL)
        respond_internal(call);
    else
        reply_text(call, text, "application/json");
out:
    free(project);
    free(limit_text);
}

void admin_requests_delete(struct call *call)
{
    journal_clear(call->api->journal);
    respond_empty(call, 204);
}

void admin_metrics(struct call *call)
{
    struct metrics_gauges gauges = {0};
    gauges.in_flight = call->api->server != NULL ? http_server_in_flight(call->api->server) : 0;
    gauges.journal_entries = journal_count(call->api->journal);
    struct store_conn *conn = store_acquire(call->api->store);
    int64_t now = clock_now(&call->api->clock);
    /* The rows the clock has made or removed are counted as they are now. */
    int rc = conn == NULL ? -1
             : store_settle_for_read(conn, now, &call->api->rules) != 0
                 ? -1
                 : store_backup_status_counts(conn, now, gauges.backups);
    if (conn != NULL)
        store_release(call->api->store, conn);
    char *text = rc == 0 ? metrics_render(call->api->metrics, &gauges) : NULL;
    if (text == NULL)
        respond_internal(call);
    else
        reply_text(call, text, "text/plain; version=0.0.4; charset=utf-8");
}
