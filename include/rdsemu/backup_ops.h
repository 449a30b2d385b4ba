/* Operations on backups shared by the v1 and v3 APIs: one store transaction each. */
#ifndef RDSEMU_BACKUP_OPS_H
#define RDSEMU_BACKUP_OPS_H

#include <stdbool.h>

#include "rdsemu/app.h"
#include "rdsemu/errors.h"
#include "rdsemu/model.h"
#include "rdsemu/validate.h"

/* Per-request choices of the lifecycle (headers X-Emulator-Backup-*), above the instance's. */
struct create_overrides {
    long build_seconds; /* -1: not given */
    bool has_outcome;
    enum outcome outcome;
};

/* Runs the checks from "instance lookup" on (API.md §1 order) and writes the backup and its
 * job in one transaction, committed before returning 0. On -1, `err` says which rule (or
 * ERR_INTERNAL). `out` is filled with new strings (backup_free) on success. */
int backup_create(struct app *app, const char *project_id, const struct backup_request *req,
                  bool allow_postgres, const struct create_overrides *overrides,
                  struct backup *out, struct rule_error *err);

/* Deletes a backup of the project: ERR_BACKUP_NOT_FOUND, ERR_BACKUP_BUILDING or
 * ERR_INTERNAL in `err` on -1. */
int backup_delete(struct app *app, const char *project_id, const char *backup_id,
                  struct rule_error *err);

/* Ends a BUILDING backup now (the control plane's forced transitions): `status` COMPLETED
 * or FAILED. ERR_NOT_FOUND, ERR_CONFLICT or ERR_INTERNAL on -1; `out` as in backup_create. */
int backup_force(struct app *app, const char *backup_id, enum backup_status status,
                 const char *reason, struct backup *out, struct rule_error *err);

/* Reads the X-Emulator-Backup-Seconds / -Outcome headers: 0, or -1 with `err` filled. */
int create_overrides_parse(const char *seconds, const char *outcome,
                           struct create_overrides *out, struct rule_error *err);

#endif
