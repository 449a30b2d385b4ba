/* The v1 list (docs/api.md "List backups"): not paged by the API, so it may be long. It is read
 * from the store a page at a time, each page in a short read transaction of its own, and
 * written out as the client takes it: a reader holds one page in memory, never the whole
 * list. A list that fits in one page is answered at once, with its length, as any answer. */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/lifecycle.h"
#include "rdsemu/log.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"
#include "rdsemu/validate.h"

/* Backups read from the store at a time (about 600 bytes of JSON each). */
#define PAGE_BACKUPS 256

struct v1_list {
    struct app *app;
    char project_id[PROJECT_ID_MAX + 1];
    int64_t now; /* the clock when the list was asked for: every page shows the same moment */
    struct backup_cursor after; /* the last backup written */
    bool started;               /* a backup was written: the next one takes a comma */
    size_t in_page;             /* backups of the page being read */
    bool more;                  /* the last page was full: there may be more */
    bool closed;                /* "]}" is written */
    struct json_out out;        /* the text not yet sent, from `sent` */
    size_t sent;
    char request_id[UUID_TEXT_LEN + 1]; /* for the log, should a later page fail */
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
        json_out_raw(&l->out, ",");
    render_v1_backup(&l->out, b);
    l->started = true;
    l->after = *at;
    return 0;
}

/* Replaces what was sent with the next page (and the closing "]}" after the last one). */
static int fill(struct v1_list *l, bool first)
{
    l->out.len = 0;
    l->sent = 0;
    if (first)
        json_out_raw(&l->out, "{\"backups\":[");
    struct store_conn *conn = store_acquire(l->app->store);
    if (conn == NULL)
        return -1;
    l->in_page = 0;
    l->more = false;
    int rc = store_backup_list_page(conn, l->project_id, first ? NULL : &l->after, PAGE_BACKUPS + 1,
                                    append_backup, l);
    store_release(l->app->store, conn);
    if (rc != 0)
        return -1;
    if (!l->more) {
        json_out_raw(&l->out, "]}");
        l->closed = true;
    }
    return l->out.buf != NULL ? 0 : -1;
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
    memcpy(buf, l->out.buf + l->sent, n);
    l->sent += n;
    return (long)n;
}

static void list_free(void *state)
{
    struct v1_list *l = state;
    free(json_out_take(&l->out, NULL));
    free(l);
}

void v1_backup_list(struct request *req)
{
    struct v1_list *l = calloc(1, sizeof(*l));
    if (l == NULL || json_out_init(&l->out, 4096) != 0) {
        free(l);
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    l->app = req->app;
    snprintf(l->project_id, sizeof(l->project_id), "%s", request_param(req, "project_id"));
    memcpy(l->request_id, req->request_id, sizeof(l->request_id));
    l->now = clock_now(&req->app->clock);
    if (fill(l, true) != 0) {
        list_free(l);
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    if (l->closed) {
        size_t len = 0;
        char *text = json_out_take(&l->out, &len);
        list_free(l);
        reply_json_text(req, 200, text, len);
        return;
    }
    reply_stream(req, 200, "application/json", read_more, l, list_free);
}
