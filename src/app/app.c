/* The application's wiring (include/rdsemu/app/app.h): configuration in, layers started in
 * order, stopped in the reverse order. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "rdsemu/api/credentials.h"
#include "rdsemu/app/app.h"
#include "rdsemu/app/seed.h"
#include "rdsemu/base/container.h"

/* The seed as the API applies it, at start and on every reset. */
static int seed_apply_hook(const struct api_seeder *self, struct store_conn *conn, int64_t now,
                           const struct settle_rules *rules, char *err, size_t errlen)
{
    const struct app *app = container_of(self, struct app, seeder);
    int rc = seed_apply(conn, app->seed, app->cfg->seed_path, now, rules, err, errlen);
    if (rc != 0 && err[0] == '\0')
        snprintf(err, errlen, "cannot write the database %s", app->cfg->db_path);
    return rc;
}

static void api_settings_of(const struct config *cfg, struct api_settings *out)
{
    out->auth = cfg->auth;
    out->backup_seconds = cfg->backup_seconds;
    out->region = cfg->region;
    out->delete_seconds = cfg->delete_seconds;
    out->restore_seconds = cfg->restore_seconds;
    out->auto_backups = cfg->auto_backups;
    out->max_body = cfg->max_body;
    out->journal_size = cfg->journal_size;
    out->admin_token = cfg->admin_token;
}

int app_init(struct app *app, const struct config *cfg, char *err, size_t errlen)
{
    memset(app, 0, sizeof(*app));
    err[0] = '\0';
    app->cfg = cfg;
    app->seeder.apply = seed_apply_hook;
    uint64_t rng_seed = cfg->seed_rng;
    if (!cfg->has_seed_rng && getrandom(&rng_seed, sizeof(rng_seed), 0) != sizeof(rng_seed))
        rng_seed = (uint64_t)clock_system_now();
    struct api_settings settings;
    api_settings_of(cfg, &settings);
    if (cfg->seed_path != NULL && (app->seed = seed_load(cfg->seed_path, err, errlen)) == NULL) {
        app_fini(app);
        return -1;
    }
    settings.seed_project = app->seed != NULL ? seed_first_project(app->seed) : NULL;
    if (credentials_load(cfg->tokens_path, cfg->credentials_path, cfg->auth, &app->credentials, err,
                         errlen) != 0 ||
        store_open(cfg->db_path, cfg->sync, &app->store, err, errlen) != 0 ||
        api_start(&app->api, &settings, app->store, app->credentials,
                  app->seed != NULL ? &app->seeder : NULL, rng_seed, err, errlen) != 0) {
        app_fini(app);
        return -1;
    }
    return 0;
}

int app_serve(struct app *app, char *err, size_t errlen)
{
    const struct config *cfg = app->cfg;
    app->http = (struct http_settings){cfg->listen_host,     cfg->listen_port,  cfg->threads,
                                       cfg->max_connections, cfg->idle_timeout, cfg->max_body};
    if (http_server_start(&app->http, &app->api.hooks, &app->server, err, errlen) != 0)
        return -1;
    app->api.server = app->server;
    return 0;
}

void app_fini(struct app *app)
{
    http_server_stop(app->server);
    app->server = NULL;
    if (app->api.router != NULL) /* started */
        api_stop(&app->api);
    store_close(app->store);
    credentials_free(app->credentials);
    json_decref(app->seed);
    memset(app, 0, sizeof(*app));
}
