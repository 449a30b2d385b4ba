/* The application (docs/architecture.md "Layers"): the command line's configuration wired to a
 * store, the API over it, and the HTTP server in front. One per running emulator. */
#ifndef RDSEMU_APP_APP_H
#define RDSEMU_APP_APP_H

#include <jansson.h>

#include "rdsemu/api/api.h"
#include "rdsemu/app/config.h"

struct app {
    const struct config *cfg;        /* borrowed */
    struct store *store;             /* owned */
    struct credentials *credentials; /* owned: --tokens, --credentials; NULL when neither */
    json_t *seed;                    /* owned: the parsed seed file; NULL without --seed */
    struct api_seeder seeder;        /* applies `seed` (the API calls it on every reset) */
    struct api api;
    struct http_settings http;
    struct http_server *server; /* NULL until app_serve */
};

/* Loads the seed and the credential files, opens the store, starts the API. -1 with `err`. */
int app_init(struct app *app, const struct config *cfg, char *err, size_t errlen);
/* Starts the HTTP server. -1 with `err` (port taken, bad address). */
int app_serve(struct app *app, char *err, size_t errlen);
/* Stops the server (draining it), the API, then closes the store. */
void app_fini(struct app *app);

#endif
