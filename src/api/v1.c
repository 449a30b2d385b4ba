/* The v1 backup API (API.md §2, §3). */
#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/backup_json.h"
#include "rdsemu/backup_ops.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"

void v1_backup_create(struct request *req)
{
    json_t *body = NULL;
    struct backup_request br = {0};
    struct rule_error err;
    if (api_parse_body(req, &body) != 0)
        return;
    json_t *backup = json_object_get(body, "backup");
    if (backup == NULL || json_is_null(backup)) {
        reply_error(req, ERR_BAD_REQUEST, "backup is required");
        goto out;
    }
    if (!json_is_object(backup)) {
        reply_error(req, ERR_BAD_REQUEST, "backup must be an object");
        goto out;
    }
    struct create_overrides overrides;
    if (backup_request_from_json(backup, "instance", &br, &err) != 0 ||
        backup_request_validate(&br, &err) != 0 ||
        create_overrides_parse(request_header(req, "X-Emulator-Backup-Seconds"),
                               request_header(req, "X-Emulator-Backup-Outcome"), &overrides,
                               &err) != 0) {
        reply_rule_error(req, &err);
        goto out;
    }
    struct backup created;
    if (backup_create(req->app, request_param(req, "project_id"), &br, false, &overrides,
                      &created, &err) != 0) {
        reply_rule_error(req, &err);
        goto out;
    }
    reply_json(req, 200, render_v1_create(&created));
    backup_free(&created);
out:
    backup_request_free(&br);
    json_decref(body);
}

static int append_v1_backup(const struct backup *b, void *arg)
{
    return json_array_append_new(arg, render_v1_backup(b));
}

void v1_backup_list(struct request *req)
{
    struct store_conn *conn = store_acquire(req->app->store);
    if (conn == NULL) {
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    json_t *list = json_array();
    int rc = list == NULL ? -1 : store_backups_settle(conn, clock_now(&req->app->clock));
    if (rc == 0)
        rc = store_backup_list(conn, request_param(req, "project_id"), append_v1_backup, list);
    store_release(req->app->store, conn);
    if (rc != 0) {
        json_decref(list);
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    reply_json(req, 200, json_pack("{s:o}", "backups", list));
}

void v1_backup_delete(struct request *req)
{
    struct rule_error err;
    if (backup_delete(req->app, request_param(req, "project_id"),
                      request_param(req, "backup_id"), &err) != 0) {
        reply_rule_error(req, &err);
        return;
    }
    reply_json(req, 200, json_object());
}
