/* Options from the command line and RDSEMU_* variables (docs/configuration.md). A flag wins over
 * its variable; every value is checked, and a bad one is a usage error (exit 2). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdsemu/app/config.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/core/limits.h"
#include "rdsemu/api/journal.h"

struct option_def {
    const char *name; /* without the leading "--" */
    const char *env;
    /* 0, or -1 after printing why `value` is refused */
    int (*set)(struct config *cfg, const struct option_def *def, const char *value, FILE *err);
    long long min, max; /* for numbers */
    /* The default, given to `set` before anything else is read; NULL: none, or one that
     * defaults() works out (shown). */
    const char *value;
    const char *shown; /* --help's default when `value` is NULL */
    const char *help;
};

static int refuse(const struct option_def *def, const char *value, const char *why, FILE *err)
{
    fprintf(err, "rdsemu: --%s: %s (got '%s')\n", def->name, why, value);
    return -1;
}

static int number(const struct option_def *def, const char *value, long long *out, FILE *err)
{
    int64_t v;
    if (!parse_bounded_int(value, def->min, def->max, &v)) {
        char why[128];
        snprintf(why, sizeof(why), "must be a whole number from %lld to %lld", def->min, def->max);
        return refuse(def, value, why, err);
    }
    *out = v;
    return 0;
}

static int set_listen(struct config *cfg, const struct option_def *def, const char *value,
                      FILE *err)
{
    const char *colon = strrchr(value, ':');
    if (colon == NULL || colon[1] == '\0')
        return refuse(def, value, "must be HOST:PORT, or :PORT for every interface", err);
    const char *host = value;
    size_t hostlen = (size_t)(colon - value);
    if (hostlen > 0 && host[0] == '[') { /* [::1]:8080 */
        if (hostlen < 3 || host[hostlen - 1] != ']')
            return refuse(def, value, "must be HOST:PORT, with an IPv6 host in brackets", err);
        host++;
        hostlen -= 2;
    }
    if (hostlen >= sizeof(cfg->listen_host))
        return refuse(def, value, "host name too long", err);
    int64_t port;
    if (!parse_bounded_int(colon + 1, 0, 65535, &port))
        return refuse(def, value, "the port must be a whole number from 0 to 65535", err);
    memcpy(cfg->listen_host, host, hostlen);
    cfg->listen_host[hostlen] = '\0';
    cfg->listen_port = (unsigned)port;
    return 0;
}

/* A file's path: the file itself is read and checked when the emulator starts (the seed,
 * credentials_load), so here it only has to be there. */
#define PATH_SETTER(fn, field)                                                                     \
    static int fn(struct config *cfg, const struct option_def *def, const char *value, FILE *err)  \
    {                                                                                              \
        if (value[0] == '\0')                                                                      \
            return refuse(def, value, "must not be empty", err);                                   \
        cfg->field = value;                                                                        \
        return 0;                                                                                  \
    }

PATH_SETTER(set_db, db_path)
PATH_SETTER(set_seed, seed_path)
PATH_SETTER(set_tokens, tokens_path)
PATH_SETTER(set_credentials, credentials_path)

/* One of a few words, each naming a value of the field's enum (its index in the list). */
#define CHOICE_SETTER(fn, field, type, why, ...)                                                   \
    static int fn(struct config *cfg, const struct option_def *def, const char *value, FILE *err)  \
    {                                                                                              \
        static const char *const names[] = {__VA_ARGS__};                                          \
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {                            \
            if (names[i] != NULL && strcmp(names[i], value) == 0) {                                \
                cfg->field = (type)i;                                                              \
                return 0;                                                                          \
            }                                                                                      \
        }                                                                                          \
        return refuse(def, value, why, err);                                                       \
    }

CHOICE_SETTER(set_auth, auth, enum auth_mode, "must be off, presence or tokens", [AUTH_OFF] = "off",
              [AUTH_PRESENCE] = "presence", [AUTH_TOKENS] = "tokens")
CHOICE_SETTER(set_sync, sync, enum store_sync,
              "must be normal or full", [STORE_SYNC_NORMAL] = "normal", [STORE_SYNC_FULL] = "full")
CHOICE_SETTER(set_auto_backups, auto_backups, enum auto_backups, "must be set, all or off",
              [AUTO_BACKUPS_SET] = "set", [AUTO_BACKUPS_ALL] = "all", [AUTO_BACKUPS_OFF] = "off")
CHOICE_SETTER(set_log_format, log_format, enum log_format,
              "must be text or json", [LOG_TEXT] = "text", [LOG_JSON] = "json")

/* A region name as clouds spell them (cn-north-4, eu-de): it goes into URLs and JSON as is. */
static int set_region(struct config *cfg, const struct option_def *def, const char *value,
                      FILE *err)
{
    size_t len = strlen(value);
    if (len == 0 || len > CONFIG_REGION_MAX ||
        strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != len)
        return refuse(def, value, "must be 1 to 64 letters, digits, - and _", err);
    cfg->region = value;
    return 0;
}

#define NUMBER_SETTER(fn, field, type)                                                             \
    static int fn(struct config *cfg, const struct option_def *def, const char *value, FILE *err)  \
    {                                                                                              \
        long long v;                                                                               \
        if (number(def, value, &v, err) != 0)                                                      \
            return -1;                                                                             \
        cfg->field = (type)v;                                                                      \
        return 0;                                                                                  \
    }

NUMBER_SETTER(set_backup_seconds, backup_seconds, long)
NUMBER_SETTER(set_delete_seconds, delete_seconds, long)
NUMBER_SETTER(set_restore_seconds, restore_seconds, long)
NUMBER_SETTER(set_threads, threads, unsigned)
NUMBER_SETTER(set_max_body, max_body, size_t)
NUMBER_SETTER(set_max_connections, max_connections, unsigned)
NUMBER_SETTER(set_idle_timeout, idle_timeout, unsigned)

static int set_journal_size(struct config *cfg, const struct option_def *def, const char *value,
                            FILE *err)
{
    long long v;
    if (number(def, value, &v, err) != 0)
        return -1;
    cfg->journal_size = (unsigned)v;
    return 0;
}

static int set_seed_rng(struct config *cfg, const struct option_def *def, const char *value,
                        FILE *err)
{
    long long v;
    if (number(def, value, &v, err) != 0)
        return -1;
    cfg->has_seed_rng = true;
    cfg->seed_rng = (uint64_t)v;
    return 0;
}

static int set_admin_token(struct config *cfg, const struct option_def *def, const char *value,
                           FILE *err)
{
    if (value[0] == '\0' || strlen(value) > 256)
        return refuse(def, "(hidden)", "must be 1 to 256 characters", err);
    cfg->admin_token = value;
    return 0;
}

static int set_log_level(struct config *cfg, const struct option_def *def, const char *value,
                         FILE *err)
{
    if (log_level_parse(value, &cfg->log_level) != 0)
        return refuse(def, value, "must be debug, info, warn or error", err);
    return 0;
}

/* Each option once: its name, variable, check, bounds, default and meaning. */
static const struct option_def options[] = {
    {"listen", "RDSEMU_LISTEN", set_listen, 0, 0, "127.0.0.1:8080", NULL,
     "HOST:PORT to listen on (port 0: any free)"},
    {"db", "RDSEMU_DB", set_db, 0, 0, "rdsemu.db", NULL, "SQLite file; :memory: keeps nothing"},
    {"seed", "RDSEMU_SEED", set_seed, 0, 0, NULL, "none",
     "JSON file of projects and instances to load"},
    {"auth", "RDSEMU_AUTH", set_auth, 0, 0, "presence", NULL, "off | presence | tokens"},
    {"tokens", "RDSEMU_TOKENS", set_tokens, 0, 0, NULL, "none",
     "JSON file {\"<token>\": [\"<project_id>\", ...]} for --auth tokens"},
    {"credentials", "RDSEMU_CREDENTIALS", set_credentials, 0, 0, NULL, "none",
     "JSON file {\"<AK>\": {\"secret\", \"projects\"}} for --auth tokens"},
    {"backup-seconds", "RDSEMU_BACKUP_SECONDS", set_backup_seconds, 0, BUILD_SECONDS_MAX, "3", NULL,
     "seconds a backup stays BUILDING"},
    {"restore-seconds", "RDSEMU_RESTORE_SECONDS", set_restore_seconds, 0, BUILD_SECONDS_MAX, "3",
     NULL, "seconds a restore runs"},
    {"delete-seconds", "RDSEMU_DELETE_SECONDS", set_delete_seconds, 0, BUILD_SECONDS_MAX, "0", NULL,
     "seconds a deleted backup stays DELETING"},
    {"auto-backups", "RDSEMU_AUTO_BACKUPS", set_auto_backups, 0, 0, "set", NULL,
     "set | all | off: which instances get automated backups"},
    {"region", "RDSEMU_REGION", set_region, 0, 0, "cn-north-4", NULL,
     "the region the instance API and the identity catalog name"},
    {"threads", "RDSEMU_THREADS", set_threads, 1, 256, NULL, "CPU count", "worker threads"},
    {"max-body", "RDSEMU_MAX_BODY", set_max_body, 1, 64 * 1024 * 1024, "65536", NULL,
     "largest request body in bytes"},
    {"journal-size", "RDSEMU_JOURNAL_SIZE", set_journal_size, 0, JOURNAL_SIZE_MAX, "1000", NULL,
     "requests the journal keeps (0: none)"},
    {"max-connections", "RDSEMU_MAX_CONNECTIONS", set_max_connections, 1, 65536, "1024", NULL,
     "open connections at most"},
    {"idle-timeout", "RDSEMU_IDLE_TIMEOUT", set_idle_timeout, 1, 86400, "30", NULL,
     "seconds before an idle connection is closed"},
    {"seed-rng", "RDSEMU_SEED_RNG", set_seed_rng, 0, INT64_MAX, NULL, "random",
     "seed of the fault-injection RNG"},
    {"admin-token", "RDSEMU_ADMIN_TOKEN", set_admin_token, 0, 0, NULL, "none",
     "token the control plane requires (X-Emulator-Admin-Token)"},
    {"sync", "RDSEMU_SYNC", set_sync, 0, 0, "normal", NULL, "normal | full"},
    {"log-format", "RDSEMU_LOG_FORMAT", set_log_format, 0, 0, "text", NULL, "text | json"},
    {"log-level", "RDSEMU_LOG_LEVEL", set_log_level, 0, 0, "info", NULL,
     "debug | info | warn | error (health polls are debug)"},
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))

static void defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (options[i].value != NULL && options[i].set(cfg, &options[i], options[i].value, stderr))
            abort(); /* a default its own check refuses: the table above is wrong */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cfg->threads = cpus < 1 ? 1 : cpus > 256 ? 256 : (unsigned)cpus;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: rdsemu [options]\n       rdsemu health [URL] [options]\n\nA local "
                 "emulator of the Huawei Cloud RDS backup API. 'rdsemu health' asks a running\n"
                 "one whether it is healthy (exit 0) or not (exit 1); 'rdsemu health --help' "
                 "says more.\n\nEach option also reads the variable shown; a flag wins over it."
                 "\n\n");
    fprintf(out, "  %-18s %-24s %-16s %s\n", "option", "variable", "default", "meaning");
    for (size_t i = 0; i < OPTION_COUNT; i++)
        fprintf(out, "  --%-16s %-24s %-16s %s\n", options[i].name, options[i].env,
                options[i].value != NULL ? options[i].value : options[i].shown, options[i].help);
    fprintf(out, "  --version, -V, --help, -h\n");
}

static const struct option_def *find_option(const char *name, size_t len)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

/* config_parse and config_parse_operand: `operand` NULL refuses every argument that is not an
 * option. */
static enum config_result parse(struct config *cfg, int argc, char **argv,
                                const char *(*getenv_fn)(const char *), FILE *out, FILE *err,
                                void (*usage_fn)(FILE *out), const char **operand)
{
    defaults(cfg);
    if (operand != NULL)
        *operand = NULL;
    /* Flags first, so that a flag wins over its variable and a bad variable that a flag
     * overrides does not stop the start. */
    bool given[OPTION_COUNT] = {false};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage_fn(out);
            return CONFIG_DONE;
        }
        if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0) {
            fprintf(out, "rdsemu %s\n", RDSEMU_VERSION);
            return CONFIG_DONE;
        }
        if (operand != NULL && *operand == NULL && arg[0] != '-') {
            *operand = arg;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(err, "rdsemu: unexpected argument '%s'\nTry 'rdsemu --help'.\n", arg);
            return CONFIG_USAGE;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        const struct option_def *def = find_option(name, eq ? (size_t)(eq - name) : strlen(name));
        if (def == NULL) {
            fprintf(err, "rdsemu: unknown option '%s'\nTry 'rdsemu --help'.\n", arg);
            return CONFIG_USAGE;
        }
        const char *value = eq != NULL ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (value == NULL) {
            fprintf(err, "rdsemu: option '--%s' needs a value\nTry 'rdsemu --help'.\n", def->name);
            return CONFIG_USAGE;
        }
        if (def->set(cfg, def, value, err) != 0)
            return CONFIG_USAGE;
        given[def - options] = true;
    }
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const char *value = given[i] ? NULL : getenv_fn(options[i].env);
        if (value != NULL && options[i].set(cfg, &options[i], value, err) != 0) {
            fprintf(err, "rdsemu: (from the variable %s)\n", options[i].env);
            return CONFIG_USAGE;
        }
    }
    if (cfg->auth == AUTH_TOKENS && cfg->tokens_path == NULL && cfg->credentials_path == NULL) {
        fprintf(err, "rdsemu: --auth tokens needs --tokens FILE and/or --credentials FILE\n"
                     "Try 'rdsemu --help'.\n");
        return CONFIG_USAGE;
    }
    return CONFIG_RUN;
}

enum config_result config_parse(struct config *cfg, int argc, char **argv,
                                const char *(*getenv_fn)(const char *), FILE *out, FILE *err)
{
    return parse(cfg, argc, argv, getenv_fn, out, err, usage, NULL);
}

enum config_result config_parse_operand(struct config *cfg, int argc, char **argv,
                                        const char *(*getenv_fn)(const char *), FILE *out,
                                        FILE *err, void (*usage_fn)(FILE *out),
                                        const char **operand)
{
    return parse(cfg, argc, argv, getenv_fn, out, err, usage_fn, operand);
}
