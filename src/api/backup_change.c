/* Changes to existing backups, each one store transaction: delete (v1 and v3) and the
 * control plane's forced transitions. */
#include <string.h>

#include "rdsemu/backup_ops.h"

int backup_delete(struct app *app, const char *project_id, const char *backup_id,
                  struct rule_error *err)
{
    struct store_conn *conn = store_acquire(app->store);
    if (conn == NULL)
        return rule_fail(err, ERR_INTERNAL, "internal error");
    int rc = -1;
    struct backup b = {0};
    if (store_begin(conn) != 0 || store_backups_settle(conn, clock_now(&app->clock)) != 0)
        goto internal;
    int found = store_backup_get(conn, project_id, backup_id, &b);
    if (found < 0)
        goto internal;
    if (found > 0) {
        rule_fail(err, ERR_BACKUP_NOT_FOUND, "backup %.64s does not exist", backup_id);
        goto out;
    }
    if (b.status == BACKUP_BUILDING) {
        rule_fail(err, ERR_BACKUP_BUILDING,
                  "backup %s is still being created; delete it once it is COMPLETED or FAILED",
                  b.id);
        goto out;
    }
    if (store_backup_delete(conn, project_id, b.id) != 0 || store_commit(conn) != 0)
        goto internal;
    rc = 0;
    goto done;
internal:
    rule_fail(err, ERR_INTERNAL, "internal error");
out:
    store_rollback(conn);
done:
    backup_free(&b);
    store_release(app->store, conn);
    return rc;
}

int backup_force(struct app *app, const char *backup_id, enum backup_status status,
                 const char *reason, struct backup *out, struct rule_error *err)
{
    struct store_conn *conn = store_acquire(app->store);
    if (conn == NULL)
        return rule_fail(err, ERR_INTERNAL, "internal error");
    int rc = -1;
    struct backup b = {0};
    int64_t now = clock_now(&app->clock);
    if (store_begin(conn) != 0 || store_backups_settle(conn, now) != 0)
        goto internal;
    int found = store_backup_get_any(conn, backup_id, &b);
    if (found < 0)
        goto internal;
    if (found > 0) {
        rule_fail(err, ERR_NOT_FOUND, "backup %.64s does not exist", backup_id);
        goto out;
    }
    if (b.status != BACKUP_BUILDING) {
        rule_fail(err, ERR_CONFLICT, "backup %s is %s, not BUILDING", b.id,
                  backup_status_name(b.status));
        goto out;
    }
    if (store_backup_finish(conn, b.id, status, now, reason) != 0 ||
        store_backup_get_any(conn, b.id, out) != 0)
        goto internal;
    if (store_commit(conn) != 0) {
        backup_free(out);
        goto internal;
    }
    rc = 0;
    goto done;
internal:
    rule_fail(err, ERR_INTERNAL, "internal error");
out:
    store_rollback(conn);
done:
    backup_free(&b);
    store_release(app->store, conn);
    return rc;
}
