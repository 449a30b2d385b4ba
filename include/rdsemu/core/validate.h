/* Field rules of the create call (docs/api.md, docs/v3.md): pure functions, no I/O. */
#ifndef RDSEMU_VALIDATE_H
#define RDSEMU_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "rdsemu/base/utf8.h"
#include "rdsemu/core/errors.h"
#include "rdsemu/core/model.h"

/* A create request as parsed from either API. Strings are borrowed from the parsed body. */
struct backup_request {
    const char *instance_key; /* the member that named the instance: "instance" or "instance_id" */
    const char *instance_id;
    const char *name;
    const char *description; /* NULL when absent or null */
    bool has_databases;
    const char **databases; /* new: array owned by the request, strings borrowed */
    size_t database_count;
};

void backup_request_free(struct backup_request *req);

bool project_id_is_valid(const char *project_id);
bool backup_name_is_valid(const char *name);
/* Instance IDs the control plane accepts: 1-64 of [A-Za-z0-9_.-]. */
bool instance_id_is_valid(const char *id);
/* NULL when valid, else why not (a static string). */
const char *description_problem(const char *description);

/* The field rules alone: 0, or -1 with `err` filled (ERR_BAD_REQUEST). */
int backup_request_validate(const struct backup_request *req, struct rule_error *err);

/* Rules that need the instance: its state, then the engine-specific ones. `allow_postgres`
 * is true for v3, where partial backups also exist for PostgreSQL. */
int backup_request_check_instance(const struct backup_request *req, const struct instance *inst,
                                  bool allow_postgres, struct rule_error *err);

/* Engines the emulator knows, with their canonical spelling; NULL when unknown. */
const char *engine_canonical(const char *engine);

#endif
