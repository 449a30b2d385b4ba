/* The v3 automated backup policy of an instance (docs/policy.md): GET and PUT of the one
 * policy v1 also shows. */
#include "handlers.h"
#include "policy_change.h"
#include "policy_json.h"
#include "respond.h"

void v3_policy_get(struct call *call)
{
    struct instance inst;
    if (policy_instance_or_reply(call, &inst) != 0)
        return;
    respond_json(call, 200, json_pack("{s:o}", "backup_policy", policy_to_json(&inst.policy)));
    instance_free(&inst);
}

/* The keep_days range depends on the engine: checked once the instance is found. */
static int apply_v3(struct policy_change *change, const struct instance *inst,
                    struct backup_policy *policy)
{
    return policy_input_apply(change->arg, inst->engine, "backup_policy", policy, &change->err);
}

void v3_policy_put(struct call *call)
{
    json_t *body = call_body_or_reply(call);
    if (body == NULL)
        return;
    struct policy_input given;
    struct rule_error err;
    json_t *reserve = json_object_get(body, "reserve_backups");
    if (policy_input_from_json(json_object_get(body, "backup_policy"), "backup_policy", &given,
                               &err) != 0) {
        respond_rule_error(call, &err);
        return;
    }
    if (reserve != NULL && !json_is_null(reserve) && !json_is_boolean(reserve)) {
        respond_error(call, ERR_BAD_REQUEST, "reserve_backups must be true or false");
        return;
    }
    struct policy_change change = {.api = call->api,
                                   .project_id = call_param(call, "project_id"),
                                   .instance_id = call_param(call, "instance_id"),
                                   .apply = apply_v3,
                                   .arg = &given,
                                   .drop_automated = json_is_false(reserve)};
    if (policy_change_run(&change) != 0)
        respond_rule_error(call, &change.err);
    else
        respond_empty(call, 200);
}
