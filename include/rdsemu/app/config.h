/* Command line and RDSEMU_* environment variables (docs/configuration.md). */
#ifndef RDSEMU_CONFIG_H
#define RDSEMU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rdsemu/api/api.h"
#include "rdsemu/base/log.h"
#include "rdsemu/store/store.h"

#define CONFIG_REGION_MAX 64

struct config {
    char listen_host[256]; /* "" (from ":PORT"): every interface */
    unsigned listen_port;
    const char *db_path;   /* borrowed from argv/environ */
    const char *seed_path; /* NULL: no seed */
    enum auth_mode auth;
    const char *tokens_path;
    const char *credentials_path;
    long backup_seconds;
    long delete_seconds;
    long restore_seconds;
    enum auto_backups auto_backups;
    const char *region; /* borrowed, or the default's static text */
    unsigned threads;
    size_t max_body;
    unsigned journal_size;
    unsigned max_connections;
    unsigned idle_timeout;
    bool has_seed_rng;
    uint64_t seed_rng;
    const char *admin_token;
    enum store_sync sync;
    enum log_format log_format;
    enum log_level log_level;
};

enum config_result {
    CONFIG_RUN,   /* start the emulator */
    CONFIG_DONE,  /* --help, --version or -V was printed: exit 0 */
    CONFIG_USAGE, /* a message was printed to `err`: exit 2 */
};

/* Fills `cfg` from defaults, then RDSEMU_* variables (through `getenv_fn`), then argv. */
enum config_result config_parse(struct config *cfg, int argc, char **argv,
                                const char *(*getenv_fn)(const char *), FILE *out, FILE *err);

/* As config_parse, for a subcommand (argv[0] is its name): the options and variables are read
 * the same way, one argument that is not an option is put in `*operand` (NULL when there is
 * none), and --help prints `usage_fn` instead of the emulator's usage. */
enum config_result config_parse_operand(struct config *cfg, int argc, char **argv,
                                        const char *(*getenv_fn)(const char *), FILE *out,
                                        FILE *err, void (*usage_fn)(FILE *out),
                                        const char **operand);

#endif
