/* Group commit: one writer thread runs the write operations that pile up while it works,
 * all in one transaction, and reports each only after that transaction committed
 * (issue "performance": one commit per batch instead of one per request). */
#ifndef RDSEMU_COMMIT_QUEUE_H
#define RDSEMU_COMMIT_QUEUE_H

#include "rdsemu/store/store.h"

#define COMMIT_BATCH_MAX 256

/* One write operation; a member of its owner's struct, which the callbacks find with
 * container_of. */
struct commit_op {
    /* Runs inside the batch's transaction, in its own savepoint. 0: done (its writes stay),
     * 1: refused by a rule (it wrote nothing), -1: storage failure (its writes are undone). */
    int (*run)(struct commit_op *op, struct store_conn *conn);
    /* Called once the batch committed (or failed: then `rc` is -1), from the writer thread.
     * Must be quick and must not touch the store; `op` may be freed by it. */
    void (*done)(struct commit_op *op, int rc);
    struct commit_op *next; /* the queue's */
};

/* The first step of every batch's transaction (settling what the clock made due); a member of
 * its owner's struct. 0 or -1. */
struct commit_prepare {
    int (*run)(const struct commit_prepare *self, struct store_conn *conn);
};

struct commit_queue;

/* Starts the writer thread on `store`; `prepare` (borrowed, may be NULL) runs first in every
 * batch. NULL on failure. */
struct commit_queue *commit_queue_start(struct store *store, const struct commit_prepare *prepare);
/* Queues `op` (borrowed until its done callback ran). */
void commit_queue_submit(struct commit_queue *q, struct commit_op *op);
/* Runs what is queued, then stops the thread and frees the queue. */
void commit_queue_stop(struct commit_queue *q);

#endif
