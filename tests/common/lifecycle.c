/* What the lifecycle tests share (lifecycle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"

/* ---- creates ---- */

void kit_made_free(struct made *m)
{
    json_decref(m->backup);
    m->backup = NULL;
}

bool kit_create_body_at(const char *file, int line, const struct emu *emu, const char *project,
                        const char *body, long seconds, const char *outcome, struct made *out)
{
    struct http_response r;
    call_create(emu, NULL, CALL_V1, project, body, seconds, outcome, &r);
    json_t *root = expect_created_at(file, line, &r, CALL_V1);
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
    out->created = time_parse(created_member(root, "created"), TIME_V1);
    json_decref(root);
    return true;
}

bool kit_create_at(const char *file, int line, const struct emu *emu, const char *project,
                   const char *instance, const char *name, long seconds, const char *outcome,
                   struct made *out)
{
    char *body = call_v1_body(instance, name);
    bool ok = kit_create_body_at(file, line, emu, project, body, seconds, outcome, out);
    free(body);
    return ok;
}

/* ---- shared by the views ---- */

/* GET `path` with the tests' token; when it is 200 with exactly the members `top`, the member
 * `inner` of the answer (new reference), else NULL after a failed check saying `shape`. */
static json_t *view_at(const char *file, int line, const struct emu *emu, const char *path,
                       const char *const *top, const char *inner, const char *const *inner_keys,
                       const char *shape)
{
    struct http_response r;
    call_with_token(emu, "GET", path, NULL, NULL, &r);
    json_t *found = NULL;
    if (expect_status_at(file, line, &r, 200)) {
        json_t *root = http_response_json(&r);
        json_t *member = json_object_get(root, inner);
        bool inner_ok =
            inner_keys != NULL ? json_keys_are(member, inner_keys) : json_is_array(member);
        if (EXPECT_THAT_AT(file, line, json_keys_are(root, top) && inner_ok, &r, "not %s", shape))
            found = json_incref(member);
        json_decref(root);
    }
    http_response_free(&r);
    return found;
}

/* `got` is null when `want` < 0, else the time text of `want` in `zone`. */
static bool expect_time_or_null_at(const char *file, int line, const struct http_response *shown,
                                   json_t *got, int64_t want, const char *zone, const char *name)
{
    char text[TIME_TEXT_MAX];
    if (want < 0)
        return EXPECT_THAT_AT(file, line, json_is_null(got), shown, "%s is not null", name);
    time_format(want, zone, text);
    return EXPECT_THAT_AT(file, line,
                          json_is_string(got) && strcmp(json_string_value(got), text) == 0, shown,
                          "%s is not %s", name, text);
}

/* `got` is the string `want`. */
static bool expect_member_is_at(const char *file, int line, const struct http_response *shown,
                                json_t *obj, const char *key, const char *want, const char *name)
{
    const char *got = member_string(obj, key);
    return EXPECT_THAT_AT(file, line, got != NULL && strcmp(got, want) == 0, shown, "%s is not %s",
                          name, want);
}

/* ---- the v1 list ---- */

json_t *kit_list_at(const char *file, int line, const struct emu *emu, const char *project)
{
    static const char *const keys[] = {"backups", NULL};
    char path[256];
    return view_at(file, line, emu, call_api_path(CALL_V1, project, "/backups", path, sizeof(path)),
                   keys, "backups", NULL, "{\"backups\": [...]}");
}

json_t *kit_find(json_t *list, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *got = member_string(item, "id");
        if (got != NULL && id != NULL && strcmp(got, id) == 0)
            return item;
    }
    return NULL;
}

bool kit_expect_listed_at(const char *file, int line, const struct emu *emu, const struct made *m,
                          const char *status, int64_t updated, long long size_kb)
{
    json_t *list = kit_list_at(file, line, emu, m->project);
    json_t *b = kit_find(list, m->id);
    struct http_response shown = {.status = 200, .body = NULL};
    char *text = b != NULL ? json_dumps(b, JSON_COMPACT) : NULL;
    shown.body = text != NULL ? text : "(not listed)";
    bool ok = EXPECT_THAT_AT(file, line, b != NULL, &shown, "backup %s is not listed", m->id);
    if (ok) {
        json_t *size = json_object_get(b, "size");
        ok &= expect_member_is_at(file, line, &shown, b, "status", status, "status");
        ok &= expect_time_or_null_at(file, line, &shown, json_object_get(b, "updated"), updated,
                                     TIME_V1, "updated");
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

/* ---- jobs ---- */

json_t *kit_job_at(const char *file, int line, const struct emu *emu, const char *project,
                   const char *job_id)
{
    static const char *const top[] = {"job", NULL};
    static const char *const keys[] = {"id",      "name",     "status",   "created",     "ended",
                                       "process", "instance", "entities", "fail_reason", NULL};
    char path[256];
    snprintf(path, sizeof(path), "/v3/%s/jobs?id=%s", project, job_id);
    return view_at(file, line, emu, path, top, "job", keys,
                   "{\"job\": {id, name, status, created, ended, process, instance, entities, "
                   "fail_reason}} in that order");
}

bool kit_expect_job_at(const char *file, int line, const struct emu *emu, const struct made *m,
                       const char *status, int64_t ended, const char *fail_reason)
{
    json_t *job = kit_job_at(file, line, emu, m->project, m->job);
    if (job == NULL)
        return false;
    char *text = json_dumps(job, JSON_COMPACT);
    struct http_response shown = {.status = 200, .body = text};
    json_t *reason = json_object_get(job, "fail_reason");
    bool ok = expect_member_is_at(file, line, &shown, job, "status", status, "job status");
    ok &= expect_time_or_null_at(file, line, &shown, json_object_get(job, "ended"), ended, TIME_V3,
                                 "ended");
    if (fail_reason == NULL)
        ok &= EXPECT_THAT_AT(file, line, json_is_null(reason), &shown, "fail_reason is not null");
    else if (fail_reason[0] == '\0')
        ok &= EXPECT_THAT_AT(file, line, json_is_nonempty_string(reason), &shown,
                             "fail_reason is not a non-empty string");
    else
        ok &=
            expect_member_is_at(file, line, &shown, job, "fail_reason", fail_reason, "fail_reason");
    free(text);
    json_decref(job);
    return ok;
}

/* ---- start and stop ---- */

bool kit_start(struct emu *emu, const char *label, const char *const *args)
{
    if (emu_start(emu, label, args, NULL) == 0)
        return true;
    CHECK(!"rdsemu started");
    emu_cleanup(emu, true);
    return false;
}

void kit_finish(struct emu *emu)
{
    CHECK_INT(emu_stop(emu), 0);
    emu_cleanup(emu, check_failures > 0);
}
