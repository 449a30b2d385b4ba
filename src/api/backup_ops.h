/* Private to src/api/: operations on backups shared by the v1 and v3 APIs and the control
 * plane, each one store transaction. */
#ifndef RDSEMU_API_BACKUP_OPS_H
#define RDSEMU_API_BACKUP_OPS_H

#include <stdbool.h>

#include "call.h"
#include "rdsemu/core/errors.h"
#include "rdsemu/core/model.h"
#include "rdsemu/core/validate.h"
#include "rdsemu/store/commit_queue.h"

/* Per-request choices of the lifecycle (headers X-Emulator-Backup-* for a create,
 * X-Emulator-Restore-* for a restore), above the instance's. */
struct create_overrides {
    long build_seconds; /* -1: not given */
    bool has_outcome;
    enum outcome outcome;
};

/* A create on its way through the writer's next batch (group commit). Owned by its call;
 * its strings are borrowed from the call's parsed body. */
struct create_job {
    struct commit_op op;           /* the writer's: run in a batch, done resumes the call */
    struct call *call;             /* borrowed: the call that waits for it */
    struct backup_request request; /* owned */
    bool allow_postgres;           /* v3 also takes partial PostgreSQL backups */
    struct create_overrides overrides;
    /* The outcome: rc 0 with `backup` (committed), or -1 with `err`. */
    int rc;
    struct backup backup;
    struct rule_error err;
};

/* Frees the job and all it owns; NULL is fine. */
void create_job_free(struct create_job *job);

/* The create handler of both APIs: reads the body (v1: {"backup": {..., "instance"}}; v3: flat
 * with "instance_id"), checks the field rules and the lifecycle headers, then parks the call
 * until the writer's batch holding it committed, when `answer` writes the reply from the
 * call's create_job. Refusals are answered at once. */
void backup_create_or_reply(struct call *call, enum api_flavour api,
                            void (*answer)(struct call *call));

/* Deletes a manual backup of the project, at once or (a delete time: the X-Emulator-Delete-
 * Seconds header's value `seconds_header`, its instance's, --delete-seconds) after a while in
 * DELETING. -1 with `err`: the header's value, ERR_BACKUP_NOT_FOUND, ERR_AUTO_BACKUP_DELETE,
 * ERR_BACKUP_DELETING, ERR_BACKUP_BUILDING or ERR_INTERNAL. */
int backup_delete(struct api *api, const char *project_id, const char *backup_id,
                  const char *seconds_header, struct rule_error *err);

/* Ends a BUILDING backup now (the control plane's forced transitions): `status` COMPLETED or
 * FAILED, `out` (new) as it is then. ERR_NOT_FOUND, ERR_CONFLICT or ERR_INTERNAL on -1. */
int backup_force(struct api *api, const char *backup_id, enum backup_status status,
                 const char *reason, struct backup *out, struct rule_error *err);

/* Reads the X-Emulator-<what>-Seconds / -Outcome headers of the call (`what`: "Backup",
 * "Restore"): 0, or -1 with `err` filled. */
int create_overrides_parse(struct call *call, const char *what, struct create_overrides *out,
                           struct rule_error *err);

#endif
