/* The v3 backup API (docs/v3.md): create, list, delete over the store v1 also uses. */
#include <stdlib.h>
#include <string.h>

#include "backup_ops.h"
#include "handlers.h"
#include "query_params.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/lifecycle.h"
#include "render.h"
#include "respond.h"

/* Answers a create once the writer's batch holding it committed. */
static void v3_backup_create_answer(struct call *call)
{
    struct create_job *job = call->deferral.create;
    if (job->rc != 0) {
        respond_rule_error(call, &job->err);
        return;
    }
    size_t len = 0;
    char *text = render_v3_create(&job->backup, &len);
    respond_json_text(call, 200, text, len);
}

void v3_backup_create(struct call *call)
{
    backup_create_or_reply(call, API_V3, v3_backup_create_answer);
}

void v3_backup_delete(struct call *call)
{
    struct rule_error err;
    if (backup_delete(call->api, call_param(call, "project_id"), call_param(call, "backup_id"),
                      call_header(call, "X-Emulator-Delete-Seconds"), &err) != 0) {
        respond_rule_error(call, &err);
        return;
    }
    respond_empty(call, 200);
}

/* The list's query parameters, decoded (new strings, NULL when absent). */
struct list_params {
    char *instance_id, *backup_id, *backup_type, *status, *offset, *limit, *begin_time, *end_time;
};

#define LIST_PARAMS(p)                                                                             \
    {                                                                                              \
        {"instance_id", &(p)->instance_id}, {"backup_id", &(p)->backup_id},                        \
            {"backup_type", &(p)->backup_type}, {"status", &(p)->status},                          \
            {"offset", &(p)->offset}, {"limit", &(p)->limit}, {"begin_time", &(p)->begin_time},    \
            {"end_time", &(p)->end_time},                                                          \
    }

/* Turns the parameters into a query; -1 after answering 400. */
static int list_query_or_reply(struct call *call, const struct list_params *p,
                               struct backup_query *q)
{
    static const char *const types[] = {"auto", "manual", "fragment", "incremental"};
    q->project_id = call_param(call, "project_id");
    q->instance_id = p->instance_id;
    q->backup_id = p->backup_id;
    q->type = p->backup_type;
    q->status = p->status;
    q->begin_time = q->end_time = -1;
    if (p->instance_id == NULL) {
        respond_error(call, ERR_BAD_REQUEST, "instance_id is required");
        return -1;
    }
    if (p->backup_type != NULL) {
        bool known = false;
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            known = known || strcmp(p->backup_type, types[i]) == 0;
        if (!known) {
            respond_error(call, ERR_BAD_REQUEST,
                          "backup_type must be auto, manual, fragment or incremental");
            return -1;
        }
    }
    enum backup_status status;
    if (p->status != NULL &&
        (backup_status_parse(p->status, &status) != 0 || status == BACKUP_DELETING)) {
        respond_error(call, ERR_BAD_REQUEST, "status must be BUILDING, COMPLETED or FAILED");
        return -1;
    }
    if (query_paging_or_reply(call, p->offset, p->limit, &q->offset, &q->limit) != 0)
        return -1;
    if ((p->begin_time == NULL) != (p->end_time == NULL)) {
        respond_error(call, ERR_BAD_REQUEST, "begin_time and end_time must be given together");
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
            respond_error(call, ERR_BAD_REQUEST,
                          "begin_time and end_time must be times like "
                          "2026-01-31T08:00:00+0000");
            return -1;
        }
        if (q->begin_time > q->end_time || q->begin_time < 0) {
            respond_error(call, ERR_BAD_REQUEST, "begin_time must not be after end_time");
            return -1;
        }
    }
    return 0;
}

struct list_state {
    struct strbuf out;
    int64_t now;
    size_t count;
};

static int append_v3_backup(struct backup *b, void *arg)
{
    struct list_state *state = arg;
    if (backup_apply_clock(b, state->now) != 0)
        return -1;
    if (state->count++ > 0)
        strbuf_puts(&state->out, ",");
    render_v3_backup(&state->out, b);
    return 0;
}

/* 0 when the list may be answered (`*known`: else a 404 is due), -1 on a storage failure. A
 * deleted instance's manual backups are still listed. */
static int instance_listable(struct call *call, struct store_conn *conn, const char *id,
                             bool *known)
{
    const char *project = call_param(call, "project_id");
    struct instance inst;
    int rc = store_instance_get(conn, project, id, &inst, known);
    instance_free(&inst);
    if (rc == 0 && !*known)
        rc = store_backup_exists_for_instance(conn, project, id, known);
    return rc;
}

void v3_backup_list(struct call *call)
{
    struct list_params params = {0};
    const struct query_param names[] = LIST_PARAMS(&params);
    struct backup_query query;
    struct list_state state = {STRBUF_INIT, clock_now(&call->api->clock), 0};
    struct store_conn *conn = NULL;
    if (query_params_read_or_reply(call, names, sizeof(names) / sizeof(names[0])) != 0 ||
        list_query_or_reply(call, &params, &query) != 0 ||
        (conn = store_acquire_or_reply(call)) == NULL)
        goto done;
    query.now = state.now;
    bool known = false;
    int64_t total = 0;
    strbuf_puts(&state.out, "{\"backups\":[");
    /* Automated backups of windows that have come, or gone past retention, are written down
     * first: the list shows rows. */
    int rc = store_settle_for_read(conn, state.now, &call->api->rules);
    if (rc == 0)
        rc = instance_listable(call, conn, query.instance_id, &known);
    if (rc == 0 && known)
        rc = store_backup_query(conn, &query, append_v3_backup, &state, &total);
    store_release(call->api->store, conn);
    if (rc != 0) {
        respond_internal(call);
    } else if (!known) {
        respond_error(call, ERR_INSTANCE_NOT_FOUND, "instance %.64s does not exist in project %s",
                      query.instance_id, query.project_id);
    } else {
        strbuf_printf(&state.out, "],\"total_count\":%lld}", (long long)total);
        size_t len = 0;
        char *text = strbuf_take(&state.out, &len);
        respond_json_text(call, 200, text, len);
    }
done:
    strbuf_release(&state.out);
    query_params_free(names, sizeof(names) / sizeof(names[0]));
}
