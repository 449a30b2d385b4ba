/* The v1 backup policy of an instance (docs/api.md). */
#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/policy.h"
#include "rdsemu/reply.h"

void v1_policy_get(struct request *req)
{
    const char *project = request_param(req, "project_id");
    const char *id = request_param(req, "instance_id");
    struct store_conn *conn = store_acquire(req->app->store);
    if (conn == NULL) {
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    struct instance inst;
    int rc = store_instance_get(conn, project, id, &inst);
    store_release(req->app->store, conn);
    if (rc < 0) {
        reply_error(req, ERR_INTERNAL, "internal error");
    } else if (rc > 0) {
        reply_error(req, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s", id,
                    project);
    } else {
        reply_json(req, 200,
                   json_pack("{s:{s:i, s:s}}", "policy", "keepday", inst.policy_keepday,
                             "starttime", inst.policy_starttime));
        instance_free(&inst);
    }
}

/* Checks the body: 0 with the values, or -1 after answering 400. */
static int policy_from_body(struct request *req, json_t *body, int *keepday, char starttime[9])
{
    json_t *policy = json_object_get(body, "policy");
    if (policy == NULL || json_is_null(policy)) {
        reply_error(req, ERR_BAD_REQUEST, "policy is required");
        return -1;
    }
    if (!json_is_object(policy)) {
        reply_error(req, ERR_BAD_REQUEST, "policy must be an object");
        return -1;
    }
    json_t *days = json_object_get(policy, "keepday");
    if (days == NULL || json_is_null(days)) {
        reply_error(req, ERR_BAD_REQUEST, "policy.keepday is required");
        return -1;
    }
    if (!json_is_integer(days) || json_integer_value(days) < 0 ||
        json_integer_value(days) > POLICY_KEEPDAY_MAX) {
        reply_error(req, ERR_BAD_REQUEST, "policy.keepday must be a whole number from 0 to %d",
                    POLICY_KEEPDAY_MAX);
        return -1;
    }
    json_t *start = json_object_get(policy, "starttime");
    if (start == NULL || json_is_null(start)) {
        reply_error(req, ERR_BAD_REQUEST, "policy.starttime is required");
        return -1;
    }
    if (!json_is_string(start) ||
        policy_starttime_normalize(json_string_value(start), starttime) != 0) {
        reply_error(req, ERR_BAD_REQUEST, "policy.starttime must be hh:mm or hh:mm:ss (UTC)");
        return -1;
    }
    *keepday = (int)json_integer_value(days);
    return 0;
}

void v1_policy_put(struct request *req)
{
    const char *project = request_param(req, "project_id");
    const char *id = request_param(req, "instance_id");
    json_t *body;
    if (api_parse_body(req, &body) != 0)
        return;
    int keepday;
    char starttime[9];
    int rc = policy_from_body(req, body, &keepday, starttime);
    json_decref(body);
    if (rc != 0)
        return;
    struct store_conn *conn = store_acquire(req->app->store);
    rc = conn != NULL ? store_begin(conn) : -1;
    if (rc == 0)
        rc = store_policy_set(conn, project, id, keepday, starttime);
    if (rc >= 0 && store_commit(conn) != 0)
        rc = -1;
    if (conn != NULL && rc < 0)
        store_rollback(conn);
    if (conn != NULL)
        store_release(req->app->store, conn);
    if (rc < 0)
        reply_error(req, ERR_INTERNAL, "internal error");
    else if (rc > 0)
        reply_error(req, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s", id,
                    project);
    else
        reply_json(req, 200, json_object());
}
