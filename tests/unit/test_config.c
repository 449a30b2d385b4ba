/* Command line and RDSEMU_* variables (docs/configuration.md). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rdsemu/app/config.h"

static const char *env_names[4];
static const char *env_values[4];
/* When set: {name, value} pairs, ended by {NULL, NULL}, read instead of the two above. */
static const char *const (*table)[2];

static const char *fake_env(const char *name)
{
    if (table != NULL) {
        for (size_t i = 0; table[i][0] != NULL; i++)
            if (strcmp(table[i][0], name) == 0)
                return table[i][1];
        return NULL;
    }
    for (size_t i = 0; i < 4 && env_names[i] != NULL; i++)
        if (strcmp(env_names[i], name) == 0)
            return env_values[i];
    return NULL;
}

static enum config_result parse(struct config *cfg, int argc, char **argv)
{
    FILE *sink = fopen("/dev/null", "w");
    enum config_result r = config_parse(cfg, argc, argv, fake_env, sink, sink);
    fclose(sink);
    return r;
}

/* Every option is read from its RDSEMU_* variable (docs/configuration.md): one value each, none the
 * default, all at once. */
static void every_variable(void)
{
    static const char *const variables[][2] = {
        {"RDSEMU_LISTEN", "10.1.2.3:4567"},
        {"RDSEMU_DB", "v.db"},
        {"RDSEMU_SEED", "seed.json"},
        {"RDSEMU_AUTH", "tokens"},
        {"RDSEMU_TOKENS", "t.json"},
        {"RDSEMU_CREDENTIALS", "c.json"},
        {"RDSEMU_BACKUP_SECONDS", "11"},
        {"RDSEMU_THREADS", "5"},
        {"RDSEMU_MAX_BODY", "4096"},
        {"RDSEMU_JOURNAL_SIZE", "77"},
        {"RDSEMU_MAX_CONNECTIONS", "33"},
        {"RDSEMU_IDLE_TIMEOUT", "9"},
        {"RDSEMU_SEED_RNG", "1234"},
        {"RDSEMU_ADMIN_TOKEN", "adm"},
        {"RDSEMU_SYNC", "full"},
        {"RDSEMU_LOG_FORMAT", "json"},
        {NULL, NULL},
    };
    table = variables;
    struct config cfg;
    char *none[] = {"rdsemu"};
    CHECK_INT(parse(&cfg, 1, none), CONFIG_RUN);
    table = NULL;
    CHECK_STR(cfg.listen_host, "10.1.2.3");
    CHECK_INT(cfg.listen_port, 4567);
    CHECK_STR(cfg.db_path, "v.db");
    CHECK_STR(cfg.seed_path, "seed.json");
    CHECK_INT(cfg.auth, AUTH_TOKENS);
    CHECK_STR(cfg.tokens_path, "t.json");
    CHECK_STR(cfg.credentials_path, "c.json");
    CHECK_INT(cfg.backup_seconds, 11);
    CHECK_INT(cfg.threads, 5);
    CHECK_INT(cfg.max_body, 4096);
    CHECK_INT(cfg.journal_size, 77);
    CHECK_INT(cfg.max_connections, 33);
    CHECK_INT(cfg.idle_timeout, 9);
    CHECK(cfg.has_seed_rng && cfg.seed_rng == 1234);
    CHECK_STR(cfg.admin_token, "adm");
    CHECK_INT(cfg.sync, STORE_SYNC_FULL);
    CHECK_INT(cfg.log_format, LOG_JSON);
}

static void no_usage(FILE *out)
{
    (void)out;
}

/* -V is --version; a subcommand takes one operand beside the options (rdsemu health URL). */
static void short_version_and_operand(void)
{
    struct config cfg;
    char *short_version[] = {"rdsemu", "-V"};
    CHECK_INT(parse(&cfg, 2, short_version), CONFIG_DONE);
    char *operand_refused[] = {"rdsemu", "http://127.0.0.1:8080/"};
    CHECK_INT(parse(&cfg, 2, operand_refused), CONFIG_USAGE);

    FILE *sink = fopen("/dev/null", "w");
    const char *operand = "left over";
    char *none[] = {"health"};
    CHECK_INT(config_parse_operand(&cfg, 1, none, fake_env, sink, sink, no_usage, &operand),
              CONFIG_RUN);
    CHECK(operand == NULL);
    /* An option's value is not the operand, wherever the operand stands. */
    char *around[] = {"health", "--listen", "10.0.0.1:81", "http://h:1/x", "--db", "d"};
    CHECK_INT(config_parse_operand(&cfg, 6, around, fake_env, sink, sink, no_usage, &operand),
              CONFIG_RUN);
    CHECK_STR(operand, "http://h:1/x");
    CHECK_STR(cfg.listen_host, "10.0.0.1");
    CHECK_INT(cfg.listen_port, 81);
    char *two[] = {"health", "http://a/", "http://b/"};
    CHECK_INT(config_parse_operand(&cfg, 3, two, fake_env, sink, sink, no_usage, &operand),
              CONFIG_USAGE);
    char *dash[] = {"health", "-x"};
    CHECK_INT(config_parse_operand(&cfg, 2, dash, fake_env, sink, sink, no_usage, &operand),
              CONFIG_USAGE);
    char *help[] = {"health", "--help"};
    CHECK_INT(config_parse_operand(&cfg, 2, help, fake_env, sink, sink, no_usage, &operand),
              CONFIG_DONE);
    fclose(sink);
}

int main(void)
{
    struct config cfg;
    char *none[] = {"rdsemu"};
    CHECK_INT(parse(&cfg, 1, none), CONFIG_RUN);
    CHECK_STR(cfg.listen_host, "127.0.0.1");
    CHECK_INT(cfg.listen_port, 8080);
    CHECK_STR(cfg.db_path, "rdsemu.db");
    CHECK_INT(cfg.auth, AUTH_PRESENCE);
    CHECK_INT(cfg.backup_seconds, 3);
    CHECK_STR(cfg.region, "cn-north-4");
    CHECK_INT(cfg.restore_seconds, 3);
    CHECK_INT(cfg.delete_seconds, 0);
    CHECK_INT(cfg.auto_backups, AUTO_BACKUPS_SET);
    CHECK_INT(cfg.max_body, 65536);
    CHECK_INT(cfg.max_connections, 1024);
    CHECK_INT(cfg.idle_timeout, 30);
    CHECK_INT(cfg.sync, STORE_SYNC_NORMAL);
    CHECK_INT(cfg.journal_size, 1000);
    CHECK_INT(cfg.log_format, LOG_TEXT);
    CHECK(!cfg.has_seed_rng);
    CHECK(cfg.seed_path == NULL && cfg.tokens_path == NULL && cfg.credentials_path == NULL &&
          cfg.admin_token == NULL);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN); /* "the number of CPUs" (1 to 256) */
    CHECK_INT(cfg.threads, cpus < 1 ? 1 : cpus > 256 ? 256 : cpus);

    char *flags[] = {
        "rdsemu", "--listen",   "0.0.0.0:0", "--db=:memory:", "--auth", "off", "--sync",
        "full",   "--max-body", "10",        "--threads",     "3"};
    CHECK_INT(parse(&cfg, 12, flags), CONFIG_RUN);
    CHECK_STR(cfg.listen_host, "0.0.0.0");
    CHECK_INT(cfg.listen_port, 0);
    CHECK_STR(cfg.db_path, ":memory:");
    CHECK_INT(cfg.auth, AUTH_OFF);
    CHECK_INT(cfg.sync, STORE_SYNC_FULL);
    CHECK_INT(cfg.max_body, 10);
    CHECK_INT(cfg.threads, 3);

    char *modes[] = {"rdsemu",    "--auto-backups",   "all", "--restore-seconds",
                     "316224000", "--delete-seconds", "9"};
    CHECK_INT(parse(&cfg, 7, modes), CONFIG_RUN);
    CHECK_INT(cfg.auto_backups, AUTO_BACKUPS_ALL);
    CHECK_INT(cfg.restore_seconds, 316224000);
    CHECK_INT(cfg.delete_seconds, 9);
    char *off[] = {"rdsemu", "--auto-backups", "off"};
    CHECK_INT(parse(&cfg, 3, off), CONFIG_RUN);
    CHECK_INT(cfg.auto_backups, AUTO_BACKUPS_OFF);

    char *region[] = {"rdsemu", "--region", "eu-de"};
    CHECK_INT(parse(&cfg, 3, region), CONFIG_RUN);
    CHECK_STR(cfg.region, "eu-de");

    char *v6[] = {"rdsemu", "--listen", "[::1]:9"};
    CHECK_INT(parse(&cfg, 3, v6), CONFIG_RUN);
    CHECK_STR(cfg.listen_host, "::1");
    CHECK_INT(cfg.listen_port, 9);

    /* Variables are read; a flag wins over its variable. */
    env_names[0] = "RDSEMU_BACKUP_SECONDS";
    env_values[0] = "7";
    env_names[1] = "RDSEMU_DB";
    env_values[1] = "/tmp/x.db";
    CHECK_INT(parse(&cfg, 1, none), CONFIG_RUN);
    CHECK_INT(cfg.backup_seconds, 7);
    CHECK_STR(cfg.db_path, "/tmp/x.db");
    char *over[] = {"rdsemu", "--backup-seconds", "0"};
    CHECK_INT(parse(&cfg, 3, over), CONFIG_RUN);
    CHECK_INT(cfg.backup_seconds, 0);
    env_values[0] = "seven";
    CHECK_INT(parse(&cfg, 1, none), CONFIG_USAGE);
    CHECK_INT(parse(&cfg, 3, over), CONFIG_RUN); /* the flag overrides the bad variable */
    CHECK_INT(cfg.backup_seconds, 0);
    env_names[0] = env_names[1] = NULL;

    char *bad[][3] = {
        {"rdsemu", "--threads", "0"},
        {"rdsemu", "--listen", "nonsense"},
        {"rdsemu", "--listen", "h:70000"},
        {"rdsemu", "--sync", "fast"},
        {"rdsemu", "--auth", "maybe"},
        {"rdsemu", "--nope", "1"},
        {"rdsemu", "--max-body", "-1"},
        {"rdsemu", "--backup-seconds", "1x"},
        {"rdsemu", "--db", ""},
        {"rdsemu", "--tokens", ""},
        {"rdsemu", "--auth", "tokens"},
        {"rdsemu", "--log-format", "xml"},
        {"rdsemu", "--admin-token", ""},
        {"rdsemu", "--seed-rng", "-1"},
        {"rdsemu", "--journal-size", "x"},
        {"rdsemu", "--credentials", ""},
        {"rdsemu", "--region", ""},
        {"rdsemu", "--auto-backups", "some"},
        {"rdsemu", "--delete-seconds", "-1"},
        {"rdsemu", "--restore-seconds", "316224001"},
        {"rdsemu", "--region", "eu de"},
        {"rdsemu", "--region", "eu/de"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_INT(parse(&cfg, 3, bad[i]), CONFIG_USAGE);
    char *missing[] = {"rdsemu", "--db"};
    CHECK_INT(parse(&cfg, 2, missing), CONFIG_USAGE);
    char *stray[] = {"rdsemu", "run"};
    CHECK_INT(parse(&cfg, 2, stray), CONFIG_USAGE);

    /* --auth tokens needs at least one of --tokens and --credentials, from a flag or a
     * variable; either file alone is accepted here (it is read when the emulator starts),
     * with any mode. */
    char *tokens_only[] = {"rdsemu", "--auth", "tokens", "--tokens", "t.json"};
    CHECK_INT(parse(&cfg, 5, tokens_only), CONFIG_RUN);
    CHECK_INT(cfg.auth, AUTH_TOKENS);
    CHECK_STR(cfg.tokens_path, "t.json");
    CHECK(cfg.credentials_path == NULL);
    char *keys_only[] = {"rdsemu", "--auth=tokens", "--credentials=c.json"};
    CHECK_INT(parse(&cfg, 3, keys_only), CONFIG_RUN);
    CHECK_STR(cfg.credentials_path, "c.json");
    CHECK(cfg.tokens_path == NULL);
    char *file_without_mode[] = {"rdsemu", "--tokens", "t.json", "--credentials", "c.json"};
    CHECK_INT(parse(&cfg, 5, file_without_mode), CONFIG_RUN);
    CHECK_INT(cfg.auth, AUTH_PRESENCE);
    CHECK_STR(cfg.tokens_path, "t.json");
    CHECK_STR(cfg.credentials_path, "c.json");
    env_names[0] = "RDSEMU_AUTH";
    env_values[0] = "tokens";
    CHECK_INT(parse(&cfg, 1, none), CONFIG_USAGE);
    env_names[1] = "RDSEMU_CREDENTIALS";
    env_values[1] = "/etc/c.json";
    CHECK_INT(parse(&cfg, 1, none), CONFIG_RUN);
    CHECK_INT(cfg.auth, AUTH_TOKENS);
    CHECK_STR(cfg.credentials_path, "/etc/c.json");
    env_names[2] = "RDSEMU_TOKENS";
    env_values[2] = "/etc/t.json";
    char *flag_over_env[] = {"rdsemu", "--tokens", "mine.json", "--auth", "off"};
    CHECK_INT(parse(&cfg, 5, flag_over_env), CONFIG_RUN);
    CHECK_INT(cfg.auth, AUTH_OFF);
    CHECK_STR(cfg.tokens_path, "mine.json");
    CHECK_STR(cfg.credentials_path, "/etc/c.json");
    env_names[0] = env_names[1] = env_names[2] = NULL;

    char *controls[] = {"rdsemu", "--log-format",   "json", "--admin-token", "s3cret", "--seed-rng",
                        "42",     "--journal-size", "0"};
    CHECK_INT(parse(&cfg, 9, controls), CONFIG_RUN);
    CHECK_INT(cfg.log_format, LOG_JSON);
    CHECK_STR(cfg.admin_token, "s3cret");
    CHECK(cfg.has_seed_rng && cfg.seed_rng == 42);
    CHECK_INT(cfg.journal_size, 0);

    every_variable();
    short_version_and_operand();

    char *help[] = {"rdsemu", "--help"};
    CHECK_INT(parse(&cfg, 2, help), CONFIG_DONE);
    char *version[] = {"rdsemu", "--version"};
    CHECK_INT(parse(&cfg, 2, version), CONFIG_DONE);
    return CHECK_DONE();
}
