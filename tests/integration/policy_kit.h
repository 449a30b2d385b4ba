/* The calls the tests of the backup policy, automated backups, the instance API and DELETING
 * make (docs/policy.md, docs/instances.md): a server with a frozen clock, instances, v1 and v3
 * calls with a token, and their answers as JSON. The kit checks nothing itself: a call that
 * goes wrong says so on stderr and gives back what the test program checks. */
#ifndef RDSEMU_TEST_POLICY_KIT_H
#define RDSEMU_TEST_POLICY_KIT_H

#include <jansson.h>
#include <stdint.h>

#include "calls.h"

/* 2026-11-30T00:00:00+0000, a Monday: the tests' day 0. */
#define PK_MONDAY      1795996800LL
#define PK_MONDAY_TEXT "2026-11-30T00:00:00+0000"
#define PK_DAY         86400LL

/* Starts rdsemu with --auth presence and `args` (NULL-terminated, may be NULL), its clock
 * frozen at PK_MONDAY. 0, or -1 after saying why. */
int pk_start(struct emu *emu, const char *label, const char *const *args);
/* Sets the frozen clock to `t` (seconds since the epoch). 0 or -1. */
int pk_clock_at(const struct emu *emu, int64_t t);
/* Moves the frozen clock by `seconds` (>= 0). 0 or -1. */
int pk_clock_advance(const struct emu *emu, int64_t seconds);

/* PUT of a control-plane instance: {"name": id, "datastore": {engine, "8.0"}} plus `extra`
 * members (a JSON object's inside, such as "\"backup_seconds\": 0"; NULL for none). The
 * answer's status, 0 when none came. */
long pk_instance(const struct emu *emu, const char *project, const char *id, const char *engine,
                 const char *extra);

/* The same with the datastore's version. */
long pk_instance_v(const struct emu *emu, const char *project, const char *id, const char *engine,
                   const char *version, const char *extra);

/* A call of an emulated API with a token (and the JSON content type when there is a body);
 * `header` is one more "Name: value" header or NULL. */
void pk_call(const struct emu *emu, const char *method, const char *path, const char *body,
             const char *header, struct http_response *out);
/* The same, answered 200: the body as JSON (new), or NULL after a failed check. */
json_t *pk_get(const struct emu *emu, const char *path);

/* The v3 list of `project` with `query` ("instance_id=...&..."), answered 200: its backups
 * (new), and its total_count in `*total` (may be NULL). */
json_t *pk_v3_list(const struct emu *emu, const char *project, const char *query, int64_t *total);
/* The v3 create of a manual backup named `name`, answered 200: the backup's id (new: free()).
 * `seconds` >= 0 sets X-Emulator-Backup-Seconds. */
char *pk_v3_create(const struct emu *emu, const char *project, const char *instance,
                   const char *name, long seconds);
/* PUT of the v3 policy; the status (what went wrong is said on stderr). */
long pk_v3_policy(const struct emu *emu, const char *project, const char *instance,
                  const char *body);

/* A member of an object as a string or integer (NULL / -1 when absent). */
const char *pk_str(json_t *obj, const char *key);
long long pk_int(json_t *obj, const char *key);

#endif
