/* Private to src/http/: the listening socket. */
#ifndef RDSEMU_HTTP_LISTEN_H
#define RDSEMU_HTTP_LISTEN_H

#include <stddef.h>

/* Listens on `host` (empty: every interface, IPv6 and IPv4 together where the system has IPv6)
 * and `port`; the address bound goes to `bound` (its numeric host, "::" or "0.0.0.0" for every
 * interface) and `*port_out`. 0, or -1 with `err` filled. */
int listen_socket(const char *host, unsigned port, int *fd_out, char *bound, size_t boundlen,
                  unsigned *port_out, char *err, size_t errlen);

#endif
