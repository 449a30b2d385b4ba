/* Domain structs -> JSON in the documented member order (docs/architecture.md step 6). */
#include <stdio.h>
#include <string.h>

#include "rdsemu/ids.h"
#include "rdsemu/render.h"
#include "rdsemu/timefmt.h"

/* A string, or JSON null for NULL. New reference. */
static json_t *string_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* The version ID of the last engine+version this thread rendered: a backup list or a
 * stream of creates names the same few again and again, and a SHA-1 UUID is not free. A pair
 * too long for the key (a version of 64 four-byte characters) is not cached: a cut key would
 * give two versions that differ only past the cut the same ID. */
static const char *version_id_of(const char *engine, const char *version)
{
    static _Thread_local char last_key[320];
    static _Thread_local char last_id[UUID_TEXT_LEN + 1];
    static _Thread_local char uncached[UUID_TEXT_LEN + 1];
    char key[sizeof(last_key)];
    int n = snprintf(key, sizeof(key), "%s\n%s", engine, version);
    if (n < 0 || (size_t)n >= sizeof(key)) {
        ids_version_id(engine, version, uncached);
        return uncached;
    }
    if (last_id[0] == '\0' || strcmp(key, last_key) != 0) {
        ids_version_id(engine, version, last_id);
        memcpy(last_key, key, (size_t)n + 1);
    }
    return last_id;
}

void render_v1_backup(struct json_out *o, const struct backup *b)
{
    char created[TIME_V1_LEN + 1];
    time_format_v1(b->created, created);
    json_out_raw(o, "{\"created\":\"");
    json_out_raw(o, created);
    json_out_raw(o, "\",\"dataStore\":{\"type\":");
    json_out_string(o, b->engine);
    json_out_raw(o, ",\"version\":");
    json_out_string(o, b->version);
    json_out_raw(o, ",\"version_id\":\"");
    json_out_raw(o, version_id_of(b->engine, b->version));
    json_out_raw(o, "\"},\"description\":");
    json_out_string(o, b->description);
    json_out_raw(o, ",\"id\":\"");
    json_out_raw(o, b->id);
    json_out_raw(o, "\",\"instance_id\":");
    json_out_string(o, b->instance_id);
    json_out_raw(o, ",\"locationRef\":null,\"name\":");
    json_out_string(o, b->name);
    json_out_raw(o, ",\"parent_id\":null,\"size\":");
    /* v1 gives the size in GB, unrounded; it is stored once, in kB. */
    if (b->size_kb >= 0)
        json_out_real(o, (double)b->size_kb / 1048576.0);
    else
        json_out_raw(o, "null");
    json_out_raw(o, ",\"status\":\"");
    json_out_raw(o, backup_status_name(b->status));
    json_out_raw(o, "\",\"updated\":");
    if (b->finished >= 0) {
        char finished[TIME_V1_LEN + 1];
        time_format_v1(b->finished, finished);
        json_out_raw(o, "\"");
        json_out_raw(o, finished);
        json_out_raw(o, "\"");
    } else {
        json_out_raw(o, "null");
    }
    json_out_raw(o, ",\"backuptype\":\"1\"}");
}

char *render_v1_create(const struct backup *b, size_t *len)
{
    struct json_out o;
    if (json_out_init(&o, 768) != 0)
        return NULL;
    json_out_raw(&o, "{\"backup\":");
    render_v1_backup(&o, b);
    json_out_raw(&o, ",\"extendparam\":{\"jobs\":[\"");
    json_out_raw(&o, b->job_id);
    json_out_raw(&o, "\"]}}");
    return json_out_take(&o, len);
}

char *render_v3_create(const struct backup *b, size_t *len)
{
    char begin[TIME_V3_LEN + 1];
    time_format_v3(b->created, begin);
    struct json_out o;
    if (json_out_init(&o, 512) != 0)
        return NULL;
    json_out_raw(&o, "{\"backup\":{\"id\":\"");
    json_out_raw(&o, b->id);
    json_out_raw(&o, "\",\"instance_id\":");
    json_out_string(&o, b->instance_id);
    json_out_raw(&o, ",\"name\":");
    json_out_string(&o, b->name);
    json_out_raw(&o, ",\"description\":");
    json_out_string(&o, b->description);
    json_out_raw(&o, ",\"begin_time\":\"");
    json_out_raw(&o, begin);
    json_out_raw(&o, "\",\"status\":\"BUILDING\",\"type\":\"manual\"}}");
    return json_out_take(&o, len);
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
        "{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:{s:s, s:s}}", "id", b->id, "name", b->name, "type",
        "manual", "size", b->size_kb >= 0 ? json_integer(b->size_kb) : json_null(), "status",
        backup_status_name(b->status), "begin_time", time_v3_or_null(b->created), "end_time",
        time_v3_or_null(b->finished), "datastore", "type", b->engine, "version", b->version);
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
    snprintf(out, 8, "%d%%", (int)pct); /* at most "99%": 3 characters and the NUL */
}

json_t *render_v3_job(const struct job *job, int64_t now)
{
    char process[8];
    job_process(job, now, process);
    return json_pack("{s:{s:s, s:s, s:s, s:o, s:o, s:s, s:{s:s, s:s}, s:{s:s}, s:o}}", "job", "id",
                     job->id, "name", job->name, "status", job_status_name(job->status), "created",
                     time_v3_or_null(job->created), "ended", time_v3_or_null(job->ended), "process",
                     process, "instance", "id", job->instance_id, "name", job->instance_name,
                     "entities", "backup_id", job->backup_id, "fail_reason",
                     string_or_null(job->fail_reason));
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
    json_t *seconds = inst->backup_seconds >= 0 ? json_integer(inst->backup_seconds) : json_null();
    json_t *outcome = inst->has_outcome
                          ? json_string(inst->outcome == OUTCOME_FAIL ? "fail" : "success")
                          : json_null();
    json_t *size = inst->size_kb >= 0 ? json_integer(inst->size_kb) : json_null();
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o, s:o}", "id", inst->id,
                     "project_id", inst->project_id, "name", inst->name, "datastore", "type",
                     inst->engine, "version", inst->version, "status", inst->status, "role",
                     inst->replica ? "replica" : "primary", "databases", databases,
                     "backup_seconds", seconds, "backup_outcome", outcome, "size_kb", size);
}
