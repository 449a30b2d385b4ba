/* The v1 backup API (docs/api.md). */
#include <stdlib.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/backup_ops.h"
#include "rdsemu/lifecycle.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"

/* Answers a create once the writer's batch holding it committed. */
static void v1_backup_create_answer(struct request *req)
{
    struct create_job *job = req->deferred;
    if (job->rc != 0)
        reply_rule_error(req, &job->err);
    else {
        size_t len = 0;
        char *text = render_v1_create(&job->backup, &len);
        reply_json_text(req, 200, text, len);
    }
}

void v1_backup_create(struct request *req)
{
    backup_create_request(req, API_V1, v1_backup_create_answer);
}

struct list_state {
    struct json_out out;
    int64_t now;
    size_t count;
};

static int append_v1_backup(struct backup *b, void *arg)
{
    struct list_state *state = arg;
    if (backup_apply_clock(b, state->now) != 0)
        return -1;
    if (state->count++ > 0)
        json_out_raw(&state->out, ",");
    render_v1_backup(&state->out, b);
    return 0;
}

void v1_backup_list(struct request *req)
{
    struct store_conn *conn = store_acquire(req->app->store);
    if (conn == NULL) {
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    struct list_state state = {.now = clock_now(&req->app->clock)};
    int rc = json_out_init(&state.out, 4096);
    if (rc == 0) {
        json_out_raw(&state.out, "{\"backups\":[");
        rc = store_backup_list(conn, request_param(req, "project_id"), append_v1_backup, &state);
        json_out_raw(&state.out, "]}");
    }
    store_release(req->app->store, conn);
    size_t len = 0;
    char *text = json_out_take(&state.out, &len);
    if (rc != 0) {
        free(text);
        text = NULL;
    }
    reply_json_text(req, 200, text, len);
}

void v1_backup_delete(struct request *req)
{
    struct rule_error err;
    if (backup_delete(req->app, request_param(req, "project_id"), request_param(req, "backup_id"),
                      &err) != 0) {
        reply_rule_error(req, &err);
        return;
    }
    reply_json(req, 200, json_object());
}
