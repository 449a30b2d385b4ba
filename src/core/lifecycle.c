/* The lifecycle rules (docs/architecture.md "Lifecycle without a timer thread"). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/lifecycle.h"

int backup_init(struct backup *b, const char *project_id, const struct instance *inst,
                const char *name, int64_t created, long build_seconds, enum outcome outcome)
{
    b->project_id = strdup(project_id);
    b->instance_id = strdup(inst->id);
    b->instance_name = strdup(inst->name);
    b->name = strdup(name);
    b->engine = strdup(inst->engine);
    b->version = strdup(inst->version);
    b->type = BACKUP_MANUAL;
    b->created = created;
    /* Clamped: a completion time never goes past the last time the clock can show. */
    b->ready_at = time_clamp(created + build_seconds);
    b->outcome = outcome;
    b->status = BACKUP_BUILDING;
    b->finished = -1;
    b->size_kb = -1;
    b->size_at_ready = inst->size_kb >= 0 ? inst->size_kb : DEFAULT_SIZE_KB;
    b->expires = -1;
    if (b->project_id == NULL || b->instance_id == NULL || b->instance_name == NULL ||
        b->name == NULL || b->engine == NULL || b->version == NULL)
        return -1;
    return 0;
}

enum job_status job_status_of(enum backup_status status)
{
    return status == BACKUP_BUILDING ? JOB_RUNNING
           : status == BACKUP_FAILED ? JOB_FAILED
                                     : JOB_COMPLETED;
}

void lifecycle_state_at(const struct backup *b, int64_t now, struct lifecycle_state *out)
{
    if (now < b->ready_at) {
        *out = (struct lifecycle_state){BACKUP_BUILDING, -1, -1, NULL};
        return;
    }
    bool failed = b->outcome == OUTCOME_FAIL;
    out->status = failed ? BACKUP_FAILED : BACKUP_COMPLETED;
    out->finished = b->ready_at;
    out->size_kb = failed ? -1 : b->size_at_ready;
    out->fail_reason = failed ? LIFECYCLE_FAIL_REASON : NULL;
}

int backup_apply_clock(struct backup *b, int64_t now)
{
    if (b->status != BACKUP_BUILDING || now < b->ready_at)
        return 0;
    struct lifecycle_state state;
    lifecycle_state_at(b, now, &state);
    char *reason = NULL;
    if (state.fail_reason != NULL && (reason = strdup(state.fail_reason)) == NULL)
        return -1;
    b->status = state.status;
    b->finished = state.finished;
    b->size_kb = state.size_kb;
    free(b->fail_reason);
    b->fail_reason = reason;
    return 0;
}

int job_apply_clock(struct job *job, int64_t now)
{
    if (job->status != JOB_RUNNING || job->ready_at < 0 || now < job->ready_at)
        return 0;
    char *reason = NULL;
    bool failed = job->outcome == OUTCOME_FAIL;
    const char *why = job->kind == JOB_RESTORE ? RESTORE_FAIL_REASON : LIFECYCLE_FAIL_REASON;
    if (failed && (reason = strdup(why)) == NULL)
        return -1;
    job->status = failed ? JOB_FAILED : JOB_COMPLETED;
    job->ended = job->ready_at;
    free(job->fail_reason);
    job->fail_reason = reason;
    return 0;
}

bool instance_restoring_at(const struct instance *inst, int64_t now)
{
    return inst->restore_phase != RESTORE_NONE && now < inst->restore_until;
}

const char *instance_status_at(const struct instance *inst, int64_t now, bool backing_up)
{
    if (instance_restoring_at(inst, now))
        return inst->restore_phase == RESTORE_BUILDING ? "BUILD" : "RESTORING";
    if (inst->restore_phase == RESTORE_BUILDING && inst->restore_fails)
        return "FAILED";
    if (strcmp(inst->status, "ACTIVE") != 0)
        return inst->status;
    return backing_up ? "BACKING UP" : "ACTIVE";
}
