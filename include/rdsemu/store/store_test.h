/* The store's test seams, kept apart from its interface (store.h) as SQLite keeps its
 * SQLITE_TEST hooks apart: only tests call them; the program never does. */
#ifndef RDSEMU_STORE_TEST_H
#define RDSEMU_STORE_TEST_H

#include "rdsemu/store/store.h"

/* Storage failures on demand (src/store/fault_vfs.c): every file write of every store fails
 * as set until it is set back to STORE_FAULT_NONE. */
enum store_fault { STORE_FAULT_NONE, STORE_FAULT_DISK_FULL, STORE_FAULT_IO_ERROR };
void store_fault_set(enum store_fault fault);

/* How long a connection waits for a lock held by another process before it fails (the
 * program's own wait is in store.c). */
void store_set_busy_timeout(struct store *store, int milliseconds);

#endif
