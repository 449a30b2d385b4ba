/* The v1 backup API (docs/api.md): create and delete; the list is in v1_list.c. */
#include "backup_ops.h"
#include "handlers.h"
#include "render.h"
#include "respond.h"

/* Answers a create once the writer's batch holding it committed. */
static void v1_backup_create_answer(struct call *call)
{
    struct create_job *job = call->deferral.create;
    if (job->rc != 0)
        respond_rule_error(call, &job->err);
    else {
        size_t len = 0;
        char *text = render_v1_create(&job->backup, &len);
        respond_json_text(call, 200, text, len);
    }
}

void v1_backup_create(struct call *call)
{
    backup_create_or_reply(call, API_V1, v1_backup_create_answer);
}

void v1_backup_delete(struct call *call)
{
    struct rule_error err;
    if (backup_delete(call->api, call_param(call, "project_id"), call_param(call, "backup_id"),
                      call_header(call, "X-Emulator-Delete-Seconds"), &err) != 0) {
        respond_rule_error(call, &err);
        return;
    }
    respond_json(call, 200, json_object());
}
