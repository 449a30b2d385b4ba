/* Opening, migrating and sharing the SQLite database (docs/architecture.md "Storage", "Threads").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint.h"
#include "rdsemu/base/log.h"
#include "rdsemu/store/schema.h"
#include "rdsemu/store/store_test.h"
#include "store_internal.h"

#define BUSY_TIMEOUT_MS 5000

struct store {
    char *path;
    /* File databases: an open descriptor of the file holding flock(LOCK_EX) for as long as
     * the store is open, so that a second rdsemu on the same file refuses to start. SQLite's
     * own locks are fcntl() locks, which flock() does not disturb. -1 when none. */
    int lock_fd;
    enum store_sync sync;
    _Atomic int busy_timeout_ms;
    atomic_bool waits_cancelled;       /* store_cancel_waits: no connection waits for a lock */
    struct checkpointer *checkpointer; /* file databases: checkpoints off the request path */
    /* ":memory:" has a single connection that every thread shares under `shared_lock`:
     * each new connection to ":memory:" would be a different, empty database. */
    bool memory;
    pthread_mutex_t shared_lock;
    struct store_conn *shared;
    /* File databases: one connection per thread, found through `thread_key`. */
    pthread_key_t thread_key;
    pthread_mutex_t list_lock;
    struct store_conn *all; /* every connection, to close them at the end */
    /* Set once the file at `path` is no longer the one opened (deleted, or replaced by
     * another): what is written then would be lost at the next start, so writes stop. */
    atomic_bool lost;
    char lost_reason[PATH_MAX + 160];
};

int store_fail(struct store_conn *conn, const char *what)
{
    log_error("store: %s failed: %s", what, conn != NULL ? sqlite3_errmsg(conn->db) : "");
    return -1;
}

sqlite3_stmt *store_stmt(struct store_conn *conn, enum store_stmt_id id, const char *sql)
{
    sqlite3_stmt *stmt = conn->stmts[id];
    if (stmt == NULL) {
        if (sqlite3_prepare_v3(conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
            SQLITE_OK) {
            store_fail(conn, "prepare");
            return NULL;
        }
        conn->stmts[id] = stmt;
    }
    return stmt;
}

int store_step_done(struct store_conn *conn, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    int result = rc == SQLITE_DONE ? 0 : store_fail(conn, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_step_exists(struct store_conn *conn, sqlite3_stmt *stmt, const char *what, bool *out)
{
    int rc = sqlite3_step(stmt);
    int result = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(conn, what);
    *out = rc == SQLITE_ROW;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
}

int store_step_changed(struct store_conn *conn, sqlite3_stmt *stmt, const char *what, bool *out)
{
    if (store_step_done(conn, stmt, what) != 0)
        return -1;
    *out = sqlite3_changes(conn->db) > 0;
    return 0;
}

char *store_column_text(sqlite3_stmt *stmt, int col, bool *ok)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    if (text == NULL)
        return NULL;
    char *copy = strdup((const char *)text);
    if (copy == NULL)
        *ok = false;
    return copy;
}

int store_exec(struct store_conn *conn, enum store_stmt_id id, const char *sql)
{
    sqlite3_stmt *stmt = store_stmt(conn, id, sql);
    return stmt == NULL ? -1 : store_step_done(conn, stmt, sql);
}

/* Notices, once, that the file at the path is no longer the file opened: gone, or another
 * file (of another inode or device) put there. */
static bool file_replaced(struct store *store, char *why, size_t whylen)
{
    struct stat at_path, opened;
    if (fstat(store->lock_fd, &opened) != 0)
        return false; /* nothing to compare with: not taken as lost */
    if (stat(store->path, &at_path) != 0) {
        snprintf(why, whylen,
                 "the database file %s was deleted while rdsemu runs (%s); what would be written "
                 "now is lost at the next start, so writes are refused: restart rdsemu",
                 store->path, strerror(errno));
        return true;
    }
    if (at_path.st_ino != opened.st_ino || at_path.st_dev != opened.st_dev) {
        snprintf(why, whylen,
                 "the database file %s was replaced by another file while rdsemu runs; what "
                 "would be written now is lost at the next start, so writes are refused: restart "
                 "rdsemu",
                 store->path);
        return true;
    }
    return false;
}

const char *store_lost(struct store *store)
{
    if (store->memory)
        return NULL;
    if (atomic_load(&store->lost))
        return store->lost_reason;
    char why[sizeof(store->lost_reason)];
    if (!file_replaced(store, why, sizeof(why)))
        return NULL;
    pthread_mutex_lock(&store->list_lock);
    if (!atomic_load(&store->lost)) {
        memcpy(store->lost_reason, why, sizeof(why));
        atomic_store(&store->lost, true);
        log_error("store: %s", why); /* once: from now on the flag answers */
    }
    pthread_mutex_unlock(&store->list_lock);
    return store->lost_reason;
}

static void conn_close(struct store_conn *conn)
{
    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(conn->stmts[i]);
    sqlite3_close(conn->db);
    free(conn);
}

static int conn_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg != NULL ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* SQLite's busy handler: waits for a lock another connection (or process) holds, in steps of
 * a few milliseconds, up to the store's busy timeout, and not at all once the waits are
 * cancelled (a stop). `count` is how many times it was called for this lock. */
static int busy_wait(void *arg, int count)
{
    struct store *store = arg;
    static const int step_ms = 5;
    if (atomic_load(&store->waits_cancelled) || (long)count * step_ms >= store->busy_timeout_ms)
        return 0;
    struct timespec t = {0, step_ms * 1000000L};
    nanosleep(&t, NULL);
    return 1;
}

static int conn_configure(struct store *store, sqlite3 *db, enum store_sync sync, char *err,
                          size_t errlen)
{
    sqlite3_busy_handler(db, busy_wait, store);
    sqlite3_extended_result_codes(db, 1);
    /* 8 MiB of page cache per connection (SQLite's default is 2 MiB): with a million
     * backups, the random index pages a create touches then mostly stay in memory. */
    return conn_exec(db,
                     sync == STORE_SYNC_FULL ? "PRAGMA synchronous=FULL; PRAGMA cache_size=-8192"
                                             : "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192",
                     err, errlen);
}

static struct store_conn *conn_open(struct store *store, char *err, size_t errlen)
{
    struct store_conn *conn = calloc(1, sizeof(*conn));
    if (conn == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (store->memory)
        flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(store->path, &conn->db, flags, store_fault_vfs_name()) != SQLITE_OK ||
        conn_configure(store, conn->db, store->sync, err, errlen) != 0) {
        if (err[0] == '\0')
            snprintf(err, errlen, "%s", sqlite3_errmsg(conn->db));
        conn_close(conn);
        return NULL;
    }
    if (store->checkpointer != NULL)
        checkpointer_attach(store->checkpointer, conn->db);
    conn->store = store;
    pthread_mutex_lock(&store->list_lock);
    conn->next = store->all;
    store->all = conn;
    pthread_mutex_unlock(&store->list_lock);
    return conn;
}

static int read_user_version(sqlite3 *db, int *out, char *err, size_t errlen)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(stmt);
        return -1;
    }
    *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return 0;
}

/* True when SQLite's last failure on `db` means the file, or the files it keeps beside it,
 * could not be written or made: the user, not the file, is the problem. */
static bool failed_to_write(sqlite3 *db)
{
    int code = sqlite3_extended_errcode(db) & 0xFF;
    return code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM;
}

static void say_not_writable(const char *path, const char *detail, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "cannot write the database %s (%s): the file, its directory (where SQLite makes "
             "%s-wal and %s-shm while rdsemu runs) and those two files when they are there must "
             "be writable by the user rdsemu runs as",
             path, detail, path, path);
}

/* Opening is not writing: a directory where the WAL files cannot be made, or such files left
 * read-only, still let the file be read. Taking the write lock once, at start, finds it out
 * there instead of at the first write. */
static int probe_write(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    char detail[512] = "";
    if (conn_exec(db, "BEGIN IMMEDIATE", detail, sizeof(detail)) != 0) {
        if (failed_to_write(db))
            say_not_writable(path, detail, err, errlen);
        else
            snprintf(err, errlen, "cannot write the database %s: %s", path, detail);
        return -1;
    }
    conn_exec(db, "ROLLBACK", detail, sizeof(detail));
    return 0;
}

/* Applies every embedded migration newer than the file, each in its own transaction. */
static int migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    char detail[512] = "";
    int version;
    if (read_user_version(db, &version, detail, sizeof(detail)) != 0) {
        if (failed_to_write(db))
            say_not_writable(path, detail, err, errlen); /* a WAL file it could not make */
        else
            snprintf(err, errlen, "%s is not a usable rdsemu database: %s", path, detail);
        return -1;
    }
    int latest = schema_migrations[schema_migration_count - 1].version;
    if (version > latest) {
        snprintf(err, errlen,
                 "%s has schema version %d, newer than this rdsemu understands (%d); "
                 "use a newer rdsemu or another --db",
                 path, version, latest);
        return -1;
    }
    if (conn_exec(db, "PRAGMA journal_mode=WAL", detail, sizeof(detail)) != 0) {
        if (failed_to_write(db))
            say_not_writable(path, detail, err, errlen);
        else
            snprintf(err, errlen, "%s: cannot enable WAL: %s", path, detail);
        return -1;
    }
    for (unsigned i = 0; i < schema_migration_count; i++) {
        const struct schema_migration *m = &schema_migrations[i];
        if (m->version <= version)
            continue;
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", m->version);
        if (conn_exec(db, "BEGIN IMMEDIATE", detail, sizeof(detail)) != 0 ||
            conn_exec(db, m->sql, detail, sizeof(detail)) != 0 ||
            conn_exec(db, pragma, detail, sizeof(detail)) != 0 ||
            conn_exec(db, "COMMIT", detail, sizeof(detail)) != 0) {
            conn_exec(db, "ROLLBACK", pragma, sizeof(pragma));
            snprintf(err, errlen, "%s: migration %s failed: %s", path, m->name, detail);
            return -1;
        }
    }
    return 0;
}

/* Opens `path` for writing (creating it when needed) and takes the file's lock. 0, or -1 with
 * a message that names the file. */
static int lock_file(struct store *store, const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the database %s for reading and writing: %s", path,
                 strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            snprintf(err, errlen,
                     "the database %s is in use by another running rdsemu; stop it, or give "
                     "this one another --db",
                     path);
        else
            snprintf(err, errlen, "cannot lock the database %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    store->lock_fd = fd;
    return 0;
}

int store_open(const char *path, enum store_sync sync, struct store **out, char *err, size_t errlen)
{
    err[0] = '\0';
    struct store *store = calloc(1, sizeof(*store));
    if (store == NULL || (store->path = strdup(path)) == NULL) {
        free(store);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    store->sync = sync;
    store->busy_timeout_ms = BUSY_TIMEOUT_MS;
    store->memory = strcmp(path, ":memory:") == 0;
    store->lock_fd = -1;
    pthread_mutex_init(&store->shared_lock, NULL);
    pthread_mutex_init(&store->list_lock, NULL);
    pthread_key_create(&store->thread_key, NULL);
    if (!store->memory && lock_file(store, path, err, errlen) != 0) {
        store_close(store);
        return -1;
    }

    /* The first connection may create the file; it then checks and migrates it. */
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, store_fault_vfs_name()) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        store_close(store);
        return -1;
    }
    sqlite3_busy_handler(db, busy_wait, store);
    int rc = migrate(db, path, err, errlen);
    if (rc == 0 && !store->memory)
        rc = probe_write(db, path, err, errlen);
    if (rc == 0 && store->memory) {
        /* Keep this very connection: it is the database. */
        struct store_conn *conn = calloc(1, sizeof(*conn));
        if (conn == NULL || conn_configure(store, db, sync, err, errlen) != 0) {
            free(conn);
            rc = -1;
        } else {
            conn->db = db;
            conn->store = store;
            db = NULL;
            store->shared = conn;
            store->all = conn;
        }
    }
    sqlite3_close(db);
    if (rc == 0 && !store->memory &&
        (store->checkpointer = checkpointer_start(path, store_fault_vfs_name())) == NULL) {
        snprintf(err, errlen, "cannot start the checkpoint thread for %s", path);
        rc = -1;
    }
    if (rc != 0) {
        store_close(store);
        return -1;
    }
    *out = store;
    return 0;
}

void store_set_busy_timeout(struct store *store, int milliseconds)
{
    atomic_store(&store->busy_timeout_ms, milliseconds); /* busy_wait reads it on each call */
}

void store_cancel_waits(struct store *store)
{
    atomic_store(&store->waits_cancelled, true);
}

void store_close(struct store *store)
{
    if (store == NULL)
        return;
    struct store_conn *conn = store->all;
    while (conn != NULL) {
        struct store_conn *next = conn->next;
        conn_close(conn);
        conn = next;
    }
    checkpointer_stop(store->checkpointer); /* a last checkpoint, with the file quiet */
    if (store->lock_fd >= 0)
        close(store->lock_fd); /* the lock goes last: nothing of ours touches the file now */
    pthread_key_delete(store->thread_key);
    pthread_mutex_destroy(&store->shared_lock);
    pthread_mutex_destroy(&store->list_lock);
    free(store->path);
    free(store);
}

struct store_conn *store_acquire(struct store *store)
{
    if (store->memory) {
        pthread_mutex_lock(&store->shared_lock);
        return store->shared;
    }
    struct store_conn *conn = pthread_getspecific(store->thread_key);
    if (conn == NULL) {
        /* A file that is gone cannot be opened: said once, by store_lost, not per request. */
        if (store_lost(store) != NULL)
            return NULL;
        char err[512] = "";
        conn = conn_open(store, err, sizeof(err));
        if (conn == NULL) {
            log_error("store: cannot open a connection: %s", err);
            return NULL;
        }
        pthread_setspecific(store->thread_key, conn);
    }
    return conn;
}

void store_release(struct store *store, struct store_conn *conn)
{
    (void)conn;
    if (store->memory)
        pthread_mutex_unlock(&store->shared_lock);
}

int store_tx(struct store *store, store_tx_fn fn, void *arg)
{
    struct store_conn *conn = store_acquire(store);
    if (conn == NULL)
        return -1;
    int rc = store_begin(conn);
    if (rc == 0)
        rc = fn(conn, arg);
    if (rc == 0)
        rc = store_commit(conn);
    else
        store_rollback(conn);
    store_release(store, conn);
    return rc;
}

int store_begin(struct store_conn *conn)
{
    /* Every write transaction starts here (the writer's batches too): none once the file is
     * lost. The check is a stat and an fstat, far cheaper than the commit that follows. */
    if (store_lost(conn->store) != NULL)
        return -1;
    return store_exec(conn, STMT_BEGIN, "BEGIN IMMEDIATE");
}

int store_begin_read(struct store_conn *conn)
{
    return store_exec(conn, STMT_BEGIN_READ, "BEGIN DEFERRED");
}

int store_commit(struct store_conn *conn)
{
    sqlite3_stmt *stmt = store_stmt(conn, STMT_COMMIT, "COMMIT");
    if (stmt == NULL || store_step_done(conn, stmt, "commit") != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

void store_rollback(struct store_conn *conn)
{
    if (sqlite3_get_autocommit(conn->db))
        return; /* nothing open: SQLite already rolled back, or nothing began */
    sqlite3_stmt *stmt = store_stmt(conn, STMT_ROLLBACK, "ROLLBACK");
    if (stmt != NULL)
        store_step_done(conn, stmt, "rollback");
}
