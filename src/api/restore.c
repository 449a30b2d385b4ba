/* Restore to an existing instance, and the times an instance can be restored to
 * (docs/restore.md): GET .../restore-time, POST /v3/.../instances/recovery (200) and
 * POST /v3.1/.../instances/recovery (202). */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/lifecycle.h"
#include "respond.h"
#include "restore_ops.h"

/* "yyyy-mm-dd": the day's first second, or -1. */
static int64_t date_parse(const char *s)
{
    int64_t y, m, d;
    char part[5];
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    memcpy(part, s, 4);
    part[4] = '\0';
    if (!parse_bounded_int(part, 1970, 9999, &y))
        return -1;
    memcpy(part, s + 5, 2);
    part[2] = '\0';
    if (!parse_bounded_int(part, 1, 12, &m))
        return -1;
    memcpy(part, s + 8, 2);
    if (!parse_bounded_int(part, 1, 31, &d) || !time_date_valid(y, (unsigned)m, (unsigned)d))
        return -1;
    return time_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
}

void v3_restore_time(struct call *call)
{
    char *date = NULL;
    int64_t day = -1;
    struct instance inst = {0};
    struct time_range *ranges = NULL;
    size_t n = 0;
    struct store_conn *conn = NULL;
    if (call_query(call, "date", &date) != 0 || (date != NULL && (day = date_parse(date)) < 0)) {
        respond_error(call, ERR_BAD_REQUEST,
                      "date must be a day like 2026-12-05 (UTC), given once");
        goto done;
    }
    if ((conn = store_acquire_or_reply(call)) == NULL)
        goto done;
    int64_t now = clock_now(&call->api->clock);
    bool found = false;
    /* Automated backups whose windows have come count. */
    int rc = store_settle_for_read(conn, now, &call->api->rules);
    if (rc == 0)
        rc = store_instance_get(conn, call_param(call, "project_id"),
                                call_param(call, "instance_id"), &inst, &found);
    if (rc == 0 && found)
        rc = restore_ranges_of(conn, &inst, now, &ranges, &n);
    store_release(call->api->store, conn);
    if (rc != 0) {
        respond_internal(call);
        goto done;
    }
    if (!found) {
        respond_error(call, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                      call_param(call, "instance_id"), call_param(call, "project_id"));
        goto done;
    }
    if (day >= 0)
        n = restore_ranges_clip(ranges, n, day);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list,
                              json_pack("{s:I, s:I}", "start_time", (json_int_t)ranges[i].start_ms,
                                        "end_time", (json_int_t)ranges[i].end_ms));
    respond_json(call, 200, json_pack("{s:o}", "restore_time", list));
done:
    instance_free(&inst);
    free(ranges);
    free(date);
}

struct recovery {
    struct api *api;
    const char *project_id;
    const struct recovery_request *req;
    struct create_overrides overrides;
    struct rule_error err;
    char job_id[JOB_ID_TEXT_LEN + 1];
};

/* Step 4: the target's state. 0, or 1 refused. */
static int target_state(const struct instance *target, int64_t now, bool building,
                        struct rule_error *err)
{
    const char *status = instance_status_at(target, now, building);
    if (target->replica)
        rule_fail(err, ERR_INSTANCE_STATE, "instance %.64s is a read replica", target->id);
    else if (instance_restoring_at(target, now) || strcmp(status, "BACKING UP") == 0)
        rule_fail(err, ERR_TARGET_BUSY, "instance %.64s is %s; try again when it is ACTIVE",
                  target->id, status);
    else if (strcmp(status, "ACTIVE") != 0)
        rule_fail(err, ERR_INSTANCE_STATE, "instance %.64s is %.32s, not ACTIVE", target->id,
                  status);
    else
        return 0;
    return 1;
}

/* The checks in their order (docs/restore.md), then the job and the target RESTORING. */
static int recovery_tx(struct store_conn *conn, void *arg)
{
    struct recovery *r = arg;
    const struct recovery_request *req = r->req;
    int64_t now = clock_now(&r->api->clock);
    struct instance target = {0};
    struct restore_origin origin = {0};
    bool found = false, building = false;
    char why[200];
    int rc = -1;
    if (store_settle(conn, now, &r->api->rules) != 0 ||
        store_instance_get(conn, r->project_id, req->target_id, &target, &found) != 0)
        goto done;
    rc = 1;
    if (!found) {
        rule_fail(&r->err, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                  req->target_id, r->project_id);
        goto done;
    }
    if ((rc = restore_resolve(conn, r->project_id, &req->source, now, &origin, &r->err)) != 0)
        goto done;
    rc = 1;
    if (restore_compatible(origin.engine, origin.version, target.engine, target.version,
                           strcmp(req->source.instance_id, target.id) == 0, why,
                           sizeof(why)) != 0) {
        rule_fail(&r->err, ERR_RESTORE_MISMATCH, "%s", why);
        goto done;
    }
    rc = -1;
    if (store_backup_building_exists(conn, r->project_id, target.id, now, &building) != 0)
        goto done;
    rc = 1;
    if (target_state(&target, now, building, &r->err) != 0)
        goto done;
    long seconds = restore_seconds_of(r->api, &r->overrides, &target);
    int64_t until = time_clamp(now + seconds);
    rc =
        restore_job_write(conn, r->project_id, target.engine, false, &target, &origin, &req->source,
                          now, until, restore_outcome_of(&r->overrides, &target), r->job_id) == 0 &&
                store_instance_restore_begin(conn, r->project_id, target.id, now, until) == 0
            ? 0
            : -1;
done:
    instance_free(&target);
    restore_origin_free(&origin);
    return rc;
}

static void recovery(struct call *call, int status)
{
    json_t *body = call_body_or_reply(call);
    if (body == NULL)
        return;
    struct recovery_request req;
    struct recovery r = {
        .api = call->api, .project_id = call_param(call, "project_id"), .req = &req};
    if (recovery_request_from_json(body, &req, &r.err) != 0 ||
        create_overrides_parse(call, "Restore", &r.overrides, &r.err) != 0) {
        respond_rule_error(call, &r.err);
        return;
    }
    int rc = store_tx(call->api->store, recovery_tx, &r);
    if (rc < 0)
        respond_internal(call);
    else if (rc > 0)
        respond_rule_error(call, &r.err);
    else
        respond_json(call, status, json_pack("{s:s}", "job_id", r.job_id));
}

void v3_recovery(struct call *call)
{
    recovery(call, 200);
}

void v31_recovery(struct call *call)
{
    recovery(call, 202);
}
