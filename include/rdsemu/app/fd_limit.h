/* The open-file limit against --max-connections (src/app/fd_limit.c). */
#ifndef RDSEMU_FD_LIMIT_H
#define RDSEMU_FD_LIMIT_H

#include "rdsemu/app/config.h"

/* Raises the soft RLIMIT_NOFILE toward the hard one so that cfg->max_connections fit; when
 * they cannot, lowers cfg->max_connections to what fits and logs a warning. */
void fd_limit_fit(struct config *cfg);

#endif
