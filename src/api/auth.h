/* Private to src/api/: auth, in two steps of the pipeline (docs/auth.md). */
#ifndef RDSEMU_API_AUTH_H
#define RDSEMU_API_AUTH_H

#include "call.h"
#include "rdsemu/core/errors.h"

/* From the head: the admin token on the control plane; a token, or a well-formed signature
 * (parsed once into the call) on the emulated APIs. 0, or -1 with `out` filled. */
int auth_check_head(struct call *call, struct rule_error *out);
/* With the body in: the signature of --auth tokens verified over it, then the project rule.
 * 0, or -1 with `out` filled. */
int auth_check_body(struct call *call, struct rule_error *out);

#endif
