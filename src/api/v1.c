/* The v1 backup API (docs/api.md): create and delete; the list is in v1_list.c. */
#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/backup_ops.h"
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
