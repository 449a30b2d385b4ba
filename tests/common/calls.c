/* The requests the tests send: one builder of header lines (call_send), and the calls that fill
 * in its description. */
#include <stdio.h>
#include <stdlib.h>

#include "calls.h"

#define CALL_MAX_LINES 40

/* "Name: value" into `buf` and onto `lines`, when `value` is not NULL. */
static void add_line(const char **lines, size_t *n, const char *name, const char *value, char *buf,
                     size_t buflen)
{
    if (value == NULL || *n >= CALL_MAX_LINES)
        return;
    snprintf(buf, buflen, "%s: %s", name, value);
    lines[(*n)++] = buf;
}

int call_send(const struct emu *emu, const struct call_spec *spec, struct http_response *out)
{
    char token[256], type[256], seconds[64], outcome[256];
    const char *lines[CALL_MAX_LINES + 1];
    size_t n = 0;
    add_line(lines, &n, "X-Auth-Token", spec->token, token, sizeof(token));
    add_line(lines, &n, "Content-Type", spec->content_type, type, sizeof(type));
    add_line(lines, &n, "X-Emulator-Backup-Seconds", spec->backup_seconds, seconds,
             sizeof(seconds));
    add_line(lines, &n, "X-Emulator-Backup-Outcome", spec->backup_outcome, outcome,
             sizeof(outcome));
    for (size_t i = 0; spec->headers != NULL && spec->headers[i] != NULL; i++)
        if (n < CALL_MAX_LINES)
            lines[n++] = spec->headers[i];
    lines[n] = NULL;
    struct http_request req = {spec->method, spec->path,     lines,
                               spec->body,   spec->body_len, spec->chunked};
    int rc = http_send(spec->handle, emu->base_url, &req, out);
    if (rc != 0 && !spec->quiet)
        fprintf(stderr, "calls: %s\n", out->error);
    return rc;
}

int call_request(const struct emu *emu, CURL *handle, const char *method, const char *path,
                 const char *const *headers, const char *body, struct http_response *out)
{
    struct call_spec spec = {
        .method = method, .path = path, .headers = headers, .body = body, .handle = handle};
    return call_send(emu, &spec, out);
}

const char *call_api_path(enum call_api api, const char *project, const char *rest, char *out,
                          size_t outlen)
{
    snprintf(out, outlen, "%s%s%s", api == CALL_V1 ? "/rds/v1/" : "/v3/", project, rest);
    return out;
}

int call_create(const struct emu *emu, CURL *handle, enum call_api api, const char *project,
                const char *body, long build_seconds, const char *outcome,
                struct http_response *out)
{
    char path[512], seconds[32];
    snprintf(seconds, sizeof(seconds), "%ld", build_seconds);
    struct call_spec spec = {.method = "POST",
                             .path = call_api_path(api, project, "/backups", path, sizeof(path)),
                             .token = CALL_TOKEN,
                             .content_type = CALL_JSON,
                             .backup_seconds = build_seconds >= 0 ? seconds : NULL,
                             .backup_outcome = outcome,
                             .body = body,
                             .handle = handle};
    return call_send(emu, &spec, out);
}

int call_v1_create(const struct emu *emu, CURL *handle, const char *project, const char *body,
                   long build_seconds, struct http_response *out)
{
    return call_create(emu, handle, CALL_V1, project, body, build_seconds, NULL, out);
}

int call_with_token(const struct emu *emu, const char *method, const char *path, const char *extra,
                    const char *body, struct http_response *out)
{
    const char *headers[] = {extra, NULL};
    struct call_spec spec = {.method = method,
                             .path = path,
                             .token = CALL_TOKEN,
                             .content_type = body != NULL ? CALL_JSON : NULL,
                             .headers = headers,
                             .body = body};
    return call_send(emu, &spec, out);
}

int call_admin(const struct emu *emu, const char *method, const char *path, const char *body,
               struct http_response *out)
{
    struct call_spec spec = {.method = method,
                             .path = path,
                             .content_type = body != NULL ? CALL_JSON : NULL,
                             .body = body};
    return call_send(emu, &spec, out);
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

char *call_create_body(enum call_api api, const char *instance, const char *name)
{
    json_t *body = api == CALL_V1
                       ? json_pack("{s:{s:s, s:s}}", "backup", "instance", instance, "name", name)
                       : json_pack("{s:s, s:s}", "instance_id", instance, "name", name);
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

char *call_v1_body(const char *instance, const char *name)
{
    return call_create_body(CALL_V1, instance, name);
}
