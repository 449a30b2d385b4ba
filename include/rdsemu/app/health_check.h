/* A tiny HTTP/1.1 GET client for `rdsemu health`: asks a running emulator's health route over a
 * plain TCP socket, with a deadline, and judges the answer. It needs no library beyond libc and
 * jansson, so a container image can check itself without curl. */
#ifndef RDSEMU_HEALTH_CHECK_H
#define RDSEMU_HEALTH_CHECK_H

/* The route a health check asks; a URL naming only the server (or its root) asks it. */
#define HEALTH_CHECK_PATH "/_emulator/health"

#include <stddef.h>

/* The parts of an http:// URL. */
struct health_url {
    char host[256]; /* without brackets for IPv6 */
    char port[6];   /* "80" when the URL has none */
    char path[1024];
};

/* Parses "http://HOST[:PORT][/PATH]" (HOST may be "[v6]"). 0, or -1 with the reason in `why`. */
int health_url_parse(const char *url, struct health_url *out, char *why, size_t whylen);

enum health_verdict {
    HEALTH_OK,        /* 200 and a JSON object whose "status" is "ok" */
    HEALTH_UNHEALTHY, /* anything else: no connection, a timeout, another status or body */
};

/* Sends GET `url` (plus "X-Emulator-Admin-Token: `admin_token`" unless it is NULL) and waits at
 * most `timeout_ms` in all for the answer, of which at most HEALTH_ANSWER_MAX bytes are read.
 * `detail` receives a short printable text: the version the emulator reports when healthy,
 * otherwise why it is not. */
#define HEALTH_ANSWER_MAX 16384
enum health_verdict health_check(const struct health_url *url, const char *admin_token,
                                 int timeout_ms, char *detail, size_t detaillen);

#endif
