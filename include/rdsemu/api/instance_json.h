/* The control plane's instance body (docs/emulator.md), shared by PUT and the seed file. */
#ifndef RDSEMU_INSTANCE_JSON_H
#define RDSEMU_INSTANCE_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "rdsemu/core/errors.h"
#include "rdsemu/core/model.h"

/* Fills `out` (new strings: instance_free) from `body` for project/id. 0, or -1 with `err`. */
int instance_from_json(json_t *body, const char *project_id, const char *id, struct instance *out,
                       struct rule_error *err);

/* True when `member` is one the instance body knows (a seed file reports the others); for
 * `datastore` members pass `in_datastore`. */
bool instance_member_is_known(const char *member, bool in_datastore);

#endif
