/* The command line (docs/configuration.md): --help, --version and -V, `rdsemu health`; bad usage
 * exits 2 with a message on stderr; a port already taken or an unusable store exits 1 (and leaves a
 * foreign file as it was); RDSEMU_* variables are read and a flag wins over its variable; options
 * of later issues are either refused with "not supported yet" or work, never silently ignored. */
#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "expect.h"

#define PROJECT         "rules-project"
#define RUN_TIMEOUT_MS  5000
#define NOT_SUPPORTED   "not supported yet"
#define ADMIN_TOKEN_HDR "X-Emulator-Admin-Token: cli-admin-secret"

static char scratch[PATH_MAX]; /* this program's own directory for files and runs */
static char scratch_db[PATH_MAX + 16];

/* Runs rdsemu with `args` after a safe --listen and --db (later flags win). */
static void run(const char *const *args, const char *const *env, struct run_result *out)
{
    const char *argv[HARNESS_MAX_ARGS + 1] = {"--listen", "127.0.0.1:0", "--db", scratch_db};
    size_t n = 4;
    for (size_t i = 0; args != NULL && args[i] != NULL && n < HARNESS_MAX_ARGS; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (harness_run(scratch, argv, env, RUN_TIMEOUT_MS, out) != 0)
        fprintf(stderr, "could not run %s\n", harness_binary());
}

/* Exit `status`, something on stderr, and no "listening on" line. */
static bool expect_exit(const char *const *args, const char *const *env, int status,
                        const char *in_stderr)
{
    struct run_result r;
    run(args, env, &r);
    bool ok = r.err != NULL && r.out != NULL && r.exit_status == status && r.err[0] != '\0' &&
              strstr(r.out, "listening on") == NULL &&
              (in_stderr == NULL || strstr(r.err, in_stderr) != NULL);
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "    args:");
        for (size_t i = 0; args != NULL && args[i] != NULL; i++)
            fprintf(stderr, " %s", args[i]);
        for (size_t i = 0; env != NULL && env[i] != NULL; i++)
            fprintf(stderr, " [%s]", env[i]);
        fprintf(stderr, "\n    exit %d (expected %d), stdout \"%s\", stderr \"%s\"\n",
                r.exit_status, status, r.out ? r.out : "", r.err ? r.err : "");
    }
    run_result_free(&r);
    return ok;
}

static void help_and_version(void)
{
    static const char *const options[] = {"--listen",
                                          "--db",
                                          "--seed",
                                          "--auth",
                                          "--tokens",
                                          "--credentials",
                                          "--backup-seconds",
                                          "--threads",
                                          "--max-body",
                                          "--journal-size",
                                          "--max-connections",
                                          "--idle-timeout",
                                          "--seed-rng",
                                          "--admin-token",
                                          "--sync",
                                          "--log-format",
                                          "--version",
                                          "-V",
                                          "--help",
                                          "rdsemu health"};
    struct run_result r;
    const char *help[] = {"--help", NULL};
    harness_run(scratch, help, NULL, RUN_TIMEOUT_MS, &r);
    CHECK_INT(r.exit_status, 0);
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
        bool listed = r.out != NULL && strstr(r.out, options[i]) != NULL;
        CHECK(listed);
        if (!listed)
            fprintf(stderr, "    --help does not list %s\n", options[i]);
    }
    run_result_free(&r);

    const char *version[] = {"--version", NULL};
    harness_run(scratch, version, NULL, RUN_TIMEOUT_MS, &r);
    CHECK_INT(r.exit_status, 0);
    CHECK_STR(r.out, "rdsemu " RDSEMU_EXPECTED_VERSION "\n");
    run_result_free(&r);

    const char *short_version[] = {"-V", NULL};
    harness_run(scratch, short_version, NULL, RUN_TIMEOUT_MS, &r);
    CHECK_INT(r.exit_status, 0);
    CHECK(r.out != NULL && strcmp(r.out, "rdsemu " RDSEMU_EXPECTED_VERSION "\n") == 0);
    run_result_free(&r);
}

static void bad_usage_exits_2(void)
{
    static const char *const cases[][3] = {
        {"--bogus", NULL, NULL},
        {"-x", NULL, NULL},
        {"serve", NULL, NULL},
        {"--threads", "0", NULL},
        {"--threads", "abc", NULL},
        {"--threads", "-1", NULL},
        {"--listen", "nonsense", NULL},
        {"--listen", "127.0.0.1:99999", NULL},
        {"--listen", "127.0.0.1:", NULL},
        {"--listen", "127.0.0.1:http", NULL},
        {"--sync", "fast", NULL},
        {"--auth", "maybe", NULL},
        {"--log-format", "xml", NULL},
        {"--backup-seconds", "-1", NULL},
        {"--backup-seconds", "soon", NULL},
        {"--max-body", "0", NULL},
        {"--max-body", "64k", NULL},
        {"--max-connections", "0", NULL},
        {"--idle-timeout", "0", NULL},
        {"--db", "", NULL},
        {"--threads", NULL, NULL}, /* no value */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_exit(cases[i], NULL, 2, NULL);

    /* A bad variable is bad usage too, when no flag overrides it. */
    static const char *const env_cases[] = {"RDSEMU_THREADS=0", "RDSEMU_SYNC=fast",
                                            "RDSEMU_AUTH=maybe", "RDSEMU_BACKUP_SECONDS=-1",
                                            "RDSEMU_MAX_BODY=none"};
    for (size_t i = 0; i < sizeof(env_cases) / sizeof(env_cases[0]); i++) {
        const char *env[] = {env_cases[i], NULL};
        expect_exit(NULL, env, 2, NULL);
    }
    const char *listen_env[] = {"RDSEMU_LISTEN=nonsense", NULL};
    struct run_result r;
    harness_run(scratch, (const char *const[]){"--db", scratch_db, NULL}, listen_env,
                RUN_TIMEOUT_MS, &r);
    CHECK_INT(r.exit_status, 2);
    CHECK_STR(r.err, "rdsemu: --listen: must be HOST:PORT, or :PORT for every interface (got "
                     "'nonsense')\nrdsemu: (from the variable RDSEMU_LISTEN)\n");
    run_result_free(&r);
}

static void port_taken_exits_1(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        CHECK(!"a listening socket to occupy a port");
        if (fd >= 0)
            close(fd);
        return;
    }
    char listen_arg[64];
    snprintf(listen_arg, sizeof(listen_arg), "127.0.0.1:%u", ntohs(addr.sin_port));
    const char *args[] = {"--listen", listen_arg, NULL};
    expect_exit(args, NULL, 1, NULL);
    close(fd);
}

static void unusable_store_exits_1(void)
{
    /* A file that is not an SQLite database: refused, and not a byte of it changed. */
    static const char foreign[] = "These are somebody's notes, not a database.\n"
                                  "rdsemu must not touch them.\n"
                                  "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghij\n";
    char path[PATH_MAX + 32];
    snprintf(path, sizeof(path), "%s/notes.txt", scratch);
    CHECK(harness_write_file(path, foreign, sizeof(foreign) - 1) == 0);
    const char *args[] = {"--db", path, NULL};
    expect_exit(args, NULL, 1, NULL);
    size_t len = 0;
    char *after = harness_read_file(path, &len);
    CHECK(after != NULL && len == sizeof(foreign) - 1 && memcmp(after, foreign, len) == 0);
    free(after);

    /* Also through the variable: RDSEMU_DB is read. */
    char db_env[PATH_MAX + 48];
    snprintf(db_env, sizeof(db_env), "RDSEMU_DB=%s", path);
    const char *env[] = {db_env, NULL};
    struct run_result r;
    harness_run(scratch, (const char *const[]){"--listen", "127.0.0.1:0", NULL}, env,
                RUN_TIMEOUT_MS, &r);
    CHECK_INT(r.exit_status, 1);
    run_result_free(&r);
    after = harness_read_file(path, &len);
    CHECK(after != NULL && len == sizeof(foreign) - 1 && memcmp(after, foreign, len) == 0);
    free(after);

    /* A directory that does not exist, and a directory where the file should be. */
    char missing[PATH_MAX + 32];
    snprintf(missing, sizeof(missing), "%s/no/such/dir/test.db", scratch);
    const char *missing_args[] = {"--db", missing, NULL};
    expect_exit(missing_args, NULL, 1, NULL);
    const char *dir_args[] = {"--db", scratch, NULL};
    expect_exit(dir_args, NULL, 1, NULL);
}

/* Creates `name` on mysql-1 without any build-time header: the build time comes from the
 * command line or its variable. */
static void create_plain(const struct emu *emu, const char *name, long status, const char *code)
{
    char *body = call_v1_body("mysql-1", name);
    struct http_response r;
    call_v1_create(emu, NULL, PROJECT, body, -1, &r);
    if (code == NULL)
        json_decref(EXPECT_V1_CREATED(&r));
    else
        EXPECT_V1_ERROR(&r, status, code);
    http_response_free(&r);
    free(body);
}

/* Starts with `args`/`env`; then two creates in a row: the second gets `code` (NULL: 200). */
static void backup_seconds_from(const char *const *args, const char *const *env,
                                const char *second_code)
{
    int failures_before = check_failures;
    struct emu emu;
    if (emu_start(&emu, "cli-env", args, env) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, false);
        return;
    }
    create_plain(&emu, "firstOne", 200, NULL);
    create_plain(&emu, "secondOne", 409, second_code);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

static void variables_and_flags(void)
{
    int failures_before = check_failures;
    const char *seed_only[] = {"--seed", RDSEMU_TEST_SEED, NULL};
    const char *seed_3600[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "3600", NULL};
    const char *seed_0[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", NULL};
    const char *env_0[] = {"RDSEMU_BACKUP_SECONDS=0", NULL};
    const char *env_3600[] = {"RDSEMU_BACKUP_SECONDS=3600", NULL};
    const char *env_bad[] = {"RDSEMU_BACKUP_SECONDS=never", NULL};

    backup_seconds_from(seed_only, env_0, NULL);          /* the variable is read */
    backup_seconds_from(seed_only, env_3600, "RDS.3004"); /* ... either way */
    backup_seconds_from(seed_3600, env_0, "RDS.3004");    /* the flag wins */
    backup_seconds_from(seed_0, env_3600, NULL);          /* ... either way */
    backup_seconds_from(seed_0, env_bad, NULL);           /* even over a bad variable */

    /* Other variables: the seed, the body limit, the auth mode. */
    char seed_env[PATH_MAX + 16];
    snprintf(seed_env, sizeof(seed_env), "RDSEMU_SEED=%s", RDSEMU_TEST_SEED);
    const char *env[] = {seed_env, "RDSEMU_MAX_BODY=200", "RDSEMU_AUTH=off",
                         "RDSEMU_LISTEN=nonsense", NULL}; /* --listen from the harness wins */
    struct emu emu;
    if (emu_start(&emu, "cli-vars", NULL, env) != 0) {
        CHECK(!"rdsemu started with variables");
        emu_cleanup(&emu, false);
        return;
    }
    const char *no_token[] = {CALL_JSON_HEADER, "X-Emulator-Backup-Seconds: 0", NULL};
    struct http_response r;
    call_request(&emu, NULL, "POST", "/rds/v1/" PROJECT "/backups", no_token,
                 "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"fromVariables\"}}", &r);
    json_decref(EXPECT_V1_CREATED(&r));
    http_response_free(&r);
    char big[300];
    memset(big, ' ', sizeof(big) - 1);
    big[0] = '{';
    big[sizeof(big) - 2] = '}';
    big[sizeof(big) - 1] = '\0';
    call_request(&emu, NULL, "POST", "/rds/v1/" PROJECT "/backups", no_token, big, &r);
    EXPECT_V1_ERROR(&r, 413, "RDS.0001");
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* An option of a later issue: refused with "not supported yet" (exit 2), or it starts and
 * `probe` shows that the option took effect. */
static void later_option(const char *const *args, void (*probe)(const struct emu *))
{
    int failures_before = check_failures;
    struct emu emu;
    if (emu_try_start(&emu, "cli-later", args, NULL) == 0) {
        probe(&emu);
        CHECK_INT(emu_stop(&emu), 0);
    } else {
        char *log = harness_read_file(emu.log_path, NULL);
        bool refused = emu.exit_status == 2 && log != NULL && strstr(log, NOT_SUPPORTED) != NULL;
        CHECK(refused);
        if (!refused)
            fprintf(stderr, "    %s %s: exit %d, stderr \"%s\"\n", args[0], args[1] ? args[1] : "",
                    emu.exit_status, log ? log : "");
        free(log);
    }
    emu_cleanup(&emu, check_failures > failures_before);
}

static void probe_admin_token(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/health", NULL, &r);
    EXPECT_STATUS(&r, 401);
    http_response_free(&r);
    const char *headers[] = {ADMIN_TOKEN_HDR, NULL};
    call_request(emu, NULL, "GET", "/_emulator/health", headers, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

static void probe_journal(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/requests", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

static void probe_json_log(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/health", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    /* Every line it wrote to stderr so far is a JSON object. */
    char *log = harness_read_file(emu->log_path, NULL);
    bool all_json = log != NULL && log[0] != '\0';
    for (char *line = log; all_json && line != NULL && *line != '\0';) {
        char *end = strchr(line, '\n');
        if (end != NULL)
            *end = '\0';
        json_t *parsed = json_loads(line, 0, NULL);
        all_json = json_is_object(parsed);
        json_decref(parsed);
        line = end != NULL ? end + 1 : NULL;
    }
    CHECK(all_json);
    free(log);
}

/* --auth tokens: only a listed token passes, and only on its projects. */
static void probe_tokens(const struct emu *emu)
{
    static const char body[] = "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"tokenName\"}}";
    const char *unknown[] = {"X-Auth-Token: not-listed", CALL_JSON_HEADER, NULL};
    const char *listed[] = {"X-Auth-Token: cli-token", CALL_JSON_HEADER, NULL};
    struct http_response r;
    call_request(emu, NULL, "POST", "/rds/v1/" PROJECT "/backups", unknown, body, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
    call_request(emu, NULL, "POST", "/rds/v1/" PROJECT "/backups", listed, body, &r);
    EXPECT_V1_ERROR(&r, 404, "RDS.0002"); /* past auth: no such instance (no seed) */
    http_response_free(&r);
    call_request(emu, NULL, "POST", "/rds/v1/not-my-project/backups", listed, body, &r);
    EXPECT_V1_ERROR(&r, 403, "RDS.0010");
    http_response_free(&r);
}

static void probe_health(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/health", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

static void later_options(void)
{
    char tokens[PATH_MAX + 32], credentials[PATH_MAX + 32];
    snprintf(tokens, sizeof(tokens), "%s/tokens.json", scratch);
    snprintf(credentials, sizeof(credentials), "%s/credentials.json", scratch);
    static const char tokens_json[] = "{\"cli-token\": [\"" PROJECT "\"]}";
    static const char credentials_json[] =
        "{\"CLIAK\": {\"secret\": \"cli-secret\", \"projects\": [\"" PROJECT "\"]}}";
    CHECK(harness_write_file(tokens, tokens_json, sizeof(tokens_json) - 1) == 0);
    CHECK(harness_write_file(credentials, credentials_json, sizeof(credentials_json) - 1) == 0);

    later_option((const char *const[]){"--tokens", tokens, NULL}, probe_health);
    later_option((const char *const[]){"--credentials", credentials, NULL}, probe_health);
    later_option((const char *const[]){"--auth", "tokens", "--tokens", tokens, NULL}, probe_tokens);
    later_option((const char *const[]){"--admin-token", "cli-admin-secret", NULL},
                 probe_admin_token);
    later_option((const char *const[]){"--journal-size", "10", NULL}, probe_journal);
    later_option((const char *const[]){"--seed-rng", "1", NULL}, probe_health);
    later_option((const char *const[]){"--log-format", "json", NULL}, probe_json_log);
}

/* --listen: the port named as the problem; ":PORT" listens on every interface. */
static void listen_forms(void)
{
    const char *big[] = {"--listen", "0.0.0.0:99999", NULL};
    expect_exit(big, NULL, 2, "the port must be a whole number from 0 to 65535");
    const char *no_host[] = {"--listen", ":0", NULL};
    struct emu emu;
    if (emu_start(&emu, "cli-any", no_host, NULL) != 0) {
        CHECK(!"rdsemu --listen :0 starts");
        emu_cleanup(&emu, true);
        return;
    }
    bool any = strcmp(emu.listen_host, "[::]") == 0 || strcmp(emu.listen_host, "0.0.0.0") == 0;
    if (!any)
        fprintf(stderr, "--listen :0 listens on %s\n", emu.listen_host);
    CHECK(any);
    struct http_response r;
    call_admin(&emu, "GET", "/_emulator/health", NULL, &r); /* reached through loopback */
    CHECK_INT(r.status, 200);
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, false);
}

/* HEAD /_emulator/health answers as GET, without a body. */
static void health_head(void)
{
    struct emu emu;
    if (emu_start(&emu, "cli-head", NULL, NULL) != 0) {
        CHECK(!"rdsemu starts");
        emu_cleanup(&emu, true);
        return;
    }
    struct http_response r;
    call_request(&emu, NULL, "HEAD", "/_emulator/health", NULL, NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, 0);
    CHECK(r.request_id[0] != '\0');
    CHECK_STR(r.content_type, "application/json");
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, false);
}

/* Writes `text` as <scratch>/<name> and puts its path in `path`. */
static void scratch_file(const char *name, const char *text, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", scratch, name);
    CHECK(harness_write_file(path, text, strlen(text)) == 0);
}

/* Exit 1 with a message that names the seed file and `detail`, and never "(line -1)". */
static void seed_refused(const char *path, const char *detail)
{
    const char *args[] = {"--seed", path, NULL};
    struct run_result r;
    run(args, NULL, &r);
    bool ok = r.exit_status == 1 && r.err != NULL && strstr(r.err, path) != NULL &&
              strstr(r.err, detail) != NULL && strstr(r.err, "line -1") == NULL;
    if (!ok)
        fprintf(stderr, "seed %s: exit %d, stderr \"%s\", expected \"%s\"\n", path, r.exit_status,
                r.err != NULL ? r.err : "", detail);
    CHECK(ok);
    run_result_free(&r);
}

/* The seed file is checked whole: members rdsemu does not know are reported (and ignored),
 * a project or instance ID given twice is refused, and every refusal names the file and the
 * member; a missing file, a directory and broken JSON say so. */
static void seed_checks(void)
{
    char path[PATH_MAX + 64];
    scratch_file("unknown.json",
                 "{\"projects\": [{\"id\": \"p1\", \"label\": \"x\", \"instances\": [{\"id\": "
                 "\"i1\", \"name\": \"db\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                 "\"8.0\", \"flavour\": \"big\"}, \"backup_second\": 0}]}], \"extra\": 1}",
                 path, sizeof(path));
    const char *args[] = {"--seed", path, NULL};
    struct emu emu;
    if (emu_start(&emu, "cli-seed-unknown", args, NULL) == 0) {
        CHECK_INT(emu_stop(&emu), 0);
        char *log = harness_read_file(emu.log_path, NULL);
        static const char *const reported[] = {
            "extra is not a member", "projects[0].label is not a member",
            "projects[0].instances[0].backup_second is not a member",
            "projects[0].instances[0].datastore.flavour is not a member"};
        for (size_t i = 0; i < sizeof(reported) / sizeof(reported[0]); i++) {
            bool found = log != NULL && strstr(log, reported[i]) != NULL && strstr(log, path);
            if (!found)
                fprintf(stderr, "the log does not report \"%s\"\n", reported[i]);
            CHECK(found);
        }
        free(log);
    } else {
        CHECK(!"a seed with unknown members starts");
    }
    emu_cleanup(&emu, check_failures > 0);

    scratch_file("dup-project.json",
                 "{\"projects\": [{\"id\": \"p1\"}, {\"id\": \"p2\"}, {\"id\": \"p1\"}]}", path,
                 sizeof(path));
    seed_refused(path, "projects[2].id p1 is given twice");
    scratch_file("dup-instance.json",
                 "{\"projects\": [{\"id\": \"p1\", \"instances\": [{\"id\": \"i1\", \"name\": "
                 "\"a\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}, {\"id\": "
                 "\"i1\", \"name\": \"b\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                 "\"8.0\"}}]}]}",
                 path, sizeof(path));
    seed_refused(path, "projects[0].instances[1].id i1 is given twice in project p1");
    scratch_file("bad-engine.json",
                 "{\"projects\": [{\"id\": \"p1\", \"instances\": [{\"id\": \"i1\", \"name\": "
                 "\"a\", \"datastore\": {\"type\": \"Oracle\", \"version\": \"19\"}}]}]}",
                 path, sizeof(path));
    seed_refused(path, "projects[0].instances[0].datastore.type must be");
    scratch_file("broken.json", "{\"projects\": [", path, sizeof(path));
    seed_refused(path, "not valid JSON");
    snprintf(path, sizeof(path), "%s/no-such-seed.json", scratch);
    seed_refused(path, "cannot read it");
    snprintf(path, sizeof(path), "%s", scratch);
    seed_refused(path, "is a directory");
}

struct racer {
    const char *const *args;
    struct emu emu;
    int started;               /* emu_try_start's result */
    pthread_barrier_t *ready;  /* both racers and the checks: every start is over */
    pthread_barrier_t *finish; /* the checks are done */
};

/* Starts a server and keeps its thread alive until the checks are done: the server's
 * parent-death signal (harness.c) follows the thread that started it, so a thread that ended
 * early would kill the winner and let the loser take the lock after all. */
static void *race_start(void *arg)
{
    struct racer *r = arg;
    r->started = emu_try_start(&r->emu, "cli-race", r->args, NULL);
    pthread_barrier_wait(r->ready);
    pthread_barrier_wait(r->finish);
    return NULL;
}

/* One database, one emulator: a second rdsemu on the --db of a running one exits 1 and says
 * why, and so does one of two started at the same moment; the database is unharmed. */
static void database_in_use(void)
{
    char db[PATH_MAX + 32];
    snprintf(db, sizeof(db), "%s/shared.db", scratch);
    const char *args[] = {"--db", db, "--seed", RDSEMU_TEST_SEED, NULL};
    struct emu first;
    if (emu_start(&first, "cli-lock", args, NULL) != 0) {
        CHECK(!"the first rdsemu starts");
        emu_cleanup(&first, true);
        return;
    }
    expect_exit(args, NULL, 1, "in use by another running rdsemu");
    struct http_response r;
    call_admin(&first, "GET", "/_emulator/projects/" PROJECT "/instances", NULL, &r);
    CHECK_INT(r.status, 200);
    http_response_free(&r);
    CHECK_INT(emu_stop(&first), 0);
    emu_cleanup(&first, false);

    /* Two at once, on a new file: exactly one serves, the other exits 1 with the message. */
    for (int round = 0; round < 3; round++) {
        char fresh[PATH_MAX + 48];
        snprintf(fresh, sizeof(fresh), "%s/race-%d.db", scratch, round);
        const char *race_args[] = {"--db", fresh, "--seed", RDSEMU_TEST_SEED, NULL};
        pthread_barrier_t ready, finish;
        pthread_barrier_init(&ready, NULL, 3);
        pthread_barrier_init(&finish, NULL, 3);
        struct racer a = {.args = race_args, .ready = &ready, .finish = &finish};
        struct racer b = {.args = race_args, .ready = &ready, .finish = &finish};
        pthread_t ta, tb;
        bool threads = pthread_create(&ta, NULL, race_start, &a) == 0;
        threads = threads && pthread_create(&tb, NULL, race_start, &b) == 0;
        CHECK(threads);
        if (!threads)
            return;
        pthread_barrier_wait(&ready);
        CHECK_INT((a.started == 0) + (b.started == 0), 1);
        struct emu *loser = a.started == 0 ? &b.emu : &a.emu;
        char *log = harness_read_file(loser->log_path, NULL);
        CHECK(log != NULL && strstr(log, "in use by another running rdsemu") != NULL);
        CHECK_INT(loser->exit_status, 1);
        free(log);
        pthread_barrier_wait(&finish);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&ready);
        pthread_barrier_destroy(&finish);
        emu_cleanup(&a.emu, false);
        emu_cleanup(&b.emu, false);
    }
}

/* Runs `rdsemu health <args...>` with `env`: its exit status must be `status` and its stdout
 * must start with `prefix` and hold `in_stdout` (unless NULL). */
static void expect_health(const char *const *args, const char *const *env, int status,
                          const char *prefix, const char *in_stdout)
{
    const char *argv[HARNESS_MAX_ARGS + 1] = {"health"};
    size_t n = 1;
    for (size_t i = 0; args != NULL && args[i] != NULL && n < HARNESS_MAX_ARGS; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    struct run_result r;
    if (harness_run(scratch, argv, env, RUN_TIMEOUT_MS, &r) != 0) {
        CHECK(!"rdsemu health ran");
        return;
    }
    bool ok = r.exit_status == status && r.out != NULL &&
              strncmp(r.out, prefix, strlen(prefix)) == 0 &&
              (in_stdout == NULL || strstr(r.out, in_stdout) != NULL);
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "    rdsemu health");
        for (size_t i = 1; argv[i] != NULL; i++)
            fprintf(stderr, " %s", argv[i]);
        for (size_t i = 0; env != NULL && env[i] != NULL; i++)
            fprintf(stderr, " [%s]", env[i]);
        fprintf(stderr, "\n    exit %d (expected %d), stdout \"%s\", stderr \"%s\"\n",
                r.exit_status, status, r.out ? r.out : "", r.err ? r.err : "");
    }
    run_result_free(&r);
}

/* `rdsemu health`: healthy against a running emulator, unhealthy (exit 1) once it is gone, the
 * default URL from --listen or RDSEMU_LISTEN (an any-address becomes the loopback), and bad
 * usage exits 2 (docs/configuration.md "Health check"). */
static void health_subcommand(void)
{
    int failures_before = check_failures;
    struct emu emu;
    if (emu_start(&emu, "cli-health", NULL, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, false);
        return;
    }
    char url[128], listen_any[64], listen_flag[64], missing_url[128];
    snprintf(url, sizeof(url), "%s/_emulator/health", emu.base_url);
    snprintf(missing_url, sizeof(missing_url), "%s/no/such/route", emu.base_url);
    snprintf(listen_any, sizeof(listen_any), "RDSEMU_LISTEN=0.0.0.0:%u", emu.port);
    snprintf(listen_flag, sizeof(listen_flag), "127.0.0.1:%u", emu.port);
    const char *healthy = "healthy: rdsemu " RDSEMU_EXPECTED_VERSION;

    expect_health((const char *const[]){url, NULL}, NULL, 0, healthy, url);
    expect_health(NULL, (const char *const[]){listen_any, NULL}, 0, healthy, NULL);
    expect_health((const char *const[]){"--listen", listen_flag, NULL}, NULL, 0, healthy, NULL);
    expect_health((const char *const[]){missing_url, NULL}, NULL, 1, "unhealthy: ", "404");
    CHECK_INT(emu_stop(&emu), 0);

    /* The port is closed now: the same checks say unhealthy, and the flag still wins. */
    char closed_env[96];
    snprintf(closed_env, sizeof(closed_env), "RDSEMU_LISTEN=%s", listen_flag);
    expect_health((const char *const[]){url, NULL}, NULL, 1, "unhealthy: ", "refused");
    expect_health(NULL, (const char *const[]){closed_env, NULL}, 1, "unhealthy: ", url);
    emu_cleanup(&emu, check_failures > failures_before);

    /* With an admin token: 401 without it, healthy with it (flag or variable). */
    failures_before = check_failures;
    if (emu_start(&emu, "cli-health-token",
                  (const char *const[]){"--admin-token", "cli-admin-secret", NULL}, NULL) != 0) {
        CHECK(!"rdsemu started with an admin token");
        emu_cleanup(&emu, false);
        return;
    }
    snprintf(url, sizeof(url), "%s/_emulator/health", emu.base_url);
    char listen_env[64];
    snprintf(listen_env, sizeof(listen_env), "RDSEMU_LISTEN=127.0.0.1:%u", emu.port);
    expect_health((const char *const[]){url, NULL}, NULL, 1, "unhealthy: ", "401");
    expect_health((const char *const[]){url, "--admin-token", "wrong", NULL}, NULL, 1,
                  "unhealthy: ", "401");
    expect_health((const char *const[]){url, "--admin-token", "cli-admin-secret", NULL}, NULL, 0,
                  healthy, NULL);
    expect_health(NULL,
                  (const char *const[]){listen_env, "RDSEMU_ADMIN_TOKEN=cli-admin-secret", NULL}, 0,
                  healthy, NULL);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);

    /* Bad usage: nothing is asked, exit 2, the reason on stderr. */
    static const char *const bad[][3] = {
        {"ftp://127.0.0.1/", NULL, NULL},
        {"http://127.0.0.1:0/", NULL, NULL},
        {"http://a/", "http://b/", NULL},
        {"--listen", "127.0.0.1:0", NULL},
        {"--threads", "0", NULL},
        {"--bogus", NULL, NULL},
        {"http://127.0.0.1/\x01", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *argv[] = {"health", bad[i][0], bad[i][1], bad[i][2], NULL};
        struct run_result r;
        harness_run(scratch, argv, NULL, RUN_TIMEOUT_MS, &r);
        bool refused = r.exit_status == 2 && r.err != NULL && strncmp(r.err, "rdsemu: ", 8) == 0;
        CHECK(refused);
        if (!refused)
            fprintf(stderr, "    rdsemu health %s: exit %d, stderr \"%s\"\n", bad[i][0],
                    r.exit_status, r.err ? r.err : "");
        run_result_free(&r);
    }
    const char *help[] = {"health", "--help", NULL};
    struct run_result r;
    harness_run(scratch, help, NULL, RUN_TIMEOUT_MS, &r);
    CHECK_INT(r.exit_status, 0);
    CHECK(r.out != NULL && strstr(r.out, "usage: rdsemu health") != NULL);
    run_result_free(&r);
}

int main(void)
{
    if (harness_tmpdir_create("cli", scratch, sizeof(scratch)) != 0)
        return 1;
    snprintf(scratch_db, sizeof(scratch_db), "%s/cli.db", scratch);
    help_and_version();
    bad_usage_exits_2();
    port_taken_exits_1();
    unusable_store_exits_1();
    variables_and_flags();
    later_options();
    listen_forms();
    health_head();
    database_in_use();
    seed_checks();
    health_subcommand();
    harness_tmpdir_remove(scratch);
    return CHECK_DONE();
}
