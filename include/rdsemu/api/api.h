/* The emulated APIs (v1, v3) and the control plane, behind one request pipeline
 * (docs/architecture.md "One request, end to end"). The application makes one struct api,
 * gives it its store, clock and settings, and hands its hooks to the HTTP server. */
#ifndef RDSEMU_API_API_H
#define RDSEMU_API_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdsemu/base/clock.h"
#include "rdsemu/http/router.h"
#include "rdsemu/http/server.h"
#include "rdsemu/store/commit_queue.h"
#include "rdsemu/store/store.h"

enum auth_mode { AUTH_OFF, AUTH_PRESENCE, AUTH_TOKENS };

/* What the API takes from the command line (docs/configuration.md). */
struct api_settings {
    enum auth_mode auth;
    long backup_seconds;  /* a backup's default build time */
    const char *region;   /* borrowed: --region */
    long delete_seconds;  /* a deleted backup's default time in DELETING */
    long restore_seconds; /* a restore's default time */
    enum auto_backups auto_backups;
    size_t max_body;         /* bytes */
    unsigned journal_size;   /* requests the journal keeps */
    const char *admin_token; /* borrowed; NULL: the control plane is open */
    /* Borrowed: the seed's first project, the project of a token under --auth presence
     * (docs/identity.md); NULL without a seed or a project in it. */
    const char *seed_project;
};

/* What a reset asks of whoever owns the seed: to apply it again, inside the reset's
 * transaction, at `now` (the instances' creation time) and with the settle rules (their
 * automated backups). A member of its owner's struct (container_of). */
struct api_seeder {
    int (*apply)(const struct api_seeder *self, struct store_conn *conn, int64_t now,
                 const struct settle_rules *rules, char *err, size_t errlen);
};

struct credentials;
struct faults;
struct journal;
struct metrics;

struct api {
    struct http_hooks hooks;      /* given to the HTTP server: its calls come back here */
    struct commit_prepare settle; /* the writer's first step in every batch */
    struct api_settings settings;
    struct settle_rules rules;       /* from the settings: what the settle step needs */
    struct store *store;             /* borrowed */
    struct commit_queue *writes;     /* owned: started by api_start */
    struct credentials *credentials; /* borrowed; NULL when no file was given */
    const struct api_seeder *seeder; /* borrowed; NULL: no seed */
    struct http_server *server;      /* borrowed, once the server runs */
    struct emu_clock clock;
    pthread_mutex_t clock_lock; /* orders clock changes, so memory and store agree */
    struct journal *journal;    /* owned */
    struct faults *faults;      /* owned */
    struct metrics *metrics;    /* owned */
    struct router *router;      /* owned: the route table, compiled */
};

/* Makes the API over `store` (borrowed): route table, journal, faults, metrics, the clock as
 * stored, the seed applied, the writer thread. `rng_seed` seeds the fault rules' draws. 0, or
 * -1 with `err`. */
int api_start(struct api *api, const struct api_settings *settings, struct store *store,
              struct credentials *credentials, const struct api_seeder *seeder, uint64_t rng_seed,
              char *err, size_t errlen);
/* Runs what the writer has queued, then frees what api_start made. */
void api_stop(struct api *api);
/* Everything gone (data, clock offset, faults, journal), then the seed applied again. 0 or -1
 * with `err`. */
int api_reset(struct api *api, char *err, size_t errlen);

#endif
