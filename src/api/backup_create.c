/* The create transaction shared by v1 and v3 (DESIGN.md steps 4-5). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/backup_ops.h"
#include "rdsemu/ids.h"
#include "rdsemu/log.h"

/* The longest build time a header or an instance may ask for: ten years. */
#define BUILD_SECONDS_MAX (10L * 366 * 24 * 3600)

int create_overrides_parse(const char *seconds, const char *outcome,
                           struct create_overrides *out, struct rule_error *err)
{
    out->build_seconds = -1;
    out->has_outcome = false;
    if (seconds != NULL) {
        char *end;
        errno = 0;
        long v = strtol(seconds, &end, 10);
        if (seconds[0] < '0' || seconds[0] > '9' || *end != '\0' || errno != 0 || v < 0 ||
            v > BUILD_SECONDS_MAX)
            return rule_fail(err, ERR_BAD_REQUEST,
                             "X-Emulator-Backup-Seconds must be a whole number of seconds from "
                             "0 to %ld",
                             BUILD_SECONDS_MAX);
        out->build_seconds = v;
    }
    if (outcome != NULL) {
        if (strcasecmp(outcome, "success") == 0)
            out->outcome = OUTCOME_SUCCESS;
        else if (strcasecmp(outcome, "fail") == 0)
            out->outcome = OUTCOME_FAIL;
        else
            return rule_fail(err, ERR_BAD_REQUEST,
                             "X-Emulator-Backup-Outcome must be success or fail");
        out->has_outcome = true;
    }
    return 0;
}

/* Fills the new backup from the request, the instance and the lifecycle choices. */
static int backup_build(struct backup *b, const char *project_id,
                        const struct backup_request *req, const struct instance *inst,
                        long build_seconds, enum outcome outcome, int64_t now)
{
    memset(b, 0, sizeof(*b));
    ids_uuid_random(b->id);
    ids_job_id(b->job_id);
    b->project_id = strdup(project_id);
    b->instance_id = strdup(inst->id);
    b->instance_name = strdup(inst->name);
    b->name = strdup(req->name);
    b->description = req->description != NULL ? strdup(req->description) : NULL;
    b->engine = strdup(inst->engine);
    b->version = strdup(inst->version);
    int rc = 0;
    for (size_t i = 0; i < req->database_count && rc == 0; i++)
        rc = name_list_add(&b->databases, req->databases[i]);
    b->created = now;
    b->ready_at = now + build_seconds;
    b->outcome = outcome;
    b->status = BACKUP_BUILDING;
    b->finished = -1;
    b->size_kb = -1;
    b->size_at_ready = inst->size_kb >= 0 ? inst->size_kb : DEFAULT_SIZE_KB;
    if (rc != 0 || b->project_id == NULL || b->instance_id == NULL ||
        b->instance_name == NULL || b->name == NULL || b->engine == NULL ||
        b->version == NULL || (req->description != NULL && b->description == NULL)) {
        backup_free(b);
        return -1;
    }
    return 0;
}

int backup_create(struct app *app, const char *project_id, const struct backup_request *req,
                  bool allow_postgres, const struct create_overrides *overrides,
                  struct backup *out, struct rule_error *err)
{
    struct store_conn *conn = store_acquire(app->store);
    if (conn == NULL)
        return rule_fail(err, ERR_INTERNAL, "internal error");
    int rc = -1;
    struct instance inst = {0};
    int64_t now = clock_now(&app->clock);
    if (store_begin(conn) != 0 || store_backups_settle(conn, now) != 0)
        goto internal;
    int found = store_instance_get(conn, project_id, req->instance_id, &inst);
    if (found < 0)
        goto internal;
    if (found > 0) {
        rule_fail(err, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                  req->instance_id, project_id);
        goto out;
    }
    if (backup_request_check_instance(req, &inst, allow_postgres, err) != 0)
        goto out;
    int running = store_backup_building_exists(conn, project_id, inst.id);
    if (running < 0)
        goto internal;
    if (running > 0) {
        rule_fail(err, ERR_BACKUP_RUNNING,
                  "a backup of instance %.64s is already in progress; wait until it finishes",
                  inst.id);
        goto out;
    }
    int taken = store_backup_name_taken(conn, project_id, inst.id, req->name);
    if (taken < 0)
        goto internal;
    if (taken > 0) {
        rule_fail(err, ERR_NAME_TAKEN, "name %s is already used by a backup of instance %.64s",
                  req->name, inst.id);
        goto out;
    }
    long build_seconds = overrides->build_seconds >= 0 ? overrides->build_seconds
                         : inst.backup_seconds >= 0    ? inst.backup_seconds
                                                       : app->cfg->backup_seconds;
    enum outcome outcome = overrides->has_outcome ? overrides->outcome
                           : inst.has_outcome     ? inst.outcome
                                                  : OUTCOME_SUCCESS;
    if (backup_build(out, project_id, req, &inst, build_seconds, outcome, now) != 0)
        goto internal;
    if (store_backup_insert(conn, out) != 0 || store_commit(conn) != 0) {
        backup_free(out);
        goto internal;
    }
    rc = 0;
    goto done;
internal:
    rule_fail(err, ERR_INTERNAL, "internal error");
out:
    store_rollback(conn);
done:
    instance_free(&inst);
    store_release(app->store, conn);
    return rc;
}
