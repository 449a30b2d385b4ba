/* The create transaction shared by v1 and v3 (docs/architecture.md "Writes: group commit on one
 * writer thread"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backup_json.h"
#include "backup_ops.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/ids.h"
#include "rdsemu/core/lifecycle.h"
#include "rdsemu/core/limits.h"
#include "respond.h"

int create_overrides_parse(struct call *call, const char *what, struct create_overrides *out,
                           struct rule_error *err)
{
    char seconds_name[48], outcome_name_[48];
    snprintf(seconds_name, sizeof(seconds_name), "X-Emulator-%s-Seconds", what);
    snprintf(outcome_name_, sizeof(outcome_name_), "X-Emulator-%s-Outcome", what);
    const char *seconds = call_header(call, seconds_name),
               *outcome = call_header(call, outcome_name_);
    out->build_seconds = -1;
    out->has_outcome = false;
    int64_t v;
    if (seconds != NULL) {
        if (!parse_bounded_int(seconds, 0, BUILD_SECONDS_MAX, &v))
            return rule_fail(err, ERR_BAD_REQUEST,
                             "%s must be a whole number of seconds from 0 to %ld", seconds_name,
                             BUILD_SECONDS_MAX);
        out->build_seconds = (long)v;
    }
    if (outcome != NULL) {
        if (outcome_parse(outcome, true, &out->outcome) != 0)
            return rule_fail(err, ERR_BAD_REQUEST, "%s must be success or fail", outcome_name_);
        out->has_outcome = true;
    }
    return 0;
}

/* Fills the new backup from the request, the instance and the lifecycle choices. The IDs
 * are already there (made before the batch, off the writer thread). */
static int backup_build(struct backup *b, const char *project_id, const struct backup_request *req,
                        const struct instance *inst, long build_seconds, enum outcome outcome,
                        int64_t now)
{
    if (backup_init(b, project_id, inst, req->name, now, build_seconds, outcome) != 0)
        return -1;
    if (req->description != NULL && (b->description = strdup(req->description)) == NULL)
        return -1;
    for (size_t i = 0; i < req->database_count; i++)
        if (name_list_add(&b->databases, req->databases[i]) != 0)
            return -1;
    return 0;
}

/* The checks that need the store, in the order of docs/api.md: the instance, its state and
 * engine, a backup already running, the name. 0 when the backup may be written (`inst`
 * filled), 1 after a refusal (`job->err` filled), -1 on a storage failure. */
static int create_check(struct create_job *job, struct store_conn *conn, const char *project_id,
                        int64_t now, struct instance *inst)
{
    const struct backup_request *req = &job->request;
    bool found = false, running = false, taken = false;
    if (store_instance_get(conn, project_id, req->instance_id, inst, &found) != 0)
        return -1;
    if (!found) {
        rule_fail(&job->err, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                  req->instance_id, project_id);
        return 1;
    }
    /* An instance in a restore: the restore's own code; one a restore failed to make is not
     * ACTIVE (docs/restore.md). */
    const char *status = instance_status_at(inst, now, false);
    if (instance_restoring_at(inst, now)) {
        rule_fail(&job->err, ERR_INSTANCE_RESTORING, "instance %.64s is %s: a restore is running",
                  inst->id, status);
        return 1;
    }
    if (strcmp(status, "FAILED") == 0 && !inst->replica) {
        rule_fail(&job->err, ERR_INSTANCE_STATE, "instance %.64s is FAILED, not ACTIVE", inst->id);
        return 1;
    }
    if (backup_request_check_instance(req, inst, job->allow_postgres, &job->err) != 0)
        return 1;
    if (store_backup_building_exists(conn, project_id, inst->id, now, &running) != 0)
        return -1;
    if (running) {
        rule_fail(&job->err, ERR_BACKUP_RUNNING,
                  "a backup of instance %.64s is already in progress; wait until it finishes",
                  inst->id);
        return 1;
    }
    if (store_backup_name_taken(conn, project_id, inst->id, req->name, &taken) != 0)
        return -1;
    if (taken) {
        rule_fail(&job->err, ERR_NAME_TAKEN,
                  "name %s is already used by a backup of instance %.64s", req->name, inst->id);
        return 1;
    }
    return 0;
}

/* The checks that need the store, then the write; in the writer's transaction. */
static int create_run(struct commit_op *op, struct store_conn *conn)
{
    struct create_job *job = container_of(op, struct create_job, op);
    struct api *api = job->call->api;
    const char *project_id = call_param(job->call, "project_id");
    struct instance inst;
    int64_t now = clock_now(&api->clock);
    int rc = create_check(job, conn, project_id, now, &inst);
    if (rc == 0) {
        const struct create_overrides *ov = &job->overrides;
        long build_seconds = ov->build_seconds >= 0     ? ov->build_seconds
                             : inst.backup_seconds >= 0 ? inst.backup_seconds
                                                        : api->settings.backup_seconds;
        enum outcome outcome = ov->has_outcome    ? ov->outcome
                               : inst.has_outcome ? inst.outcome
                                                  : OUTCOME_SUCCESS;
        rc = backup_build(&job->backup, project_id, &job->request, &inst, build_seconds, outcome,
                          now) == 0 &&
                     store_backup_insert(conn, &job->backup, now) == 0
                 ? 0
                 : -1;
    }
    instance_free(&inst);
    return rc;
}

/* From the writer thread, once the batch is on disk (or failed): the call comes back. */
static void create_done(struct commit_op *op, int rc)
{
    struct create_job *job = container_of(op, struct create_job, op);
    if (rc < 0)
        rule_internal(&job->err);
    job->rc = rc == 0 ? 0 : -1;
    http_request_resume(&job->call->http);
}

void create_job_free(struct create_job *job)
{
    if (job == NULL)
        return;
    backup_free(&job->backup);
    backup_request_free(&job->request);
    free(job);
}

/* The object that holds the create's members: v1 wraps them in "backup". NULL after
 * answering 400. */
static json_t *create_members_or_reply(struct call *call, enum api_flavour api)
{
    json_t *body = call_body_or_reply(call);
    if (body == NULL || api != API_V1)
        return body;
    json_t *backup = json_object_get(body, "backup");
    if (backup == NULL || json_is_null(backup)) {
        respond_error(call, ERR_BAD_REQUEST, "backup is required");
        return NULL;
    }
    if (!json_is_object(backup)) {
        respond_error(call, ERR_BAD_REQUEST, "backup must be an object");
        return NULL;
    }
    return backup;
}

void backup_create_or_reply(struct call *call, enum api_flavour api,
                            void (*answer)(struct call *call))
{
    json_t *members = create_members_or_reply(call, api);
    if (members == NULL)
        return;
    struct create_job *job = calloc(1, sizeof(*job));
    if (job == NULL) {
        respond_internal(call);
        return;
    }
    job->call = call;
    job->rc = -1;
    /* v3 takes partial backups of PostgreSQL too. */
    job->allow_postgres = api == API_V3;
    struct rule_error err;
    if (backup_request_from_json(members, api == API_V1 ? "instance" : "instance_id", &job->request,
                                 &err) != 0 ||
        backup_request_validate(&job->request, &err) != 0 ||
        create_overrides_parse(call, "Backup", &job->overrides, &err) != 0) {
        respond_rule_error(call, &err);
        create_job_free(job);
        return;
    }
    /* The IDs are made here, off the writer thread. */
    ids_uuid_random(job->backup.id);
    ids_job_id(job->backup.job_id);
    job->op.run = create_run;
    job->op.done = create_done;
    call_defer(call, job, answer);
    commit_queue_submit(call->api->writes, &job->op);
}
