/* --auth tokens through the running server (docs/configuration.md), tokens: a token acts on its
 * projects only (403 in the v1 and v3 shapes on every route, list and job calls included), unknown
 * or missing tokens get 401; tokens and signatures in one run, a request with both judged by its
 * token; --auth presence unchanged when the files are given; bad files stop the start (exit
 * 1, the file named, no secret shown); and no token in the server's stderr or journal. */
#include "auth.h"

/* ---- tokens ---- */

struct call {
    const char *method;
    const char *before; /* the path is before + project + after */
    const char *after;
    const char *body;
};

static const struct call every_route[] = {
    {"GET", "/rds/v1/", "/backups", NULL},
    {"POST", "/rds/v1/", "/backups",
     "{\"backup\": {\"instance\": \"inst-x\", \"name\": \"v1Name\"}}"},
    {"DELETE", "/rds/v1/", "/backups/no-such-backup", NULL},
    {"GET", "/rds/v1/", "/instances/inst-x/backups/policy", NULL},
    {"PUT", "/rds/v1/", "/instances/inst-x/backups/policy",
     "{\"policy\": {\"keepday\": 3, \"starttime\": \"01:00\"}}"},
    {"GET", "/v3/", "/backups?instance_id=inst-x", NULL},
    {"POST", "/v3/", "/backups", "{\"instance_id\": \"inst-x\", \"name\": \"v3Name\"}"},
    {"DELETE", "/v3/", "/backups/no-such-backup", NULL},
    {"GET", "/v3/", "/jobs?id=0123456789abcdef0123456789abcdef", NULL},
};
#define ROUTE_COUNT (sizeof(every_route) / sizeof(every_route[0]))

static void call_path(const struct call *c, const char *project, char *path, size_t len)
{
    snprintf(path, len, "%s%s%s", c->before, project, c->after);
}

static void send_call(const struct emu *emu, const struct call *c, const char *project,
                      const char *token_header, struct http_response *r)
{
    char path[256];
    call_path(c, project, path, sizeof(path));
    const char *headers[] = {token_header, CALL_JSON_HEADER, NULL};
    call_request(emu, NULL, c->method, path, headers, c->body, r);
}

static void tokens(const struct emu *emu)
{
    struct http_response r;
    char path[256];
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        const struct call *c = &every_route[i];
        call_path(c, PROJ_B, path, sizeof(path));
        /* Its own project: past auth. */
        send_call(emu, c, PROJ_A, "X-Auth-Token: " TOKEN_A, &r);
        EXPECT_AUTH_PASSED(&r, path);
        http_response_free(&r);
        send_call(emu, c, PROJ_B, "X-Auth-Token: " TOKEN_AB, &r);
        EXPECT_AUTH_PASSED(&r, path);
        http_response_free(&r);
        /* Another project, or none at all: 403 in the API's own shape. */
        send_call(emu, c, PROJ_B, "X-Auth-Token: " TOKEN_A, &r);
        EXPECT_FORBIDDEN(path, &r);
        http_response_free(&r);
        send_call(emu, c, PROJ_B, "X-Auth-Token: " TOKEN_NONE, &r);
        EXPECT_FORBIDDEN(path, &r);
        http_response_free(&r);
        /* Before the path rules: a project_id the token does not have, even a bad one. */
        send_call(emu, c, "bad!project", "X-Auth-Token: " TOKEN_A, &r);
        EXPECT_FORBIDDEN(path, &r);
        http_response_free(&r);
        /* Unknown or no token: 401 in the gateway shape. */
        send_call(emu, c, PROJ_A, "X-Auth-Token: not-a-listed-token", &r);
        EXPECT_AUTH_REFUSED(&r, "decrypt token fail");
        http_response_free(&r);
        send_call(emu, c, PROJ_A, NULL, &r);
        EXPECT_AUTH_REFUSED(&r, "x-auth-token not found");
        http_response_free(&r);
    }
    /* The whole flow with a token: create (v1), its job (v3), list (both). */
    static const char body[] = "{\"backup\": {\"instance\": \"inst-a\", \"name\": \"tokenFlow\"}}";
    const char *headers[] = {"X-Auth-Token: " TOKEN_A, CALL_JSON_HEADER, NULL};
    call_request(emu, NULL, "POST", "/rds/v1/" PROJ_A "/backups", headers, body, &r);
    json_t *created = EXPECT_V1_CREATED(&r);
    http_response_free(&r);
    const char *job = json_string_value(
        json_array_get(json_object_get(json_object_get(created, "extendparam"), "jobs"), 0));
    if (job != NULL) {
        snprintf(path, sizeof(path), "/v3/" PROJ_A "/jobs?id=%s", job);
        call_request(emu, NULL, "GET", path, headers, NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
        snprintf(path, sizeof(path), "/v3/" PROJ_B "/jobs?id=%s", job);
        call_request(emu, NULL, "GET", path, headers, NULL, &r);
        EXPECT_V3_ERROR(&r, 403, "DBS.200010");
        http_response_free(&r);
    }
    json_decref(created);
    call_request(emu, NULL, "GET", "/v3/" PROJ_A "/backups?instance_id=inst-a", headers, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

/* Tokens and signatures in one run; a request with both is judged by its token. */
static void mixed(const struct emu *emu)
{
    json_t *good = vector_named("py_rds_v3_list_backups_query_sorting");
    json_t *bad = vector_named("neg_wrong_secret_key");
    struct http_response r;
    set_clock(emu, member_string(good, "server_time"), 0);

    const char *token_vector[] = {"X-Auth-Token: " TOKEN_VECTOR, NULL};
    send_vector(emu, bad, NULL, token_vector, &r); /* bad signature, good token */
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    const char *token_a[] = {"X-Auth-Token: " TOKEN_A, NULL};
    send_vector(emu, good, NULL, token_a, &r); /* good signature, token of another project */
    EXPECT_V3_ERROR(&r, 403, "DBS.200010");
    http_response_free(&r);
    const char *token_unknown[] = {"X-Auth-Token: not-a-listed-token", NULL};
    send_vector(emu, good, NULL, token_unknown, &r); /* good signature, unknown token */
    EXPECT_AUTH_REFUSED(&r, "decrypt token fail");
    http_response_free(&r);
    const char *token_empty[] = {"X-Auth-Token;", NULL}; /* an empty token is no token */
    send_vector(emu, good, NULL, token_empty, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    send_vector(emu, bad, NULL, token_empty, &r);
    EXPECT_AUTH_REFUSED(&r, "signature mismatch");
    http_response_free(&r);
    /* Interleaved, one after the other. */
    for (int i = 0; i < 3; i++) {
        send_vector(emu, good, NULL, NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
        const char *headers[] = {"X-Auth-Token: " TOKEN_VECTOR, NULL};
        call_request(emu, NULL, "GET",
                     "/v3/0b3f1c0e6d8a4e2f9c7b5a3d1e0f2a4b/backups?instance_id=inst-0001", headers,
                     NULL, &r);
        EXPECT_STATUS(&r, 200);
        http_response_free(&r);
    }
}

/* ---- presence: files loaded but not used, signatures not verified ---- */

static void presence_unchanged(const char *tokens_path, const char *credentials_path)
{
    int failures_before = check_failures;
    const char *args[] = {"--tokens", tokens_path, "--credentials", credentials_path, NULL};
    struct emu emu;
    if (emu_start(&emu, "auth-presence", args, NULL) != 0) {
        CHECK(!"rdsemu started in presence mode with both files");
        emu_cleanup(&emu, true);
        return;
    }
    struct http_response r;
    json_t *bad = vector_named("neg_wrong_secret_key");
    send_vector(&emu, bad, NULL, NULL, &r); /* the emulator's real clock: no skew check */
    EXPECT_STATUS(&r, 404);                 /* past auth; no such instance without a seed */
    http_response_free(&r);
    const char *headers[] = {"X-Auth-Token: any-token-at-all", NULL};
    call_request(&emu, NULL, "GET", "/v3/" PROJ_B "/backups?instance_id=x", headers, NULL, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.200045");
    http_response_free(&r);
    const struct variation bad_date = {.replace_name = "X-Sdk-Date", .replace_value = "yesterday"};
    send_vector(&emu, bad, &bad_date, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "X-Sdk-Date");
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    char *log = harness_read_file(emu.log_path, NULL);
    CHECK(log != NULL && strstr(log, "not used") != NULL);
    free(log);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* ---- the files, checked at start ---- */

static void expect_start_refused(const char *label, const char *const *args, int status,
                                 const char *says, const char *never)
{
    const char *full[16] = {"--listen", "127.0.0.1:0", "--db", ":memory:"};
    size_t n = 4;
    for (size_t i = 0; args[i] != NULL && n < 15; i++)
        full[n++] = args[i];
    full[n] = NULL;
    struct run_result r;
    if (harness_run(auth_scratch(), full, NULL, HARNESS_RUN_TIMEOUT_MS, &r) != 0) {
        CHECK(!"rdsemu ran");
        return;
    }
    bool ok = r.exit_status == status && r.err != NULL && strstr(r.err, says) != NULL &&
              (never == NULL || strstr(r.err, never) == NULL);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "    %s: exit %d (expected %d), stderr: %s\n", label, r.exit_status, status,
                r.err != NULL ? r.err : "");
    run_result_free(&r);
}

static void files_checked_at_start(void)
{
    expect_start_refused("tokens mode without files",
                         (const char *const[]){"--auth", "tokens", NULL}, 2, "--tokens", NULL);
    char missing[PATH_MAX + 32];
    snprintf(missing, sizeof(missing), "%s/no-such-file.json", auth_scratch());
    expect_start_refused("missing tokens file",
                         (const char *const[]){"--auth", "tokens", "--tokens", missing, NULL}, 1,
                         "no-such-file.json", NULL);
    expect_start_refused("missing credentials file",
                         (const char *const[]){"--auth", "tokens", "--credentials", missing, NULL},
                         1, "no-such-file.json", NULL);

    static const struct {
        const char *content, *says, *never;
    } bad_tokens[] = {
        {"{not json", "--tokens", NULL},
        {"[\"tok\"]", "must be a JSON object", NULL},
        {"{\"secret-token-1\": \"p\"}", "token #1 must be an array", "secret-token-1"},
        {"{\"ok\": [\"p\"], \"secret-token-2\": [\"bad project!\"]}",
         "token #2[0] must be a project", "secret-token-2"},
        {"{\"secret token 3\": [\"p\"]}", "token #1 must be", "secret token 3"},
        {"{\"dup\": [\"p\"], \"dup\": [\"q\"]}", "duplicate", NULL},
        {"{\"t\": [\"p\", 7]}", "[1] must be a project ID", NULL},
        {"{\"nul\\u0000inside\": [\"p\"]}", "--tokens", "inside"},
        {"{\"secret-token-9\": [\"p\"] \"x\"}", "line 1", "secret-token-9"},
        {"{\"secret-token-8\": [\"p\"], \"secret-token-8\": []}", "duplicate", "secret-token-8"},
    };
    for (size_t i = 0; i < sizeof(bad_tokens) / sizeof(bad_tokens[0]); i++) {
        char *path = scratch_file("bad-tokens.json", bad_tokens[i].content);
        expect_start_refused(bad_tokens[i].content,
                             (const char *const[]){"--auth", "tokens", "--tokens", path, NULL}, 1,
                             bad_tokens[i].says, bad_tokens[i].never);
    }
    static const struct {
        const char *content, *says;
    } bad_keys[] = {
        {"{\"AK1\": {\"projects\": []}}", "secret must be a string"},
        {"{\"AK1\": {\"secret\": \"\", \"projects\": []}}", "secret must be a string"},
        {"{\"AK1\": {\"secret\": \"Sup3rS3cretValue\"}}", "projects is required"},
        {"{\"AK1\": {\"secret\": \"Sup3rS3cretValue\", \"projects\": \"p\"}}", "must be an array"},
        {"{\"AK1\": {\"secret\": \"Sup3rS3cretValue\", \"projects\": [], \"project\": []}}",
         "unknown member 'project'"},
        {"{\"A K\": {\"secret\": \"Sup3rS3cretValue\", \"projects\": []}}", "access key 'A K'"},
        {"{\"AK1\": \"Sup3rS3cretValue\"}", "must map to an object"},
        {"{\"AK1\": {\"secret\": 5, \"projects\": []}}", "secret must be a string"},
    };
    for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
        char *path = scratch_file("bad-credentials.json", bad_keys[i].content);
        expect_start_refused(bad_keys[i].content,
                             (const char *const[]){"--auth", "tokens", "--credentials", path, NULL},
                             1, bad_keys[i].says, "Sup3rS3cretValue");
    }
    /* A bad file stops the start even when the mode does not use it. */
    char *path = scratch_file("bad-tokens.json", "{\"t\": 1}");
    expect_start_refused("bad tokens file in presence mode",
                         (const char *const[]){"--tokens", path, NULL}, 1, "--tokens", NULL);
    path = scratch_file("bad-credentials.json", "[]");
    expect_start_refused("bad credentials file with --auth off",
                         (const char *const[]){"--auth", "off", "--credentials", path, NULL}, 1,
                         "--credentials", NULL);
}

int main(void)
{
    struct auth_files files;
    struct emu emu;
    if (auth_setup("auth-tokens", &files) != 0 || auth_start(&emu, "auth-tokens", &files) != 0)
        return 1;
    tokens(&emu);
    mixed(&emu);
    nothing_leaked(&emu);
    emu_cleanup(&emu, check_failures > 0);
    presence_unchanged(files.tokens, files.credentials);
    files_checked_at_start();
    auth_teardown();
    return CHECK_DONE();
}
