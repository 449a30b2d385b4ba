/* Private to src/api/: what the identity routes share (docs/identity.md): the URLs they
 * answer with, the service catalog, the token body, and which project a name or a token
 * means. */
#ifndef RDSEMU_API_IDENTITY_H
#define RDSEMU_API_IDENTITY_H

#include <jansson.h>
#include <stdbool.h>

#include "call.h"

/* The one domain and the one user rdsemu plays (emulator choice). */
#define IDENTITY_DOMAIN "local"
#define IDENTITY_USER   "rdsemu"
/* Enough for the Host header a URL is built from. */
#define IDENTITY_HOST_MAX    256
#define IDENTITY_PROJECT_MAX 64

/* The request's Host header into `out` (made valid UTF-8), for the URLs of the answer; false
 * after answering 400 when there is none (an HTTP/1.0 request may leave it out). */
bool identity_host_or_reply(struct call *call, char out[IDENTITY_HOST_MAX + 1]);

/* New: the service catalog for `project`: the RDS v3 endpoint at http://<host>/v3/<project>,
 * in --region; an empty array when `project` is NULL. */
json_t *identity_catalog(const struct call *call, const char *host, const char *project);

/* New: {"token": {expires_at (24 h after the emulator's now), methods: [method], project
 * (when not NULL, named --region), user, catalog}}. */
json_t *identity_token(const struct call *call, const char *host, const char *method,
                       const char *project);

/* The project `name` means among the store's projects (only those `caller` may act on, when
 * not NULL): the one whose ID it is, else the only one there is. 0 with `*found` and `out`,
 * or -1 after answering the internal error. */
int identity_project_named_or_reply(struct call *call, const struct credential *caller,
                                    const char *name, char out[IDENTITY_PROJECT_MAX + 1],
                                    bool *found);

/* The project of a token under --auth off or presence: the seed's first project, else the
 * store's first (by ID). 0 with `*found` and `out`, or -1 after answering. */
int identity_default_project_or_reply(struct call *call, char out[IDENTITY_PROJECT_MAX + 1],
                                      bool *found);

#endif
