/* The v1 backup policy of an instance (docs/api.md): keepday and starttime of the one policy
 * v3 also shows (docs/policy.md); a v1 change keeps the weekdays. */
#include <string.h>

#include "handlers.h"
#include "policy_change.h"
#include "respond.h"

void v1_policy_get(struct call *call)
{
    struct instance inst;
    if (policy_instance_or_reply(call, &inst) != 0)
        return;
    respond_json(call, 200,
                 json_pack("{s:{s:i, s:s}}", "policy", "keepday", inst.policy.keep_days,
                           "starttime", inst.policy.start));
    instance_free(&inst);
}

/* The v1 body's policy, checked: 0, or -1 with `err`. */
static int policy_from_body(json_t *body, struct backup_policy *out, struct rule_error *err)
{
    json_t *policy = json_object_get(body, "policy");
    if (policy == NULL || json_is_null(policy))
        return rule_fail(err, ERR_BAD_REQUEST, "policy is required");
    if (!json_is_object(policy))
        return rule_fail(err, ERR_BAD_REQUEST, "policy must be an object");
    json_t *days = json_object_get(policy, "keepday");
    if (days == NULL || json_is_null(days))
        return rule_fail(err, ERR_BAD_REQUEST, "policy.keepday is required");
    if (!json_is_integer(days) || json_integer_value(days) < 0 ||
        json_integer_value(days) > POLICY_KEEPDAY_MAX)
        return rule_fail(err, ERR_BAD_REQUEST, "policy.keepday must be a whole number from 0 to %d",
                         POLICY_KEEPDAY_MAX);
    json_t *start = json_object_get(policy, "starttime");
    if (start == NULL || json_is_null(start))
        return rule_fail(err, ERR_BAD_REQUEST, "policy.starttime is required");
    if (!json_is_string(start) ||
        policy_starttime_normalize(json_string_value(start), out->start) != 0)
        return rule_fail(err, ERR_BAD_REQUEST, "policy.starttime must be hh:mm or hh:mm:ss (UTC)");
    out->keep_days = (int)json_integer_value(days);
    return 0;
}

/* v1 keeps its own rules for any engine, and the stored weekdays. */
static int apply_v1(struct policy_change *change, const struct instance *inst,
                    struct backup_policy *policy)
{
    (void)inst;
    const struct backup_policy *given = change->arg;
    policy->keep_days = given->keep_days;
    memcpy(policy->start, given->start, sizeof(policy->start));
    return 0;
}

void v1_policy_put(struct call *call)
{
    json_t *body = call_body_or_reply(call);
    struct backup_policy given;
    struct rule_error err;
    if (body == NULL)
        return;
    if (policy_from_body(body, &given, &err) != 0) {
        respond_rule_error(call, &err);
        return;
    }
    struct policy_change change = {.api = call->api,
                                   .project_id = call_param(call, "project_id"),
                                   .instance_id = call_param(call, "instance_id"),
                                   .apply = apply_v1,
                                   .arg = &given};
    if (policy_change_run(&change) != 0)
        respond_rule_error(call, &change.err);
    else
        respond_json(call, 200, json_object());
}
