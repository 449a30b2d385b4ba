/* The HTTP transport on libmicrohttpd: a thread pool on poll() (docs/architecture.md). */
#ifndef RDSEMU_SERVER_H
#define RDSEMU_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "rdsemu/app.h"

struct server;

/* Binds, listens and starts the workers. -1 with `err` filled (port taken, bad address). */
int server_start(struct app *app, struct server **out, char *err, size_t errlen);
/* The bound address, for the "listening on" line. */
const char *server_host(const struct server *srv);
unsigned server_port(const struct server *srv);
struct request;
/* True once the server is stopping: answers then close their connection. */
bool server_is_stopping(struct request *req);

/* Stops accepting, lets requests in flight finish (bounded wait), then stops the workers. */
void server_stop(struct server *srv);

#endif
