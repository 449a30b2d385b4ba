/* A transaction's WAL frames in one pwrite. SQLite writes each frame with two calls, its
 * 24-byte header, then its page, at consecutive offsets, and publishes the frames to other
 * connections only once the transaction's last frame (the commit frame, whose header holds
 * the database size) is written. So the frames can wait in memory until that last page comes
 * and go to the file in a few calls of up to 96 KiB: a create's commit then costs about 3
 * `pwrite`s where it cost about 120 (bench/README.md, "Cost ladder per create"). The commit frame's
 * write returns only once all of it is in the file, with the file's error if there is one, so an
 * answered commit is as safe as SQLite's own writes make it, and a failed one fails its
 * transaction.
 *
 * Anything else that reaches the file (a read, a sync, a truncate, a lock change, a write
 * elsewhere, SQLite rewriting a page of this same transaction in place) first writes what is
 * held: the file always reads as SQLite wrote it. */
#include <stdlib.h>
#include <string.h>

#include "wal_batch.h"

/* A WAL frame's header (SQLite's file format). */
#define FRAME_HEADER 24
/* The most SQLite's unix VFS writes in one call: it masks a write's size with 0x1ffff (so
 * 128 KiB would write nothing and read as a full disk). */
#define WRITE_MAX 0x1ffff
/* Held before a new frame starts a new batch: with 4 KiB pages a batch stays under
 * WRITE_MAX; a larger page that would not fit is written after the batch, alone. */
#define BATCH_MAX (96 * 1024)

int wal_batch_flush(struct wal_batch *b, sqlite3_file *real)
{
    if (b->len == 0)
        return SQLITE_OK;
    size_t len = b->len;
    b->len = 0;
    b->want_page = false;
    return real->pMethods->xWrite(real, b->buf, (int)len, b->start);
}

void wal_batch_drop(struct wal_batch *b)
{
    b->len = 0;
    b->want_page = false;
}

void wal_batch_free(struct wal_batch *b)
{
    free(b->buf);
    memset(b, 0, sizeof(*b));
}

/* Room for `amount` more bytes; false when memory runs out. */
static bool reserve(struct wal_batch *b, size_t amount)
{
    if (b->len + amount <= b->cap)
        return true;
    size_t cap = b->cap > 0 ? b->cap : 64 * 1024;
    while (cap < b->len + amount)
        cap *= 2;
    unsigned char *grown = realloc(b->buf, cap);
    if (grown == NULL)
        return false;
    b->buf = grown;
    b->cap = cap;
    return true;
}

/* A frame header's "database size after commit" field: not 0 only on a commit frame. */
static bool is_commit_header(const unsigned char *header)
{
    return (header[4] | header[5] | header[6] | header[7]) != 0;
}

int wal_batch_write(struct wal_batch *b, sqlite3_file *real, const void *data, int amount,
                    sqlite3_int64 offset)
{
    bool follows = b->len > 0 && offset == b->start + (sqlite3_int64)b->len;
    bool header = amount == FRAME_HEADER && !b->want_page;
    bool page = b->want_page && follows;
    int rc;

    if (header && b->len > 0 && (!follows || b->len >= BATCH_MAX)) {
        if ((rc = wal_batch_flush(b, real)) != SQLITE_OK)
            return rc;
    }
    bool fits = b->len + (size_t)amount <= WRITE_MAX;
    if ((!header && !page) || !fits || !reserve(b, (size_t)amount)) {
        if ((rc = wal_batch_flush(b, real)) != SQLITE_OK)
            return rc;
        return real->pMethods->xWrite(real, data, amount, offset);
    }
    if (b->len == 0)
        b->start = offset;
    memcpy(b->buf + b->len, data, (size_t)amount);
    b->len += (size_t)amount;
    if (header) {
        b->want_page = true;
        b->commit = is_commit_header(data);
        return SQLITE_OK;
    }
    b->want_page = false;
    return b->commit ? wal_batch_flush(b, real) : SQLITE_OK;
}
