/* Small facts about the emulator kept in the `meta` table. */
#include "store_internal.h"

int store_meta_get_int(struct store_conn *conn, const char *key, int64_t *out, bool *found)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_META_GET, "SELECT value FROM meta WHERE key = ?1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    *found = rc == SQLITE_ROW;
    if (*found)
        *out = sqlite3_column_int64(stmt, 0);
    int result = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(conn, "meta get");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_meta_set_int(struct store_conn *conn, const char *key, int64_t value)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_META_SET,
                                    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, value);
    return store_step_done(conn, stmt, "meta set");
}
