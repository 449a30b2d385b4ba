/* Instances and projects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_names.h"

#define INSTANCE_COLUMNS                                                                           \
    "project_id, id, name, engine, version, status, role, databases, backup_seconds, "             \
    "backup_outcome, size_kb, policy_keepday, policy_starttime"

int store_instance_put(struct store_conn *conn, const struct instance *inst)
{
    /* A replace keeps the backup policy: it is not part of the instance body. */
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_INSTANCE_PUT,
        "INSERT INTO instances (project_id, id, name, engine, version, status, role, databases, "
        "backup_seconds, backup_outcome, size_kb) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11) ON CONFLICT (project_id, id) DO UPDATE SET name = excluded.name, "
        "engine = excluded.engine, version = excluded.version, status = excluded.status, "
        "role = excluded.role, databases = excluded.databases, "
        "backup_seconds = excluded.backup_seconds, backup_outcome = excluded.backup_outcome, "
        "size_kb = excluded.size_kb");
    if (stmt == NULL)
        return -1;
    char *databases = NULL;
    if (inst->has_databases && (databases = store_names_encode(&inst->databases)) == NULL)
        return store_fail(conn, "encode databases");
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
    return store_step_done(conn, stmt, "instance put");
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
    out->policy_keepday = sqlite3_column_int(stmt, 11);
    const char *starttime = (const char *)sqlite3_column_text(stmt, 12);
    snprintf(out->policy_starttime, sizeof(out->policy_starttime), "%s",
             starttime != NULL ? starttime : "00:00:00");
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

int store_instance_list(struct store_conn *conn, const char *project_id, store_instance_fn fn,
                        void *arg)
{
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_INSTANCE_LIST,
                   "SELECT " INSTANCE_COLUMNS " FROM instances WHERE project_id = ?1 ORDER BY id");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
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
        result = store_fail(conn, "instance list");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
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
    return store_step_changed(conn, stmt, "instance delete", deleted);
}

int store_policy_set(struct store_conn *conn, const char *project_id, const char *instance_id,
                     int keepday, const char *starttime, bool *found)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_POLICY_SET,
                                    "UPDATE instances SET policy_keepday = ?3, "
                                    "policy_starttime = ?4 WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 3, keepday);
    sqlite3_bind_text(stmt, 4, starttime, -1, SQLITE_STATIC);
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
