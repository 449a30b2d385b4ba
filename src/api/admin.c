/* The control plane: instances, projects, reset, health (docs/emulator.md). */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "rdsemu/api/instance_json.h"
#include "rdsemu/core/validate.h"
#include "render.h"
#include "respond.h"

/* The instance_id path parameter, or NULL after answering 400. */
static const char *instance_id_param_or_reply(struct call *call)
{
    const char *id = call_param(call, "instance_id");
    if (!instance_id_is_valid(id)) {
        respond_error(call, ERR_BAD_REQUEST,
                      "instance_id must be 1 to 64 characters of letters, digits, ., - and _");
        return NULL;
    }
    return id;
}

/* An instance written and read back in one transaction: a DELETE of the instance or of its
 * project cannot come in between (it would leave nothing to read back). */
struct instance_put {
    struct api *api;
    const struct instance *given;
    struct instance stored;
};

/* What the instance as it was made comes first (its automated backups: docs/policy.md). */
static int instance_put_tx(struct store_conn *conn, void *arg)
{
    struct instance_put *put = arg;
    int64_t now = clock_now(&put->api->clock);
    bool found = false;
    if (store_settle(conn, now, &put->api->rules) != 0 ||
        store_instance_put(conn, put->given, now, &put->api->rules) != 0 ||
        store_instance_get(conn, put->given->project_id, put->given->id, &put->stored, &found) !=
            0 ||
        !found)
        return -1;
    return 0;
}

void admin_instance_put(struct call *call)
{
    const char *id = instance_id_param_or_reply(call);
    json_t *body = id != NULL ? call_body_or_reply(call) : NULL;
    if (body == NULL)
        return;
    struct instance inst;
    struct rule_error err;
    if (instance_from_json(body, call_param(call, "project_id"), id, &inst, &err) != 0) {
        respond_rule_error(call, &err);
        return;
    }
    struct instance_put put = {call->api, &inst, {0}};
    if (store_tx(call->api->store, instance_put_tx, &put) != 0)
        respond_internal(call);
    else
        respond_json(call, 200, render_instance(&put.stored));
    instance_free(&put.stored);
    instance_free(&inst);
}

/* 404 in the control plane's shape for an instance the project does not have. */
static void respond_no_instance(struct call *call, const char *id)
{
    respond_error(call, ERR_NOT_FOUND, "instance %s does not exist in project %s", id,
                  call_param(call, "project_id"));
}

void admin_instance_get(struct call *call)
{
    const char *id = instance_id_param_or_reply(call);
    struct store_conn *conn;
    if (id == NULL || (conn = store_acquire_or_reply(call)) == NULL)
        return;
    struct instance inst;
    bool found = false;
    int rc = store_instance_get(conn, call_param(call, "project_id"), id, &inst, &found);
    store_release(call->api->store, conn);
    if (rc != 0)
        respond_internal(call);
    else if (!found)
        respond_no_instance(call, id);
    else
        respond_json(call, 200, render_instance(&inst));
    instance_free(&inst);
}

static int append_instance(const struct instance *inst, void *arg)
{
    return json_array_append_new(arg, render_instance(inst));
}

void admin_instance_list(struct call *call)
{
    struct store_conn *conn = store_acquire_or_reply(call);
    if (conn == NULL)
        return;
    json_t *list = json_array();
    int rc = list == NULL
                 ? -1
                 : store_instance_list(conn, call_param(call, "project_id"), append_instance, list);
    store_release(call->api->store, conn);
    if (rc != 0) {
        json_decref(list);
        respond_internal(call);
        return;
    }
    respond_json(call, 200, json_pack("{s:o}", "instances", list));
}

struct instance_delete {
    const char *project_id;
    const char *id;
};

static int instance_delete_tx(struct store_conn *conn, void *arg)
{
    struct instance_delete *d = arg;
    bool deleted = false;
    if (store_instance_delete(conn, d->project_id, d->id, &deleted) != 0)
        return -1;
    return deleted ? 0 : 1;
}

void admin_instance_delete(struct call *call)
{
    const char *id = instance_id_param_or_reply(call);
    if (id == NULL)
        return;
    struct instance_delete d = {call_param(call, "project_id"), id};
    int rc = store_tx(call->api->store, instance_delete_tx, &d);
    if (rc < 0)
        respond_internal(call);
    else if (rc > 0)
        respond_no_instance(call, id);
    else
        respond_empty(call, 204);
}

static int project_delete_tx(struct store_conn *conn, void *arg)
{
    const char *const *project_id = arg;
    return store_project_delete(conn, *project_id);
}

void admin_project_delete(struct call *call)
{
    const char *project_id = call_param(call, "project_id");
    if (store_tx(call->api->store, project_delete_tx, &project_id) != 0)
        respond_internal(call);
    else
        respond_empty(call, 204);
}

void admin_reset(struct call *call)
{
    char err[512];
    if (api_reset(call->api, err, sizeof(err)) != 0)
        respond_error(call, ERR_INTERNAL, "reset failed");
    else
        respond_empty(call, 204);
}

void admin_health(struct call *call)
{
    const char *lost = store_lost(call->api->store);
    if (lost != NULL) {
        respond_error(call, ERR_UNAVAILABLE, "%s", lost);
        return;
    }
    respond_json(call, 200, json_pack("{s:s, s:s}", "status", "ok", "version", RDSEMU_VERSION));
}
