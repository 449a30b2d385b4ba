/* The writer thread behind group commit. Savepoints keep one operation's failure from
 * undoing the others of its batch; a failed COMMIT fails them all, and none is reported as
 * done before its batch is on disk (WAL, as durable as --sync says). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "rdsemu/store/commit_queue.h"
#include "rdsemu/base/log.h"
#include "store_internal.h"

struct commit_queue {
    struct store *store;
    const struct commit_prepare *prepare;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct commit_op *head, *tail; /* FIFO */
    bool stopping;
};

/* Runs one operation in a savepoint; returns its result. */
static int run_one(struct store_conn *conn, struct commit_op *op)
{
    if (store_exec(conn, STMT_SAVEPOINT, "SAVEPOINT op") != 0)
        return -1;
    int rc = op->run(op, conn);
    if (rc < 0)
        store_exec(conn, STMT_ROLLBACK_TO, "ROLLBACK TO op");
    store_exec(conn, STMT_RELEASE, "RELEASE op");
    return rc;
}

static void run_batch(struct commit_queue *q, struct commit_op *batch)
{
    int results[COMMIT_BATCH_MAX];
    struct store_conn *conn = store_acquire(q->store);
    bool ok = conn != NULL && store_begin(conn) == 0 &&
              (q->prepare == NULL || q->prepare->run(q->prepare, conn) == 0);
    size_t i = 0;
    for (struct commit_op *op = batch; op != NULL; op = op->next, i++)
        results[i] = ok ? run_one(conn, op) : -1;
    if (ok && store_commit(conn) != 0)
        ok = false;
    else if (!ok && conn != NULL)
        store_rollback(conn);
    if (conn != NULL)
        store_release(q->store, conn);
    i = 0;
    for (struct commit_op *op = batch, *next; op != NULL; op = next, i++) {
        next = op->next; /* `op` may be freed by its done callback */
        op->done(op, ok ? results[i] : -1);
    }
}

static void *writer_run(void *arg)
{
    struct commit_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->head == NULL && !q->stopping)
            pthread_cond_wait(&q->ready, &q->lock);
        if (q->head == NULL)
            break; /* stopping, and nothing left */
        /* Take up to COMMIT_BATCH_MAX operations; the rest wait for the next batch. */
        struct commit_op *batch = q->head, *last = q->head;
        for (int n = 1; n < COMMIT_BATCH_MAX && last->next != NULL; n++)
            last = last->next;
        q->head = last->next;
        if (q->head == NULL)
            q->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&q->lock);
        run_batch(q, batch);
        pthread_mutex_lock(&q->lock);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

struct commit_queue *commit_queue_start(struct store *store, const struct commit_prepare *prepare)
{
    struct commit_queue *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return NULL;
    q->store = store;
    q->prepare = prepare;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->ready, NULL);
    if (pthread_create(&q->thread, NULL, writer_run, q) != 0) {
        pthread_cond_destroy(&q->ready);
        pthread_mutex_destroy(&q->lock);
        free(q);
        return NULL;
    }
    return q;
}

void commit_queue_submit(struct commit_queue *q, struct commit_op *op)
{
    op->next = NULL;
    pthread_mutex_lock(&q->lock);
    if (q->tail != NULL)
        q->tail->next = op;
    else
        q->head = op;
    q->tail = op;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->lock);
}

void commit_queue_stop(struct commit_queue *q)
{
    if (q == NULL)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    pthread_cond_destroy(&q->ready);
    pthread_mutex_destroy(&q->lock);
    free(q);
}
