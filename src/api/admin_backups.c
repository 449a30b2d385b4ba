/* Forced transitions of a BUILDING backup (docs/emulator.md). */
#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/backup_ops.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"

#define DEFAULT_FAIL_REASON "Backup failed: failure forced in the emulator"
#define REASON_MAX          256 /* code points */

static void force(struct request *req, enum backup_status status)
{
    json_t *body = NULL;
    const char *reason = DEFAULT_FAIL_REASON;
    /* The body is optional; an empty one means {}. */
    if (req->body_len > 0) {
        if (api_parse_body(req, &body) != 0)
            return;
        json_t *given = json_object_get(body, "reason");
        if (given != NULL && !json_is_null(given)) {
            if (!json_is_string(given) || json_string_length(given) == 0 ||
                utf8_code_points(json_string_value(given)) > REASON_MAX) {
                json_decref(body);
                reply_error(req, ERR_BAD_REQUEST, "reason must be a string of 1 to %d characters",
                            REASON_MAX);
                return;
            }
            reason = json_string_value(given);
        }
    }
    struct backup b;
    struct rule_error err;
    if (backup_force(req->app, request_param(req, "backup_id"), status, reason, &b, &err) != 0) {
        reply_rule_error(req, &err);
    } else {
        reply_json(req, 200, json_pack("{s:o}", "backup", render_v3_backup(&b)));
        backup_free(&b);
    }
    json_decref(body);
}

void admin_backup_complete(struct request *req)
{
    force(req, BACKUP_COMPLETED);
}

void admin_backup_fail(struct request *req)
{
    force(req, BACKUP_FAILED);
}
