/* Parsing a create body into the plain request struct (docs/architecture.md "One request, end to
 * end", step 6). */
#ifndef RDSEMU_BACKUP_JSON_H
#define RDSEMU_BACKUP_JSON_H

#include <jansson.h>

#include "rdsemu/core/validate.h"

/* Reads `instance_key` ("instance" in v1, "instance_id" in v3), name, description and
 * databases from `obj`. Strings in `req` are borrowed from `obj`; free `req` with
 * backup_request_free, also after a failure. 0, or -1 with `err` filled. */
int backup_request_from_json(json_t *obj, const char *instance_key, struct backup_request *req,
                             struct rule_error *err);

#endif
