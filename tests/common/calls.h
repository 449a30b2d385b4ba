/* The requests the tests send, all built by one function (call_send) on http_client: a request
 * is described by what it carries (struct call_spec), and the shorter calls below fill one in. */
#ifndef RDSEMU_TEST_CALLS_H
#define RDSEMU_TEST_CALLS_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"
#include "http_client.h"

#define CALL_TOKEN        "integration-test-token"
#define CALL_JSON         "application/json"
#define CALL_TOKEN_HEADER "X-Auth-Token: " CALL_TOKEN
#define CALL_JSON_HEADER  "Content-Type: " CALL_JSON

/* The two emulated APIs, where a test does the same through either. */
enum call_api {
    CALL_V1, /* /rds/v1/{project_id}/... (docs/api.md) */
    CALL_V3, /* /v3/{project_id}/... (docs/v3.md) */
};

/* One request. Method and path are needed; any other member left zero is not sent. */
struct call_spec {
    const char *method;         /* "GET", "POST"... */
    const char *path;           /* as sent, query included: "/v3/p/backups?instance_id=i" */
    const char *token;          /* X-Auth-Token (CALL_TOKEN: the tests' token) */
    const char *content_type;   /* Content-Type (CALL_JSON) */
    const char *backup_seconds; /* X-Emulator-Backup-Seconds */
    const char *backup_outcome; /* X-Emulator-Backup-Outcome */
    const char *const *headers; /* more "Name: value" lines, NULL-terminated */
    const char *body;
    size_t body_len; /* 0: strlen(body) */
    bool chunked;    /* the body sent with Transfer-Encoding: chunked */
    CURL *handle;    /* the calling thread's libcurl handle; NULL: one of its own */
    bool quiet;      /* no answer is an expected outcome: nothing said on stderr */
};

/* Sends `spec` to `emu` (only its base_url is read): the header lines in the order of the members
 * above, then `headers`. 0 when an answer came; -1 (after saying why on stderr, unless `quiet`)
 * when none did. Free `out` with http_response_free either way. */
int call_send(const struct emu *emu, const struct call_spec *spec, struct http_response *out);

/* Any request: `headers` NULL-terminated or NULL, `body` NULL for none. 0 when an answer
 * came. `handle` may be NULL (a handle of its own). */
int call_request(const struct emu *emu, CURL *handle, const char *method, const char *path,
                 const char *const *headers, const char *body, struct http_response *out);

/* "/rds/v1/{project}<rest>" or "/v3/{project}<rest>" into `out`; returns `out`. */
const char *call_api_path(enum call_api api, const char *project, const char *rest, char *out,
                          size_t outlen);

/* POST {api}/{project}/backups with the tests' token and the JSON content type; with
 * X-Emulator-Backup-Seconds when `build_seconds` >= 0 and X-Emulator-Backup-Outcome when
 * `outcome` is not NULL. */
int call_create(const struct emu *emu, CURL *handle, enum call_api api, const char *project,
                const char *body, long build_seconds, const char *outcome,
                struct http_response *out);
/* call_create through v1, with no outcome. */
int call_v1_create(const struct emu *emu, CURL *handle, const char *project, const char *body,
                   long build_seconds, struct http_response *out);

/* A request to the emulated API with the tests' token, and the JSON content type when it has a
 * body; `extra` is one more header line, or NULL. */
int call_with_token(const struct emu *emu, const char *method, const char *path, const char *extra,
                    const char *body, struct http_response *out);

/* A control-plane request: no token, the JSON content type when there is a body. */
int call_admin(const struct emu *emu, const char *method, const char *path, const char *body,
               struct http_response *out);

/* PUT /_emulator/projects/{project}/instances/{id}; 0 when it answered 200 (else says why on
 * stderr and gives -1). */
int call_put_instance(const struct emu *emu, const char *project, const char *id, const char *body);

/* The create body of `api` for `instance` and `name`, properly escaped (new: free()):
 * {"backup": {"instance": ..., "name": ...}} for v1, {"instance_id": ..., "name": ...} for v3. */
char *call_create_body(enum call_api api, const char *instance, const char *name);
/* call_create_body through v1. */
char *call_v1_body(const char *instance, const char *name);

#endif
