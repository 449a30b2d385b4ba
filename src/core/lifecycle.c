/* The lifecycle rules (docs/architecture.md "Lifecycle without a timer thread"). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/core/lifecycle.h"

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
    if (failed && (reason = strdup(LIFECYCLE_FAIL_REASON)) == NULL)
        return -1;
    job->status = failed ? JOB_FAILED : JOB_COMPLETED;
    job->ended = job->ready_at;
    free(job->fail_reason);
    job->fail_reason = reason;
    return 0;
}
