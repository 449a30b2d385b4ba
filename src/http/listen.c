/* The listening socket (docs/configuration.md "--listen"). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"

/* Binds and listens on the first address of `ai` that works. -1 with errno's value in
 * `*saved` when none does. `dual_stack`: an IPv6 wildcard also takes IPv4 connections. */
static int bind_first(struct addrinfo *ai, int family, bool dual_stack, int *saved)
{
    for (; ai != NULL; ai = ai->ai_next) {
        if (family != AF_UNSPEC && ai->ai_family != family)
            continue;
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            *saved = errno;
            continue;
        }
        int one = 1, zero = 0;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (dual_stack && ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
            return fd;
        *saved = errno;
        close(fd);
    }
    return -1;
}

int listen_socket(const char *host, unsigned port, int *fd_out, char *bound, size_t boundlen,
                  unsigned *port_out, char *err, size_t errlen)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char service[16];
    snprintf(service, sizeof(service), "%u", port);
    bool wildcard = host[0] == '\0';
    int gai = getaddrinfo(wildcard ? NULL : host, service, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(gai));
        return -1;
    }
    int saved = 0;
    int fd = wildcard ? bind_first(res, AF_INET6, true, &saved) : -1;
    if (fd < 0)
        fd = bind_first(res, wildcard ? AF_INET : AF_UNSPEC, false, &saved);
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s:%u: %s", wildcard ? "*" : host, port,
                 strerror(saved));
        return -1;
    }
    struct sockaddr_storage addr;
    socklen_t addrlen = sizeof(addr);
    getsockname(fd, (struct sockaddr *)&addr, &addrlen);
    bool v6 = addr.ss_family == AF_INET6;
    *port_out = ntohs(v6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                         : ((struct sockaddr_in *)&addr)->sin_port);
    snprintf(bound, boundlen, "%s", wildcard ? (v6 ? "::" : "0.0.0.0") : host);
    *fd_out = fd;
    return 0;
}
