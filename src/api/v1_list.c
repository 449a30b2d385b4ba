/* The v1 list (docs/api.md "List backups"): not paged by the API, so it may be long. It is read
 * from the store a page at a time, each page in a short read transaction of its own, and
 * written out as the client takes it: a reader holds one page in memory, never the whole
 * list. A list that fits in one page is answered at once, with its length, as any answer. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "rdsemu/base/log.h"
#include "rdsemu/core/lifecycle.h"
#include "render.h"
#include "respond.h"

/* Backups read from the store at a time (about 600 bytes of JSON each). */
#define PAGE_BACKUPS 256

struct v1_list {
    struct api *api; /* borrowed */
    char project_id[PROJECT_ID_MAX + 1];
    int64_t now; /* the clock when the list was asked for: every page shows the same moment */
    struct backup_cursor after; /* the last backup written */
    bool started;               /* a backup was written: the next one takes a comma */
    size_t in_page;             /* backups of the page being read */
    bool more;                  /* the last page was full: there may be more */
    bool closed;                /* "]}" is written */
    struct strbuf out;          /* the text not yet sent, from `sent` */
    size_t sent;
    char request_id[HTTP_REQUEST_ID_LEN + 1]; /* for the log, should a later page fail */
};

static int append_backup(struct backup *b, const struct backup_cursor *at, void *arg)
{
    struct v1_list *l = arg;
    if (++l->in_page > PAGE_BACKUPS) {
        l->more = true; /* one row past the page: it starts the next one */
        return 0;
    }
    if (backup_apply_clock(b, l->now) != 0)
        return -1;
    if (l->started)
        strbuf_puts(&l->out, ",");
    render_v1_backup(&l->out, b);
    l->started = true;
    l->after = *at;
    return 0;
}

/* Replaces what was sent with the next page (and the closing "]}" after the last one). */
static int fill(struct v1_list *l, bool first)
{
    strbuf_reset(&l->out);
    l->sent = 0;
    if (first)
        strbuf_puts(&l->out, "{\"backups\":[");
    struct store_conn *conn = store_acquire(l->api->store);
    if (conn == NULL)
        return -1;
    l->in_page = 0;
    l->more = false;
    int rc = store_backup_list_page(conn, l->project_id, first ? NULL : &l->after, PAGE_BACKUPS + 1,
                                    append_backup, l);
    store_release(l->api->store, conn);
    if (rc != 0)
        return -1;
    if (!l->more) {
        strbuf_puts(&l->out, "]}");
        l->closed = true;
    }
    return l->out.error == STRBUF_OK ? 0 : -1;
}

static long read_more(void *state, char *buf, size_t max)
{
    struct v1_list *l = state;
    if (l->sent == l->out.len) {
        if (l->closed)
            return 0;
        if (fill(l, false) != 0) {
            log_error("request %s: the backup list could not be read past what was sent; the "
                      "answer is cut short",
                      l->request_id);
            return -1;
        }
    }
    size_t n = l->out.len - l->sent;
    if (n > max)
        n = max;
    memcpy(buf, l->out.data + l->sent, n);
    l->sent += n;
    return (long)n;
}

static void list_free(void *state)
{
    struct v1_list *l = state;
    strbuf_release(&l->out);
    free(l);
}

void v1_backup_list(struct call *call)
{
    struct v1_list *l = calloc(1, sizeof(*l));
    if (l == NULL) {
        respond_internal(call);
        return;
    }
    l->api = call->api;
    snprintf(l->project_id, sizeof(l->project_id), "%s", call_param(call, "project_id"));
    memcpy(l->request_id, call->http.request_id, sizeof(l->request_id));
    l->now = clock_now(&call->api->clock);
    /* Rows past their delete time go first (a DELETING backup is listed until then). */
    struct store_conn *conn = store_acquire(call->api->store);
    int settled = conn != NULL ? store_settle_for_read(conn, l->now, &call->api->rules) : -1;
    if (conn != NULL)
        store_release(call->api->store, conn);
    if (settled != 0 || fill(l, true) != 0) {
        list_free(l);
        respond_internal(call);
        return;
    }
    if (l->closed) {
        size_t len = 0;
        char *text = strbuf_take(&l->out, &len);
        list_free(l);
        respond_json_text(call, 200, text, len);
        return;
    }
    if (!http_reply_stream(&call->http, 200, "application/json", read_more, l, list_free))
        respond_internal(call);
}
