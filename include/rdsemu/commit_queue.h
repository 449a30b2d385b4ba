/* Group commit: one writer thread runs the write operations that pile up while it works,
 * all in one transaction, and reports each only after that transaction committed
 * (issue "performance": one commit per batch instead of one per request). */
#ifndef RDSEMU_COMMIT_QUEUE_H
#define RDSEMU_COMMIT_QUEUE_H

#include "rdsemu/store.h"

#define COMMIT_BATCH_MAX 256

struct commit_op {
    /* Runs inside the batch's transaction, in its own savepoint. 0: done (its writes stay),
     * 1: refused by a rule (it wrote nothing), -1: storage failure (its writes are undone). */
    int (*run)(struct store_conn *conn, void *arg);
    /* Called once the batch committed (or failed: then `rc` is -1), from the writer thread.
     * Must be quick and must not touch the store. */
    void (*done)(void *arg, int rc);
    void *arg;
    struct commit_op *next; /* the queue's */
};

struct commit_queue;

/* Runs first in every batch's transaction (e.g. settling due backups); 0 or -1. */
typedef int (*commit_prepare_fn)(struct store_conn *conn, void *arg);

/* Starts the writer thread on `store`. NULL on failure. */
struct commit_queue *commit_queue_start(struct store *store, commit_prepare_fn prepare,
                                        void *prepare_arg);
/* Queues `op` (borrowed until its done callback ran). */
void commit_queue_submit(struct commit_queue *q, struct commit_op *op);
/* Runs what is queued, then stops the thread and frees the queue. */
void commit_queue_stop(struct commit_queue *q);

#endif
