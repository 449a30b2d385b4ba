/* Private to src/api/: the head's checks after faults (path parameters, content type). */
#ifndef RDSEMU_API_HEAD_CHECKS_H
#define RDSEMU_API_HEAD_CHECKS_H

#include "call.h"
#include "rdsemu/core/errors.h"

/* 0, or -1 with `out` filled (a 400 naming the parameter or the header). */
int head_check(struct call *call, struct rule_error *out);

#endif
