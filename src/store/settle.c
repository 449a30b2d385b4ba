/* The settle step (docs/architecture.md "Lifecycle without a timer thread"): what the clock
 * has made true, written down. BUILDING backups past their ready_at end as their outcome;
 * automated backups are made for the policy windows that have come; backups past their
 * retention or their delete time go. Readers apply the first on the fly and never need it
 * written; the other two change which rows exist, so a reader settles them first when due. */
#include "store_internal.h"

static int purge_expired(struct store_conn *conn, int64_t now)
{
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_EXPIRED_PURGE, "DELETE FROM backups WHERE expires <= ?1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    return store_step_done(conn, stmt, "expired backups");
}

/* Whether windows have come or rows have expired: what a reader cannot apply on the fly. */
static int rows_due(struct store_conn *conn, int64_t now, bool *out)
{
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_SETTLE_DUE_FOR_READ,
                   "SELECT 1 WHERE EXISTS (SELECT 1 FROM instances WHERE auto_next <= ?1) OR "
                   "EXISTS (SELECT 1 FROM backups WHERE expires <= ?1)");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    return store_step_exists(conn, stmt, "settle check", out);
}

/* Everything, in the caller's transaction or one of its own. The finishing comes first: an
 * automated backup waits for the end of the backup building at its window. */
static int settle_all(struct store_conn *conn, int64_t now, const struct settle_rules *rules)
{
    bool own_transaction = sqlite3_get_autocommit(conn->db) != 0;
    if (own_transaction && store_begin(conn) != 0)
        return -1;
    int rc = store_finish_due(conn, now);
    if (rc == 0)
        rc = store_auto_derive_due(conn, now, rules);
    if (rc == 0)
        rc = purge_expired(conn, now);
    if (own_transaction) {
        if (rc == 0)
            rc = store_commit(conn);
        else
            store_rollback(conn);
    }
    return rc;
}

int store_settle(struct store_conn *conn, int64_t now, const struct settle_rules *rules)
{
    bool finish = false, rows = false;
    if (store_finish_due_exists(conn, now, &finish) != 0 || rows_due(conn, now, &rows) != 0)
        return -1;
    return finish || rows ? settle_all(conn, now, rules) : 0;
}

int store_settle_for_read(struct store_conn *conn, int64_t now, const struct settle_rules *rules)
{
    bool rows = false;
    if (rows_due(conn, now, &rows) != 0)
        return -1;
    return rows ? settle_all(conn, now, rules) : 0;
}
