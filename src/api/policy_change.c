/* A change of an instance's backup policy (src/api/policy_change.h, docs/policy.md). */
#include <string.h>

#include "policy_change.h"
#include "respond.h"

static int change_tx(struct store_conn *conn, void *arg)
{
    struct policy_change *c = arg;
    struct api *api = c->api;
    int64_t now = clock_now(&api->clock);
    struct instance inst;
    bool found = false;
    int rc = -1;
    if (store_settle(conn, now, &api->rules) != 0 ||
        store_instance_get(conn, c->project_id, c->instance_id, &inst, &found) != 0)
        goto done;
    rc = 1;
    if (!found) {
        rule_fail(&c->err, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                  c->instance_id, c->project_id);
        goto done;
    }
    struct backup_policy policy = inst.policy;
    if (c->apply(c, &inst, &policy) != 0)
        goto done;
    rc = -1;
    if (store_policy_set(conn, c->project_id, c->instance_id, &policy, now, &found) != 0 ||
        store_auto_retention(conn, c->project_id, c->instance_id, policy.keep_days) != 0 ||
        (c->drop_automated && policy.keep_days == 0 &&
         store_auto_backups_delete(conn, c->project_id, c->instance_id) != 0) ||
        store_auto_schedule(conn, c->project_id, c->instance_id, &api->rules) != 0 ||
        store_settle(conn, now, &api->rules) != 0) /* a shorter retention prunes at once */
        goto done;
    rc = 0;
done:
    instance_free(&inst);
    return rc;
}

int policy_instance_or_reply(struct call *call, struct instance *inst)
{
    memset(inst, 0, sizeof(*inst));
    struct store_conn *conn = store_acquire_or_reply(call);
    if (conn == NULL)
        return -1;
    bool found = false;
    int rc = store_instance_get(conn, call_param(call, "project_id"),
                                call_param(call, "instance_id"), inst, &found);
    store_release(call->api->store, conn);
    if (rc != 0)
        respond_internal(call);
    else if (!found)
        respond_error(call, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                      call_param(call, "instance_id"), call_param(call, "project_id"));
    return rc == 0 && found ? 0 : -1;
}

int policy_change_run(struct policy_change *change)
{
    int rc = store_tx(change->api->store, change_tx, change);
    if (rc < 0)
        rule_internal(&change->err);
    return rc == 0 ? 0 : -1;
}
