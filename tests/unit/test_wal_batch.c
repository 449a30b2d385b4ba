/* A transaction's WAL frames in one write (src/store/wal_batch.c), against a file in memory
 * that counts its writes: frames are held until the commit frame's page, anything that does
 * not continue them writes them first, a failing write is the commit's, and the file always
 * ends up with the bytes SQLite wrote, where it wrote them. */
#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "wal_batch.h"

#define PAGE     4096
#define HEADER   24
#define FILE_MAX (4 * 1024 * 1024)

/* The file under the batch: its bytes, its write calls, and an error to give. */
struct memfile {
    sqlite3_file base;
    unsigned char bytes[FILE_MAX];
    int writes;
    int fail_with;
};

static int mem_write(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset)
{
    struct memfile *m = (struct memfile *)f;
    m->writes++;
    if (amount > 0x1ffff) /* the most SQLite's unix VFS writes at once */
        return SQLITE_FULL;
    if (m->fail_with != SQLITE_OK)
        return m->fail_with;
    if (offset < 0 || offset + amount > FILE_MAX)
        return SQLITE_IOERR_WRITE;
    memcpy(m->bytes + offset, data, (size_t)amount);
    return SQLITE_OK;
}

static const sqlite3_io_methods mem_methods = {.iVersion = 1, .xWrite = mem_write};

static struct memfile file;     /* through the batch */
static struct memfile expected; /* written as SQLite asked, call by call */

static void reset(void)
{
    memset(&file, 0, sizeof(file));
    memset(&expected, 0, sizeof(expected));
    file.base.pMethods = &mem_methods;
    expected.base.pMethods = &mem_methods;
}

/* Frame `n` (header then page) at its place after the 32-byte WAL header; `commit` sets the
 * header's database size, as SQLite does on a transaction's last frame. */
static int write_frame(struct wal_batch *b, int n, bool commit)
{
    unsigned char header[HEADER], page[PAGE];
    memset(header, 0, sizeof(header));
    header[3] = (unsigned char)(n + 1); /* page number */
    if (commit)
        header[7] = 9; /* database size in pages */
    memset(page, 'a' + n % 26, sizeof(page));
    sqlite3_int64 at = 32 + (sqlite3_int64)n * (HEADER + PAGE);
    mem_write(&expected.base, header, HEADER, at);
    mem_write(&expected.base, page, PAGE, at + HEADER);
    int rc = wal_batch_write(b, &file.base, header, HEADER, at);
    return rc != SQLITE_OK ? rc : wal_batch_write(b, &file.base, page, PAGE, at + HEADER);
}

static bool same_bytes(void)
{
    return memcmp(file.bytes, expected.bytes, FILE_MAX) == 0;
}

/* A transaction of 10 frames: nothing written until its commit frame, then one write. */
static void one_write_per_transaction(void)
{
    reset();
    struct wal_batch b = {0};
    for (int n = 0; n < 9; n++)
        CHECK_INT(write_frame(&b, n, false), SQLITE_OK);
    CHECK_INT(file.writes, 0);
    CHECK_INT(write_frame(&b, 9, true), SQLITE_OK);
    CHECK_INT(file.writes, 1);
    CHECK(same_bytes());
    /* The next transaction goes on from there. */
    CHECK_INT(write_frame(&b, 10, false), SQLITE_OK);
    CHECK_INT(write_frame(&b, 11, true), SQLITE_OK);
    CHECK_INT(file.writes, 2);
    CHECK(same_bytes());
    wal_batch_free(&b);
}

/* A write that does not continue the frames (the WAL header, a page rewritten in place)
 * writes them first, then itself, in SQLite's order. */
static void other_writes_go_after(void)
{
    reset();
    struct wal_batch b = {0};
    CHECK_INT(write_frame(&b, 0, false), SQLITE_OK);
    CHECK_INT(write_frame(&b, 1, false), SQLITE_OK);
    unsigned char again[PAGE];
    memset(again, 'z', sizeof(again));
    sqlite3_int64 page0 = 32 + HEADER;
    mem_write(&expected.base, again, PAGE, page0);
    CHECK_INT(wal_batch_write(&b, &file.base, again, PAGE, page0), SQLITE_OK);
    CHECK_INT(file.writes, 2); /* the two frames, then the page */
    CHECK(same_bytes());

    unsigned char wal_header[32];
    memset(wal_header, 'h', sizeof(wal_header));
    CHECK_INT(write_frame(&b, 2, false), SQLITE_OK);
    mem_write(&expected.base, wal_header, 32, 0);
    CHECK_INT(wal_batch_write(&b, &file.base, wal_header, 32, 0), SQLITE_OK);
    CHECK_INT(file.writes, 4);
    CHECK(same_bytes());

    /* A frame somewhere else (after a rollback, SQLite writes from an earlier place). */
    CHECK_INT(write_frame(&b, 5, false), SQLITE_OK);
    CHECK_INT(write_frame(&b, 3, true), SQLITE_OK);
    CHECK_INT(file.writes, 6);
    CHECK(same_bytes());

    /* A flush with nothing held writes nothing. */
    CHECK_INT(wal_batch_flush(&b, &file.base), SQLITE_OK);
    CHECK_INT(file.writes, 6);
    wal_batch_free(&b);
}

/* What is held is written before anything reads or syncs the file (the caller flushes). */
static void flushed_on_demand(void)
{
    reset();
    struct wal_batch b = {0};
    CHECK_INT(write_frame(&b, 0, false), SQLITE_OK);
    CHECK(!same_bytes());
    CHECK_INT(wal_batch_flush(&b, &file.base), SQLITE_OK);
    CHECK_INT(file.writes, 1);
    CHECK(same_bytes());
    /* A header alone, its page not come yet, is written alone. */
    unsigned char header[HEADER] = {0};
    header[3] = 2;
    mem_write(&expected.base, header, HEADER, 32 + HEADER + PAGE);
    CHECK_INT(wal_batch_write(&b, &file.base, header, HEADER, 32 + HEADER + PAGE), SQLITE_OK);
    CHECK_INT(wal_batch_flush(&b, &file.base), SQLITE_OK);
    CHECK(same_bytes());
    wal_batch_free(&b);
}

/* A large transaction goes in pieces of at most 96 KiB and a frame; every byte arrives. A page
 * too large for a piece is written after it, alone. */
static void large_transactions_in_pieces(void)
{
    reset();
    struct wal_batch b = {0};
    int frames = 600; /* about 2.4 MiB: 24 frames a piece */
    for (int n = 0; n < frames; n++)
        CHECK_INT(write_frame(&b, n, n == frames - 1), SQLITE_OK);
    CHECK_INT(file.writes, 25);
    CHECK(same_bytes());

    reset();
    static unsigned char big[65536];
    memset(big, 'b', sizeof(big));
    unsigned char header[HEADER] = {0};
    sqlite3_int64 at = 32;
    for (int n = 0; n < 3; n++, at += HEADER + (sqlite3_int64)sizeof(big)) {
        header[7] = n == 2 ? 3 : 0;
        mem_write(&expected.base, header, HEADER, at);
        mem_write(&expected.base, big, (int)sizeof(big), at + HEADER);
        CHECK_INT(wal_batch_write(&b, &file.base, header, HEADER, at), SQLITE_OK);
        CHECK_INT(wal_batch_write(&b, &file.base, big, (int)sizeof(big), at + HEADER), SQLITE_OK);
    }
    CHECK(same_bytes());
    wal_batch_free(&b);
}

/* The file's error at the commit is the commit frame's write's, so the transaction fails;
 * dropped frames are never written. */
static void errors_reach_the_commit(void)
{
    reset();
    struct wal_batch b = {0};
    CHECK_INT(write_frame(&b, 0, false), SQLITE_OK);
    file.fail_with = SQLITE_FULL;
    CHECK_INT(write_frame(&b, 1, true), SQLITE_FULL);
    file.fail_with = SQLITE_OK;
    int before = file.writes;
    CHECK_INT(wal_batch_flush(&b, &file.base), SQLITE_OK);
    CHECK_INT(file.writes, before); /* nothing left over */

    CHECK_INT(write_frame(&b, 0, false), SQLITE_OK);
    wal_batch_drop(&b);
    CHECK_INT(wal_batch_flush(&b, &file.base), SQLITE_OK);
    CHECK_INT(file.writes, before);
    wal_batch_free(&b);
}

int main(void)
{
    one_write_per_transaction();
    other_writes_go_after();
    flushed_on_demand();
    large_transactions_in_pieces();
    errors_reach_the_commit();
    return CHECK_DONE();
}
