/* Private to src/store/: WAL checkpoints on a thread of their own, so that no request waits
 * for one (a checkpoint in the writer's commit gave 16-20 ms stalls). */
#ifndef RDSEMU_STORE_CHECKPOINT_H
#define RDSEMU_STORE_CHECKPOINT_H

#include <sqlite3.h>

/* WAL pages a commit lets pile up past the last copy before it asks the thread for the next
 * one (4 KiB pages: 16 MiB). */
#define CHECKPOINT_STEP_PAGES 4096
/* WAL pages after which the committing connection finishes the checkpoint itself, so that
 * the WAL starts over (64 MiB). */
#define CHECKPOINT_RESTART_PAGES 16384

struct checkpointer;

/* Starts the thread with its own connection to `path` (through `vfs`). NULL on failure. */
struct checkpointer *checkpointer_start(const char *path, const char *vfs);
/* Makes `db` leave checkpoints to `c`: its commits only ask for one. */
void checkpointer_attach(struct checkpointer *c, sqlite3 *db);
/* Runs a last checkpoint and stops. */
void checkpointer_stop(struct checkpointer *c);

#endif
