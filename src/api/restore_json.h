/* Private to src/api/: the bodies of the restore calls (docs/restore.md), their field rules
 * checked (400 DBS.200001), the values borrowed from the parsed body. */
#ifndef RDSEMU_API_RESTORE_JSON_H
#define RDSEMU_API_RESTORE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy_json.h"
#include "rdsemu/core/errors.h"

/* What a restore restores from: a backup, or a point in time of an instance. */
struct restore_source {
    const char *instance_id;
    bool from_backup;
    const char *backup_id;   /* from_backup */
    int64_t restore_time_ms; /* !from_backup: UNIX milliseconds */
    json_t *as_sent;         /* the object as sent, for the job's entities */
};

/* POST .../instances/recovery: {"source": {...}, "target": {"instance_id"}}. */
struct recovery_request {
    struct restore_source source;
    const char *target_id;
};

/* POST /v3/{project_id}/instances with restore_point. */
struct restore_new_request {
    struct restore_source source; /* restore_point */
    const char *name;
    const char *engine;  /* datastore.type given, else NULL */
    const char *version; /* datastore.version given, else NULL */
    bool has_strategy;
    struct policy_input strategy; /* backup_strategy: keep_days, start_time; every weekday */
    json_t *placement;            /* new: what the instance API shows of the body */
};

int recovery_request_from_json(json_t *body, struct recovery_request *out, struct rule_error *err);
/* `out->placement` is new: free it with json_decref even on failure. */
int restore_new_request_from_json(json_t *body, struct restore_new_request *out,
                                  struct rule_error *err);

#endif
