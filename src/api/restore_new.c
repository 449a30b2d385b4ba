/* Restore to a new instance (docs/restore.md): POST /v3/{project_id}/instances with a
 * restore_point answers 202 with the new instance in BUILD and the job that makes it. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "rdsemu/base/timefmt.h"
#include "respond.h"
#include "restore_ops.h"

struct restore_new {
    struct api *api;
    const char *project_id;
    const struct restore_new_request *req;
    struct create_overrides overrides;
    struct rule_error err;
    struct instance made; /* the new instance, as stored */
    char job_id[JOB_ID_TEXT_LEN + 1];
};

/* The new instance: the source's engine, databases, size and backup and restore settings
 * (those of the source instance when it still exists), the version given or the source's, the
 * backup strategy given (set, every weekday) or the default; BUILD until `until`. */
static int made_instance(struct restore_new *r, const struct restore_origin *origin, int64_t until,
                         enum outcome outcome)
{
    const struct restore_new_request *req = r->req;
    struct instance *m = &r->made;
    char id[37];
    restore_instance_id(origin->engine, id);
    memset(m, 0, sizeof(*m));
    policy_default(&m->policy);
    m->backup_seconds = m->size_kb = m->delete_seconds = m->restore_seconds = m->auto_cursor = -1;
    if (origin->has_instance) {
        const struct instance *src = &origin->instance;
        m->backup_seconds = src->backup_seconds;
        m->has_outcome = src->has_outcome;
        m->outcome = src->outcome;
        m->size_kb = src->size_kb;
        m->delete_seconds = src->delete_seconds;
        m->restore_seconds = src->restore_seconds;
        m->has_restore_outcome = src->has_restore_outcome;
        m->restore_outcome = src->restore_outcome;
        m->has_databases = src->has_databases;
        for (size_t i = 0; i < src->databases.count; i++)
            if (name_list_add(&m->databases, src->databases.names[i]) != 0)
                return -1;
    }
    if (req->has_strategy && policy_input_apply(&req->strategy, origin->engine, "backup_strategy",
                                                &m->policy, &r->err) != 0) {
        r->err.err = ERR_BAD_REQUEST;
        return 1;
    }
    m->policy_set = req->has_strategy;
    m->restore_phase = RESTORE_BUILDING;
    m->restore_until = until;
    m->restore_fails = outcome == OUTCOME_FAIL;
    m->project_id = strdup(r->project_id);
    m->id = strdup(id);
    m->name = strdup(req->name);
    m->engine = strdup(origin->engine);
    m->version = strdup(req->version != NULL ? req->version : origin->version);
    m->status = strdup("ACTIVE");
    m->placement = json_dumps(req->placement, JSON_COMPACT);
    return m->project_id != NULL && m->id != NULL && m->name != NULL && m->engine != NULL &&
                   m->version != NULL && m->status != NULL && m->placement != NULL
               ? 0
               : -1;
}

static int restore_new_tx(struct store_conn *conn, void *arg)
{
    struct restore_new *r = arg;
    const struct restore_new_request *req = r->req;
    int64_t now = clock_now(&r->api->clock);
    struct restore_origin origin = {0};
    char why[200];
    int rc = -1;
    if (store_settle(conn, now, &r->api->rules) != 0)
        goto done;
    if ((rc = restore_resolve(conn, r->project_id, &req->source, now, &origin, &r->err)) != 0)
        goto done;
    rc = 1;
    if (req->engine != NULL && restore_compatible(origin.engine, origin.version, req->engine,
                                                  req->version, false, why, sizeof(why)) != 0) {
        rule_fail(&r->err, ERR_RESTORE_MISMATCH, "%s", why);
        goto done;
    }
    const struct instance *settings = origin.has_instance ? &origin.instance : NULL;
    int64_t until = time_clamp(now + restore_seconds_of(r->api, &r->overrides, settings));
    enum outcome outcome = restore_outcome_of(&r->overrides, settings);
    if ((rc = made_instance(r, &origin, until, outcome)) != 0)
        goto done;
    rc = store_instance_put(conn, &r->made, now, &r->api->rules) == 0 &&
                 restore_job_write(conn, r->project_id, origin.engine, true, &r->made, &origin,
                                   &req->source, now, until, outcome, r->job_id) == 0
             ? 0
             : -1;
done:
    restore_origin_free(&origin);
    return rc;
}

/* {"instance": {id, name, status BUILD, datastore, flavor_ref, volume, region,
 * availability_zone, backup_strategy}, "job_id"}. */
static json_t *render_made(const struct restore_new *r, const char *region)
{
    const struct instance *m = &r->made;
    json_t *placement = r->req->placement;
    json_t *given_region = json_object_get(placement, "region");
    char window[POLICY_WINDOW_TEXT_LEN + 1] = "";
    if (m->policy.keep_days > 0)
        policy_window_format(m->policy.start, window);
    return json_pack(
        "{s:{s:s, s:s, s:s, s:{s:s, s:s}, s:O, s:O, s:o, s:O, s:{s:s, s:i}}, s:s}", "instance",
        "id", m->id, "name", m->name, "status", "BUILD", "datastore", "type", m->engine, "version",
        m->version, "flavor_ref", json_object_get(placement, "flavor_ref"), "volume",
        json_object_get(placement, "volume"), "region",
        given_region != NULL ? json_incref(given_region) : json_string(region), "availability_zone",
        json_object_get(placement, "availability_zone"), "backup_strategy", "start_time", window,
        "keep_days", m->policy.keep_days, "job_id", r->job_id);
}

void v3_instance_create(struct call *call)
{
    json_t *body = call_body_or_reply(call);
    if (body == NULL)
        return;
    struct restore_new_request req;
    struct restore_new r = {
        .api = call->api, .project_id = call_param(call, "project_id"), .req = &req};
    if (restore_new_request_from_json(body, &req, &r.err) != 0 ||
        create_overrides_parse(call, "Restore", &r.overrides, &r.err) != 0) {
        respond_rule_error(call, &r.err);
        json_decref(req.placement);
        return;
    }
    int rc = store_tx(call->api->store, restore_new_tx, &r);
    if (rc < 0)
        respond_internal(call);
    else if (rc > 0)
        respond_rule_error(call, &r.err);
    else
        respond_json(call, 202, render_made(&r, call->api->settings.region));
    instance_free(&r.made);
    json_decref(req.placement);
}
