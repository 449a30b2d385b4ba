/* The open-file limit against --max-connections (docs/configuration.md "HTTP limits"): the
 * soft limit is raised toward the hard one so that the connections fit; when they cannot, the
 * effective --max-connections is lowered to what fits. This program lowers its own hard
 * limit, which it cannot raise again: it runs alone. */
#include <sys/resource.h>

#include "check.h"
#include "rdsemu/app/config.h"
#include "rdsemu/app/fd_limit.h"

int main(void)
{
    struct config cfg = {0};
    cfg.threads = 2;
    struct rlimit lim = {100, 400};
    CHECK_INT(setrlimit(RLIMIT_NOFILE, &lim), 0);

    /* 200 connections need 200 + the reserve: the soft limit goes up, the hard one allows. */
    cfg.max_connections = 200;
    fd_limit_fit(&cfg);
    CHECK_INT(cfg.max_connections, 200);
    CHECK_INT(getrlimit(RLIMIT_NOFILE, &lim), 0);
    CHECK(lim.rlim_cur >= 200 + 64 && lim.rlim_cur <= 400);

    /* 1024 cannot fit under 400: what fits is taken. */
    cfg.max_connections = 1024;
    fd_limit_fit(&cfg);
    CHECK_INT(getrlimit(RLIMIT_NOFILE, &lim), 0);
    CHECK_INT(lim.rlim_cur, 400);
    CHECK(cfg.max_connections >= 200 && cfg.max_connections < 400 - 64);
    return CHECK_DONE();
}
