/* Fault injection rules (docs/emulator.md). */
#include "handlers.h"
#include "rdsemu/api/faults.h"
#include "respond.h"

void admin_faults_post(struct call *call)
{
    json_t *body = call_body_or_reply(call), *rule = NULL;
    struct rule_error err;
    if (body == NULL)
        return;
    if (faults_add(call->api->faults, body, &rule, &err) != 0)
        respond_rule_error(call, &err);
    else
        respond_json(call, 201, rule);
}

void admin_faults_get(struct call *call)
{
    respond_json(call, 200, faults_list(call->api->faults));
}

void admin_faults_delete(struct call *call)
{
    faults_clear(call->api->faults);
    respond_empty(call, 204);
}

void admin_fault_delete(struct call *call)
{
    const char *id = call_param(call, "fault_id");
    if (faults_remove(call->api->faults, id) != 0)
        respond_error(call, ERR_NOT_FOUND, "fault %.64s does not exist", id);
    else
        respond_empty(call, 204);
}
