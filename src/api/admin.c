/* The control plane: instances, projects, reset, health (docs/emulator.md). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/instance_json.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"
#include "rdsemu/seed.h"

/* The instance_id path parameter, or NULL after answering 400. */
static const char *instance_id_param(struct request *req)
{
    const char *id = request_param(req, "instance_id");
    if (!instance_id_is_valid(id)) {
        reply_error(req, ERR_BAD_REQUEST,
                    "instance_id must be 1 to 64 characters of letters, digits, ., - and _");
        return NULL;
    }
    return id;
}

/* Borrowed connection, or NULL after answering 500. */
static struct store_conn *acquire(struct request *req)
{
    struct store_conn *conn = store_acquire(req->app->store);
    if (conn == NULL)
        reply_error(req, ERR_INTERNAL, "internal error");
    return conn;
}

void admin_instance_put(struct request *req)
{
    const char *project = request_param(req, "project_id");
    const char *id = instance_id_param(req);
    json_t *body = NULL;
    if (id == NULL || api_parse_body(req, &body) != 0)
        return;
    struct instance inst, stored = {0};
    struct rule_error err;
    if (instance_from_json(body, project, id, &inst, &err) != 0) {
        json_decref(body);
        reply_rule_error(req, &err);
        return;
    }
    json_decref(body);
    struct store_conn *conn = acquire(req);
    if (conn == NULL) {
        instance_free(&inst);
        return;
    }
    /* Written and read back in one transaction: a DELETE of the instance or of its project
     * cannot come in between (it would leave nothing to read back). */
    int rc = store_begin(conn);
    if (rc == 0)
        rc = store_instance_put(conn, &inst);
    if (rc == 0)
        rc = store_instance_get(conn, project, id, &stored) == 0 ? 0 : -1;
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    store_release(req->app->store, conn);
    if (rc != 0)
        reply_error(req, ERR_INTERNAL, "internal error");
    else
        reply_json(req, 200, render_instance(&stored));
    instance_free(&stored);
    instance_free(&inst);
}

void admin_instance_get(struct request *req)
{
    const char *id = instance_id_param(req);
    struct store_conn *conn;
    if (id == NULL || (conn = acquire(req)) == NULL)
        return;
    struct instance inst;
    int rc = store_instance_get(conn, request_param(req, "project_id"), id, &inst);
    store_release(req->app->store, conn);
    if (rc < 0) {
        reply_error(req, ERR_INTERNAL, "internal error");
    } else if (rc > 0) {
        reply_error(req, ERR_NOT_FOUND, "instance %s does not exist in project %s", id,
                    request_param(req, "project_id"));
    } else {
        reply_json(req, 200, render_instance(&inst));
        instance_free(&inst);
    }
}

static int append_instance(const struct instance *inst, void *arg)
{
    return json_array_append_new(arg, render_instance(inst));
}

void admin_instance_list(struct request *req)
{
    struct store_conn *conn = acquire(req);
    if (conn == NULL)
        return;
    json_t *list = json_array();
    int rc = list == NULL ? -1
                          : store_instance_list(conn, request_param(req, "project_id"),
                                                append_instance, list);
    store_release(req->app->store, conn);
    if (rc != 0) {
        json_decref(list);
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    reply_json(req, 200, json_pack("{s:o}", "instances", list));
}

void admin_instance_delete(struct request *req)
{
    const char *id = instance_id_param(req);
    struct store_conn *conn;
    if (id == NULL || (conn = acquire(req)) == NULL)
        return;
    int rc = store_begin(conn);
    if (rc == 0)
        rc = store_instance_delete(conn, request_param(req, "project_id"), id);
    if (rc >= 0 && store_commit(conn) != 0)
        rc = -1;
    if (rc < 0)
        store_rollback(conn);
    store_release(req->app->store, conn);
    if (rc < 0)
        reply_error(req, ERR_INTERNAL, "internal error");
    else if (rc > 0)
        reply_error(req, ERR_NOT_FOUND, "instance %s does not exist in project %s", id,
                    request_param(req, "project_id"));
    else
        reply_empty(req, 204);
}

void admin_project_delete(struct request *req)
{
    struct store_conn *conn = acquire(req);
    if (conn == NULL)
        return;
    int rc = store_begin(conn);
    if (rc == 0)
        rc = store_project_delete(conn, request_param(req, "project_id"));
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    store_release(req->app->store, conn);
    if (rc != 0)
        reply_error(req, ERR_INTERNAL, "internal error");
    else
        reply_empty(req, 204);
}

void admin_reset(struct request *req)
{
    char err[512];
    if (app_reset(req->app, err, sizeof(err)) != 0)
        reply_error(req, ERR_INTERNAL, "reset failed");
    else
        reply_empty(req, 204);
}

void admin_health(struct request *req)
{
    const char *lost = store_lost(req->app->store);
    if (lost != NULL) {
        reply_error(req, ERR_UNAVAILABLE, "%s", lost);
        return;
    }
    reply_json(req, 200, json_pack("{s:s, s:s}", "status", "ok", "version", RDSEMU_VERSION));
}
