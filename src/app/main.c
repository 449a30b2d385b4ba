/* rdsemu: options -> store -> server -> wait for SIGINT/SIGTERM -> drain -> exit. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/app/app.h"
#include "rdsemu/app/config.h"
#include "rdsemu/app/fd_limit.h"
#include "rdsemu/app/health_command.h"
#include "rdsemu/base/log.h"
#include "rdsemu/app/seed.h"
#include "rdsemu/base/utf8.h"

/* True for an address only this machine can reach: 127.0.0.0/8, ::1, localhost. An empty
 * host (":PORT") is every interface. */
static bool host_is_loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "localhost") == 0 || strcmp(host, "::ffff:127.0.0.1") == 0;
}

/* What an operator needs to know about this run: where it listens, which file it keeps its
 * data in, and what the seed loaded. */
static void log_start_line(const struct config *cfg, struct app *app, const char *url)
{
    static const char *const auth_names[] = {
        [AUTH_OFF] = "off", [AUTH_PRESENCE] = "presence", [AUTH_TOKENS] = "tokens"};
    /* Paths come from the command line: any bytes, which a JSON string cannot all carry. */
    char db[1024], seed[1024];
    snprintf(db, sizeof(db), "%s", cfg->db_path);
    snprintf(seed, sizeof(seed), "%s", cfg->seed_path != NULL ? cfg->seed_path : "");
    utf8_sanitize(db);
    utf8_sanitize(seed);
    json_t *fields =
        json_pack("{s:s, s:s, s:s, s:i, s:s}", "version", RDSEMU_VERSION, "listen", url, "db", db,
                  "threads", (int)cfg->threads, "auth", auth_names[cfg->auth]);
    if (fields != NULL && app->seed != NULL) {
        size_t projects, instances;
        seed_count(app->seed, &projects, &instances);
        json_object_set_new(fields, "seed", json_string(seed));
        json_object_set_new(fields, "seed_projects", json_integer((json_int_t)projects));
        json_object_set_new(fields, "seed_instances", json_integer((json_int_t)instances));
    }
    log_fields(LOG_INFO, "started", fields);
    if (cfg->admin_token == NULL && !host_is_loopback(cfg->listen_host))
        log_warn("listening on %s, which other machines can reach, without --admin-token: "
                 "anyone who can connect can reset the emulator, delete projects and read "
                 "every request in the journal; give --admin-token (docs/emulator.md, "
                 "\"Admin token\")",
                 url);
}

static const char *env_lookup(const char *name)
{
    return getenv(name);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "health") == 0)
        return health_command(argc - 1, argv + 1, env_lookup, stdout, stderr);

    struct config cfg;
    enum config_result parsed = config_parse(&cfg, argc, argv, env_lookup, stdout, stderr);
    if (parsed != CONFIG_RUN)
        return parsed == CONFIG_DONE ? 0 : 2;

    /* Block the stop signals before any thread starts, so every thread inherits the mask
     * and only sigwait below receives them. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    /* A closed terminal (HUP) or a quit key (QUIT) stops it the same graceful way; the user
     * signals are not ours to act on, and must not end the process. */
    sigaddset(&stop_signals, SIGHUP);
    sigaddset(&stop_signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, SIG_IGN);

    log_set_json(cfg.log_format == LOG_JSON);
    log_set_level(cfg.log_level);
    fd_limit_fit(&cfg);
    char err[1024];
    struct app app;
    if (app_init(&app, &cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "rdsemu: %s\n", err);
        return 1;
    }
    if (app_serve(&app, err, sizeof(err)) != 0) {
        fprintf(stderr, "rdsemu: %s\n", err);
        app_fini(&app);
        return 1;
    }
    const char *host = http_server_host(app.server);
    int bracket = strchr(host, ':') != NULL; /* an IPv6 address */
    char url[320];
    snprintf(url, sizeof(url), "http://%s%s%s:%u", bracket ? "[" : "", host, bracket ? "]" : "",
             http_server_port(app.server));
    /* The start line goes to the log before the "listening" line, which tells whoever waits
     * for it that the emulator is ready: from then on the log holds at least that line. */
    log_start_line(&cfg, &app, url);
    printf("rdsemu listening on %s\n", url);
    fflush(stdout);

    int sig = 0;
    sigwait(&stop_signals, &sig);
    log_info("signal %d: stopping; requests in flight finish first", sig);
    app_fini(&app);
    log_info("stopped");
    return 0;
}
