/* Operations on backups shared by the v1 and v3 APIs: one store transaction each. */
#ifndef RDSEMU_BACKUP_OPS_H
#define RDSEMU_BACKUP_OPS_H

#include <stdbool.h>

#include <jansson.h>

#include "rdsemu/app.h"
#include "rdsemu/commit_queue.h"
#include "rdsemu/errors.h"
#include "rdsemu/model.h"
#include "rdsemu/request.h"
#include "rdsemu/validate.h"

/* Per-request choices of the lifecycle (headers X-Emulator-Backup-*), above the instance's. */
struct create_overrides {
    long build_seconds; /* -1: not given */
    bool has_outcome;
    enum outcome outcome;
};

/* A create on its way through the writer's next batch (group commit). */
struct create_job {
    struct commit_op op;
    struct app *app;
    const char *project_id;        /* borrowed: lives as long as the request */
    json_t *body;                  /* owned: the parsed body `request` points into */
    struct backup_request request; /* owned */
    bool allow_postgres;           /* v3 also takes partial PostgreSQL backups */
    struct create_overrides overrides;
    void (*notify)(void *ctx); /* called from the writer once the outcome is known */
    void *ctx;
    /* The outcome: rc 0 with `backup` (committed), or -1 with `err`. */
    int rc;
    struct backup backup;
    struct rule_error err;
};

/* New, zeroed; NULL when out of memory. */
struct create_job *create_job_new(struct app *app, const char *project_id);
/* Frees the job and all it owns (a request's deferred state). */
void create_job_free(void *job);
/* Runs the checks from "instance lookup" on (docs/api.md order) and the write of the backup
 * and its job in the writer's next transaction; notify(ctx) once it committed or failed. */
void backup_create_submit(struct create_job *job);

/* The create handler of both APIs: reads the body (v1: {"backup": {..., "instance"}}; v3: flat
 * with "instance_id"), checks the field rules and the lifecycle headers, then parks the
 * request until the writer's batch holding it committed, when `answer` writes the reply from
 * the request's create_job (req->deferred). Refusals are answered at once. */
void backup_create_request(struct request *req, enum api_flavour api, request_continue_fn answer);

/* Deletes a backup of the project: ERR_BACKUP_NOT_FOUND, ERR_BACKUP_BUILDING or
 * ERR_INTERNAL in `err` on -1. */
int backup_delete(struct app *app, const char *project_id, const char *backup_id,
                  struct rule_error *err);

/* Ends a BUILDING backup now (the control plane's forced transitions): `status` COMPLETED
 * or FAILED. ERR_NOT_FOUND, ERR_CONFLICT or ERR_INTERNAL on -1; `out` as in backup_create. */
int backup_force(struct app *app, const char *backup_id, enum backup_status status,
                 const char *reason, struct backup *out, struct rule_error *err);

/* Reads the X-Emulator-Backup-Seconds / -Outcome headers: 0, or -1 with `err` filled. */
int create_overrides_parse(const char *seconds, const char *outcome, struct create_overrides *out,
                           struct rule_error *err);

#endif
