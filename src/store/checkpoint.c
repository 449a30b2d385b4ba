/* The checkpoint thread. PASSIVE checkpoints never take the write lock, so the writer goes on
 * committing while the WAL is copied into the database file. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "checkpoint.h"
#include "rdsemu/base/log.h"

struct checkpointer {
    sqlite3 *db;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_cond_t idle; /* signalled when a copy ends */
    bool wanted;
    bool copying; /* the thread is in a copy */
    bool stopping;
    int copied; /* WAL frames the last copy reached (0 once the WAL starts over) */
};

/* sqlite3_wal_hook: after each commit, on the committing connection, with the WAL's size in
 * pages. The thread copies the WAL into the database in steps of CHECKPOINT_STEP_PAGES: a page
 * that many commits rewrite (the end of a table, an index's upper levels) is copied once per
 * step, not once per commit. But a busy writer appends while it copies, so the WAL would never
 * be wholly copied and never start over: past a bound, the committing connection copies the
 * little that is left itself, and its next transaction writes the WAL from its start again. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)name;
    struct checkpointer *c = arg;
    if (pages >= CHECKPOINT_RESTART_PAGES) {
        /* Two checkpoints cannot run at once: a copy of the thread's would make this one
         * return at once, and under a starved thread (valgrind, a loaded machine) the WAL
         * grew to hundreds of MiB that way. So the thread gets no new copy, the one it is in
         * is waited for (a copy never waits for a writer), and this one copies what is left. */
        pthread_mutex_lock(&c->lock);
        c->wanted = false;
        while (c->copying)
            pthread_cond_wait(&c->idle, &c->lock);
        pthread_mutex_unlock(&c->lock);
        int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            log_error("store: checkpoint failed: %s", sqlite3_errmsg(db));
        return SQLITE_OK;
    }
    pthread_mutex_lock(&c->lock);
    if (pages < c->copied)
        c->copied = 0; /* the WAL started over */
    /* Near the bound, every commit: the committing connection must find little left. */
    bool due = pages - c->copied >= CHECKPOINT_STEP_PAGES ||
               pages >= CHECKPOINT_RESTART_PAGES - CHECKPOINT_STEP_PAGES;
    if (due && !c->wanted) {
        c->wanted = true;
        pthread_cond_signal(&c->wake);
    }
    pthread_mutex_unlock(&c->lock);
    return SQLITE_OK;
}

static void *checkpoint_run(void *arg)
{
    struct checkpointer *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->wanted && !c->stopping)
            pthread_cond_wait(&c->wake, &c->lock);
        bool last = c->stopping;
        c->wanted = false;
        c->copying = true;
        pthread_mutex_unlock(&c->lock);
        int log = 0, copied = 0;
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            log_error("store: checkpoint failed: %s", sqlite3_errmsg(c->db));
        pthread_mutex_lock(&c->lock);
        c->copied = copied;
        c->copying = false;
        pthread_cond_broadcast(&c->idle);
        if (last)
            break;
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct checkpointer *checkpointer_start(const char *path, const char *vfs)
{
    struct checkpointer *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs) !=
        SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, 1000);
    sqlite3_wal_autocheckpoint(c->db, 0);
    /* A connection learns that the file is in WAL mode when it first reads it; until then a
     * checkpoint through it does nothing at all. */
    if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    pthread_cond_init(&c->idle, NULL);
    if (pthread_create(&c->thread, NULL, checkpoint_run, c) != 0) {
        pthread_cond_destroy(&c->idle);
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->lock);
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

void checkpointer_attach(struct checkpointer *c, sqlite3 *db)
{
    /* Replaces SQLite's own auto-checkpoint, which would run inside the commit. */
    sqlite3_wal_hook(db, on_commit, c);
}

void checkpointer_stop(struct checkpointer *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_cond_destroy(&c->idle);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    sqlite3_close(c->db);
    free(c);
}
