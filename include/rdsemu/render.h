/* Domain structs -> JSON in the documented member order (jansson keeps insertion order).
 * Every function returns a new reference, NULL when out of memory. */
#ifndef RDSEMU_RENDER_H
#define RDSEMU_RENDER_H

#include <jansson.h>

#include "rdsemu/json_out.h"
#include "rdsemu/model.h"

/* The `backup` object of the v1 create and list answers, written to `out`. */
void render_v1_backup(struct json_out *out, const struct backup *b);
/* New text: the whole v1 create answer {"backup": ..., "extendparam": {"jobs": [...]}};
 * NULL when out of memory. */
char *render_v1_create(const struct backup *b, size_t *len);
/* New text: the v3 create answer {"backup": {...}}; NULL when out of memory. */
char *render_v3_create(const struct backup *b, size_t *len);
/* A v3 list element: id, name, type, size (kB), status, begin_time, end_time, datastore,
 * databases (partial backups only), instance_id. Also the forced transitions' answer. */
json_t *render_v3_backup(const struct backup *b);
/* The v3 job: {"job": {...}}; `now` gives a Running job's progress. */
json_t *render_v3_job(const struct job *job, int64_t now);
/* An instance as the control plane stores and shows it. */
json_t *render_instance(const struct instance *inst);

#endif
