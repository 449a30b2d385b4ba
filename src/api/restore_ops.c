/* What the restore calls share (src/api/restore_ops.h, docs/restore.md). */
#include <stdlib.h>
#include <string.h>

#include "rdsemu/core/ids.h"
#include "rdsemu/core/lifecycle.h"
#include "rdsemu/base/timefmt.h"
#include "restore_ops.h"

void restore_origin_free(struct restore_origin *o)
{
    free(o->engine);
    free(o->version);
    if (o->has_instance)
        instance_free(&o->instance);
    memset(o, 0, sizeof(*o));
}

int restore_ranges_of(struct store_conn *conn, const struct instance *inst, int64_t now,
                      struct time_range **ranges, size_t *count)
{
    int64_t *ends = NULL;
    size_t n = 0;
    *ranges = NULL;
    *count = 0;
    if (store_restore_ends(conn, inst->project_id, inst->id, now, &ends, &n) != 0)
        return -1;
    *ranges = calloc(n > 0 ? n : 1, sizeof(**ranges));
    if (*ranges == NULL) {
        free(ends);
        return -1;
    }
    *count = restore_ranges(ends, n, inst->policy.keep_days, now, *ranges);
    free(ends);
    return 0;
}

static int resolve_backup(struct store_conn *conn, const char *project_id,
                          const struct restore_source *src, int64_t now, struct restore_origin *out,
                          struct rule_error *err)
{
    struct backup b;
    bool found = false;
    if (store_backup_get(conn, project_id, src->backup_id, &b, &found) != 0)
        return -1;
    int rc = 1;
    if (!found || strcmp(b.instance_id, src->instance_id) != 0) {
        rule_fail(err, ERR_BACKUP_NOT_FOUND, "backup %.64s of instance %.64s does not exist",
                  src->backup_id, src->instance_id);
    } else if (backup_apply_clock(&b, now) != 0) {
        rc = -1;
    } else if (b.status != BACKUP_COMPLETED) {
        rule_fail(err, ERR_BACKUP_UNUSABLE, "backup %s is %s: only a COMPLETED backup restores",
                  b.id, backup_status_name(b.status));
    } else {
        out->engine = b.engine;
        out->version = b.version;
        b.engine = b.version = NULL;
        out->backup_id = src->backup_id;
        rc = 0;
    }
    backup_free(&b);
    return rc;
}

static int resolve_time(struct store_conn *conn, const struct restore_source *src, int64_t now,
                        struct restore_origin *out, struct rule_error *err)
{
    struct time_range *ranges = NULL;
    size_t n = 0;
    if (restore_ranges_of(conn, &out->instance, now, &ranges, &n) != 0)
        return -1;
    bool in = restore_time_in(ranges, n, src->restore_time_ms);
    free(ranges);
    if (!in) {
        rule_fail(err, ERR_BACKUP_UNUSABLE,
                  "restore_time %lld is not in a restorable range of instance %.64s (see its "
                  "restore-time)",
                  (long long)src->restore_time_ms, src->instance_id);
        return 1;
    }
    out->engine = strdup(out->instance.engine);
    out->version = strdup(out->instance.version);
    out->backup_id = "";
    return out->engine != NULL && out->version != NULL ? 0 : -1;
}

int restore_resolve(struct store_conn *conn, const char *project_id,
                    const struct restore_source *src, int64_t now, struct restore_origin *out,
                    struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    bool found = false;
    if (store_instance_get(conn, project_id, src->instance_id, &out->instance, &found) != 0)
        return -1;
    out->has_instance = found;
    if (src->from_backup)
        return resolve_backup(conn, project_id, src, now, out, err);
    if (!found) {
        rule_fail(err, ERR_SOURCE_NOT_FOUND, "source instance %.64s does not exist in project %s",
                  src->instance_id, project_id);
        return 1;
    }
    return resolve_time(conn, src, now, out, err);
}

long restore_seconds_of(const struct api *api, const struct create_overrides *ov,
                        const struct instance *settings)
{
    if (ov->build_seconds >= 0)
        return ov->build_seconds;
    if (settings != NULL && settings->restore_seconds >= 0)
        return settings->restore_seconds;
    return api->settings.restore_seconds;
}

enum outcome restore_outcome_of(const struct create_overrides *ov, const struct instance *settings)
{
    if (ov->has_outcome)
        return ov->outcome;
    if (settings != NULL && settings->has_restore_outcome)
        return settings->restore_outcome;
    return OUTCOME_SUCCESS;
}

int restore_job_write(struct store_conn *conn, const char *project_id, const char *engine,
                      bool new_instance, const struct instance *target,
                      const struct restore_origin *origin, const struct restore_source *src,
                      int64_t now, int64_t until, enum outcome outcome,
                      char job_id[JOB_ID_TEXT_LEN + 1])
{
    char name[40];
    restore_job_name(engine, new_instance, name);
    json_t *entities = json_pack("{s:O}", "source", src->as_sent);
    char *text = entities != NULL ? json_dumps(entities, JSON_COMPACT) : NULL;
    json_decref(entities);
    if (text == NULL)
        return -1;
    ids_job_id(job_id);
    struct job job = {.kind = JOB_RESTORE,
                      .project_id = (char *)project_id,
                      .name = name,
                      .backup_id = (char *)origin->backup_id,
                      .instance_id = target->id,
                      .instance_name = target->name,
                      .created = now,
                      .ready_at = until,
                      .outcome = outcome,
                      .entities = text};
    memcpy(job.id, job_id, sizeof(job.id));
    int rc = store_restore_job_insert(conn, &job);
    free(text);
    return rc;
}
