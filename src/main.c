/* rdsemu: options -> store -> server -> wait for SIGINT/SIGTERM -> drain -> exit. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/app.h"
#include "rdsemu/config.h"
#include "rdsemu/health_command.h"
#include "rdsemu/log.h"
#include "rdsemu/server.h"

static const char *env_lookup(const char *name)
{
    return getenv(name);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "health") == 0)
        return health_command(argc - 1, argv + 1, env_lookup, stdout, stderr);

    struct config cfg;
    switch (config_parse(&cfg, argc, argv, env_lookup, stdout, stderr)) {
    case CONFIG_DONE:
        return 0;
    case CONFIG_USAGE:
        return 2;
    case CONFIG_RUN:
        break;
    }

    /* Block the stop signals before any thread starts, so every thread inherits the mask
     * and only sigwait below receives them. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    log_set_json(cfg.log_format == LOG_JSON);
    char err[1024];
    struct app app;
    if (app_init(&app, &cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "rdsemu: %s\n", err);
        return 1;
    }
    struct server *srv;
    if (server_start(&app, &srv, err, sizeof(err)) != 0) {
        fprintf(stderr, "rdsemu: %s\n", err);
        app_fini(&app);
        return 1;
    }
    const char *host = server_host(srv);
    int bracket = strchr(host, ':') != NULL; /* an IPv6 address */
    /* The start line goes to the log before the "listening" line, which tells whoever waits
     * for it that the emulator is ready: from then on the log holds at least that line. */
    log_info("rdsemu %s started: db=%s threads=%u auth=%s", RDSEMU_VERSION, cfg.db_path,
             cfg.threads,
             cfg.auth == AUTH_OFF      ? "off"
             : cfg.auth == AUTH_TOKENS ? "tokens"
                                       : "presence");
    printf("rdsemu listening on http://%s%s%s:%u\n", bracket ? "[" : "", host, bracket ? "]" : "",
           server_port(srv));
    fflush(stdout);

    int sig = 0;
    sigwait(&stop_signals, &sig);
    log_info("signal %d: stopping; requests in flight finish first", sig);
    server_stop(srv);
    app_fini(&app);
    log_info("stopped");
    return 0;
}
