/* The store's SQLite VFS: it passes everything to the default one, except that a test can
 * make writes fail as a full disk or an I/O error would (failure injection is a seam in the
 * code), and that the frames a transaction writes to the WAL go to the file together, in a
 * few large writes instead of two per frame (wal_batch.c). */
#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

#include "rdsemu/store/store_test.h"
#include "store_internal.h"
#include "wal_batch.h"

static _Atomic int current_fault = STORE_FAULT_NONE;
static sqlite3_vfs shim_vfs;
static sqlite3_vfs *real_vfs;

struct shim_file {
    sqlite3_file base;
    sqlite3_file *real;     /* follows this struct in the same allocation */
    bool wal;               /* a write-ahead log */
    struct wal_batch batch; /* a WAL's frames not written yet */
};

void store_fault_set(enum store_fault fault)
{
    atomic_store(&current_fault, fault);
}

/* The error a write meets now, or SQLITE_OK. */
static int write_fault(int io_error)
{
    switch (atomic_load(&current_fault)) {
    case STORE_FAULT_DISK_FULL:
        return SQLITE_FULL;
    case STORE_FAULT_IO_ERROR:
        return io_error;
    default:
        return SQLITE_OK;
    }
}

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((struct shim_file *)f)->real;
}

/* Writes the WAL frames held, before anything else reaches the file. */
static int flush_batch(sqlite3_file *f)
{
    struct shim_file *shim = (struct shim_file *)f;
    return wal_batch_flush(&shim->batch, shim->real);
}

static int shim_close(sqlite3_file *f)
{
    struct shim_file *shim = (struct shim_file *)f;
    int flushed = flush_batch(f);
    int rc = real_of(f)->pMethods->xClose(real_of(f));
    wal_batch_free(&shim->batch);
    return flushed != SQLITE_OK ? flushed : rc;
}

static int shim_read(sqlite3_file *f, void *buf, int amount, sqlite3_int64 offset)
{
    int rc = flush_batch(f);
    return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xRead(real_of(f), buf, amount, offset);
}

static int shim_write(sqlite3_file *f, const void *buf, int amount, sqlite3_int64 offset)
{
    struct shim_file *shim = (struct shim_file *)f;
    int rc = write_fault(SQLITE_IOERR_WRITE);
    if (rc != SQLITE_OK) {
        wal_batch_drop(&shim->batch); /* the transaction fails: its frames never commit */
        return rc;
    }
    if (shim->wal)
        return wal_batch_write(&shim->batch, shim->real, buf, amount, offset);
    return real_of(f)->pMethods->xWrite(real_of(f), buf, amount, offset);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = flush_batch(f);
    if (rc == SQLITE_OK)
        rc = write_fault(SQLITE_IOERR_TRUNCATE);
    return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xTruncate(real_of(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
    int rc = flush_batch(f);
    if (rc == SQLITE_OK)
        rc = write_fault(SQLITE_IOERR_FSYNC);
    return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xSync(real_of(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    int rc = flush_batch(f);
    return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xFileSize(real_of(f), size);
}

static int shim_lock(sqlite3_file *f, int level)
{
    return real_of(f)->pMethods->xLock(real_of(f), level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
    int rc = flush_batch(f);
    int unlocked = real_of(f)->pMethods->xUnlock(real_of(f), level);
    return rc != SQLITE_OK ? rc : unlocked;
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
    int rc = flush_batch(f);
    return rc != SQLITE_OK ? rc : real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}

static int shim_device_characteristics(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int shim_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}

static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out)
{
    return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 offset, void *page)
{
    return real_of(f)->pMethods->xUnfetch(real_of(f), offset, page);
}

static const sqlite3_io_methods shim_methods = {
    3,
    shim_close,
    shim_read,
    shim_write,
    shim_truncate,
    shim_sync,
    shim_file_size,
    shim_lock,
    shim_unlock,
    shim_check_reserved,
    shim_file_control,
    shim_sector_size,
    shim_device_characteristics,
    shim_shm_map,
    shim_shm_lock,
    shim_shm_barrier,
    shim_shm_unmap,
    shim_fetch,
    shim_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                     int *out_flags)
{
    (void)vfs;
    struct shim_file *shim = (struct shim_file *)file;
    memset(shim, 0, sizeof(*shim));
    shim->real = (sqlite3_file *)(shim + 1);
    shim->wal = (flags & SQLITE_OPEN_WAL) != 0;
    memset(shim->real, 0, (size_t)real_vfs->szOsFile);
    int rc = real_vfs->xOpen(real_vfs, name, shim->real, flags, out_flags);
    /* SQLite calls xClose only when pMethods is set: set it only if the real file opened. */
    file->pMethods = shim->real->pMethods != NULL ? &shim_methods : NULL;
    return rc;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *shim_dl_open(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void shim_dl_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, out);
}

static void (*shim_dl_sym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, handle, symbol);
}

static void shim_dl_close(sqlite3_vfs *vfs, void *handle)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, handle);
}

static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int shim_sleep(sqlite3_vfs *vfs, int microseconds)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, microseconds);
}

static int shim_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int shim_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

const char *store_fault_vfs_name(void)
{
    static atomic_flag registered = ATOMIC_FLAG_INIT;
    static _Atomic int ready;
    if (!atomic_flag_test_and_set(&registered)) {
        real_vfs = sqlite3_vfs_find(NULL);
        shim_vfs = (sqlite3_vfs){
            .iVersion = 2,
            .szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile,
            .mxPathname = real_vfs->mxPathname,
            .zName = "rdsemu-faults",
            .xOpen = shim_open,
            .xDelete = shim_delete,
            .xAccess = shim_access,
            .xFullPathname = shim_full_pathname,
            .xDlOpen = shim_dl_open,
            .xDlError = shim_dl_error,
            .xDlSym = shim_dl_sym,
            .xDlClose = shim_dl_close,
            .xRandomness = shim_randomness,
            .xSleep = shim_sleep,
            .xCurrentTime = shim_current_time,
            .xGetLastError = shim_last_error,
            .xCurrentTimeInt64 = shim_current_time_int64,
        };
        sqlite3_vfs_register(&shim_vfs, 0);
        atomic_store(&ready, 1);
    }
    while (!atomic_load(&ready))
        ; /* another thread is registering it: a few instructions away */
    return shim_vfs.zName;
}
