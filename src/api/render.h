/* Private to src/api/: domain structs -> JSON in the documented member order, one writer per
 * answer's shape. The hot answers (creates, lists) are written as text (strbuf); the rest
 * through jansson trees, which keep insertion order. A function that returns text or a tree
 * returns a new one, NULL when out of memory. */
#ifndef RDSEMU_API_RENDER_H
#define RDSEMU_API_RENDER_H

#include <jansson.h>

#include "rdsemu/base/strbuf.h"
#include "rdsemu/core/model.h"

/* The `backup` object of the v1 create and list answers, written to `out`. */
void render_v1_backup(struct strbuf *out, const struct backup *b);
/* New text: the whole v1 create answer {"backup": ..., "extendparam": {"jobs": [...]}};
 * NULL when out of memory. */
char *render_v1_create(const struct backup *b, size_t *len);
/* New text: the v3 create answer {"backup": {...}}; NULL when out of memory. */
char *render_v3_create(const struct backup *b, size_t *len);
/* A v3 list element, written to `out`: id, name, type, size (kB), status, begin_time,
 * end_time, datastore, databases (partial backups only), instance_id. */
void render_v3_backup(struct strbuf *out, const struct backup *b);
/* New text: {"backup": <the v3 list element>}, the forced transitions' answer. */
char *render_v3_forced(const struct backup *b, size_t *len);
/* The v3 job: {"job": {...}}; `now` gives a Running job's progress. */
json_t *render_v3_job(const struct job *job, int64_t now);
/* An instance as the control plane stores and shows it. */
json_t *render_instance(const struct instance *inst);

#endif
