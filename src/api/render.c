/* Domain structs -> JSON in the documented member order (docs/architecture.md "One buffer"). */
#include <stdio.h>
#include <string.h>

#include "rdsemu/core/ids.h"
#include "policy_json.h"
#include "render.h"
#include "rdsemu/base/timefmt.h"

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

void render_v1_backup(struct strbuf *o, const struct backup *b)
{
    char created[TIME_V1_LEN + 1];
    time_format_v1(b->created, created);
    strbuf_puts(o, "{\"created\":\"");
    strbuf_puts(o, created);
    strbuf_puts(o, "\",\"dataStore\":{\"type\":");
    strbuf_json_string(o, b->engine);
    strbuf_puts(o, ",\"version\":");
    strbuf_json_string(o, b->version);
    strbuf_puts(o, ",\"version_id\":\"");
    strbuf_puts(o, version_id_of(b->engine, b->version));
    strbuf_puts(o, "\"},\"description\":");
    strbuf_json_string(o, b->description);
    strbuf_puts(o, ",\"id\":\"");
    strbuf_puts(o, b->id);
    strbuf_puts(o, "\",\"instance_id\":");
    strbuf_json_string(o, b->instance_id);
    strbuf_puts(o, ",\"locationRef\":null,\"name\":");
    strbuf_json_string(o, b->name);
    strbuf_puts(o, ",\"parent_id\":null,\"size\":");
    /* v1 gives the size in GB, unrounded; it is stored once, in kB. */
    if (b->size_kb >= 0)
        strbuf_json_real(o, (double)b->size_kb / 1048576.0);
    else
        strbuf_puts(o, "null");
    strbuf_puts(o, ",\"status\":\"");
    strbuf_puts(o, backup_status_name(b->status));
    strbuf_puts(o, "\",\"updated\":");
    if (b->finished >= 0) {
        char finished[TIME_V1_LEN + 1];
        time_format_v1(b->finished, finished);
        strbuf_puts(o, "\"");
        strbuf_puts(o, finished);
        strbuf_puts(o, "\"");
    } else {
        strbuf_puts(o, "null");
    }
    strbuf_puts(o, ",\"backuptype\":\"1\"}");
}

char *render_v1_create(const struct backup *b, size_t *len)
{
    struct strbuf o = STRBUF_INIT;
    strbuf_reserve(&o, 768);
    strbuf_puts(&o, "{\"backup\":");
    render_v1_backup(&o, b);
    strbuf_puts(&o, ",\"extendparam\":{\"jobs\":[\"");
    strbuf_puts(&o, b->job_id);
    strbuf_puts(&o, "\"]}}");
    return strbuf_take(&o, len);
}

/* ,"databases":[{"name": ...}, ...] of a partial backup; nothing for a full one. */
static void databases_text(struct strbuf *o, const struct backup *b)
{
    if (b->databases.count == 0)
        return;
    strbuf_puts(o, ",\"databases\":[");
    for (size_t i = 0; i < b->databases.count; i++) {
        strbuf_puts(o, i > 0 ? ",{\"name\":" : "{\"name\":");
        strbuf_json_string(o, b->databases.names[i]);
        strbuf_puts(o, "}");
    }
    strbuf_puts(o, "]");
}

char *render_v3_create(const struct backup *b, size_t *len)
{
    char begin[TIME_V3_LEN + 1];
    time_format_v3(b->created, begin);
    struct strbuf o = STRBUF_INIT;
    strbuf_reserve(&o, 512);
    strbuf_puts(&o, "{\"backup\":{\"id\":\"");
    strbuf_puts(&o, b->id);
    strbuf_puts(&o, "\",\"instance_id\":");
    strbuf_json_string(&o, b->instance_id);
    strbuf_puts(&o, ",\"name\":");
    strbuf_json_string(&o, b->name);
    strbuf_puts(&o, ",\"description\":");
    strbuf_json_string(&o, b->description);
    strbuf_puts(&o, ",\"begin_time\":\"");
    strbuf_puts(&o, begin);
    strbuf_puts(&o, "\",\"status\":\"BUILDING\",\"type\":\"manual\"");
    databases_text(&o, b);
    strbuf_puts(&o, "}}");
    return strbuf_take(&o, len);
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

/* A v3 time in quotes, or null for -1. */
static void time_v3_or_null_text(struct strbuf *o, int64_t t)
{
    if (t < 0) {
        strbuf_puts(o, "null");
        return;
    }
    char text[TIME_V3_LEN + 1];
    time_format_v3(t, text);
    strbuf_puts(o, "\"");
    strbuf_puts(o, text);
    strbuf_puts(o, "\"");
}

void render_v3_backup(struct strbuf *o, const struct backup *b)
{
    strbuf_puts(o, "{\"id\":\"");
    strbuf_puts(o, b->id);
    strbuf_puts(o, "\",\"name\":");
    strbuf_json_string(o, b->name);
    strbuf_puts(o, ",\"type\":\"");
    strbuf_puts(o, backup_type_name(b->type));
    strbuf_puts(o, "\",\"size\":");
    if (b->size_kb >= 0)
        strbuf_json_int(o, b->size_kb);
    else
        strbuf_puts(o, "null");
    strbuf_puts(o, ",\"status\":\"");
    strbuf_puts(o, backup_status_name(b->status));
    strbuf_puts(o, "\",\"begin_time\":");
    time_v3_or_null_text(o, b->created);
    strbuf_puts(o, ",\"end_time\":");
    time_v3_or_null_text(o, b->finished);
    strbuf_puts(o, ",\"datastore\":{\"type\":");
    strbuf_json_string(o, b->engine);
    strbuf_puts(o, ",\"version\":");
    strbuf_json_string(o, b->version);
    strbuf_puts(o, "}");
    databases_text(o, b);
    strbuf_puts(o, ",\"instance_id\":");
    strbuf_json_string(o, b->instance_id);
    strbuf_puts(o, "}");
}

char *render_v3_forced(const struct backup *b, size_t *len)
{
    struct strbuf o = STRBUF_INIT;
    strbuf_puts(&o, "{\"backup\":");
    render_v3_backup(&o, b);
    strbuf_puts(&o, "}");
    return strbuf_take(&o, len);
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
    /* A backup's job names its backup; a restore's, what it restores from as sent. */
    json_t *entities = job->kind == JOB_RESTORE && job->entities != NULL
                           ? json_loads(job->entities, 0, NULL)
                           : json_pack("{s:s}", "backup_id", job->backup_id);
    return json_pack("{s:{s:s, s:s, s:s, s:o, s:o, s:s, s:{s:s, s:s}, s:o, s:o}}", "job", "id",
                     job->id, "name", job->name, "status", job_status_name(job->status), "created",
                     time_v3_or_null(job->created), "ended", time_v3_or_null(job->ended), "process",
                     process, "instance", "id", job->instance_id, "name", job->instance_name,
                     "entities", entities != NULL ? entities : json_object(), "fail_reason",
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

static json_t *integer_or_null(long long v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

json_t *render_instance(const struct instance *inst)
{
    json_t *databases = inst->has_databases ? render_names(&inst->databases) : json_null();
    json_t *outcome = inst->has_outcome ? json_string(outcome_name(inst->outcome)) : json_null();
    json_t *restore_outcome =
        inst->has_restore_outcome ? json_string(outcome_name(inst->restore_outcome)) : json_null();
    char created[TIME_V3_LEN + 1];
    time_format_v3(inst->created, created);
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
                     "s:o, s:b, s:s}",
                     "id", inst->id, "project_id", inst->project_id, "name", inst->name,
                     "datastore", "type", inst->engine, "version", inst->version, "status",
                     inst->status, "role", inst->replica ? "replica" : "primary", "databases",
                     databases, "backup_seconds", integer_or_null(inst->backup_seconds),
                     "backup_outcome", outcome, "size_kb", integer_or_null(inst->size_kb),
                     "delete_seconds", integer_or_null(inst->delete_seconds), "restore_seconds",
                     integer_or_null(inst->restore_seconds), "restore_outcome", restore_outcome,
                     "backup_policy", policy_to_json(&inst->policy), "backup_policy_set",
                     inst->policy_set, "created", created);
}
