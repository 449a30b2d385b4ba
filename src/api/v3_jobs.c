/* The v3 job status call (docs/jobs.md): the job each create returns, v1 or v3. */
#include <stdlib.h>

#include "handlers.h"
#include "rdsemu/base/utf8.h"
#include "rdsemu/core/lifecycle.h"
#include "render.h"
#include "respond.h"

void v3_job_get(struct call *call)
{
    char *id = NULL;
    struct job job = {0};
    bool found = false;
    struct store_conn *conn;
    if (call_query(call, "id", &id) != 0) {
        respond_error(call, ERR_BAD_REQUEST, "id must be given once");
        goto done;
    }
    if (id == NULL) {
        respond_error(call, ERR_BAD_REQUEST, "id is required");
        goto done;
    }
    if ((conn = store_acquire_or_reply(call)) == NULL)
        goto done;
    int64_t now = clock_now(&call->api->clock);
    int rc = store_job_get(conn, call_param(call, "project_id"), id, &job, &found);
    store_release(call->api->store, conn);
    if (rc == 0 && found && job_apply_clock(&job, now) != 0)
        rc = -1;
    if (rc != 0) {
        respond_internal(call);
    } else if (!found) {
        utf8_sanitize(id);
        respond_error(call, ERR_JOB_NOT_FOUND, "job %.64s does not exist", id);
    } else {
        respond_json(call, 200, render_v3_job(&job, now));
    }
done:
    job_free(&job);
    free(id);
}
