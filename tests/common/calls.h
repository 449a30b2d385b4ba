/* The requests the tests send again and again, built on http_client. */
#ifndef RDSEMU_TEST_CALLS_H
#define RDSEMU_TEST_CALLS_H

#include "harness.h"
#include "http_client.h"

#define CALL_TOKEN_HEADER "X-Auth-Token: integration-test-token"
#define CALL_JSON_HEADER  "Content-Type: application/json"

/* Any request: `headers` NULL-terminated or NULL, `body` NULL for none. 0 when an answer
 * came. `handle` may be NULL (a handle of its own). */
int call_request(const struct emu *emu, CURL *handle, const char *method, const char *path,
                 const char *const *headers, const char *body, struct http_response *out);

/* POST /rds/v1/{project}/backups with a token, the JSON content type and, when
 * `build_seconds` >= 0, X-Emulator-Backup-Seconds. */
int call_v1_create(const struct emu *emu, CURL *handle, const char *project, const char *body,
                   long build_seconds, struct http_response *out);

/* A control-plane request: no token, the JSON content type when there is a body. */
int call_admin(const struct emu *emu, const char *method, const char *path, const char *body,
               struct http_response *out);

/* PUT /_emulator/projects/{project}/instances/{id}; 0 when it answered 200 (else says why on
 * stderr and gives -1). */
int call_put_instance(const struct emu *emu, const char *project, const char *id, const char *body);

/* {"backup": {"instance": <instance>, "name": <name>}}, properly escaped (new: free()). */
char *call_v1_body(const char *instance, const char *name);

#endif
