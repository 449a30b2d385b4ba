/* Domain structs -> JSON in the documented member order (jansson keeps insertion order).
 * Every function returns a new reference, NULL when out of memory. */
#ifndef RDSEMU_RENDER_H
#define RDSEMU_RENDER_H

#include <jansson.h>

#include "rdsemu/model.h"

/* The `backup` object of the v1 create and list answers. */
json_t *render_v1_backup(const struct backup *b);
/* The whole v1 create answer: {"backup": ..., "extendparam": {"jobs": [...]}}. */
json_t *render_v1_create(const struct backup *b);
/* An instance as the control plane stores and shows it. */
json_t *render_instance(const struct instance *inst);

#endif
