/* `rdsemu health [URL] [options]`: asks a running emulator whether it is healthy, for container
 * health checks and scripts (docs/configuration.md "Health check"). */
#ifndef RDSEMU_HEALTH_COMMAND_H
#define RDSEMU_HEALTH_COMMAND_H

#include <stdio.h>

/* How long the whole check may take, connection included. */
#define HEALTH_TIMEOUT_MS 3000

/* argv[0] is "health". Prints one line on `out` ("healthy: ..." or "unhealthy: ...") and returns
 * the exit status: 0 healthy, 1 unhealthy, 2 bad usage (the reason on `err`); 0 also for
 * --help and --version. */
int health_command(int argc, char **argv, const char *(*getenv_fn)(const char *), FILE *out,
                   FILE *err);

#endif
