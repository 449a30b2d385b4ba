/* Private to src/store/: the connection and its prepared statements. */
#ifndef RDSEMU_STORE_INTERNAL_H
#define RDSEMU_STORE_INTERNAL_H

#include <sqlite3.h>

#include "rdsemu/store/store.h"

/* The VFS every file connection opens through (fault_vfs.c), registered on first use. */
const char *store_fault_vfs_name(void);

/* Every statement the store runs, prepared once per connection on first use. */
enum store_stmt_id {
    STMT_META_GET,
    STMT_META_SET,
    STMT_INSTANCE_PUT,
    STMT_INSTANCE_GET,
    STMT_INSTANCE_LIST,
    STMT_INSTANCE_DELETE,
    STMT_BACKUP_SETTLE_JOBS,
    STMT_BACKUP_SETTLE,
    STMT_BACKUP_DUE,
    STMT_BACKUP_BUILDING,
    STMT_BACKUP_NAME_TAKEN,
    STMT_BACKUP_INSERT,
    STMT_JOB_INSERT,
    STMT_BACKUP_GET,
    STMT_BACKUP_LIST,
    STMT_BACKUP_PAGE,
    STMT_BACKUP_COUNT,
    STMT_BACKUP_GET_ANY,
    STMT_BACKUP_DELETE,
    STMT_BACKUP_FINISH,
    STMT_JOB_FINISH,
    STMT_JOB_GET,
    STMT_POLICY_SET,
    STMT_BACKUP_QUERY,
    STMT_BACKUP_QUERY_COUNT,
    STMT_BACKUP_FOR_INSTANCE,
    STMT_BEGIN_READ,
    STMT_BACKUP_STATUS_COUNTS,
    STMT_SAVEPOINT,
    STMT_ROLLBACK_TO,
    STMT_RELEASE,
    STMT_SETTLE_DUE_FOR_READ,
    STMT_EXPIRED_PURGE,
    STMT_AUTO_ADVANCE,
    STMT_AUTO_BLOCKER,
    STMT_AUTO_DUE,
    STMT_AUTO_ALL,
    STMT_AUTO_RETENTION,
    STMT_AUTO_DELETE,
    STMT_BACKUP_MARK_DELETING,
    STMT_INSTANCE_QUERY,
    STMT_INSTANCE_QUERY_COUNT,
    STMT_INSTANCE_BACKING_UP,
    STMT_INSTANCE_RESTORING,
    STMT_RESTORE_JOB_INSERT,
    STMT_BACKUP_IN_RESTORE,
    STMT_RESTORE_ENDS,
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_COUNT
};

struct store_conn {
    sqlite3 *db;
    struct store *store; /* the store it belongs to */
    sqlite3_stmt *stmts[STMT_COUNT];
    struct store_conn *next; /* the store's list of every connection, for store_close */
};

/* The columns store_backup_read_row reads, in its order. */
#define STORE_BACKUP_COLUMNS                                                                       \
    "id, project_id, instance_id, instance_name, name, description, engine, version, "             \
    "databases, created, ready_at, outcome, status, finished, size_kb, size_at_ready, "            \
    "fail_reason, job_id, type, expires"
/* How many columns STORE_BACKUP_COLUMNS names (a query may select more after them). */
#define STORE_BACKUP_COLUMN_COUNT 20

/* BEGIN DEFERRED: a read transaction, so that what a call reads is one snapshot. */
int store_begin_read(struct store_conn *conn);

/* The parts of the settle step (settle.c). Whether a BUILDING backup is past its ready_at;
 * moving every such backup (and its job) to its outcome. */
int store_finish_due_exists(struct store_conn *conn, int64_t now, bool *out);
int store_finish_due(struct store_conn *conn, int64_t now);
/* The automated backups of every instance whose next window has come (auto_backups.c). */
int store_auto_derive_due(struct store_conn *conn, int64_t now, const struct settle_rules *rules);

/* Fills `out` (new strings) from a row of STORE_BACKUP_COLUMNS. 0 or -1. */
int store_backup_read_row(sqlite3_stmt *stmt, struct backup *out);

/* Steps `stmt` (a SELECT of STORE_BACKUP_COLUMNS, bound), calling `fn` for each row until it
 * returns non-zero; resets `stmt`. 0, fn's result, or -1 on a storage failure. */
int store_backup_each_row(struct store_conn *conn, sqlite3_stmt *stmt, store_backup_fn fn,
                          void *arg, const char *what);

/* Borrowed, reset and with bindings cleared; NULL after logging a failure. */
sqlite3_stmt *store_stmt(struct store_conn *conn, enum store_stmt_id id, const char *sql);
/* Logs a failed call with its SQLite message; returns -1. */
int store_fail(struct store_conn *conn, const char *what);
/* Prepares (once) and runs a statement that takes no parameters and returns no rows. */
int store_exec(struct store_conn *conn, enum store_stmt_id id, const char *sql);
/* Runs a statement that returns no rows. 0 or -1. */
int store_step_done(struct store_conn *conn, sqlite3_stmt *stmt, const char *what);
/* Runs a "SELECT 1 ... LIMIT 1" style statement: `*out` tells whether it found a row. 0 or -1. */
int store_step_exists(struct store_conn *conn, sqlite3_stmt *stmt, const char *what, bool *out);
/* Runs a statement that changes rows: `*out` tells whether it changed any. 0 or -1. */
int store_step_changed(struct store_conn *conn, sqlite3_stmt *stmt, const char *what, bool *out);
/* A new copy of a text column, or NULL for SQL NULL (and when out of memory: check `ok`). */
char *store_column_text(sqlite3_stmt *stmt, int col, bool *ok);

#endif
