/* Changes to existing backups, each one store transaction (store_tx): delete (v1 and v3) and
 * the control plane's forced transitions. A transaction returns 0 (done), 1 (refused: `err`
 * says why) or -1 (the store failed). */
#include <string.h>

#include "backup_ops.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/limits.h"

struct backup_change {
    struct api *api;
    const char *project_id; /* NULL: any project (the control plane) */
    const char *backup_id;
    long delete_seconds;       /* the request's, -1 when it gives none */
    enum backup_status status; /* the forced end */
    const char *reason;
    struct backup *out; /* the backup after a forced end */
    struct rule_error *err;
};

/* How long a deleted backup stays DELETING: the request's, its instance's, --delete-seconds. */
static int delete_seconds_of(struct backup_change *c, struct store_conn *conn,
                             const struct backup *b, long *out)
{
    struct instance inst;
    bool found = false;
    *out = c->delete_seconds >= 0 ? c->delete_seconds : c->api->settings.delete_seconds;
    if (c->delete_seconds >= 0)
        return 0;
    int rc = store_instance_get(conn, b->project_id, b->instance_id, &inst, &found);
    if (rc == 0 && found && inst.delete_seconds >= 0)
        *out = inst.delete_seconds;
    instance_free(&inst);
    return rc;
}

static int delete_tx(struct store_conn *conn, void *arg)
{
    struct backup_change *c = arg;
    int64_t now = clock_now(&c->api->clock);
    struct backup b = {0};
    bool found = false, deleted = false, in_use = false;
    long seconds = 0;
    int rc = -1;
    if (store_settle(conn, now, &c->api->rules) != 0 ||
        store_backup_get(conn, c->project_id, c->backup_id, &b, &found) != 0)
        goto done;
    rc = 1;
    if (!found)
        rule_fail(c->err, ERR_BACKUP_NOT_FOUND, "backup %.64s does not exist", c->backup_id);
    else if (b.type == BACKUP_AUTO)
        rule_fail(c->err, ERR_AUTO_BACKUP_DELETE,
                  "backup %s is an automated backup: only its retention deletes it", b.id);
    else if (b.status == BACKUP_DELETING)
        rule_fail(c->err, ERR_BACKUP_DELETING, "backup %s is already being deleted", b.id);
    else if (b.status == BACKUP_BUILDING)
        rule_fail(c->err, ERR_BACKUP_BUILDING,
                  "backup %s is still being created; delete it once it is COMPLETED or FAILED",
                  b.id);
    else if (store_backup_in_restore(conn, c->project_id, b.id, now, &in_use) != 0)
        rc = -1;
    else if (in_use)
        rule_fail(c->err, ERR_BACKUP_IN_USE, "backup %s is in use by a running restore", b.id);
    else if (delete_seconds_of(c, conn, &b, &seconds) != 0)
        rc = -1;
    else if (seconds > 0)
        rc = store_backup_mark_deleting(conn, c->project_id, b.id, time_clamp(now + seconds));
    else
        rc = store_backup_delete(conn, c->project_id, b.id, &deleted);
done:
    backup_free(&b);
    return rc;
}

/* The result of a change's transaction as the API functions give it: 0, or -1 with `err`. */
static int change_result(int rc, struct rule_error *err)
{
    if (rc < 0)
        rule_internal(err);
    return rc == 0 ? 0 : -1;
}

int backup_delete(struct api *api, const char *project_id, const char *backup_id,
                  const char *seconds_header, struct rule_error *err)
{
    struct backup_change c = {
        .api = api, .project_id = project_id, .backup_id = backup_id, .err = err};
    int64_t seconds = -1;
    if (seconds_header != NULL &&
        !parse_bounded_int(seconds_header, 0, BUILD_SECONDS_MAX, &seconds))
        return rule_fail(err, ERR_BAD_REQUEST,
                         "X-Emulator-Delete-Seconds must be a whole number of seconds from 0 to "
                         "%ld",
                         BUILD_SECONDS_MAX);
    c.delete_seconds = (long)seconds;
    return change_result(store_tx(api->store, delete_tx, &c), err);
}

static int force_tx(struct store_conn *conn, void *arg)
{
    struct backup_change *c = arg;
    int64_t now = clock_now(&c->api->clock);
    struct backup b = {0};
    bool found = false;
    int rc = -1;
    if (store_settle(conn, now, &c->api->rules) != 0 ||
        store_backup_get_any(conn, c->backup_id, &b, &found) != 0)
        goto done;
    rc = 1;
    if (!found)
        rule_fail(c->err, ERR_NOT_FOUND, "backup %.64s does not exist", c->backup_id);
    else if (b.status != BACKUP_BUILDING)
        rule_fail(c->err, ERR_CONFLICT, "backup %s is %s, not BUILDING", b.id,
                  backup_status_name(b.status));
    /* An automated backup waiting for this one to end may now be made. */
    else if (store_backup_finish(conn, b.id, c->status, now, c->reason) != 0 ||
             store_auto_schedule(conn, b.project_id, b.instance_id, &c->api->rules) != 0 ||
             store_settle(conn, now, &c->api->rules) != 0 ||
             store_backup_get_any(conn, b.id, c->out, &found) != 0 || !found)
        rc = -1;
    else
        rc = 0;
done:
    backup_free(&b);
    return rc;
}

int backup_force(struct api *api, const char *backup_id, enum backup_status status,
                 const char *reason, struct backup *out, struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    struct backup_change c = {.api = api,
                              .backup_id = backup_id,
                              .status = status,
                              .reason = reason,
                              .out = out,
                              .err = err};
    int rc = store_tx(api->store, force_tx, &c);
    if (rc != 0)
        backup_free(out);
    return change_result(rc, err);
}
