/* Fault injection rules (docs/emulator.md). */
#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/reply.h"

void admin_faults_post(struct request *req)
{
    json_t *body, *rule = NULL;
    struct rule_error err;
    if (api_parse_body(req, &body) != 0)
        return;
    if (faults_add(req->app->faults, body, &rule, &err) != 0)
        reply_rule_error(req, &err);
    else
        reply_json(req, 201, rule);
    json_decref(body);
}

void admin_faults_get(struct request *req)
{
    reply_json(req, 200, faults_list(req->app->faults));
}

void admin_faults_delete(struct request *req)
{
    faults_clear(req->app->faults);
    reply_empty(req, 204);
}

void admin_fault_delete(struct request *req)
{
    const char *id = request_param(req, "fault_id");
    if (faults_remove(req->app->faults, id) != 0)
        reply_error(req, ERR_NOT_FOUND, "fault %.64s does not exist", id);
    else
        reply_empty(req, 204);
}
