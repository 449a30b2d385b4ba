/* `rdsemu health` (include/rdsemu/app/health_command.h). The URL defaults to the health route of
 * the address the emulator itself would listen on, read from --listen or RDSEMU_LISTEN the
 * same way, so that a container's HEALTHCHECK needs no argument: the image's environment
 * tells both the server and the check where to meet. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "rdsemu/app/config.h"
#include "rdsemu/app/health_check.h"
#include "rdsemu/app/health_command.h"

static void health_usage(FILE *out)
{
    fprintf(out,
            "usage: rdsemu health [URL] [options]\n\n"
            "Sends GET URL and exits 0 when the answer is 200 with \"status\": \"ok\", 1 "
            "otherwise\n(no answer within %d s included), after printing one line: "
            "'healthy: ...' or\n'unhealthy: <why>'. Bad usage exits 2.\n\n"
            "URL defaults to http://HOST:PORT/_emulator/health, HOST:PORT taken from --listen "
            "or\nRDSEMU_LISTEN as the emulator reads them (0.0.0.0 and :: become the loopback "
            "address).\nWith --admin-token or RDSEMU_ADMIN_TOKEN, the request carries "
            "X-Emulator-Admin-Token.\nThe emulator's other options and variables are accepted "
            "and checked, and not used.\n",
            HEALTH_TIMEOUT_MS / 1000);
}

/* The address to reach a server listening on `host`: an "any" address means this machine. */
static const char *reachable_host(const char *host)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (host[0] == '\0' || (inet_pton(AF_INET, host, &v4) == 1 && v4.s_addr == htonl(INADDR_ANY)))
        return "127.0.0.1";
    if (inet_pton(AF_INET6, host, &v6) == 1 && memcmp(&v6, &in6addr_any, sizeof(v6)) == 0)
        return "::1";
    return host;
}

static int printable(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++)
        if (*c < ' ' || *c == 0x7f)
            return 0;
    return 1;
}

int health_command(int argc, char **argv, const char *(*getenv_fn)(const char *), FILE *out,
                   FILE *err)
{
    struct config cfg;
    const char *url = NULL;
    enum config_result parsed =
        config_parse_operand(&cfg, argc, argv, getenv_fn, out, err, health_usage, &url);
    if (parsed != CONFIG_RUN)
        return parsed == CONFIG_DONE ? 0 : 2;

    char default_url[sizeof(cfg.listen_host) + 64];
    if (url == NULL) {
        if (cfg.listen_port == 0) {
            fprintf(err, "rdsemu: health: the listening port is 0 (any free port): give the URL "
                         "from the 'rdsemu listening on' line\n");
            return 2;
        }
        const char *host = reachable_host(cfg.listen_host);
        int v6 = strchr(host, ':') != NULL;
        snprintf(default_url, sizeof(default_url), "http://%s%s%s:%u" HEALTH_CHECK_PATH,
                 v6 ? "[" : "", host, v6 ? "]" : "", cfg.listen_port);
        url = default_url;
    }

    char why[256];
    struct health_url target;
    if (health_url_parse(url, &target, why, sizeof(why)) != 0) {
        fprintf(err, "rdsemu: health: %s\nTry 'rdsemu health --help'.\n", why);
        return 2;
    }
    /* A token that cannot be a header value would not match anyway. */
    if (cfg.admin_token != NULL && !printable(cfg.admin_token)) {
        fprintf(err, "rdsemu: health: the admin token has a control character\n");
        return 2;
    }

    char detail[320];
    enum health_verdict verdict =
        health_check(&target, cfg.admin_token, HEALTH_TIMEOUT_MS, detail, sizeof(detail));
    if (verdict == HEALTH_OK)
        fprintf(out, "healthy: rdsemu %s at %s\n", detail, url);
    else
        fprintf(out, "unhealthy: %s: %s\n", url, detail);
    fflush(out);
    return verdict == HEALTH_OK ? 0 : 1;
}
