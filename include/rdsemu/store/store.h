/* The SQLite store. One connection per worker thread (file databases) or one shared
 * connection behind a mutex (":memory:"); see docs/configuration.md. Functions return 0 on
 * success and -1 on a storage failure (already logged); a look-up tells whether it found what
 * it looked for through a `bool *found` (and the like), and fills its `out` only then (zeroed
 * otherwise, so freeing it is always safe). */
#ifndef RDSEMU_STORE_H
#define RDSEMU_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdsemu/core/model.h"

struct store;
struct store_conn;
struct settle_rules;

/* SQLite's durability (--sync): normal survives a killed process, full also a power cut. */
enum store_sync { STORE_SYNC_NORMAL, STORE_SYNC_FULL };

/* From now on no connection waits for a lock: a write that would wait fails at once (the
 * stop uses it, so that no request stays parked behind another process's lock). */
void store_cancel_waits(struct store *store);

/* Opens (creating when needed) and migrates the database. On failure returns -1 with a
 * message in `err` and leaves an existing file untouched when it is not ours. */
int store_open(const char *path, enum store_sync sync, struct store **out, char *err,
               size_t errlen);
/* Closes every connection; no store call may be running. */
void store_close(struct store *store);

/* Borrowed: the calling thread's connection, to hand back with store_release. NULL on failure. */
struct store_conn *store_acquire(struct store *store);
void store_release(struct store *store, struct store_conn *conn);

/* NULL while the file at --db is the one opened; once it is not (deleted, or another file put
 * in its place), why, for good (logged once). Checked on each call until then. */
const char *store_lost(struct store *store);

/* One write transaction on the calling thread's connection: BEGIN IMMEDIATE, `fn`, then COMMIT
 * when it returned 0, ROLLBACK otherwise. `fn`'s result (a refusal above 0 writes nothing), or
 * -1 when the store failed (already logged). */
typedef int (*store_tx_fn)(struct store_conn *conn, void *arg);
int store_tx(struct store *store, store_tx_fn fn, void *arg);

/* BEGIN IMMEDIATE: takes the write lock. -1 (without a log line) once the file is lost. */
int store_begin(struct store_conn *conn);
int store_commit(struct store_conn *conn);
void store_rollback(struct store_conn *conn);

/* meta */
int store_meta_get_int(struct store_conn *conn, const char *key, int64_t *out, bool *found);
int store_meta_set_int(struct store_conn *conn, const char *key, int64_t value);

/* instances; `out` is filled with new strings (instance_free) */
/* Creates (created = now) or replaces (created kept) the instance, updated = now, and
 * schedules its automated backups. The policy of `inst` is stored, and counts as set from
 * now, only when `inst->policy_set` (the body gave one); a replace keeps the stored one
 * otherwise. The caller settles first, so that what the old instance made is made. */
int store_instance_put(struct store_conn *conn, const struct instance *inst, int64_t now,
                       const struct settle_rules *rules);
int store_instance_get(struct store_conn *conn, const char *project_id, const char *id,
                       struct instance *out, bool *found);
typedef int (*store_instance_fn)(const struct instance *inst, void *arg);
int store_instance_list(struct store_conn *conn, const char *project_id, store_instance_fn fn,
                        void *arg);
/* The instance is the target of a restore from `now` until `until` (RESTORING). */
int store_instance_restore_begin(struct store_conn *conn, const char *project_id, const char *id,
                                 int64_t now, int64_t until);
/* Deletes the instance and its automated backups (its manual ones stay). */
int store_instance_delete(struct store_conn *conn, const char *project_id, const char *id,
                          bool *deleted);
/* The filters of the instance API (docs/instances.md). NULL members do not filter. */
struct instance_query {
    const char *project_id;
    const char *id;
    const char *name; /* exact, or with `name_contains` the text it contains */
    bool name_contains;
    const char *type;   /* Single | Ha | Replica */
    const char *engine; /* MySQL | PostgreSQL | SQLServer */
    int64_t offset;
    int64_t limit;
};
/* Calls `fn` for one page of matches, newest first (then by ID), and counts all matches in
 * `total`, in one read transaction. */
int store_instance_query(struct store_conn *conn, const struct instance_query *q,
                         store_instance_fn fn, void *arg, int64_t *total);
int store_project_delete(struct store_conn *conn, const char *project_id);
/* Every project that has an instance, in ID order: `fn` for each (the ID borrowed for the
 * call) until it returns non-zero. 0, fn's result, or -1. */
typedef int (*store_project_fn)(const char *project_id, void *arg);
int store_project_list(struct store_conn *conn, store_project_fn fn, void *arg);
int store_reset(struct store_conn *conn);

/* The settle step (docs/architecture.md "Lifecycle without a timer thread"). */
struct settle_rules {
    enum auto_backups auto_backups; /* --auto-backups */
    long backup_seconds;            /* --backup-seconds: an automated backup's build time unless its
                                       instance gives one */
};
/* Writes down what the clock has made true at `now`: BUILDING backups past their ready_at
 * end as their outcome (with their jobs), the automated backups of the windows that have come
 * are made, backups past their retention or delete time go. Inside the caller's transaction
 * when one is open, else in one of its own when anything is due. */
int store_settle(struct store_conn *conn, int64_t now, const struct settle_rules *rules);
/* The same for a reader, outside any transaction: only when rows are to be made or to go
 * (a reader applies the rest on the fly with backup_apply_clock). */
int store_settle_for_read(struct store_conn *conn, int64_t now, const struct settle_rules *rules);

/* Automated backups (docs/policy.md). After a change to an instance or its policy: its next
 * window, as the instance now stands. */
int store_auto_schedule(struct store_conn *conn, const char *project_id, const char *instance_id,
                        const struct settle_rules *rules);
/* The same for every instance (at start: --auto-backups may have changed). */
int store_auto_schedule_all(struct store_conn *conn, const struct settle_rules *rules);
/* The instance's automated backups expire `keep_days` after their start (never when 0). */
int store_auto_retention(struct store_conn *conn, const char *project_id, const char *instance_id,
                         int keep_days);
/* Deletes the instance's automated backups now. */
int store_auto_backups_delete(struct store_conn *conn, const char *project_id,
                              const char *instance_id);

/* backups and their jobs */
/* Whether the instance has a backup still BUILDING at `now`. */
int store_backup_building_exists(struct store_conn *conn, const char *project_id,
                                 const char *instance_id, int64_t now, bool *out);
/* Whether the name is used by a backup of the instance. */
int store_backup_name_taken(struct store_conn *conn, const char *project_id,
                            const char *instance_id, const char *name, bool *out);
/* Inserts the backup (as created: BUILDING) and its job, each in its state at `now`. */
int store_backup_insert(struct store_conn *conn, const struct backup *b, int64_t now);
int store_backup_get(struct store_conn *conn, const char *project_id, const char *id,
                     struct backup *out, bool *found);
/* Gets each backup as stored (a due backup may still read BUILDING: see lifecycle.h). */
typedef int (*store_backup_fn)(struct backup *b, void *arg);
/* Every manual backup of the project, oldest first (the v1 list). */
int store_backup_list(struct store_conn *conn, const char *project_id, store_backup_fn fn,
                      void *arg);
/* Where a page of the creation-order list ended: the last backup's created and seq. */
struct backup_cursor {
    int64_t created;
    int64_t seq;
};
typedef int (*store_backup_page_fn)(struct backup *b, const struct backup_cursor *at, void *arg);
/* At most `limit` manual backups of the project that come after `after` (NULL: from the first) in
 * creation order (created, then seq), each with its place for the next page; in a read
 * transaction of its own when none is open. 0, fn's result, or -1. */
int store_backup_list_page(struct store_conn *conn, const char *project_id,
                           const struct backup_cursor *after, int64_t limit,
                           store_backup_page_fn fn, void *arg);
int store_backup_count(struct store_conn *conn, const char *project_id, int64_t *out);
/* The filters of the v3 list (docs/v3.md). NULL / -1 members do not filter. */
struct backup_query {
    const char *project_id;
    const char *instance_id;
    const char *backup_id;
    const char *type;
    int64_t begin_time; /* created >= begin_time */
    int64_t end_time;   /* created <= end_time */
    const char *status; /* the status at `now` (a due BUILDING one reads as its outcome) */
    int64_t now;
    int64_t offset;
    int64_t limit;
};

/* Calls `fn` for one page of matches, newest first, and counts all matches in `total`.
 * Page and count come from one read transaction, so they agree. */
int store_backup_query(struct store_conn *conn, const struct backup_query *q, store_backup_fn fn,
                       void *arg, int64_t *total);
/* Whether the project has a backup of this instance. */
int store_backup_exists_for_instance(struct store_conn *conn, const char *project_id,
                                     const char *instance_id, bool *out);

/* Backups of every project by their status at `now` (out indexed by enum backup_status). */
int store_backup_status_counts(struct store_conn *conn, int64_t now,
                               int64_t out[BACKUP_STATUS_COUNT]);

/* The backup with this ID in any project (the control plane's forced transitions). */
int store_backup_get_any(struct store_conn *conn, const char *id, struct backup *out, bool *found);
/* The backup is DELETING until `expires`, then goes (the settle step). */
int store_backup_mark_deleting(struct store_conn *conn, const char *project_id, const char *id,
                               int64_t expires);
/* Deletes the backup row (its job stays). */
int store_backup_delete(struct store_conn *conn, const char *project_id, const char *id,
                        bool *deleted);
/* Ends a BUILDING backup now: COMPLETED with its size, or FAILED with `reason`; its job too. */
int store_backup_finish(struct store_conn *conn, const char *id, enum backup_status status,
                        int64_t now, const char *reason);

/* restore (docs/restore.md) */
/* Inserts a restore's job (its own ready_at, outcome, entities; backup_id the backup it
 * restores, "" for a point in time). */
int store_restore_job_insert(struct store_conn *conn, const struct job *job);
/* Whether a restore from the backup is still running at `now`. */
int store_backup_in_restore(struct store_conn *conn, const char *project_id, const char *backup_id,
                            int64_t now, bool *out);
/* The end times (seconds, ascending) of the instance's backups that are COMPLETED at `now`
 * and full (no databases), automated or manual: what it can be restored from. `*ends` is new
 * (free()), `*count` how many. */
int store_restore_ends(struct store_conn *conn, const char *project_id, const char *instance_id,
                       int64_t now, int64_t **ends, size_t *count);

/* jobs; `out` is filled with new strings (job_free). */
int store_job_get(struct store_conn *conn, const char *project_id, const char *id, struct job *out,
                  bool *found);

/* Stores the instance's backup policy, set from `now` on; `found`: the instance exists. The
 * caller settles with the old policy first, then sets the retention and schedule. */
int store_policy_set(struct store_conn *conn, const char *project_id, const char *instance_id,
                     const struct backup_policy *policy, int64_t now, bool *found);

#endif
