/* The v3 backup API (docs/v3.md): create, list, delete over the store v1 also uses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/backup_ops.h"
#include "rdsemu/lifecycle.h"
#include "rdsemu/render.h"
#include "rdsemu/reply.h"
#include "rdsemu/timefmt.h"

#define LIMIT_MAX 100
/* Far past any page, and far from overflowing offset + limit in the query (and 18 digits,
 * which strtoll always takes). */
#define OFFSET_MAX 999999999999999999LL

/* Answers a create once the writer's batch holding it committed. */
static void v3_backup_create_answer(struct request *req)
{
    struct create_job *job = req->deferred;
    if (job->rc != 0) {
        reply_rule_error(req, &job->err);
        return;
    }
    size_t len = 0;
    char *text = render_v3_create(&job->backup, &len);
    reply_json_text(req, 200, text, len);
}

void v3_backup_create(struct request *req)
{
    backup_create_request(req, API_V3, v3_backup_create_answer);
}

void v3_backup_delete(struct request *req)
{
    struct rule_error err;
    if (backup_delete(req->app, request_param(req, "project_id"), request_param(req, "backup_id"),
                      &err) != 0) {
        reply_rule_error(req, &err);
        return;
    }
    reply_empty(req, 200);
}

/* The list's query parameters, decoded (new strings, NULL when absent). */
struct list_params {
    char *instance_id, *backup_id, *backup_type, *offset, *limit, *begin_time, *end_time;
};

static void list_params_free(struct list_params *p)
{
    free(p->instance_id);
    free(p->backup_id);
    free(p->backup_type);
    free(p->offset);
    free(p->limit);
    free(p->begin_time);
    free(p->end_time);
}

/* Reads every known parameter; -1 after answering 400 for one given twice. */
static int list_params_read(struct request *req, struct list_params *p)
{
    struct {
        const char *name;
        char **slot;
    } known[] = {
        {"instance_id", &p->instance_id},
        {"backup_id", &p->backup_id},
        {"backup_type", &p->backup_type},
        {"offset", &p->offset},
        {"limit", &p->limit},
        {"begin_time", &p->begin_time},
        {"end_time", &p->end_time},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (request_query(req, known[i].name, known[i].slot) != 0) {
            reply_error(req, ERR_BAD_REQUEST, "%s must be given at most once", known[i].name);
            return -1;
        }
    }
    return 0;
}

/* A whole number of ASCII digits in [min, max] (no sign, no spaces); -1 otherwise. */
static int64_t strict_number(const char *s, int64_t min, int64_t max)
{
    if (s[0] == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
        return -1;
    int64_t v = strtoll(s, NULL, 10);
    return v < min || v > max ? -1 : v;
}

/* Turns the parameters into a query; -1 after answering 400. */
static int list_query_build(struct request *req, const struct list_params *p,
                            struct backup_query *q)
{
    static const char *const types[] = {"auto", "manual", "fragment", "incremental"};
    q->project_id = request_param(req, "project_id");
    q->instance_id = p->instance_id;
    q->backup_id = p->backup_id;
    q->type = p->backup_type;
    q->offset = 0;
    q->limit = LIMIT_MAX;
    q->begin_time = q->end_time = -1;
    if (p->instance_id == NULL) {
        reply_error(req, ERR_BAD_REQUEST, "instance_id is required");
        return -1;
    }
    if (p->backup_type != NULL) {
        bool known = false;
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            known = known || strcmp(p->backup_type, types[i]) == 0;
        if (!known) {
            reply_error(req, ERR_BAD_REQUEST,
                        "backup_type must be auto, manual, fragment or incremental");
            return -1;
        }
    }
    if (p->offset != NULL && (q->offset = strict_number(p->offset, 0, OFFSET_MAX)) < 0) {
        reply_error(req, ERR_BAD_REQUEST, "offset must be a whole number from 0 to %lld",
                    (long long)OFFSET_MAX);
        return -1;
    }
    if (p->limit != NULL && (q->limit = strict_number(p->limit, 1, LIMIT_MAX)) < 0) {
        reply_error(req, ERR_BAD_REQUEST, "limit must be a whole number from 1 to %d", LIMIT_MAX);
        return -1;
    }
    if ((p->begin_time == NULL) != (p->end_time == NULL)) {
        reply_error(req, ERR_BAD_REQUEST, "begin_time and end_time must be given together");
        return -1;
    }
    if (p->begin_time != NULL) {
        /* An unencoded '+' in a query string reads as a space (form encoding), as curl
         * users tend to send it: take it back as the '+' of the offset. */
        if (strlen(p->begin_time) == TIME_V3_LEN && p->begin_time[19] == ' ')
            p->begin_time[19] = '+';
        if (strlen(p->end_time) == TIME_V3_LEN && p->end_time[19] == ' ')
            p->end_time[19] = '+';
        if (time_parse_v3(p->begin_time, &q->begin_time) != 0 ||
            time_parse_v3(p->end_time, &q->end_time) != 0) {
            reply_error(req, ERR_BAD_REQUEST,
                        "begin_time and end_time must be times like "
                        "2026-01-31T08:00:00+0000");
            return -1;
        }
        if (q->begin_time > q->end_time || q->begin_time < 0) {
            reply_error(req, ERR_BAD_REQUEST, "begin_time must not be after end_time");
            return -1;
        }
    }
    return 0;
}

struct list_state {
    json_t *list;
    int64_t now;
};

static int append_v3_backup(struct backup *b, void *arg)
{
    struct list_state *state = arg;
    if (backup_apply_clock(b, state->now) != 0)
        return -1;
    return json_array_append_new(state->list, render_v3_backup(b));
}

/* 0 when the list may be answered, 1 after answering 404, -1 on a storage failure. */
static int instance_known(struct request *req, struct store_conn *conn, const char *id)
{
    const char *project = request_param(req, "project_id");
    struct instance inst;
    int rc = store_instance_get(conn, project, id, &inst);
    if (rc == 0) {
        instance_free(&inst);
        return 0;
    }
    if (rc < 0)
        return -1;
    /* A deleted instance's manual backups are still listed. */
    rc = store_backup_exists_for_instance(conn, project, id);
    if (rc == 0) {
        reply_error(req, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s", id,
                    project);
        return 1;
    }
    return rc < 0 ? -1 : 0;
}

void v3_backup_list(struct request *req)
{
    struct list_params params = {0};
    struct backup_query query;
    if (list_params_read(req, &params) != 0 || list_query_build(req, &params, &query) != 0) {
        list_params_free(&params);
        return;
    }
    struct store_conn *conn = store_acquire(req->app->store);
    struct list_state state = {json_array(), clock_now(&req->app->clock)};
    json_t *list = state.list;
    int64_t total = 0;
    int rc = conn == NULL || list == NULL ? -1 : instance_known(req, conn, query.instance_id);
    if (rc == 0)
        rc = store_backup_query(conn, &query, append_v3_backup, &state, &total);
    if (conn != NULL)
        store_release(req->app->store, conn);
    if (rc == 0)
        reply_json(req, 200,
                   json_pack("{s:o, s:I}", "backups", list, "total_count", (json_int_t)total));
    else
        json_decref(list);
    if (rc < 0)
        reply_error(req, ERR_INTERNAL, "internal error");
    list_params_free(&params);
}
