/* Private to src/api/: the v3 backup_policy object (docs/policy.md), shared by the v3 PUT, the
 * control plane's instance body and the seed file; and its renderings. */
#ifndef RDSEMU_API_POLICY_JSON_H
#define RDSEMU_API_POLICY_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "rdsemu/core/errors.h"
#include "rdsemu/core/policy.h"

/* A backup_policy as given, its types and formats checked. */
struct policy_input {
    long long keep_days;
    char start[9];     /* hh:mm:00; given only when keep_days > 0 */
    unsigned weekdays; /* the same */
};

/* The field rules of `policy` (named `where` in messages): an object; keep_days a required
 * integer (DBS.280250 when missing, DBS.200001 when not an integer); with keep_days > 0,
 * start_time "hh:mm-HH:MM" (DBS.280253) and period "1,...,7" ascending (DBS.280251), required;
 * with keep_days 0 both are ignored. 0, or -1 with `err`. */
int policy_input_from_json(json_t *policy, const char *where, struct policy_input *out,
                           struct rule_error *err);

/* The rules that depend on the instance: keep_days in the engine's range (DBS.280250). Then
 * `policy` (the stored one) becomes the new one; with keep_days 0 it keeps its start and
 * weekdays. 0, or -1 with `err`. */
int policy_input_apply(const struct policy_input *in, const char *engine, const char *where,
                       struct backup_policy *policy, struct rule_error *err);

/* The v3 shape: {"keep_days", "start_time", "period"}, or {"keep_days": 0} when off. */
json_t *policy_to_json(const struct backup_policy *policy);

#endif
