/* Private to src/api/: a change of an instance's backup policy, through v1 or v3, as one
 * store transaction (docs/policy.md): what the old policy made is made first, then the new
 * policy is stored and counts as set from now, its retention applied to the automated
 * backups already made. */
#ifndef RDSEMU_API_POLICY_CHANGE_H
#define RDSEMU_API_POLICY_CHANGE_H

#include <stdbool.h>

#include "call.h"
#include "rdsemu/core/errors.h"
#include "rdsemu/core/policy.h"

struct policy_change {
    struct api *api;
    const char *project_id;
    const char *instance_id;
    /* Makes the new policy from the stored one (the instance's, which `apply` may read for its
     * engine): 0, or -1 with `err` (nothing is written). */
    int (*apply)(struct policy_change *change, const struct instance *inst,
                 struct backup_policy *policy);
    void *arg;           /* for `apply` */
    bool drop_automated; /* delete the automated backups now (reserve_backups false) */
    struct rule_error err;
};

/* The path's instance, read for its policy: 0 with `inst` filled (instance_free), or -1 after
 * answering (404 in the call's shape, or the internal error). */
int policy_instance_or_reply(struct call *call, struct instance *inst);

/* 0 done; -1 with `change->err`: ERR_INSTANCE_NOT_FOUND, the refusal of `apply`, or
 * ERR_INTERNAL. */
int policy_change_run(struct policy_change *change);

#endif
