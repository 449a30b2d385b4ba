/* The control plane as the tests drive it (admin.h). */
#include <stdio.h>
#include <string.h>

#include "admin.h"

json_t *admin_call_at(const char *file, int line, const struct emu *emu, const char *method,
                      const char *path, const char *body, long status)
{
    struct http_response r;
    call_admin(emu, method, path, body, &r);
    json_t *root = NULL;
    if (expect_status_at(file, line, &r, status))
        root = http_response_json(&r);
    else
        fprintf(stderr, "    for %s %s %s\n", method, path, body != NULL ? body : "");
    http_response_free(&r);
    return root;
}

bool expect_admin_code_at(const char *file, int line, const struct http_response *r, long status,
                          const char *code)
{
    if (!expect_admin_error_at(file, line, r, status))
        return false;
    json_t *root = http_response_json(r);
    const char *got = member_string(json_object_get(root, "error"), "code");
    bool ok = EXPECT_THAT_AT(file, line, got != NULL && strcmp(got, code) == 0, r,
                             "error.code is not %s", code);
    json_decref(root);
    return ok;
}

/* ---- the emulator clock ---- */

/* Checks a clock answer (see emu_clock_get_at). */
static int64_t clock_answer_at(const char *file, int line, const struct http_response *r,
                               int64_t *offset)
{
    static const char *const keys[] = {"now", "offset_seconds", "frozen", NULL};
    if (!expect_status_at(file, line, r, 200))
        return -1;
    json_t *root = http_response_json(r);
    json_t *off = json_object_get(root, "offset_seconds");
    int64_t now = time_parse(member_string(root, "now"), TIME_V3);
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

/* A call of the clock route, its answer checked. */
static int64_t clock_call_at(const char *file, int line, const struct emu *emu, const char *method,
                             const char *body, int64_t *offset)
{
    struct http_response r;
    call_admin(emu, method, "/_emulator/clock", body, &r);
    int64_t now = clock_answer_at(file, line, &r, offset);
    http_response_free(&r);
    return now;
}

int64_t emu_clock_get_at(const char *file, int line, const struct emu *emu, int64_t *offset)
{
    return clock_call_at(file, line, emu, "GET", NULL, offset);
}

int64_t emu_clock_post_at(const char *file, int line, const struct emu *emu, const char *body,
                          int64_t *offset)
{
    return clock_call_at(file, line, emu, "POST", body, offset);
}

int64_t emu_clock_set_at(const char *file, int line, const struct emu *emu, int64_t t)
{
    char body[64], text[TIME_TEXT_MAX];
    snprintf(body, sizeof(body), "{\"now\": \"%s\"}", time_format(t, TIME_V3, text));
    return emu_clock_post_at(file, line, emu, body, NULL);
}

int64_t emu_clock_advance_at(const char *file, int line, const struct emu *emu, long seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\": %ld}", seconds);
    return emu_clock_post_at(file, line, emu, body, NULL);
}

int64_t emu_clock_freeze_at(const char *file, int line, const struct emu *emu, bool freeze)
{
    return emu_clock_post_at(file, line, emu, freeze ? "{\"freeze\": true}" : "{\"freeze\": false}",
                             NULL);
}

bool emu_clock_frozen(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/clock", NULL, &r);
    json_t *root = http_response_json(&r);
    bool frozen = json_is_true(json_object_get(root, "frozen"));
    json_decref(root);
    http_response_free(&r);
    return frozen;
}

void emu_backup_force_at(const char *file, int line, const struct emu *emu, const char *id,
                         const char *action)
{
    char path[256];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/%s", id != NULL ? id : "none", action);
    json_decref(admin_call_at(file, line, emu, "POST", path, NULL, 200));
}
