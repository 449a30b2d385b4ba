/* The create transaction shared by v1 and v3 (docs/architecture.md steps 4-5). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/api.h"
#include "rdsemu/backup_json.h"
#include "rdsemu/backup_ops.h"
#include "rdsemu/reply.h"
#include "rdsemu/ids.h"
#include "rdsemu/log.h"
#include "rdsemu/timefmt.h"

/* The longest build time a header or an instance may ask for: ten years. */
#define BUILD_SECONDS_MAX (10L * 366 * 24 * 3600)

int create_overrides_parse(const char *seconds, const char *outcome, struct create_overrides *out,
                           struct rule_error *err)
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

/* Fills the new backup from the request, the instance and the lifecycle choices. The IDs
 * are already there (made before the batch, off the writer thread). */
static int backup_build(struct backup *b, const char *project_id, const struct backup_request *req,
                        const struct instance *inst, long build_seconds, enum outcome outcome,
                        int64_t now)
{
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
    /* Clamped: a completion time never goes past the last time the clock can show. */
    b->ready_at = time_clamp(now + build_seconds);
    b->outcome = outcome;
    b->status = BACKUP_BUILDING;
    b->finished = -1;
    b->size_kb = -1;
    b->size_at_ready = inst->size_kb >= 0 ? inst->size_kb : DEFAULT_SIZE_KB;
    if (rc != 0 || b->project_id == NULL || b->instance_id == NULL || b->instance_name == NULL ||
        b->name == NULL || b->engine == NULL || b->version == NULL ||
        (req->description != NULL && b->description == NULL))
        return -1;
    return 0;
}

/* The checks that need the store, then the write; in the writer's transaction. */
static int create_run(struct store_conn *conn, void *arg)
{
    struct create_job *job = arg;
    const struct backup_request *req = &job->request;
    struct instance inst = {0};
    int64_t now = clock_now(&job->app->clock);
    int rc = -1;
    int found = store_instance_get(conn, job->project_id, req->instance_id, &inst);
    if (found != 0) {
        if (found > 0) {
            rule_fail(&job->err, ERR_INSTANCE_NOT_FOUND,
                      "instance %.64s does not exist in "
                      "project %s",
                      req->instance_id, job->project_id);
            rc = 1;
        }
        goto out;
    }
    if (backup_request_check_instance(req, &inst, job->allow_postgres, &job->err) != 0) {
        rc = 1;
        goto out;
    }
    int running = store_backup_building_exists(conn, job->project_id, inst.id, now);
    if (running != 0) {
        if (running > 0) {
            rule_fail(&job->err, ERR_BACKUP_RUNNING,
                      "a backup of instance %.64s is already in progress; wait until it "
                      "finishes",
                      inst.id);
            rc = 1;
        }
        goto out;
    }
    int taken = store_backup_name_taken(conn, job->project_id, inst.id, req->name);
    if (taken != 0) {
        if (taken > 0) {
            rule_fail(&job->err, ERR_NAME_TAKEN,
                      "name %s is already used by a backup of instance %.64s", req->name, inst.id);
            rc = 1;
        }
        goto out;
    }
    const struct create_overrides *ov = &job->overrides;
    long build_seconds = ov->build_seconds >= 0     ? ov->build_seconds
                         : inst.backup_seconds >= 0 ? inst.backup_seconds
                                                    : job->app->cfg->backup_seconds;
    enum outcome outcome = ov->has_outcome    ? ov->outcome
                           : inst.has_outcome ? inst.outcome
                                              : OUTCOME_SUCCESS;
    if (backup_build(&job->backup, job->project_id, req, &inst, build_seconds, outcome, now) == 0 &&
        store_backup_insert(conn, &job->backup, now) == 0)
        rc = 0;
out:
    instance_free(&inst);
    return rc;
}

static void create_done(void *arg, int rc)
{
    struct create_job *job = arg;
    if (rc < 0)
        rule_fail(&job->err, ERR_INTERNAL, "internal error");
    job->rc = rc == 0 ? 0 : -1;
    job->notify(job->ctx);
}

struct create_job *create_job_new(struct app *app, const char *project_id)
{
    struct create_job *job = calloc(1, sizeof(*job));
    if (job == NULL)
        return NULL;
    job->app = app;
    job->project_id = project_id;
    job->rc = -1;
    return job;
}

void create_job_free(void *arg)
{
    struct create_job *job = arg;
    if (job == NULL)
        return;
    backup_free(&job->backup);
    backup_request_free(&job->request);
    json_decref(job->body);
    free(job);
}

void backup_create_submit(struct create_job *job)
{
    ids_uuid_random(job->backup.id);
    ids_job_id(job->backup.job_id);
    job->op.run = create_run;
    job->op.done = create_done;
    job->op.arg = job;
    commit_queue_submit(job->app->writes, &job->op);
}

/* The object that holds the create's members: v1 wraps them in "backup". NULL after
 * answering 400. */
static json_t *create_members(struct request *req, json_t *body, enum api_flavour api)
{
    if (api != API_V1)
        return body;
    json_t *backup = json_object_get(body, "backup");
    if (backup == NULL || json_is_null(backup)) {
        reply_error(req, ERR_BAD_REQUEST, "backup is required");
        return NULL;
    }
    if (!json_is_object(backup)) {
        reply_error(req, ERR_BAD_REQUEST, "backup must be an object");
        return NULL;
    }
    return backup;
}

void backup_create_request(struct request *req, enum api_flavour api, request_continue_fn answer)
{
    struct create_job *job = create_job_new(req->app, request_param(req, "project_id"));
    if (job == NULL) {
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    struct rule_error err;
    json_t *members;
    if (api_parse_body(req, &job->body) != 0 ||
        (members = create_members(req, job->body, api)) == NULL) {
        create_job_free(job);
        return;
    }
    /* v3 takes partial backups of PostgreSQL too. */
    job->allow_postgres = api == API_V3;
    if (backup_request_from_json(members, api == API_V1 ? "instance" : "instance_id", &job->request,
                                 &err) != 0 ||
        backup_request_validate(&job->request, &err) != 0 ||
        create_overrides_parse(request_header(req, "X-Emulator-Backup-Seconds"),
                               request_header(req, "X-Emulator-Backup-Outcome"), &job->overrides,
                               &err) != 0) {
        reply_rule_error(req, &err);
        create_job_free(job);
        return;
    }
    job->notify = request_resume;
    job->ctx = req;
    request_defer(req, answer, job, create_job_free);
    backup_create_submit(job);
}
