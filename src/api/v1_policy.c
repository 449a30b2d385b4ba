/* The v1 backup policy of an instance (docs/api.md). */
#include "handlers.h"
#include "rdsemu/core/policy.h"
#include "respond.h"

/* 404 in the v1 shape for an instance the project does not have. */
static void respond_no_instance(struct call *call)
{
    respond_error(call, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                  call_param(call, "instance_id"), call_param(call, "project_id"));
}

void v1_policy_get(struct call *call)
{
    struct store_conn *conn = store_acquire_or_reply(call);
    if (conn == NULL)
        return;
    struct instance inst;
    bool found = false;
    int rc = store_instance_get(conn, call_param(call, "project_id"),
                                call_param(call, "instance_id"), &inst, &found);
    store_release(call->api->store, conn);
    if (rc != 0)
        respond_internal(call);
    else if (!found)
        respond_no_instance(call);
    else
        respond_json(call, 200,
                     json_pack("{s:{s:i, s:s}}", "policy", "keepday", inst.policy_keepday,
                               "starttime", inst.policy_starttime));
    instance_free(&inst);
}

/* Checks the body: 0 with the values, or -1 after answering 400. */
static int policy_from_body(struct call *call, json_t *body, int *keepday, char starttime[9])
{
    json_t *policy = json_object_get(body, "policy");
    if (policy == NULL || json_is_null(policy)) {
        respond_error(call, ERR_BAD_REQUEST, "policy is required");
        return -1;
    }
    if (!json_is_object(policy)) {
        respond_error(call, ERR_BAD_REQUEST, "policy must be an object");
        return -1;
    }
    json_t *days = json_object_get(policy, "keepday");
    if (days == NULL || json_is_null(days)) {
        respond_error(call, ERR_BAD_REQUEST, "policy.keepday is required");
        return -1;
    }
    if (!json_is_integer(days) || json_integer_value(days) < 0 ||
        json_integer_value(days) > POLICY_KEEPDAY_MAX) {
        respond_error(call, ERR_BAD_REQUEST, "policy.keepday must be a whole number from 0 to %d",
                      POLICY_KEEPDAY_MAX);
        return -1;
    }
    json_t *start = json_object_get(policy, "starttime");
    if (start == NULL || json_is_null(start)) {
        respond_error(call, ERR_BAD_REQUEST, "policy.starttime is required");
        return -1;
    }
    if (!json_is_string(start) ||
        policy_starttime_normalize(json_string_value(start), starttime) != 0) {
        respond_error(call, ERR_BAD_REQUEST, "policy.starttime must be hh:mm or hh:mm:ss (UTC)");
        return -1;
    }
    *keepday = (int)json_integer_value(days);
    return 0;
}

struct policy_put {
    const char *project_id, *instance_id;
    int keepday;
    char starttime[9];
};

static int policy_put_tx(struct store_conn *conn, void *arg)
{
    struct policy_put *put = arg;
    bool found = false;
    if (store_policy_set(conn, put->project_id, put->instance_id, put->keepday, put->starttime,
                         &found) != 0)
        return -1;
    return found ? 0 : 1;
}

void v1_policy_put(struct call *call)
{
    struct policy_put put = {call_param(call, "project_id"), call_param(call, "instance_id"), 0,
                             ""};
    json_t *body = call_body_or_reply(call);
    if (body == NULL || policy_from_body(call, body, &put.keepday, put.starttime) != 0)
        return;
    int rc = store_tx(call->api->store, policy_put_tx, &put);
    if (rc < 0)
        respond_internal(call);
    else if (rc > 0)
        respond_no_instance(call);
    else
        respond_json(call, 200, json_object());
}
