/* Domain structs -> JSON in the documented member order (DESIGN.md step 6). */
#include <stdio.h>

#include "rdsemu/ids.h"
#include "rdsemu/render.h"
#include "rdsemu/timefmt.h"

/* A string, or JSON null for NULL. New reference. */
static json_t *string_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

json_t *render_v1_backup(const struct backup *b)
{
    char created[TIME_V1_LEN + 1];
    char version_id[UUID_TEXT_LEN + 1];
    time_format_v1(b->created, created);
    ids_version_id(b->engine, b->version, version_id);
    json_t *updated = json_null();
    if (b->finished >= 0) {
        char finished[TIME_V1_LEN + 1];
        time_format_v1(b->finished, finished);
        json_decref(updated);
        updated = json_string(finished);
    }
    /* v1 gives the size in GB, unrounded; it is stored once, in kB. */
    json_t *size = b->size_kb >= 0 ? json_real((double)b->size_kb / 1048576.0) : json_null();
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:n, s:s, s:n, s:o, s:s, s:o, "
                     "s:s}",
                     "created", created, "dataStore", "type", b->engine, "version", b->version,
                     "version_id", version_id, "description", string_or_null(b->description),
                     "id", b->id, "instance_id", b->instance_id, "locationRef", "name", b->name,
                     "parent_id", "size", size, "status", backup_status_name(b->status),
                     "updated", updated, "backuptype", "1");
}

json_t *render_v1_create(const struct backup *b)
{
    return json_pack("{s:o, s:{s:[s]}}", "backup", render_v1_backup(b), "extendparam", "jobs",
                     b->job_id);
}

/* A v3 time, or JSON null for -1. New reference. */
static json_t *time_v3_or_null(int64_t t)
{
    if (t < 0)
        return json_null();
    char text[TIME_V3_LEN + 1];
    time_format_v3(t, text);
    return json_string(text);
}

json_t *render_v3_backup(const struct backup *b)
{
    json_t *out = json_pack(
        "{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:{s:s, s:s}}", "id", b->id, "name", b->name,
        "type", "manual", "size", b->size_kb >= 0 ? json_integer(b->size_kb) : json_null(),
        "status", backup_status_name(b->status), "begin_time", time_v3_or_null(b->created),
        "end_time", time_v3_or_null(b->finished), "datastore", "type", b->engine, "version",
        b->version);
    if (out != NULL && b->databases.count > 0) {
        json_t *databases = json_array();
        for (size_t i = 0; databases != NULL && i < b->databases.count; i++)
            json_array_append_new(databases, json_pack("{s:s}", "name", b->databases.names[i]));
        json_object_set_new(out, "databases", databases);
    }
    if (out != NULL)
        json_object_set_new(out, "instance_id", json_string(b->instance_id));
    return out;
}

/* "NN%" of the build time gone by while a job runs; "" once it ended (the real API's way). */
static void job_process(const struct job *job, int64_t now, char out[8])
{
    out[0] = '\0';
    if (job->status != JOB_RUNNING || job->ready_at <= job->created)
        return;
    int64_t pct = (now - job->created) * 100 / (job->ready_at - job->created);
    if (pct < 0)
        pct = 0;
    if (pct > 99)
        pct = 99;
    snprintf(out, 8, "%d%%", (int)pct);
}

json_t *render_v3_job(const struct job *job, int64_t now)
{
    char process[8];
    job_process(job, now, process);
    return json_pack("{s:{s:s, s:s, s:s, s:o, s:o, s:s, s:{s:s, s:s}, s:{s:s}, s:o}}", "job",
                     "id", job->id, "name", job->name, "status", job_status_name(job->status),
                     "created", time_v3_or_null(job->created), "ended",
                     time_v3_or_null(job->ended), "process", process, "instance", "id",
                     job->instance_id, "name", job->instance_name, "entities", "backup_id",
                     job->backup_id, "fail_reason", string_or_null(job->fail_reason));
}

static json_t *render_names(const struct name_list *list)
{
    json_t *array = json_array();
    for (size_t i = 0; array != NULL && i < list->count; i++) {
        if (json_array_append_new(array, json_string(list->names[i])) != 0) {
            json_decref(array);
            array = NULL;
        }
    }
    return array;
}

json_t *render_instance(const struct instance *inst)
{
    json_t *databases = inst->has_databases ? render_names(&inst->databases) : json_null();
    json_t *seconds =
        inst->backup_seconds >= 0 ? json_integer(inst->backup_seconds) : json_null();
    json_t *outcome = inst->has_outcome
                          ? json_string(inst->outcome == OUTCOME_FAIL ? "fail" : "success")
                          : json_null();
    json_t *size = inst->size_kb >= 0 ? json_integer(inst->size_kb) : json_null();
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
                     inst->id, "project_id", inst->project_id, "name", inst->name, "datastore",
                     "type", inst->engine, "version", inst->version, "status", inst->status,
                     "role", inst->replica ? "replica" : "primary", "databases", databases,
                     "backup_seconds", seconds, "backup_outcome", outcome, "size_kb", size);
}
