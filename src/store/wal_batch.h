/* Private to src/store/: a transaction's WAL frames written with one pwrite (wal_batch.c). */
#ifndef RDSEMU_STORE_WAL_BATCH_H
#define RDSEMU_STORE_WAL_BATCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* The frames of the transaction in progress on one WAL file, held in memory: contiguous, from
 * `start` on. Zero-initialised: empty. */
struct wal_batch {
    unsigned char *buf;
    size_t len, cap;
    sqlite3_int64 start;
    bool want_page; /* the last thing held is a frame header: its page comes next */
    bool commit;    /* ... and that frame ends a transaction */
};

/* A write to the WAL: held when it is a frame (or the page of one) that continues the batch,
 * written at once otherwise (after what is held). A commit frame's page writes the whole
 * batch, so its errors are the commit's. */
int wal_batch_write(struct wal_batch *b, sqlite3_file *real, const void *data, int amount,
                    sqlite3_int64 offset);
/* Writes what is held, if anything: before anything else reaches the file. */
int wal_batch_flush(struct wal_batch *b, sqlite3_file *real);
/* Forgets what is held: a write of its transaction failed, so it never commits. */
void wal_batch_drop(struct wal_batch *b);
void wal_batch_free(struct wal_batch *b);

#endif
