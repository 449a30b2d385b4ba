/* Private to src/api/: what the restore calls share (docs/restore.md): the source resolved in
 * the store (step 2 of the checks), the restorable times, the restore's time and outcome, and
 * its job. */
#ifndef RDSEMU_API_RESTORE_OPS_H
#define RDSEMU_API_RESTORE_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "backup_ops.h"
#include "rdsemu/core/restore.h"
#include "restore_json.h"

/* What a source resolved to. */
struct restore_origin {
    char *engine;  /* new */
    char *version; /* new */
    bool has_instance;
    struct instance instance; /* the source instance, when it still exists */
    const char *backup_id;    /* borrowed from the request; "" for a point in time */
};

void restore_origin_free(struct restore_origin *o);

/* The source, in the project only: a backup of the named instance that is COMPLETED (404
 * DBS.201010, 400 DBS.201203), or a time within the named instance's restorable ranges (404
 * DBS.200013, 400 DBS.201203). 0, 1 refused (`err`), -1 the store failed. */
int restore_resolve(struct store_conn *conn, const char *project_id,
                    const struct restore_source *src, int64_t now, struct restore_origin *out,
                    struct rule_error *err);

/* The instance's restorable ranges at `now` (`*ranges` new, `*count` of them). 0 or -1. */
int restore_ranges_of(struct store_conn *conn, const struct instance *inst, int64_t now,
                      struct time_range **ranges, size_t *count);

/* The restore's time and outcome: the request's headers, else the instance's settings
 * (`settings` may be NULL), else --restore-seconds and success. */
long restore_seconds_of(const struct api *api, const struct create_overrides *ov,
                        const struct instance *settings);
enum outcome restore_outcome_of(const struct create_overrides *ov, const struct instance *settings);

/* Writes the restore's job (its ID into `job_id`): named for the engine and whether it makes
 * an instance, on the target instance, with {"source": <as sent>} as its entities. */
int restore_job_write(struct store_conn *conn, const char *project_id, const char *engine,
                      bool new_instance, const struct instance *target,
                      const struct restore_origin *origin, const struct restore_source *src,
                      int64_t now, int64_t until, enum outcome outcome,
                      char job_id[JOB_ID_TEXT_LEN + 1]);

#endif
