/* The filtered, paged v3 list. */
#include "store_internal.h"

#define QUERY_FILTER                                                                               \
    " FROM backups WHERE project_id = ?1 AND instance_id = ?2 AND (?3 IS NULL OR id = ?3) "        \
    "AND (?4 IS NULL OR type = ?4) AND (?5 IS NULL OR created >= ?5) "                             \
    "AND (?6 IS NULL OR created <= ?6) AND (?9 IS NULL OR ?9 = CASE WHEN status = 'BUILDING' "     \
    "AND ready_at <= ?10 THEN CASE outcome WHEN 'fail' THEN 'FAILED' ELSE 'COMPLETED' END "        \
    "ELSE status END)"

static void bind_filter(sqlite3_stmt *stmt, const struct backup_query *q)
{
    sqlite3_bind_text(stmt, 1, q->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, q->instance_id, -1, SQLITE_STATIC);
    if (q->backup_id != NULL)
        sqlite3_bind_text(stmt, 3, q->backup_id, -1, SQLITE_STATIC);
    if (q->type != NULL)
        sqlite3_bind_text(stmt, 4, q->type, -1, SQLITE_STATIC);
    if (q->begin_time >= 0)
        sqlite3_bind_int64(stmt, 5, q->begin_time);
    if (q->end_time >= 0)
        sqlite3_bind_int64(stmt, 6, q->end_time);
    if (q->status != NULL)
        sqlite3_bind_text(stmt, 9, q->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 10, q->now);
}

static int query_count(struct store_conn *conn, const struct backup_query *q, int64_t *total)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_QUERY_COUNT, "SELECT count(*)" QUERY_FILTER);
    if (stmt == NULL)
        return -1;
    bind_filter(stmt, q);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_ROW ? 0 : store_fail(conn, "backup query count");
}

static int query_page(struct store_conn *conn, const struct backup_query *q, store_backup_fn fn,
                      void *arg)
{
    /* "+created": the order is not taken from backups_by_project (project_id, created), which
     * would walk every backup of the project; the instance's own index, then a sort of its
     * backups, is what a page of one instance needs. */
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_QUERY,
                                    "SELECT " STORE_BACKUP_COLUMNS QUERY_FILTER
                                    " ORDER BY +created DESC, seq DESC LIMIT ?7 OFFSET ?8");
    if (stmt == NULL)
        return -1;
    bind_filter(stmt, q);
    sqlite3_bind_int64(stmt, 7, q->limit);
    sqlite3_bind_int64(stmt, 8, q->offset);
    return store_backup_each_row(conn, stmt, fn, arg, "backup query");
}

int store_backup_query(struct store_conn *conn, const struct backup_query *q, store_backup_fn fn,
                       void *arg, int64_t *total)
{
    if (store_begin_read(conn) != 0)
        return -1;
    int rc = query_count(conn, q, total);
    if (rc == 0)
        rc = query_page(conn, q, fn, arg);
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    return rc;
}

int store_backup_exists_for_instance(struct store_conn *conn, const char *project_id,
                                     const char *instance_id, bool *out)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_FOR_INSTANCE,
                                    "SELECT 1 FROM backups WHERE project_id = ?1 AND "
                                    "instance_id = ?2 LIMIT 1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    return store_step_exists(conn, stmt, "backup exists", out);
}

int store_backup_status_counts(struct store_conn *conn, int64_t now,
                               int64_t out[BACKUP_STATUS_COUNT])
{
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_BACKUP_STATUS_COUNTS,
        "SELECT CASE WHEN status = 'BUILDING' AND ready_at <= ?1 THEN CASE outcome WHEN 'fail' "
        "THEN 'FAILED' ELSE 'COMPLETED' END ELSE status END AS s, count(*) FROM backups "
        "GROUP BY s");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    for (int i = 0; i < BACKUP_STATUS_COUNT; i++)
        out[i] = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        enum backup_status status;
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        if (name != NULL && backup_status_parse(name, &status) == 0)
            out[status] = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : store_fail(conn, "backup status counts");
}
