/* What the v3 test programs share (docs/v3.md): the v3 calls, the v3 list answer and its
 * elements, reading a list, and a server started with the rules seed. The create answer and the
 * v3 error shape are in expect.h, the control plane in admin.h. */
#ifndef RDSEMU_TEST_V3_H
#define RDSEMU_TEST_V3_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "admin.h"
#include "expect.h"

/* ---- requests (with the tests' token) ---- */

/* POST /v3/{project}/backups: call_create through v3. */
int v3_create(const struct emu *emu, const char *project, const char *body, long seconds,
              const char *outcome, struct http_response *out);
/* {"instance_id": <instance>, "name": <name>}, properly escaped (new: free()). */
char *v3_body(const char *instance, const char *name);
/* GET /v3/{project}/backups?<query> (`query` as sent, not encoded here; NULL for none). */
int v3_list(const struct emu *emu, const char *project, const char *query,
            struct http_response *out);
/* DELETE /v3/{project}/backups/{id}. */
int v3_delete(const struct emu *emu, const char *project, const char *id,
              struct http_response *out);
/* GET /v3/{project}/jobs?id=<id>. */
int v3_job(const struct emu *emu, const char *project, const char *id, struct http_response *out);

/* ---- checks ---- */

/* One element of the v3 list: exactly id, name, type, size, status, begin_time, end_time,
 * datastore {type, version}, databases? (a non-empty array of {name}), instance_id; size and
 * end_time null while BUILDING; end_time a time once finished; size an integer (kB) when
 * COMPLETED and null when FAILED. */
bool expect_v3_element_at(const char *file, int line, const struct http_response *r, json_t *e);
/* A 200 of the v3 list: exactly {"backups": [...], "total_count": N}, every element as
 * expect_v3_element_at says, no more elements than total_count. Returns the parsed body (new
 * reference) or NULL. */
json_t *expect_v3_list_at(const char *file, int line, const struct http_response *r);

#define EXPECT_V3_LIST(r) expect_v3_list_at(__FILE__, __LINE__, (r))

/* ---- calls and their checks ---- */

/* Creates `name` on `instance` through v3 (must be the exact 200): the new backup's id (new:
 * free()), or NULL. */
char *v3_create_id_at(const char *file, int line, const struct emu *emu, const char *project,
                      const char *instance, const char *name, long seconds);
/* GET the v3 list with `query`, which must be the 200 of expect_v3_list_at; the parsed body
 * (new reference) or NULL. */
json_t *v3_list_json_at(const char *file, int line, const struct emu *emu, const char *project,
                        const char *query);
/* GET the v3 list with `query`, which must get that v3 error. */
bool v3_list_error_at(const char *file, int line, const struct emu *emu, const char *project,
                      const char *query, long status, const char *code);

#define V3_CREATE_JSON(emu, project, body, seconds)                                                \
    create_json_at(__FILE__, __LINE__, (emu), CALL_V3, (project), (body), (seconds), NULL)
#define V3_CREATE_ERROR(emu, project, body, status, code)                                          \
    create_error_at(__FILE__, __LINE__, (emu), CALL_V3, (project), (body), (status), (code))
#define V3_CREATE_ID(emu, project, instance, name, seconds)                                        \
    v3_create_id_at(__FILE__, __LINE__, (emu), (project), (instance), (name), (seconds))
#define V3_LIST_JSON(emu, project, query)                                                          \
    v3_list_json_at(__FILE__, __LINE__, (emu), (project), (query))
#define V3_LIST_ERROR(emu, project, query, status, code)                                           \
    v3_list_error_at(__FILE__, __LINE__, (emu), (project), (query), (status), (code))

/* ---- reading list answers ---- */

json_t *list_backups(json_t *root);
/* total_count, or -1 when it is not an integer. */
long long list_total(json_t *root);
size_t list_length(json_t *root);
/* The element whose `member` is `key` (borrowed), or NULL. */
json_t *list_find_by(json_t *root, const char *member, const char *key);
/* The element whose id is `id` (borrowed), or NULL. */
json_t *list_find(json_t *root, const char *id);

/* ---- start ---- */

/* Starts rdsemu with the rules seed, build time 0 by default, plus `extra` arguments. 0, or -1
 * (after saying so) when it did not start. */
int v3_start(struct emu *emu, const char *label, const char *const *extra);

#endif
