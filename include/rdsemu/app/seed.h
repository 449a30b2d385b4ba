/* The seed file (--seed, docs/emulator.md): instances applied as control-plane PUTs. */
#ifndef RDSEMU_SEED_H
#define RDSEMU_SEED_H

#include <jansson.h>
#include <stddef.h>

#include "rdsemu/store/store.h"

/* Reads and checks `path`. New on success; NULL with a message in `err`. */
json_t *seed_load(const char *path, char *err, size_t errlen);
/* Puts every instance of a loaded seed (read from `path`), inside the caller's transaction.
 * 0 or -1: with a message naming the seed when the seed is at fault, with `err` empty when the
 * store could not be written (the caller names the database). */
int seed_apply(struct store_conn *conn, json_t *seed, const char *path, int64_t now,
               const struct settle_rules *rules, char *err, size_t errlen);

/* The ID of a loaded seed's first project (borrowed from `seed`), or NULL when it has none. */
const char *seed_first_project(json_t *seed);

/* How many projects and instances a loaded seed holds. */
void seed_count(json_t *seed, size_t *projects, size_t *instances);

#endif
