/* What a test can observe of the emulator: the request journal (docs/emulator.md) and the
 * metrics (§5.6). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/reply.h"

/* Queues `text` (new, steals) with a content type. */
static void reply_text(struct request *req, char *text, const char *content_type)
{
    reply_bytes(req, 200, content_type, text, strlen(text), false);
}

void admin_requests_get(struct request *req)
{
    char *project = NULL, *limit_text = NULL;
    if (request_query(req, "project_id", &project) != 0 ||
        request_query(req, "limit", &limit_text) != 0) {
        reply_error(req, ERR_BAD_REQUEST, "project_id and limit may each be given once");
        goto out;
    }
    size_t limit = 0;
    if (limit_text != NULL) {
        char *end;
        long long v = strtoll(limit_text, &end, 10);
        if (*end != '\0' || limit_text[0] < '0' || limit_text[0] > '9' || v < 1 || v > 1000000) {
            reply_error(req, ERR_BAD_REQUEST, "limit must be a whole number from 1 to 1000000");
            goto out;
        }
        limit = (size_t)v;
    }
    char *text = journal_render(req->app->journal, project, limit);
    if (text == NULL)
        reply_error(req, ERR_INTERNAL, "internal error");
    else
        reply_text(req, text, "application/json");
out:
    free(project);
    free(limit_text);
}

void admin_requests_delete(struct request *req)
{
    journal_clear(req->app->journal);
    reply_empty(req, 204);
}

void admin_metrics(struct request *req)
{
    struct metrics_gauges gauges = {0};
    gauges.in_flight = atomic_load(&req->app->in_flight);
    gauges.journal_entries = journal_count(req->app->journal);
    struct store_conn *conn = store_acquire(req->app->store);
    int rc = conn == NULL
                 ? -1
                 : store_backup_status_counts(conn, clock_now(&req->app->clock), gauges.backups);
    if (conn != NULL)
        store_release(req->app->store, conn);
    char *text =
        rc == 0 ? metrics_render(req->app->metrics, api_routes, api_route_count, &gauges) : NULL;
    if (text == NULL)
        reply_error(req, ERR_INTERNAL, "internal error");
    else
        reply_text(req, text, "text/plain; version=0.0.4; charset=utf-8");
}
