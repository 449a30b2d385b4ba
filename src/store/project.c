/* The projects the control plane knows: those that have an instance (a project exists only
 * through its instances, docs/emulator.md). */
#include "store_internal.h"

int store_project_list(struct store_conn *conn, store_project_fn fn, void *arg)
{
    /* Asked by identity calls only (a client's configuration, not its traffic): prepared per
     * call rather than kept with the statements of every request. */
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(conn->db,
                           "SELECT DISTINCT project_id FROM instances ORDER BY project_id", -1,
                           &stmt, NULL) != SQLITE_OK)
        return store_fail(conn, "project list");
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(stmt, 0);
        if (id != NULL)
            rc = fn(id, arg);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(conn, "project list");
    sqlite3_finalize(stmt);
    return rc;
}
