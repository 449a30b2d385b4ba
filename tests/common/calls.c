/* The requests the tests send again and again. */
#include <stdio.h>
#include <stdlib.h>

#include "calls.h"

int call_request(const struct emu *emu, CURL *handle, const char *method, const char *path,
                 const char *const *headers, const char *body, struct http_response *out)
{
    struct http_request req = {method, path, headers, body, 0, false};
    int rc = http_send(handle, emu->base_url, &req, out);
    if (rc != 0)
        fprintf(stderr, "calls: %s\n", out->error);
    return rc;
}

int call_v1_create(const struct emu *emu, CURL *handle, const char *project, const char *body,
                   long build_seconds, struct http_response *out)
{
    char path[512], seconds[64];
    snprintf(path, sizeof(path), "/rds/v1/%s/backups", project);
    snprintf(seconds, sizeof(seconds), "X-Emulator-Backup-Seconds: %ld", build_seconds);
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER,
                             build_seconds >= 0 ? seconds : NULL, NULL};
    return call_request(emu, handle, "POST", path, headers, body, out);
}

int call_admin(const struct emu *emu, const char *method, const char *path, const char *body,
               struct http_response *out)
{
    const char *headers[] = {body != NULL ? CALL_JSON_HEADER : NULL, NULL};
    return call_request(emu, NULL, method, path, headers, body, out);
}

int call_put_instance(const struct emu *emu, const char *project, const char *id, const char *body)
{
    char path[512];
    snprintf(path, sizeof(path), "/_emulator/projects/%s/instances/%s", project, id);
    struct http_response r;
    int rc = call_admin(emu, "PUT", path, body, &r);
    if (rc == 0 && r.status != 200) {
        fprintf(stderr, "calls: PUT %s answered %ld: %s\n", path, r.status, r.body);
        rc = -1;
    }
    http_response_free(&r);
    return rc;
}

char *call_v1_body(const char *instance, const char *name)
{
    json_t *body = json_pack("{s:{s:s, s:s}}", "backup", "instance", instance, "name", name);
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}
