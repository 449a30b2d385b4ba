/* Automated backups, derived from each instance's policy on the emulator clock with no timer
 * (docs/policy.md). An instance keeps a cursor: its automated backups exist for every window
 * start W with cursor < W <= now. auto_next, the next W to look at, makes "is anything due?"
 * one index read; the settle step (settle.c) derives what is due and moves the cursor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/log.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/ids.h"
#include "rdsemu/core/lifecycle.h"
#include "store_internal.h"

#define DAY_SECONDS 86400

/* Whether the instance gets automated backups at all under `rules`. */
static bool eligible(const struct instance *inst, const struct settle_rules *rules)
{
    if (rules->auto_backups == AUTO_BACKUPS_OFF || inst->replica || inst->policy.keep_days <= 0 ||
        inst->policy.weekdays == 0)
        return false;
    return rules->auto_backups == AUTO_BACKUPS_ALL || inst->policy_set;
}

static int64_t cursor_of(const struct instance *inst)
{
    return inst->auto_cursor >= 0 ? inst->auto_cursor : inst->created;
}

static int advance(struct store_conn *conn, const struct instance *inst, int64_t cursor,
                   int64_t next)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_AUTO_ADVANCE,
                                    "UPDATE instances SET auto_cursor = ?3, auto_next = ?4 "
                                    "WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, inst->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, inst->id, -1, SQLITE_STATIC);
    if (cursor >= 0)
        sqlite3_bind_int64(stmt, 3, cursor);
    if (next >= 0)
        sqlite3_bind_int64(stmt, 4, next);
    return store_step_done(conn, stmt, "automated backups advance");
}

/* The end of a backup of the instance that was BUILDING at `w` (the latest, when several
 * were), or -1 when none was. */
static int blocker_end(struct store_conn *conn, const struct instance *inst, int64_t w,
                       int64_t *end)
{
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_AUTO_BLOCKER,
        "SELECT max(coalesce(finished, ready_at)) FROM backups WHERE project_id = ?1 AND "
        "instance_id = ?2 AND created <= ?3 AND coalesce(finished, ready_at) > ?3");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, inst->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, inst->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, w);
    int rc = sqlite3_step(stmt);
    *end = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL
               ? sqlite3_column_int64(stmt, 0)
               : -1;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_ROW ? 0 : store_fail(conn, "automated backups blocker");
}

/* Stores the automated backup of window `w`, started at `start`. */
static int make_backup(struct store_conn *conn, const struct instance *inst, int64_t w,
                       int64_t start, int64_t now, const struct settle_rules *rules)
{
    char name[32], stamp[24];
    struct backup b = {0};
    time_format_v1(w, stamp); /* YYYY-MM-DDTHH:MM:SS */
    snprintf(name, sizeof(name), "auto-%.4s%.2s%.2s%.2s%.2s%.2s", stamp, stamp + 5, stamp + 8,
             stamp + 11, stamp + 14, stamp + 17);
    long seconds = inst->backup_seconds >= 0 ? inst->backup_seconds : rules->backup_seconds;
    enum outcome outcome = inst->has_outcome ? inst->outcome : OUTCOME_SUCCESS;
    int rc = backup_init(&b, inst->project_id, inst, name, start, seconds, outcome);
    if (rc == 0) {
        b.type = BACKUP_AUTO;
        b.expires = start + (int64_t)inst->policy.keep_days * DAY_SECONDS;
        ids_uuid_random(b.id);
        rc = store_backup_insert(conn, &b, now);
    } else {
        log_error("automated backup: out of memory");
    }
    backup_free(&b);
    return rc;
}

/* Every window of the instance from its cursor to `now`, each given its backup, then the
 * cursor moved to `now`. A window is skipped when its backup would already be past retention
 * (it is never made), and when another backup building at W ends an hour or more after it; a
 * backup ending sooner delays it to that end, and until that end has come the cursor waits
 * before the window. */
static int derive(struct store_conn *conn, const struct instance *inst, int64_t now,
                  const struct settle_rules *rules)
{
    if (!eligible(inst, rules))
        return advance(conn, inst, now, -1);
    int64_t keep = (int64_t)inst->policy.keep_days * DAY_SECONDS;
    int64_t from = cursor_of(inst);
    if (from < now - keep)
        from = now - keep;
    for (int64_t w = policy_next_window(&inst->policy, from); w >= 0 && w <= now;
         w = policy_next_window(&inst->policy, w)) {
        int64_t end;
        if (blocker_end(conn, inst, w, &end) != 0)
            return -1;
        if (end >= w + POLICY_WINDOW_SECONDS)
            continue; /* that day has none */
        if (end > now)
            return advance(conn, inst, w - 1, end); /* delayed past now: wait for its end */
        if (make_backup(conn, inst, w, end >= 0 ? end : w, now, rules) != 0)
            return -1;
    }
    return advance(conn, inst, now, policy_next_window(&inst->policy, now));
}

/* Calls `fn` for each instance that `sql` (?1 bound to `now` when >= 0) selects by project and
 * ID. The IDs are read first: `fn` may change the rows the statement walks. */
static int each_instance(struct store_conn *conn, enum store_stmt_id id, const char *sql,
                         int64_t now,
                         int (*fn)(struct store_conn *, const struct instance *, int64_t,
                                   const struct settle_rules *),
                         const struct settle_rules *rules)
{
    sqlite3_stmt *stmt = store_stmt(conn, id, sql);
    if (stmt == NULL)
        return -1;
    if (now >= 0)
        sqlite3_bind_int64(stmt, 1, now);
    struct name_list keys = {0}; /* project, id, project, id... */
    int rc, result = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && result == 0)
        if (name_list_add(&keys, (const char *)sqlite3_column_text(stmt, 0)) != 0 ||
            name_list_add(&keys, (const char *)sqlite3_column_text(stmt, 1)) != 0)
            result = store_fail(conn, "out of memory");
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(conn, "automated backups: instances");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; result == 0 && i + 1 < keys.count; i += 2) {
        struct instance inst;
        bool found = false;
        result = store_instance_get(conn, keys.names[i], keys.names[i + 1], &inst, &found);
        if (result == 0 && found)
            result = fn(conn, &inst, now, rules);
        instance_free(&inst);
    }
    name_list_free(&keys);
    return result;
}

int store_auto_derive_due(struct store_conn *conn, int64_t now, const struct settle_rules *rules)
{
    return each_instance(conn, STMT_AUTO_DUE,
                         "SELECT project_id, id FROM instances WHERE auto_next <= ?1", now, derive,
                         rules);
}

/* auto_next from the cursor, as the instance and `rules` stand now. */
static int schedule(struct store_conn *conn, const struct instance *inst, int64_t now,
                    const struct settle_rules *rules)
{
    (void)now;
    int64_t cursor = inst->auto_cursor; /* kept as it is: NULL stays "since creation" */
    int64_t next = eligible(inst, rules) ? policy_next_window(&inst->policy, cursor_of(inst)) : -1;
    return advance(conn, inst, cursor, next);
}

int store_auto_schedule(struct store_conn *conn, const char *project_id, const char *instance_id,
                        const struct settle_rules *rules)
{
    struct instance inst;
    bool found = false;
    int rc = store_instance_get(conn, project_id, instance_id, &inst, &found);
    if (rc == 0 && found)
        rc = schedule(conn, &inst, -1, rules);
    instance_free(&inst);
    return rc;
}

int store_auto_schedule_all(struct store_conn *conn, const struct settle_rules *rules)
{
    return each_instance(conn, STMT_AUTO_ALL, "SELECT project_id, id FROM instances", -1, schedule,
                         rules);
}

int store_auto_retention(struct store_conn *conn, const char *project_id, const char *instance_id,
                         int keep_days)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_AUTO_RETENTION,
                                    "UPDATE backups SET expires = CASE WHEN ?3 > 0 THEN "
                                    "created + ?3 * 86400 END WHERE project_id = ?1 AND "
                                    "instance_id = ?2 AND type = 'auto'");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 3, keep_days);
    return store_step_done(conn, stmt, "automated backups retention");
}

int store_auto_backups_delete(struct store_conn *conn, const char *project_id,
                              const char *instance_id)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_AUTO_DELETE,
                                    "DELETE FROM backups WHERE project_id = ?1 AND "
                                    "instance_id = ?2 AND type = 'auto'");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    return store_step_done(conn, stmt, "automated backups delete");
}
