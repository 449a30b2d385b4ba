/* Private to src/http/: the server's state, shared by server.c and request.c. */
#ifndef RDSEMU_HTTP_SERVER_INTERNAL_H
#define RDSEMU_HTTP_SERVER_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>

#include "rdsemu/http/server.h"

struct MHD_Daemon;
struct delay_queue;

struct http_server {
    const struct http_settings *settings; /* borrowed */
    const struct http_hooks *hooks;       /* borrowed */
    struct MHD_Daemon *daemon;
    struct delay_queue *delays;
    int listen_fd;
    char host[256];
    unsigned port;
    atomic_int connections; /* open TCP connections, for --max-connections */
    atomic_int in_flight;   /* requests between their first byte and their end */
    atomic_bool stopping;   /* answers say "Connection: close" from then on */
    atomic_int suspended;   /* requests suspended and not yet back */
    atomic_int delayed;     /* of those, the ones held by http_request_delay */
    int delayed_max;        /* at most this many held by delays at once */
};

#endif
