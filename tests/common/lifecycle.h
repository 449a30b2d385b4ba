/* What the lifecycle tests (docs/api.md, docs/v3.md jobs, §5.2, §5.3) share, on top of expect.h
 * and admin.h: creates that remember what they made, and the v1 list and v3 job views of a
 * backup. The KIT_* macros report the caller's line.
 *
 * No test sleeps: transitions come from clock moves. A look that must still see BUILDING is
 * made at least KIT_MARGIN seconds before the backup's time, so a slow machine cannot turn
 * it into a false failure. */
#ifndef RDSEMU_TEST_LIFECYCLE_H
#define RDSEMU_TEST_LIFECYCLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "admin.h"
#include "expect.h"

#define KIT_MARGIN 10 /* seconds: more than a test takes between a clock move and a look */

/* ---- creates ---- */

/* What a create made. */
struct made {
    char id[64];
    char job[64];
    char project[72];
    int64_t created; /* from the answer's "created" */
    json_t *backup;  /* the answer's "backup" (new reference; kit_made_free) */
};

void kit_made_free(struct made *m);

/* POST /rds/v1/{project}/backups with `body`, X-Emulator-Backup-Seconds `seconds` (-1: not
 * sent) and X-Emulator-Backup-Outcome `outcome` (NULL: not sent); checks the exact 200 of §2
 * (status BUILDING, size and updated null) and fills `out`. */
bool kit_create_body_at(const char *file, int line, const struct emu *emu, const char *project,
                        const char *body, long seconds, const char *outcome, struct made *out);
/* The same with the body for `instance` and `name`. */
bool kit_create_at(const char *file, int line, const struct emu *emu, const char *project,
                   const char *instance, const char *name, long seconds, const char *outcome,
                   struct made *out);

#define KIT_CREATE(emu, project, instance, name, seconds, outcome, out)                            \
    kit_create_at(__FILE__, __LINE__, (emu), (project), (instance), (name), (seconds), (outcome),  \
                  (out))
#define KIT_CREATE_BODY(emu, project, body, seconds, outcome, out)                                 \
    kit_create_body_at(__FILE__, __LINE__, (emu), (project), (body), (seconds), (outcome), (out))

/* ---- the v1 list ---- */

/* GET /rds/v1/{project}/backups: checks 200 {"backups": [...]} and returns the array (new
 * reference), or NULL. */
json_t *kit_list_at(const char *file, int line, const struct emu *emu, const char *project);
#define KIT_LIST(emu, project) kit_list_at(__FILE__, __LINE__, (emu), (project))

/* The element of `list` whose id is `id` (borrowed), or NULL. */
json_t *kit_find(json_t *list, const char *id);

/* Checks how the v1 list of its project shows `m`: `status`, `updated` (-1: null) and
 * `size_kb` (-1: null size; otherwise the JSON number size_kb / 1048576, exactly). */
bool kit_expect_listed_at(const char *file, int line, const struct emu *emu, const struct made *m,
                          const char *status, int64_t updated, long long size_kb);

#define KIT_EXPECT_LISTED(emu, m, status, updated, size_kb)                                        \
    kit_expect_listed_at(__FILE__, __LINE__, (emu), (m), (status), (updated), (size_kb))
/* Shorthands: still BUILDING; COMPLETED at `t` with `kb`; FAILED at `t`. */
#define KIT_EXPECT_BUILDING(emu, m)         KIT_EXPECT_LISTED((emu), (m), "BUILDING", -1, -1)
#define KIT_EXPECT_COMPLETED(emu, m, t, kb) KIT_EXPECT_LISTED((emu), (m), "COMPLETED", (t), (kb))
#define KIT_EXPECT_FAILED(emu, m, t)        KIT_EXPECT_LISTED((emu), (m), "FAILED", (t), -1)

/* ---- jobs ---- */

/* GET /v3/{project}/jobs?id={job}: checks 200 {"job": {...}} with the members of docs/v3.md in
 * their order, and returns the job object (new reference), or NULL. */
json_t *kit_job_at(const char *file, int line, const struct emu *emu, const char *project,
                   const char *job_id);
#define KIT_JOB(emu, project, job_id) kit_job_at(__FILE__, __LINE__, (emu), (project), (job_id))

/* Checks the job of `m`: `status`, `ended` (-1: null) and `fail_reason` (NULL: null, "" any
 * non-empty string, otherwise exactly that). */
bool kit_expect_job_at(const char *file, int line, const struct emu *emu, const struct made *m,
                       const char *status, int64_t ended, const char *fail_reason);
#define KIT_EXPECT_JOB(emu, m, status, ended, fail_reason)                                         \
    kit_expect_job_at(__FILE__, __LINE__, (emu), (m), (status), (ended), (fail_reason))

/* ---- start and stop ---- */

/* Starts rdsemu with `args`; false (after a failed CHECK) when it does not come up. */
bool kit_start(struct emu *emu, const char *label, const char *const *args);
/* Stops the server (expecting exit status 0) and removes its directory. */
void kit_finish(struct emu *emu);

#endif
