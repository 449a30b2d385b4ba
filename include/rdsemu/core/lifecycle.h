/* The backup lifecycle as a pure function of the emulator clock (docs/emulator.md): a backup is
 * BUILDING while now < ready_at, then COMPLETED (or FAILED when its outcome is fail), with
 * the completion time ready_at. The store may hold a due backup as BUILDING until it is
 * settled; readers apply the clock so they see the same thing either way. */
#ifndef RDSEMU_LIFECYCLE_H
#define RDSEMU_LIFECYCLE_H

#include <stdint.h>

#include "rdsemu/core/model.h"

/* What a failed backup and its job say when the failure came from its outcome. */
#define LIFECYCLE_FAIL_REASON "Backup failed: outcome set to fail in the emulator"
/* What a failed restore's job says. */
#define RESTORE_FAIL_REASON "Restore failed: outcome set to fail in the emulator"

struct lifecycle_state {
    enum backup_status status;
    int64_t finished;        /* -1 while BUILDING */
    long long size_kb;       /* -1 unless COMPLETED */
    const char *fail_reason; /* static; NULL unless FAILED */
};

/* Fills a new backup of `inst` (new strings; free with backup_free even on failure), BUILDING
 * from `created` for `build_seconds`, then ending as `outcome` with the instance's size. Its
 * type is manual, with no description, no databases and no IDs yet. 0, or -1 out of memory. */
int backup_init(struct backup *b, const char *project_id, const struct instance *inst,
                const char *name, int64_t created, long build_seconds, enum outcome outcome);

/* The status of a backup's job while the backup has `status`. */
enum job_status job_status_of(enum backup_status status);
/* The state of a backup created as `b` (status BUILDING), at time `now`. */
void lifecycle_state_at(const struct backup *b, int64_t now, struct lifecycle_state *out);
/* Moves a backup read from the store to its state at `now`. 0, or -1 out of memory. */
int backup_apply_clock(struct backup *b, int64_t now);
/* The same for a job (its ready_at and outcome are in the job). */
int job_apply_clock(struct job *job, int64_t now);

/* The status the instance API shows at `now` (docs/instances.md): BUILD or RESTORING while a
 * restore runs, FAILED after a failed restore made it, a control-plane status other than
 * ACTIVE, BACKING UP while `backing_up`, else ACTIVE. Borrowed. */
const char *instance_status_at(const struct instance *inst, int64_t now, bool backing_up);
/* True while a restore makes the instance or restores to it (BUILD, RESTORING). */
bool instance_restoring_at(const struct instance *inst, int64_t now);

#endif
