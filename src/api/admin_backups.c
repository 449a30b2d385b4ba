/* Forced transitions of a BUILDING backup (docs/emulator.md). */
#include "backup_ops.h"
#include "handlers.h"
#include "rdsemu/base/utf8.h"
#include "render.h"
#include "respond.h"

#define DEFAULT_FAIL_REASON "Backup failed: failure forced in the emulator"
#define REASON_MAX          256 /* code points */

static void force(struct call *call, enum backup_status status)
{
    json_t *body = NULL;
    const char *reason = DEFAULT_FAIL_REASON;
    /* The body is optional; an empty one means {}. */
    if (call->http.body.len > 0) {
        if ((body = call_body_or_reply(call)) == NULL)
            return;
        json_t *given = json_object_get(body, "reason");
        if (given != NULL && !json_is_null(given)) {
            if (!json_is_string(given) || json_string_length(given) == 0 ||
                utf8_code_points(json_string_value(given)) > REASON_MAX) {
                respond_error(call, ERR_BAD_REQUEST,
                              "reason must be a string of 1 to %d characters", REASON_MAX);
                return;
            }
            reason = json_string_value(given);
        }
    }
    struct backup b;
    struct rule_error err;
    if (backup_force(call->api, call_param(call, "backup_id"), status, reason, &b, &err) != 0) {
        respond_rule_error(call, &err);
    } else {
        size_t len = 0;
        char *text = render_v3_forced(&b, &len);
        respond_json_text(call, 200, text, len);
        backup_free(&b);
    }
}

void admin_backup_complete(struct call *call)
{
    force(call, BACKUP_COMPLETED);
}

void admin_backup_fail(struct call *call)
{
    force(call, BACKUP_FAILED);
}
