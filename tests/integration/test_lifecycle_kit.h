/* What the lifecycle tests (docs/api.md, docs/v3.md jobs, §5.2, §5.3) share, on top of expect.h:
 * times as numbers, the emulator clock, creates that remember what they made, and the v1 list and
 * v3 job views of a backup. Header-only and static, like expect.h, so the checks count in the
 * including program; the KIT_* macros report the caller's line.
 *
 * No test sleeps: transitions come from clock moves. A look that must still see BUILDING is
 * made at least KIT_MARGIN seconds before the backup's time, so a slow machine cannot turn
 * it into a false failure. */
#ifndef RDSEMU_TEST_LIFECYCLE_KIT_H
#define RDSEMU_TEST_LIFECYCLE_KIT_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "expect.h"

#define KIT_MARGIN 10 /* seconds: more than a test takes between a clock move and a look */

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS" + `zone` ("" for v1, "+0000" for v3), or
 * -1 when `s` is not exactly that. */
static inline int64_t kit_time_parse(const char *s, const char *zone)
{
    char head[20];
    if (s == NULL || strlen(s) != 19 + strlen(zone) || strcmp(s + 19, zone) != 0)
        return -1;
    memcpy(head, s, 19);
    head[19] = '\0';
    struct tm tm = {0};
    if (!text_is_v1_time(head) || sscanf(head, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
                                         &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

#define KIT_V1 ""
#define KIT_V3 "+0000"

/* `t` as "YYYY-MM-DDTHH:MM:SS" + `zone` into `out`; returns `out`. */
static inline const char *kit_time_format(int64_t t, const char *zone, char out[32])
{
    time_t when = (time_t)t;
    struct tm tm;
    gmtime_r(&when, &tm);
    /* Fields narrowed to their ranges, so the compiler sees the text fits. */
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%.5s", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
             tm.tm_sec % 100, zone);
    return out;
}

/* A request to the emulated API with a token, and the JSON content type when it has a body.
 * `extra` is one more header or NULL. */
static inline int kit_api(const struct emu *emu, const char *method, const char *path,
                          const char *extra, const char *body, struct http_response *out)
{
    const char *headers[] = {CALL_TOKEN_HEADER, extra, NULL, NULL};
    if (body != NULL) {
        headers[1] = CALL_JSON_HEADER;
        headers[2] = extra;
    }
    return call_request(emu, NULL, method, path, headers, body, out);
}

/* Control-plane error with its documented code word (bad_request, not_found, conflict...). */
static inline bool expect_admin_code_at(const char *file, int line, const struct http_response *r,
                                        long status, const char *code)
{
    if (!expect_admin_error_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    const char *got = json_string_value(json_object_get(json_object_get(root, "error"), "code"));
    bool ok = EXPECT_THAT_AT(file, line, got != NULL && strcmp(got, code) == 0, r,
                             "error.code is not %s", code);
    json_decref(root);
    return ok;
}

#define EXPECT_ADMIN_CODE(r, status, code)                                                         \
    expect_admin_code_at(__FILE__, __LINE__, (r), (status), (code))

/* ---- the clock ---- */

/* Checks a clock answer: 200, exactly {"now": <v3 time>, "offset_seconds": <integer>,
 * "frozen": <boolean>}. Returns now (and the offset into `offset` when not NULL), or -1. */
static inline int64_t kit_clock_answer_at(const char *file, int line, const struct http_response *r,
                                          int64_t *offset)
{
    static const char *const keys[] = {"now", "offset_seconds", "frozen", NULL};
    if (!expect_status_at(file, line, r, 200))
        return -1;
    json_t *root = http_response_json(r);
    json_t *off = json_object_get(root, "offset_seconds");
    int64_t now = kit_time_parse(json_string_value(json_object_get(root, "now")), KIT_V3);
    bool ok =
        EXPECT_THAT_AT(file, line, json_keys_are(root, keys), r,
                       "not the clock shape {now, offset_seconds, frozen}") &&
        EXPECT_THAT_AT(file, line, json_is_boolean(json_object_get(root, "frozen")), r,
                       "frozen is not a boolean") &&
        EXPECT_THAT_AT(file, line, now >= 0, r, "now is not YYYY-MM-DDTHH:MM:SS+0000") &&
        EXPECT_THAT_AT(file, line, json_is_integer(off), r, "offset_seconds is not an integer");
    if (offset != NULL)
        *offset = ok ? json_integer_value(off) : INT64_MIN;
    json_decref(root);
    return ok ? now : -1;
}

/* The "frozen" member of GET /_emulator/clock. */
static inline bool kit_clock_frozen(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/clock", NULL, &r);
    json_t *root = http_response_json(&r);
    bool frozen = json_is_true(json_object_get(root, "frozen"));
    json_decref(root);
    http_response_free(&r);
    return frozen;
}

static inline int64_t kit_clock_post_at(const char *file, int line, const struct emu *emu,
                                        const char *body, int64_t *offset)
{
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/clock", body, &r);
    int64_t now = kit_clock_answer_at(file, line, &r, offset);
    http_response_free(&r);
    return now;
}

static inline int64_t kit_clock_get_at(const char *file, int line, const struct emu *emu,
                                       int64_t *offset)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/clock", NULL, &r);
    int64_t now = kit_clock_answer_at(file, line, &r, offset);
    http_response_free(&r);
    return now;
}

/* Sets the emulator time to `t` (POST {"now"}); returns the time it answers. */
static inline int64_t kit_clock_set_at(const char *file, int line, const struct emu *emu, int64_t t)
{
    char body[64], text[32];
    snprintf(body, sizeof(body), "{\"now\": \"%s\"}", kit_time_format(t, KIT_V3, text));
    return kit_clock_post_at(file, line, emu, body, NULL);
}

static inline int64_t kit_clock_advance_at(const char *file, int line, const struct emu *emu,
                                           long seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\": %ld}", seconds);
    return kit_clock_post_at(file, line, emu, body, NULL);
}

#define KIT_CLOCK_GET(emu, offset) kit_clock_get_at(__FILE__, __LINE__, (emu), (offset))
#define KIT_CLOCK_SET(emu, t)      kit_clock_set_at(__FILE__, __LINE__, (emu), (t))
#define KIT_CLOCK_ADVANCE(emu, n)  kit_clock_advance_at(__FILE__, __LINE__, (emu), (n))
#define KIT_CLOCK_POST(emu, body, offset)                                                          \
    kit_clock_post_at(__FILE__, __LINE__, (emu), (body), (offset))

/* ---- creates ---- */

/* What a create made. */
struct made {
    char id[64];
    char job[64];
    char project[72];
    int64_t created; /* from the answer's "created" */
    json_t *backup;  /* the answer's "backup" (new reference; kit_made_free) */
};

static inline void kit_made_free(struct made *m)
{
    json_decref(m->backup);
    m->backup = NULL;
}

/* POST /rds/v1/{project}/backups with `body`, X-Emulator-Backup-Seconds `seconds` (-1: not
 * sent) and X-Emulator-Backup-Outcome `outcome` (NULL: not sent); checks the exact 200 of §2
 * (status BUILDING, size and updated null) and fills `out`. */
static inline bool kit_create_body_at(const char *file, int line, const struct emu *emu,
                                      const char *project, const char *body, long seconds,
                                      const char *outcome, struct made *out)
{
    char path[256], seconds_header[64], outcome_header[96];
    snprintf(path, sizeof(path), "/rds/v1/%s/backups", project);
    snprintf(seconds_header, sizeof(seconds_header), "X-Emulator-Backup-Seconds: %ld", seconds);
    snprintf(outcome_header, sizeof(outcome_header), "X-Emulator-Backup-Outcome: %s",
             outcome != NULL ? outcome : "");
    const char *headers[5] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL, NULL, NULL};
    size_t n = 2;
    if (seconds >= 0)
        headers[n++] = seconds_header;
    if (outcome != NULL)
        headers[n++] = outcome_header;
    struct http_response r;
    call_request(emu, NULL, "POST", path, headers, body, &r);
    json_t *root = expect_v1_created_at(file, line, &r);
    http_response_free(&r);
    memset(out, 0, sizeof(*out));
    snprintf(out->project, sizeof(out->project), "%s", project);
    out->created = -1;
    if (root == NULL) {
        fprintf(stderr, "    request body: %s\n", body);
        snprintf(out->id, sizeof(out->id), "(not created)");
        snprintf(out->job, sizeof(out->job), "(not created)");
        return false;
    }
    out->backup = json_incref(json_object_get(root, "backup"));
    snprintf(out->id, sizeof(out->id), "%s", created_member(root, "id"));
    snprintf(out->job, sizeof(out->job), "%s",
             json_string_value(
                 json_array_get(json_object_get(json_object_get(root, "extendparam"), "jobs"), 0)));
    out->created = kit_time_parse(created_member(root, "created"), KIT_V1);
    json_decref(root);
    return true;
}

static inline bool kit_create_at(const char *file, int line, const struct emu *emu,
                                 const char *project, const char *instance, const char *name,
                                 long seconds, const char *outcome, struct made *out)
{
    char *body = call_v1_body(instance, name);
    bool ok = kit_create_body_at(file, line, emu, project, body, seconds, outcome, out);
    free(body);
    return ok;
}

#define KIT_CREATE(emu, project, instance, name, seconds, outcome, out)                            \
    kit_create_at(__FILE__, __LINE__, (emu), (project), (instance), (name), (seconds), (outcome),  \
                  (out))
#define KIT_CREATE_BODY(emu, project, body, seconds, outcome, out)                                 \
    kit_create_body_at(__FILE__, __LINE__, (emu), (project), (body), (seconds), (outcome), (out))

/* ---- the v1 list ---- */

/* GET /rds/v1/{project}/backups: checks 200 {"backups": [...]} and returns the array (new
 * reference), or NULL. */
static inline json_t *kit_list_at(const char *file, int line, const struct emu *emu,
                                  const char *project)
{
    static const char *const keys[] = {"backups", NULL};
    char path[256];
    snprintf(path, sizeof(path), "/rds/v1/%s/backups", project);
    struct http_response r;
    kit_api(emu, "GET", path, NULL, NULL, &r);
    json_t *list = NULL;
    if (expect_status_at(file, line, &r, 200)) {
        json_t *root = http_response_json(&r);
        if (EXPECT_THAT_AT(file, line,
                           json_keys_are(root, keys) &&
                               json_is_array(json_object_get(root, "backups")),
                           &r, "not {\"backups\": [...]}"))
            list = json_incref(json_object_get(root, "backups"));
        json_decref(root);
    }
    http_response_free(&r);
    return list;
}

#define KIT_LIST(emu, project) kit_list_at(__FILE__, __LINE__, (emu), (project))

/* The element of `list` whose id is `id` (borrowed), or NULL. */
static inline json_t *kit_find(json_t *list, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *got = json_string_value(json_object_get(item, "id"));
        if (got != NULL && strcmp(got, id) == 0)
            return item;
    }
    return NULL;
}

/* Checks how the v1 list of its project shows `m`: `status`, `updated` (-1: null) and
 * `size_kb` (-1: null size; otherwise the JSON number size_kb / 1048576, exactly). */
static inline bool kit_expect_listed_at(const char *file, int line, const struct emu *emu,
                                        const struct made *m, const char *status, int64_t updated,
                                        long long size_kb)
{
    json_t *list = kit_list_at(file, line, emu, m->project);
    json_t *b = kit_find(list, m->id);
    struct http_response shown = {.status = 200, .body = NULL};
    char *text = b != NULL ? json_dumps(b, JSON_COMPACT) : NULL;
    shown.body = text != NULL ? text : "(not listed)";
    bool ok = EXPECT_THAT_AT(file, line, b != NULL, &shown, "backup %s is not listed", m->id);
    if (ok) {
        const char *got_status = json_string_value(json_object_get(b, "status"));
        json_t *got_updated = json_object_get(b, "updated");
        json_t *size = json_object_get(b, "size");
        char want[32];
        ok &= EXPECT_THAT_AT(file, line, got_status != NULL && strcmp(got_status, status) == 0,
                             &shown, "status is not %s", status);
        if (updated < 0)
            ok &= EXPECT_THAT_AT(file, line, json_is_null(got_updated), &shown,
                                 "updated is not null");
        else
            ok &= EXPECT_THAT_AT(
                file, line,
                json_is_string(got_updated) && strcmp(json_string_value(got_updated),
                                                      kit_time_format(updated, KIT_V1, want)) == 0,
                &shown, "updated is not %s", kit_time_format(updated, KIT_V1, want));
        if (size_kb < 0)
            ok &= EXPECT_THAT_AT(file, line, json_is_null(size), &shown, "size is not null");
        else
            ok &= EXPECT_THAT_AT(file, line,
                                 json_is_number(size) &&
                                     json_number_value(size) == (double)size_kb / 1048576.0,
                                 &shown, "size is not %lld / 1048576 GB as a number", size_kb);
    }
    free(text);
    json_decref(list);
    return ok;
}

#define KIT_EXPECT_LISTED(emu, m, status, updated, size_kb)                                        \
    kit_expect_listed_at(__FILE__, __LINE__, (emu), (m), (status), (updated), (size_kb))
/* Shorthands: still BUILDING; COMPLETED at `t` with `kb`; FAILED at `t`. */
#define KIT_EXPECT_BUILDING(emu, m)         KIT_EXPECT_LISTED((emu), (m), "BUILDING", -1, -1)
#define KIT_EXPECT_COMPLETED(emu, m, t, kb) KIT_EXPECT_LISTED((emu), (m), "COMPLETED", (t), (kb))
#define KIT_EXPECT_FAILED(emu, m, t)        KIT_EXPECT_LISTED((emu), (m), "FAILED", (t), -1)

/* ---- jobs ---- */

/* GET /v3/{project}/jobs?id={job}: checks 200 {"job": {...}} with the members of docs/v3.md in
 * their order, and returns the job object (new reference), or NULL. */
static inline json_t *kit_job_at(const char *file, int line, const struct emu *emu,
                                 const char *project, const char *job_id)
{
    static const char *const top[] = {"job", NULL};
    static const char *const keys[] = {"id",      "name",     "status",   "created",     "ended",
                                       "process", "instance", "entities", "fail_reason", NULL};
    char path[256];
    snprintf(path, sizeof(path), "/v3/%s/jobs?id=%s", project, job_id);
    struct http_response r;
    kit_api(emu, "GET", path, NULL, NULL, &r);
    json_t *job = NULL;
    if (expect_status_at(file, line, &r, 200)) {
        json_t *root = http_response_json(&r);
        if (EXPECT_THAT_AT(file, line,
                           json_keys_are(root, top) &&
                               json_keys_are(json_object_get(root, "job"), keys),
                           &r, "not {\"job\": {%s}} in that order",
                           "id, name, status, created, ended, process, instance, entities, "
                           "fail_reason"))
            job = json_incref(json_object_get(root, "job"));
        json_decref(root);
    }
    http_response_free(&r);
    return job;
}

#define KIT_JOB(emu, project, job_id) kit_job_at(__FILE__, __LINE__, (emu), (project), (job_id))

/* Checks the job of `m`: `status`, `ended` (-1: null) and `fail_reason` (NULL: null, "" any
 * non-empty string, otherwise exactly that). */
static inline bool kit_expect_job_at(const char *file, int line, const struct emu *emu,
                                     const struct made *m, const char *status, int64_t ended,
                                     const char *fail_reason)
{
    json_t *job = kit_job_at(file, line, emu, m->project, m->job);
    if (job == NULL)
        return false;
    char *text = json_dumps(job, JSON_COMPACT);
    struct http_response shown = {.status = 200, .body = text};
    const char *got_status = json_string_value(json_object_get(job, "status"));
    json_t *got_ended = json_object_get(job, "ended");
    json_t *reason = json_object_get(job, "fail_reason");
    char want[32];
    bool ok = EXPECT_THAT_AT(file, line, got_status != NULL && strcmp(got_status, status) == 0,
                             &shown, "job status is not %s", status);
    if (ended < 0)
        ok &= EXPECT_THAT_AT(file, line, json_is_null(got_ended), &shown, "ended is not null");
    else
        ok &= EXPECT_THAT_AT(
            file, line,
            json_is_string(got_ended) &&
                strcmp(json_string_value(got_ended), kit_time_format(ended, KIT_V3, want)) == 0,
            &shown, "ended is not %s", kit_time_format(ended, KIT_V3, want));
    if (fail_reason == NULL)
        ok &= EXPECT_THAT_AT(file, line, json_is_null(reason), &shown, "fail_reason is not null");
    else if (fail_reason[0] == '\0')
        ok &= EXPECT_THAT_AT(file, line, json_is_nonempty_string(reason), &shown,
                             "fail_reason is not a non-empty string");
    else
        ok &= EXPECT_THAT_AT(file, line,
                             json_is_string(reason) &&
                                 strcmp(json_string_value(reason), fail_reason) == 0,
                             &shown, "fail_reason is not \"%s\"", fail_reason);
    free(text);
    json_decref(job);
    return ok;
}

#define KIT_EXPECT_JOB(emu, m, status, ended, fail_reason)                                         \
    kit_expect_job_at(__FILE__, __LINE__, (emu), (m), (status), (ended), (fail_reason))

/* ---- start and stop ---- */

/* Starts rdsemu with `args`; false (after a failed CHECK) when it does not come up. */
static inline bool kit_start(struct emu *emu, const char *label, const char *const *args)
{
    if (emu_start(emu, label, args, NULL) == 0)
        return true;
    CHECK(!"rdsemu started");
    emu_cleanup(emu, true);
    return false;
}

/* Stops the server (expecting exit status 0) and removes its directory. */
static inline void kit_finish(struct emu *emu)
{
    CHECK_INT(emu_stop(emu), 0);
    emu_cleanup(emu, check_failures > 0);
}

#endif
