/* Backups and their jobs. The lifecycle is settled lazily: every transaction that checks or
 * reads backups first moves the due ones to their outcome (docs/architecture.md "Lifecycle without
 * a timer thread"). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/core/lifecycle.h"
#include "store_internal.h"
#include "store_names.h"

#define FAIL_REASON_OUTCOME LIFECYCLE_FAIL_REASON

#define BACKUP_COLUMNS STORE_BACKUP_COLUMNS

/* A stored outcome; anything but a known name reads as success. */
static enum outcome outcome_from_column(const char *text)
{
    enum outcome outcome = OUTCOME_SUCCESS;
    if (text != NULL)
        outcome_parse(text, false, &outcome);
    return outcome;
}

static int64_t column_int_or(sqlite3_stmt *stmt, int col, int64_t absent)
{
    return sqlite3_column_type(stmt, col) == SQLITE_NULL ? absent : sqlite3_column_int64(stmt, col);
}

int store_finish_due_exists(struct store_conn *conn, int64_t now, bool *out)
{
    /* Most calls find nothing due: a read of the partial index is far cheaper than the
     * two UPDATEs. */
    sqlite3_stmt *due =
        store_stmt(conn, STMT_BACKUP_DUE,
                   "SELECT 1 FROM backups WHERE status = 'BUILDING' AND ready_at <= ?1 LIMIT 1");
    if (due == NULL)
        return -1;
    sqlite3_bind_int64(due, 1, now);
    return store_step_exists(conn, due, "settle check", out);
}

/* The two UPDATEs of a settle: jobs first, while their backups still read BUILDING. */
int store_finish_due(struct store_conn *conn, int64_t now)
{
    sqlite3_stmt *jobs = store_stmt(
        conn, STMT_BACKUP_SETTLE_JOBS,
        "UPDATE jobs SET status = CASE b.outcome WHEN 'fail' THEN '" JOB_STATUS_FAILED
        "' ELSE '" JOB_STATUS_COMPLETED "' END, "
        "ended = b.ready_at, fail_reason = CASE b.outcome WHEN 'fail' THEN '" FAIL_REASON_OUTCOME
        "' END FROM backups AS b WHERE jobs.id = b.job_id AND b.status = 'BUILDING' "
        "AND b.ready_at <= ?1");
    if (jobs == NULL)
        return -1;
    sqlite3_bind_int64(jobs, 1, now);
    if (store_step_done(conn, jobs, "settle jobs") != 0)
        return -1;

    sqlite3_stmt *backups = store_stmt(
        conn, STMT_BACKUP_SETTLE,
        "UPDATE backups SET status = CASE outcome WHEN 'fail' THEN 'FAILED' ELSE 'COMPLETED' "
        "END, finished = ready_at, size_kb = CASE outcome WHEN 'fail' THEN NULL ELSE "
        "size_at_ready END, fail_reason = CASE outcome WHEN 'fail' THEN '" FAIL_REASON_OUTCOME
        "' END WHERE status = 'BUILDING' AND ready_at <= ?1");
    if (backups == NULL)
        return -1;
    sqlite3_bind_int64(backups, 1, now);
    return store_step_done(conn, backups, "settle backups");
}

int store_backup_building_exists(struct store_conn *conn, const char *project_id,
                                 const char *instance_id, int64_t now, bool *out)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_BUILDING,
                                    "SELECT 1 FROM backups WHERE project_id = ?1 AND "
                                    "instance_id = ?2 AND status = 'BUILDING' AND ready_at > ?3 "
                                    "LIMIT 1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    return store_step_exists(conn, stmt, "backup building", out);
}

int store_backup_name_taken(struct store_conn *conn, const char *project_id,
                            const char *instance_id, const char *name, bool *out)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_NAME_TAKEN,
                                    "SELECT 1 FROM backups WHERE project_id = ?1 AND "
                                    "instance_id = ?2 AND name = ?3 AND type = 'manual' LIMIT 1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, name, -1, SQLITE_STATIC);
    return store_step_exists(conn, stmt, "backup name", out);
}

int store_backup_insert(struct store_conn *conn, const struct backup *b, int64_t now)
{
    /* A backup already due (build time 0) is stored in its final state at once: nothing
     * will have to settle it later. */
    struct lifecycle_state state;
    lifecycle_state_at(b, now, &state);
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_BACKUP_INSERT,
        "INSERT INTO backups (id, project_id, instance_id, instance_name, name, description, "
        "engine, version, databases, created, ready_at, outcome, status, size_at_ready, job_id, "
        "finished, size_kb, fail_reason, type, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?15, ?13, ?14, ?16, ?17, ?18, ?19, ?20)");
    if (stmt == NULL)
        return -1;
    char *databases = NULL;
    if (b->databases.count > 0 && (databases = store_names_encode(&b->databases)) == NULL)
        return store_fail(conn, "encode databases");
    sqlite3_bind_text(stmt, 1, b->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, b->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, b->instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, b->instance_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, b->name, -1, SQLITE_STATIC);
    if (b->description != NULL)
        sqlite3_bind_text(stmt, 6, b->description, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, b->engine, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 8, b->version, -1, SQLITE_STATIC);
    if (databases != NULL)
        sqlite3_bind_text(stmt, 9, databases, -1, free);
    sqlite3_bind_int64(stmt, 10, b->created);
    sqlite3_bind_int64(stmt, 11, b->ready_at);
    sqlite3_bind_text(stmt, 12, outcome_name(b->outcome), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 13, b->size_at_ready);
    sqlite3_bind_text(stmt, 14, b->job_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 15, backup_status_name(state.status), -1, SQLITE_STATIC);
    if (state.finished >= 0)
        sqlite3_bind_int64(stmt, 16, state.finished);
    if (state.size_kb >= 0)
        sqlite3_bind_int64(stmt, 17, state.size_kb);
    if (state.fail_reason != NULL)
        sqlite3_bind_text(stmt, 18, state.fail_reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 19, backup_type_name(b->type), -1, SQLITE_STATIC);
    if (b->expires >= 0)
        sqlite3_bind_int64(stmt, 20, b->expires);
    if (store_step_done(conn, stmt, "backup insert") != 0)
        return -1;
    if (b->type == BACKUP_AUTO)
        return 0; /* an automated backup has no job */

    sqlite3_stmt *job = store_stmt(
        conn, STMT_JOB_INSERT,
        "INSERT INTO jobs (id, project_id, name, backup_id, instance_id, instance_name, "
        "created, status, ended, fail_reason) VALUES (?1, ?2, 'CreateManualBackup', ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9)");
    if (job == NULL)
        return -1;
    sqlite3_bind_text(job, 7, job_status_name(job_status_of(state.status)), -1, SQLITE_STATIC);
    if (state.finished >= 0)
        sqlite3_bind_int64(job, 8, state.finished);
    if (state.fail_reason != NULL)
        sqlite3_bind_text(job, 9, state.fail_reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(job, 1, b->job_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(job, 2, b->project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(job, 3, b->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(job, 4, b->instance_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(job, 5, b->instance_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(job, 6, b->created);
    return store_step_done(conn, job, "job insert");
}

/* Runs a prepared SELECT of BACKUP_COLUMNS: 0 (with `out` filled when `*found`), or -1. */
static int backup_get_row(struct store_conn *conn, sqlite3_stmt *stmt, struct backup *out,
                          bool *found)
{
    memset(out, 0, sizeof(*out));
    int rc = sqlite3_step(stmt);
    int result = 0;
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        result = store_backup_read_row(stmt, out) == 0 ? 0 : store_fail(conn, "backup read");
    else if (rc != SQLITE_DONE)
        result = store_fail(conn, "backup get");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_backup_get_any(struct store_conn *conn, const char *id, struct backup *out, bool *found)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_GET_ANY,
                                    "SELECT " BACKUP_COLUMNS " FROM backups WHERE id = ?1");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    return backup_get_row(conn, stmt, out, found);
}

int store_backup_delete(struct store_conn *conn, const char *project_id, const char *id,
                        bool *deleted)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_DELETE,
                                    "DELETE FROM backups WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    return store_step_changed(conn, stmt, "backup delete", deleted);
}

int store_backup_mark_deleting(struct store_conn *conn, const char *project_id, const char *id,
                               int64_t expires)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_MARK_DELETING,
                                    "UPDATE backups SET status = 'DELETING', expires = ?3 "
                                    "WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, expires);
    return store_step_done(conn, stmt, "backup deleting");
}

int store_backup_finish(struct store_conn *conn, const char *id, enum backup_status status,
                        int64_t now, const char *reason)
{
    bool failed = status == BACKUP_FAILED;
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_BACKUP_FINISH,
        "UPDATE backups SET status = ?2, finished = ?3, size_kb = CASE WHEN ?2 = 'COMPLETED' "
        "THEN size_at_ready END, fail_reason = ?4 WHERE id = ?1 AND status = 'BUILDING'");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, backup_status_name(status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    if (failed)
        sqlite3_bind_text(stmt, 4, reason, -1, SQLITE_STATIC);
    if (store_step_done(conn, stmt, "backup finish") != 0)
        return -1;
    sqlite3_stmt *job = store_stmt(conn, STMT_JOB_FINISH,
                                   "UPDATE jobs SET status = ?2, ended = ?3, fail_reason = ?4 "
                                   "WHERE id = (SELECT job_id FROM backups WHERE id = ?1) AND "
                                   "status = '" JOB_STATUS_RUNNING "'");
    if (job == NULL)
        return -1;
    sqlite3_bind_text(job, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(job, 2, job_status_name(failed ? JOB_FAILED : JOB_COMPLETED), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(job, 3, now);
    if (failed)
        sqlite3_bind_text(job, 4, reason, -1, SQLITE_STATIC);
    return store_step_done(conn, job, "job finish");
}

int store_job_get(struct store_conn *conn, const char *project_id, const char *id, struct job *out,
                  bool *found)
{
    sqlite3_stmt *stmt = store_stmt(
        conn, STMT_JOB_GET,
        "SELECT j.id, j.project_id, j.name, j.backup_id, j.instance_id, j.instance_name, "
        "j.created, j.status, j.ended, j.fail_reason, coalesce(j.ready_at, b.ready_at), "
        "coalesce(j.outcome, b.outcome), j.kind, j.entities FROM jobs AS j "
        "LEFT JOIN backups AS b ON b.id = j.backup_id WHERE j.project_id = ?1 AND j.id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    memset(out, 0, sizeof(*out));
    int rc = sqlite3_step(stmt);
    int result = 0;
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        bool ok = true;
        snprintf(out->id, sizeof(out->id), "%s", (const char *)sqlite3_column_text(stmt, 0));
        out->project_id = store_column_text(stmt, 1, &ok);
        out->name = store_column_text(stmt, 2, &ok);
        out->backup_id = store_column_text(stmt, 3, &ok);
        out->instance_id = store_column_text(stmt, 4, &ok);
        out->instance_name = store_column_text(stmt, 5, &ok);
        out->created = sqlite3_column_int64(stmt, 6);
        const char *status = (const char *)sqlite3_column_text(stmt, 7);
        if (status == NULL || job_status_parse(status, &out->status) != 0)
            out->status = JOB_RUNNING;
        out->ended = column_int_or(stmt, 8, -1);
        out->fail_reason = store_column_text(stmt, 9, &ok);
        out->ready_at = column_int_or(stmt, 10, -1);
        const char *outcome = (const char *)sqlite3_column_text(stmt, 11);
        out->outcome = outcome_from_column(outcome);
        const char *kind = (const char *)sqlite3_column_text(stmt, 12);
        out->kind = kind != NULL && strcmp(kind, "restore") == 0 ? JOB_RESTORE : JOB_BACKUP;
        out->entities = store_column_text(stmt, 13, &ok);
        result = 0;
        if (!ok || out->project_id == NULL || out->name == NULL || out->backup_id == NULL ||
            out->instance_id == NULL || out->instance_name == NULL) {
            job_free(out);
            result = store_fail(conn, "job read");
        }
    } else if (rc != SQLITE_DONE) {
        result = store_fail(conn, "job get");
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_backup_read_row(sqlite3_stmt *stmt, struct backup *out)
{
    bool ok = true;
    memset(out, 0, sizeof(*out));
    snprintf(out->id, sizeof(out->id), "%s", (const char *)sqlite3_column_text(stmt, 0));
    out->project_id = store_column_text(stmt, 1, &ok);
    out->instance_id = store_column_text(stmt, 2, &ok);
    out->instance_name = store_column_text(stmt, 3, &ok);
    out->name = store_column_text(stmt, 4, &ok);
    out->description = store_column_text(stmt, 5, &ok);
    out->engine = store_column_text(stmt, 6, &ok);
    out->version = store_column_text(stmt, 7, &ok);
    const char *databases = (const char *)sqlite3_column_text(stmt, 8);
    if (databases != NULL && store_names_decode(databases, &out->databases) != 0)
        ok = false;
    out->created = sqlite3_column_int64(stmt, 9);
    out->ready_at = sqlite3_column_int64(stmt, 10);
    const char *outcome = (const char *)sqlite3_column_text(stmt, 11);
    out->outcome = outcome_from_column(outcome);
    const char *status = (const char *)sqlite3_column_text(stmt, 12);
    if (status == NULL || backup_status_parse(status, &out->status) != 0)
        ok = false;
    out->finished = column_int_or(stmt, 13, -1);
    out->size_kb = column_int_or(stmt, 14, -1);
    out->size_at_ready = sqlite3_column_int64(stmt, 15);
    out->fail_reason = store_column_text(stmt, 16, &ok);
    snprintf(out->job_id, sizeof(out->job_id), "%s", (const char *)sqlite3_column_text(stmt, 17));
    const char *type = (const char *)sqlite3_column_text(stmt, 18);
    if (type == NULL || backup_type_parse(type, &out->type) != 0)
        ok = false;
    out->expires = column_int_or(stmt, 19, -1);
    if (!ok || out->project_id == NULL || out->instance_id == NULL || out->name == NULL ||
        out->instance_name == NULL || out->engine == NULL || out->version == NULL) {
        backup_free(out);
        return -1;
    }
    return 0;
}

int store_backup_get(struct store_conn *conn, const char *project_id, const char *id,
                     struct backup *out, bool *found)
{
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_BACKUP_GET,
                   "SELECT " BACKUP_COLUMNS " FROM backups WHERE project_id = ?1 AND id = ?2");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
    return backup_get_row(conn, stmt, out, found);
}

int store_backup_each_row(struct store_conn *conn, sqlite3_stmt *stmt, store_backup_fn fn,
                          void *arg, const char *what)
{
    int result = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct backup b;
        if (store_backup_read_row(stmt, &b) != 0) {
            result = store_fail(conn, "backup read");
            break;
        }
        result = fn(&b, arg);
        backup_free(&b);
        if (result != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(conn, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_backup_list(struct store_conn *conn, const char *project_id, store_backup_fn fn,
                      void *arg)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_LIST,
                                    "SELECT " BACKUP_COLUMNS " FROM backups WHERE project_id = ?1 "
                                    "AND type = 'manual' ORDER BY created, seq");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    return store_backup_each_row(conn, stmt, fn, arg, "backup list");
}

int store_backup_list_page(struct store_conn *conn, const char *project_id,
                           const struct backup_cursor *after, int64_t limit,
                           store_backup_page_fn fn, void *arg)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_BACKUP_PAGE,
                                    "SELECT " BACKUP_COLUMNS ", seq FROM backups WHERE "
                                    "project_id = ?1 AND (created, seq) > (?2, ?3) "
                                    "AND type = 'manual' ORDER BY created, seq LIMIT ?4");
    if (stmt == NULL)
        return -1;
    /* A short read transaction of its own: the page is one snapshot, and nothing is held
     * between pages. */
    bool own_transaction = sqlite3_get_autocommit(conn->db) != 0;
    if (own_transaction && store_begin_read(conn) != 0)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, after != NULL ? after->created : INT64_MIN);
    sqlite3_bind_int64(stmt, 3, after != NULL ? after->seq : INT64_MIN);
    sqlite3_bind_int64(stmt, 4, limit);
    int result = 0;
    int rc;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct backup b;
        if (store_backup_read_row(stmt, &b) != 0) {
            result = store_fail(conn, "backup read");
            break;
        }
        struct backup_cursor at = {b.created,
                                   sqlite3_column_int64(stmt, STORE_BACKUP_COLUMN_COUNT)};
        result = fn(&b, &at, arg);
        backup_free(&b);
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = store_fail(conn, "backup list page");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (own_transaction) {
        if (result == 0)
            result = store_commit(conn);
        else
            store_rollback(conn);
    }
    return result;
}

int store_backup_count(struct store_conn *conn, const char *project_id, int64_t *out)
{
    sqlite3_stmt *stmt =
        store_stmt(conn, STMT_BACKUP_COUNT,
                   "SELECT count(*) FROM backups WHERE project_id = ?1 AND type = 'manual'");
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, project_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_ROW ? 0 : store_fail(conn, "backup count");
}
