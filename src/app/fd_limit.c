/* Enough file descriptors for --max-connections (docs/configuration.md "Connections"): each
 * connection takes one, beside the listening socket, the database files and the threads'
 * own. A process starts with the system's soft limit (often 1024); rdsemu raises it toward
 * the hard limit, and when the connections still cannot fit it lowers the effective limit and
 * says so, so that a client beyond it is refused at once rather than left hanging on an
 * accept() that fails. */
#include <sys/resource.h>

#include "rdsemu/app/fd_limit.h"
#include "rdsemu/base/log.h"

/* Descriptors rdsemu needs besides one per connection: stdio, the listening socket, the
 * database, its WAL and shared memory for every connection of the store (one per worker and
 * the writer and checkpointer), the delay timer, libmicrohttpd's inter-thread pipes. */
static rlim_t reserve_for(const struct config *cfg)
{
    return 64 + 4 * (rlim_t)cfg->threads;
}

void fd_limit_fit(struct config *cfg)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return;
    rlim_t needed = (rlim_t)cfg->max_connections + reserve_for(cfg);
    if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < needed) {
        struct rlimit raised = lim;
        raised.rlim_cur =
            lim.rlim_max == RLIM_INFINITY || lim.rlim_max >= needed ? needed : lim.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            lim = raised;
    }
    if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < needed) {
        rlim_t fit = lim.rlim_cur > reserve_for(cfg) ? lim.rlim_cur - reserve_for(cfg) : 1;
        log_warn("--max-connections %u does not fit the open-file limit of %llu (ulimit -n); "
                 "at most %llu connections are taken",
                 cfg->max_connections, (unsigned long long)lim.rlim_cur, (unsigned long long)fit);
        cfg->max_connections = (unsigned)fit;
    }
}
