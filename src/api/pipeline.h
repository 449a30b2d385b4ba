/* Private to src/api/: the request pipeline's hooks, given to the HTTP server. */
#ifndef RDSEMU_API_PIPELINE_H
#define RDSEMU_API_PIPELINE_H

#include "rdsemu/http/server.h"

/* Fills `hooks` (a member of struct api) with the pipeline's functions. */
void pipeline_hooks(struct http_hooks *hooks);

#endif
