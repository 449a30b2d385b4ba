/* Instances and projects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_names.h"

#define INSTANCE_COLUMNS                                                                           \
    "project_id, id, name, engine, version, status, role, databases, backup_seconds, "             \
    "backup_outcome, size_kb, policy_keepday, policy_starttime, policy_period, policy_set, "       \
    "created, updated, delete_seconds, auto_cursor, restore_seconds, restore_outcome, "            \
    "restore_kind, restore_until, restore_fails, placement"

static int instance_upsert(struct store_conn *conn, const struct instance *inst, bool with_policy,
                           int64_t now)
{
    /* A replace keeps the creation time, and the backup policy unless the body gives one:
     * then it counts as set, from now on (docs/policy.md); one that turns automated backups
     * off keeps the stored window and weekdays. It ends the restore the instance was in (a
     * FAILED one too: docs/restore.md); only an insert takes one, from a restore. */
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_INSTANCE_PUT,
        "INSERT INTO instances (project_id, id, name, engine, version, status, role, databases, "
        "backup_seconds, backup_outcome, size_kb, delete_seconds, created, updated, "
        "policy_keepday, policy_starttime, policy_period, policy_set, auto_cursor, "
        "restore_seconds, restore_outcome, restore_kind, restore_until, restore_fails, "
        "placement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, "
        "?15, ?16, ?17, CASE WHEN ?17 THEN ?13 END, ?18, ?19, ?20, ?21, ?22, ?23) "
        "ON CONFLICT (project_id, id) DO UPDATE SET "
        "name = excluded.name, engine = excluded.engine, version = excluded.version, "
        "status = excluded.status, role = excluded.role, databases = excluded.databases, "
        "backup_seconds = excluded.backup_seconds, backup_outcome = excluded.backup_outcome, "
        "size_kb = excluded.size_kb, delete_seconds = excluded.delete_seconds, "
        "updated = excluded.updated, "
        "policy_keepday = CASE WHEN ?17 THEN excluded.policy_keepday ELSE policy_keepday END, "
        "policy_starttime = CASE WHEN ?17 AND ?14 > 0 THEN excluded.policy_starttime ELSE "
        "policy_starttime END, policy_period = CASE WHEN ?17 AND ?14 > 0 THEN "
        "excluded.policy_period ELSE policy_period END, "
        "policy_set = CASE WHEN ?17 THEN 1 ELSE policy_set END, "
        "auto_cursor = CASE WHEN ?17 THEN ?13 ELSE auto_cursor END, "
        "restore_seconds = excluded.restore_seconds, restore_outcome = excluded.restore_outcome, "
        "restore_kind = NULL, restore_until = NULL, restore_fails = 0");
    if (stmt == NULL)
        return -1;
    char *databases = NULL;
    if (inst->has_databases && (databases = store_names_encode(&inst->databases)) == NULL)
        return store_fail(conn, "encode databases");
    char period[POLICY_PERIOD_TEXT_MAX];
    policy_period_format(inst->policy.weekdays, period);
    sqlite3_bind_text(stmt, 1, inst->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, inst->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, inst->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, inst->engine, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, inst->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 6, inst->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, inst->replica ? "replica" : "primary", -1, SQLITE_STATIC);
    if (databases != NULL)
        sqlite3_bind_text(stmt, 8, databases, -1, free);
    if (inst->backup_seconds >= 0)
        sqlite3_bind_int64(stmt, 9, inst->backup_seconds);
    if (inst->has_outcome)
        sqlite3_bind_text(stmt, 10, outcome_name(inst->outcome), -1, SQLITE_STATIC);
    if (inst->size_kb >= 0)
        sqlite3_bind_int64(stmt, 11, inst->size_kb);
    if (inst->delete_seconds >= 0)
        sqlite3_bind_int64(stmt, 12, inst->delete_seconds);
    sqlite3_bind_int64(stmt, 13, now);
    sqlite3_bind_int(stmt, 14, inst->policy.keep_days);
    sqlite3_bind_text(stmt, 15, inst->policy.start, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 16, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 17, with_policy);
    if (inst->restore_seconds >= 0)
        sqlite3_bind_int64(stmt, 18, inst->restore_seconds);
    if (inst->has_restore_outcome)
        sqlite3_bind_text(stmt, 19, outcome_name(inst->restore_outcome), -1, SQLITE_STATIC);
    if (inst->restore_phase != RESTORE_NONE) {
        sqlite3_bind_text(stmt, 20, inst->restore_phase == RESTORE_BUILDING ? "create" : "restore",
                          -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 21, inst->restore_until);
    }
    sqlite3_bind_int(stmt, 22, inst->restore_fails);
    if (inst->placement != NULL)
        sqlite3_bind_text(stmt, 23, inst->placement, -1, SQLITE_STATIC);
    return store_step_done(conn, stmt, "instance put");
}

int store_instance_put(struct store_conn *conn, const struct instance *inst, int64_t now,
                       const struct settle_rules *rules)
{
    if (instance_upsert(conn, inst, inst->policy_set, now) != 0)
        return -1;
    if (inst->policy_set &&
        store_auto_retention(conn, inst->project_id, inst->id, inst->policy.keep_days) != 0)
        return -1;
    return store_auto_schedule(conn, inst->project_id, inst->id, rules);
}

static int instance_read(sqlite3_stmt *stmt, struct instance *out)
{
    bool ok = true;
    memset(out, 0, sizeof(*out));
    out->project_id = store_column_text(stmt, 0, &ok);
    out->id = store_column_text(stmt, 1, &ok);
    out->name = store_column_text(stmt, 2, &ok);
    out->engine = store_column_text(stmt, 3, &ok);
    out->version = store_column_text(stmt, 4, &ok);
    out->status = store_column_text(stmt, 5, &ok);
    const char *role = (const char *)sqlite3_column_text(stmt, 6);
    out->replica = role != NULL && strcmp(role, "replica") == 0;
    const char *databases = (const char *)sqlite3_column_text(stmt, 7);
    if (databases != NULL) {
        out->has_databases = true;
        if (store_names_decode(databases, &out->databases) != 0)
            ok = false;
    }
    out->backup_seconds =
        sqlite3_column_type(stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 8);
    const char *outcome = (const char *)sqlite3_column_text(stmt, 9);
    if (outcome != NULL) {
        out->has_outcome = true;
        if (outcome_parse(outcome, false, &out->outcome) != 0)
            out->outcome = OUTCOME_SUCCESS;
    }
    out->size_kb =
        sqlite3_column_type(stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 10);
    out->policy.keep_days = sqlite3_column_int(stmt, 11);
    const char *starttime = (const char *)sqlite3_column_text(stmt, 12);
    if (starttime == NULL || policy_starttime_normalize(starttime, out->policy.start) != 0)
        ok = false;
    const char *period = (const char *)sqlite3_column_text(stmt, 13);
    out->policy.weekdays = 0;
    if (period != NULL && period[0] != '\0' &&
        policy_period_parse(period, &out->policy.weekdays) != 0)
        ok = false;
    out->policy_set = sqlite3_column_int(stmt, 14) != 0;
    out->created = sqlite3_column_int64(stmt, 15);
    out->updated = sqlite3_column_int64(stmt, 16);
    out->delete_seconds =
        sqlite3_column_type(stmt, 17) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 17);
    out->auto_cursor =
        sqlite3_column_type(stmt, 18) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 18);
    out->restore_seconds =
        sqlite3_column_type(stmt, 19) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 19);
    const char *restore_outcome = (const char *)sqlite3_column_text(stmt, 20);
    out->has_restore_outcome = restore_outcome != NULL &&
                               outcome_parse(restore_outcome, false, &out->restore_outcome) == 0;
    const char *kind = (const char *)sqlite3_column_text(stmt, 21);
    out->restore_phase = kind == NULL                  ? RESTORE_NONE
                         : strcmp(kind, "create") == 0 ? RESTORE_BUILDING
                                                       : RESTORE_TARGET;
    out->restore_until = sqlite3_column_int64(stmt, 22);
    out->restore_fails = sqlite3_column_int(stmt, 23) != 0;
    out->placement = store_column_text(stmt, 24, &ok);
    if (!ok || out->project_id == NULL || out->id == NULL || out->name == NULL ||
        out->engine == NULL || out->version == NULL || out->status == NULL) {
        instance_free(out);
        return -1;
    }
    return 0;
}

int store_instance_get(struct store_conn *conn, const char *project_id, const char *id,
                       struct instance *out, bool *found)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_INSTANCE_GET,
                   "SELECT " INSTANCE_COLUMNS " FROM instances WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    int result = 0;
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        result = instance_read(stmt, out) == 0 ? 0 : store_fail(conn, "instance read");
    else if (rc != SQLITE_DONE)
        result = store_fail(conn, "instance get");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

/* Steps `stmt` (a SELECT of INSTANCE_COLUMNS, bound), calling `fn` for each row until it
 * returns non-zero; resets `stmt`. */
static int instance_each_row(struct store_conn *conn, sqlite3_stmt *stmt, store_instance_fn fn,
                             void *arg, const char *what)
{
    int result = 0;
    int rc;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct instance inst;
        if (instance_read(stmt, &inst) != 0) {
            result = store_fail(conn, "instance read");
            break;
        }
        result = fn(&inst, arg);
        instance_free(&inst);
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(conn, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_instance_list(struct store_conn *conn, const char *project_id, store_instance_fn fn,
                        void *arg)
{
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_INSTANCE_LIST,
                   "SELECT " INSTANCE_COLUMNS " FROM instances WHERE project_id = ?1 ORDER BY id");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    return instance_each_row(conn, stmt, fn, arg, "instance list");
}

int store_instance_delete(struct store_conn *conn, const char *project_id, const char *id,
                          bool *deleted)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_INSTANCE_DELETE,
                                    "DELETE FROM instances WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    if (store_step_changed(conn, stmt, "instance delete", deleted) != 0)
        return -1;
    /* Its automated backups go with it; its manual ones stay (docs/emulator.md). */
    return *deleted ? store_auto_backups_delete(conn, project_id, id) : 0;
}

#define INSTANCE_FILTER                                                                            \
    " FROM instances WHERE project_id = ?1 AND (?2 IS NULL OR id = ?2) AND (?3 IS NULL OR "        \
    "CASE WHEN ?4 THEN instr(name, ?3) > 0 ELSE name = ?3 END) AND (?5 IS NULL OR "                \
    "(?5 = 'Replica' AND role = 'replica') OR (role = 'primary' AND ?5 = CASE WHEN "               \
    "json_extract(placement, '$.ha') IS NULL THEN 'Single' ELSE 'Ha' END)) AND "                   \
    "(?6 IS NULL OR engine = ?6)"

static void bind_instance_filter(sqlite3_stmt *stmt, const struct instance_query *q)
{
    sqlite3_bind_text(stmt, 1, q->project_id, -1, SQLITE_STATIC);
    if (q->id != NULL)
        sqlite3_bind_text(stmt, 2, q->id, -1, SQLITE_STATIC);
    if (q->name != NULL)
        sqlite3_bind_text(stmt, 3, q->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, q->name_contains);
    if (q->type != NULL)
        sqlite3_bind_text(stmt, 5, q->type, -1, SQLITE_STATIC);
    if (q->engine != NULL)
        sqlite3_bind_text(stmt, 6, q->engine, -1, SQLITE_STATIC);
}

static int instance_query_run(struct store_conn *conn, const struct instance_query *q,
                              store_instance_fn fn, void *arg, int64_t *total)
{
    sqlite3_stmt *count =
        store_stmt(conn, STMT_INSTANCE_QUERY_COUNT, "SELECT count(*)" INSTANCE_FILTER);
    if (count == NULL)
        return -1;
    bind_instance_filter(count, q);
    int rc = sqlite3_step(count);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(count, 0);
    sqlite3_reset(count);
    sqlite3_clear_bindings(count);
    if (rc != SQLITE_ROW)
        return store_fail(conn, "instance query count");
    sqlite3_stmt *stmt = store_stmt(conn, STMT_INSTANCE_QUERY,
                                    "SELECT " INSTANCE_COLUMNS INSTANCE_FILTER
                                    " ORDER BY created DESC, id LIMIT ?7 OFFSET ?8");
    if (stmt == NULL)
        return -1;
    bind_instance_filter(stmt, q);
    sqlite3_bind_int64(stmt, 7, q->limit);
    sqlite3_bind_int64(stmt, 8, q->offset);
    return instance_each_row(conn, stmt, fn, arg, "instance query");
}

int store_instance_query(struct store_conn *conn, const struct instance_query *q,
                         store_instance_fn fn, void *arg, int64_t *total)
{
    if (store_begin_read(conn) != 0)
        return -1;
    int rc = instance_query_run(conn, q, fn, arg, total);
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    return rc;
}

int store_instance_restore_begin(struct store_conn *conn, const char *project_id, const char *id,
                                 int64_t now, int64_t until)
{
    /* The end of a restore before this one is a change already made: `updated` keeps it. */
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_INSTANCE_RESTORING,
        "UPDATE instances SET updated = CASE WHEN restore_until IS NOT NULL AND restore_until "
        "<= ?4 AND restore_until > updated THEN restore_until ELSE updated END, restore_kind = "
        "'restore', restore_until = ?3, restore_fails = 0 WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, until);
    sqlite3_bind_int64(stmt, 4, now);
    return store_step_done(conn, stmt, "instance restoring");
}

int store_policy_set(struct store_conn *conn, const char *project_id, const char *instance_id,
                     const struct backup_policy *policy, int64_t now, bool *found)
{
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_POLICY_SET,
        "UPDATE instances SET policy_keepday = ?3, policy_starttime = ?4, policy_period = ?5, "
        "policy_set = 1, auto_cursor = ?6, updated = ?6 WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    char period[POLICY_PERIOD_TEXT_MAX];
    policy_period_format(policy->weekdays, period);
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 3, policy->keep_days);
    sqlite3_bind_text(stmt, 4, policy->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 6, now);
    return store_step_changed(conn, stmt, "policy set", found);
}

/* Rarely used, so not cached: runs `sql` with the project bound as ?1 (or nothing bound). */
static int exec_for_project(struct store_conn *conn, const char *sql, const char *project_id)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(conn->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return store_fail(conn, "prepare");
    if (project_id != NULL)
        sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : store_fail(conn, sql);
}

int store_project_delete(struct store_conn *conn, const char *project_id)
{
    static const char *const statements[] = {
        "DELETE FROM jobs WHERE project_id = ?1",
        "DELETE FROM backups WHERE project_id = ?1",
        "DELETE FROM instances WHERE project_id = ?1",
    };
    for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
        if (exec_for_project(conn, statements[i], project_id) != 0)
            return -1;
    return 0;
}

int store_reset(struct store_conn *conn)
{
    static const char *const statements[] = {
        "DELETE FROM jobs",
        "DELETE FROM backups",
        "DELETE FROM instances",
        "DELETE FROM meta",
    };
    for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
        if (exec_for_project(conn, statements[i], NULL) != 0)
            return -1;
    return 0;
}
