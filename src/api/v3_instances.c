/* The instance read API (docs/instances.md): GET /v3/{project_id}/instances over the same
 * instances as the control plane, as the Terraform providers' and SDKs' waiters read them. */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "policy_json.h"
#include "query_params.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/lifecycle.h"
#include "respond.h"

struct instance_params {
    char *id, *name, *type, *datastore_type, *offset, *limit;
};

#define INSTANCE_PARAMS(p)                                                                         \
    {                                                                                              \
        {"id", &(p)->id}, {"name", &(p)->name}, {"type", &(p)->type},                              \
            {"datastore_type", &(p)->datastore_type}, {"offset", &(p)->offset},                    \
            {"limit", &(p)->limit},                                                                \
    }

static bool one_of(const char *value, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(value, names[i]) == 0)
            return true;
    return false;
}

/* Turns the parameters into a query; -1 after answering 400. */
static int instance_query_or_reply(struct call *call, const struct instance_params *p,
                                   struct instance_query *q)
{
    static const char *const types[] = {"Single", "Ha", "Replica"};
    static const char *const engines[] = {"MySQL", "PostgreSQL", "SQLServer"};
    memset(q, 0, sizeof(*q));
    q->project_id = call_param(call, "project_id");
    q->id = p->id;
    q->name = p->name;
    if (p->name != NULL && p->name[0] == '*') {
        if (p->name[1] == '\0') {
            respond_error(call, ERR_BAD_REQUEST, "name * must be followed by the text to find");
            return -1;
        }
        q->name = p->name + 1; /* a leading '*': the names that contain the rest */
        q->name_contains = true;
    }
    if (p->type != NULL && !one_of(p->type, types, sizeof(types) / sizeof(types[0]))) {
        respond_error(call, ERR_BAD_REQUEST, "type must be Single, Ha or Replica");
        return -1;
    }
    q->type = p->type;
    if (p->datastore_type != NULL &&
        !one_of(p->datastore_type, engines, sizeof(engines) / sizeof(engines[0]))) {
        respond_error(call, ERR_BAD_REQUEST,
                      "datastore_type must be MySQL, PostgreSQL or SQLServer");
        return -1;
    }
    q->engine = p->datastore_type;
    return query_paging_or_reply(call, p->offset, p->limit, &q->offset, &q->limit);
}

/* The default port of each engine. */
static int engine_port(const char *engine)
{
    if (strcmp(engine, "PostgreSQL") == 0)
        return 5432;
    if (strcmp(engine, "SQLServer") == 0)
        return 1433;
    return 3306;
}

struct instance_list {
    struct call *call;
    struct store_conn *conn;
    int64_t now;
    json_t *items;
};

/* The status the instance API shows (instance_status_at): BACKING UP needs the store. */
static int status_of(struct instance_list *l, const struct instance *inst, const char **out)
{
    bool building = false;
    if (store_backup_building_exists(l->conn, inst->project_id, inst->id, l->now, &building) != 0)
        return -1;
    *out = instance_status_at(inst, l->now, building);
    return 0;
}

static json_t *strategy_of(const struct instance *inst)
{
    char window[POLICY_WINDOW_TEXT_LEN + 1] = "";
    if (inst->policy.keep_days > 0)
        policy_window_format(inst->policy.start, window);
    return json_pack("{s:s, s:i}", "start_time", window, "keep_days", inst->policy.keep_days);
}

/* A member a restore to a new instance was given (docs/restore.md), else `fallback` (new
 * reference either way). */
static json_t *placed(json_t *placement, const char *key, json_t *fallback)
{
    json_t *v = json_object_get(placement, key);
    if (v == NULL || json_is_null(v))
        return fallback;
    json_decref(fallback);
    return json_incref(v);
}

/* created and updated: "" while a restore makes the instance; updated is the end of the last
 * restore when that came after the last change. */
static void instance_times(const struct instance *inst, int64_t now, char created[TIME_V3_LEN + 1],
                           char updated[TIME_V3_LEN + 1])
{
    created[0] = updated[0] = '\0';
    if (inst->restore_phase == RESTORE_BUILDING && instance_restoring_at(inst, now))
        return;
    int64_t last = inst->updated;
    if (inst->restore_phase != RESTORE_NONE && inst->restore_until > last &&
        now >= inst->restore_until)
        last = inst->restore_until;
    time_format_v3(inst->created, created);
    time_format_v3(last, updated);
}

static json_t *render_v3_instance(const struct instance *inst, const char *status,
                                  const char *region, int64_t now)
{
    json_t *placement = inst->placement != NULL ? json_loads(inst->placement, 0, NULL) : NULL;
    char created[TIME_V3_LEN + 1], updated[TIME_V3_LEN + 1], zone[80], node_id[96], node_name[600];
    instance_times(inst, now, created, updated);
    json_t *region_v = placed(placement, "region", json_string(region));
    snprintf(zone, sizeof(zone), "%sa", json_string_value(region_v));
    snprintf(node_id, sizeof(node_id), "%s_node0", inst->id);
    snprintf(node_name, sizeof(node_name), "%s_node0", inst->name);
    bool ha =
        json_object_get(placement, "ha") != NULL && !json_is_null(json_object_get(placement, "ha"));
    /* A node is ACTIVE while its instance only backs up. */
    const char *node_status = strcmp(status, "BACKING UP") == 0 ? "ACTIVE" : status;
    json_t *node =
        json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", node_id, "name", node_name, "role",
                  inst->replica ? "readreplica" : "master", "status", node_status,
                  "availability_zone", placed(placement, "availability_zone", json_string(zone)));
    json_t *out = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:{s:s, s:s}, s:o, s:b, s:[], s:[], s:[], s:[o], s:o, s:o, "
        "s:o, s:o, s:o, s:o, s:s, s:s}",
        "id", inst->id, "name", inst->name, "status", status, "type",
        inst->replica ? "Replica"
        : ha          ? "Ha"
                      : "Single",
        "region", region_v, "datastore", "type", inst->engine, "version", inst->version, "port",
        placed(placement, "port", json_integer(engine_port(inst->engine))), "enable_ssl", 0,
        "private_ips", "public_ips", "tags", "nodes", node, "backup_strategy", strategy_of(inst),
        "flavor_ref", placed(placement, "flavor_ref", json_null()), "volume",
        placed(placement, "volume", json_null()), "vpc_id",
        placed(placement, "vpc_id", json_null()), "subnet_id",
        placed(placement, "subnet_id", json_null()), "security_group_id",
        placed(placement, "security_group_id", json_null()), "created", created, "updated",
        updated);
    json_decref(placement);
    return out;
}

static int append_instance(const struct instance *inst, void *arg)
{
    struct instance_list *l = arg;
    const char *status;
    if (status_of(l, inst, &status) != 0)
        return -1;
    json_t *item = render_v3_instance(inst, status, l->call->api->settings.region, l->now);
    return item != NULL ? json_array_append_new(l->items, item) : -1;
}

void v3_instance_list(struct call *call)
{
    struct instance_params params = {0};
    const struct query_param names[] = INSTANCE_PARAMS(&params);
    const size_t count = sizeof(names) / sizeof(names[0]);
    struct instance_query query;
    struct instance_list list = {call, NULL, clock_now(&call->api->clock), json_array()};
    int64_t total = 0;
    if (list.items == NULL) {
        respond_internal(call);
        goto done;
    }
    if (query_params_read_or_reply(call, names, count) != 0 ||
        instance_query_or_reply(call, &params, &query) != 0 ||
        (list.conn = store_acquire_or_reply(call)) == NULL)
        goto done;
    /* An automated backup whose window has come shows the instance BACKING UP. */
    int rc = store_settle_for_read(list.conn, list.now, &call->api->rules);
    if (rc == 0)
        rc = store_instance_query(list.conn, &query, append_instance, &list, &total);
    store_release(call->api->store, list.conn);
    if (rc != 0) {
        respond_internal(call);
        goto done;
    }
    respond_json(
        call, 200,
        json_pack("{s:O, s:I}", "instances", list.items, "total_count", (json_int_t)total));
done:
    json_decref(list.items);
    query_params_free(names, count);
}
