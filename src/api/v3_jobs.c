/* The v3 job status call (docs/v3.md): the job each create returns, v1 or v3. */
#include <stdlib.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/lifecycle.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"

void v3_job_get(struct request *req)
{
    const char *project = request_param(req, "project_id");
    char *id = NULL;
    if (request_query(req, "id", &id) != 0) {
        reply_error(req, ERR_BAD_REQUEST, "id must be given once");
        return;
    }
    if (id == NULL) {
        reply_error(req, ERR_BAD_REQUEST, "id is required");
        return;
    }
    struct store_conn *conn = store_acquire(req->app->store);
    if (conn == NULL) {
        free(id);
        reply_error(req, ERR_INTERNAL, "internal error");
        return;
    }
    int64_t now = clock_now(&req->app->clock);
    struct job job;
    int rc = store_job_get(conn, project, id, &job);
    store_release(req->app->store, conn);
    if (rc == 0 && job_apply_clock(&job, now) != 0) {
        job_free(&job);
        rc = -1;
    }
    if (rc < 0) {
        reply_error(req, ERR_INTERNAL, "internal error");
    } else if (rc > 0) {
        utf8_sanitize(id);
        reply_error(req, ERR_JOB_NOT_FOUND, "job %.64s does not exist", id);
    } else {
        reply_json(req, 200, render_v3_job(&job, now));
        job_free(&job);
    }
    free(id);
}
