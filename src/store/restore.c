/* Restore's part of the store (docs/restore.md): restore jobs, the backups a restore reads,
 * the backups a running restore holds. */
#include <stdlib.h>

#include "store_internal.h"

int store_restore_job_insert(struct store_conn *conn, const struct job *job)
{
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_RESTORE_JOB_INSERT,
        "INSERT INTO jobs (id, project_id, name, backup_id, instance_id, instance_name, created, "
        "status, kind, ready_at, outcome, entities) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "'" JOB_STATUS_RUNNING "', 'restore', ?8, ?9, ?10)");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, job->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, job->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, job->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, job->backup_id != NULL ? job->backup_id : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, job->instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 6, job->instance_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 7, job->created);
    sqlite3_bind_int64(stmt, 8, job->ready_at);
    sqlite3_bind_text(stmt, 9, outcome_name(job->outcome), -1, SQLITE_STATIC);
    if (job->entities != NULL)
        sqlite3_bind_text(stmt, 10, job->entities, -1, SQLITE_STATIC);
    return store_step_done(conn, stmt, "restore job insert");
}

int store_backup_in_restore(struct store_conn *conn, const char *project_id, const char *backup_id,
                            int64_t now, bool *out)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_IN_RESTORE,
                                    "SELECT 1 FROM jobs WHERE kind = 'restore' AND backup_id = ?2 "
                                    "AND ready_at > ?3 AND project_id = ?1 LIMIT 1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, backup_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    return store_step_exists(conn, stmt, "backup in restore", out);
}

int store_restore_ends(struct store_conn *conn, const char *project_id, const char *instance_id,
                       int64_t now, int64_t **ends, size_t *count)
{
    /* COMPLETED at `now`: settled, or BUILDING past its ready_at with a successful outcome. */
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_RESTORE_ENDS,
        "SELECT coalesce(finished, ready_at) AS e FROM backups WHERE project_id = ?1 AND "
        "instance_id = ?2 AND databases IS NULL AND (status = 'COMPLETED' OR (status = "
        "'BUILDING' AND ready_at <= ?3 AND outcome = 'success')) ORDER BY e");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    size_t n = 0, cap = 0;
    int64_t *list = NULL;
    int rc, result = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap > 0 ? cap * 2 : 16;
            int64_t *grown = realloc(list, cap * sizeof(*grown));
            if (grown == NULL) {
                result = store_fail(conn, "out of memory");
                break;
            }
            list = grown;
        }
        list[n++] = sqlite3_column_int64(stmt, 0);
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(conn, "restore ends");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (result != 0) {
        free(list);
        return -1;
    }
    *ends = list;
    *count = n;
    return 0;
}
