/* The admin token (docs/emulator.md, docs/configuration.md --admin-token): with it, every
 * control-plane call without the header X-Emulator-Admin-Token, or with another value, is a 401 in
 * the control-plane shape and does nothing; with the right value the answers are the normal ones;
 * the emulated APIs do not care. Without --admin-token the control plane needs no header. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define PROJECT     "rules-project"
#define ADMIN_TOKEN "admin-SECRET-6b8e12"
#define RIGHT       "X-Emulator-Admin-Token: " ADMIN_TOKEN

struct admin_call {
    const char *method;
    const char *path;
    const char *body;
    long status; /* with the right token */
};

/* Every kind of control-plane call; run in this order, each is valid with the token. */
static const struct admin_call calls[] = {
    {"GET", "/_emulator/health", NULL, 200},
    {"GET", "/_emulator/clock", NULL, 200},
    {"GET", "/_emulator/projects/" PROJECT "/instances", NULL, 200},
    {"PUT", "/_emulator/projects/at-project/instances/at-db",
     "{\"name\": \"at\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}", 200},
    {"GET", "/_emulator/projects/at-project/instances/at-db", NULL, 200},
    {"GET", "/_emulator/requests", NULL, 200},
    {"DELETE", "/_emulator/requests", NULL, 204},
    {"POST", "/_emulator/faults", "{\"path\": \"/rds/v1/at-fault/backups\", \"status\": 503}", 201},
    {"GET", "/_emulator/faults", NULL, 200},
    {"DELETE", "/_emulator/faults", NULL, 204},
    {"GET", "/_emulator/metrics", NULL, 200},
    {"POST", "/_emulator/clock", "{\"advance_seconds\": 0}", 200},
    {"DELETE", "/_emulator/projects/at-project/instances/at-db", NULL, 204},
    {"POST", "/_emulator/reset", NULL, 204},
};
#define CALLS (sizeof(calls) / sizeof(calls[0]))

static void call_with(const struct emu *emu, const struct admin_call *c, const char *auth,
                      struct http_response *out)
{
    const char *headers[] = {auth, c->body != NULL ? CALL_JSON_HEADER : NULL, NULL};
    if (auth == NULL) {
        headers[0] = headers[1];
        headers[1] = NULL;
    }
    call_request(emu, NULL, c->method, c->path, headers, c->body, out);
}

/* The normal answer of `c`: its status, in JSON (the metrics in the Prometheus text format). */
static bool expect_normal(const struct http_response *r, const struct admin_call *c)
{
    if (strcmp(c->path, "/_emulator/metrics") != 0)
        return EXPECT_STATUS(r, c->status);
    return EXPECT_THAT_AT(__FILE__, __LINE__,
                          r->status == c->status && strncmp(r->content_type, "text/plain", 10) == 0,
                          r, "metrics: status %ld, Content-Type %s", r->status, r->content_type);
}

/* Without the header, with a wrong one, an empty one, one of another case: 401. */
static void refused_without_token(const struct emu *emu)
{
    const char *wrong[] = {NULL,
                           "X-Emulator-Admin-Token: wrong",
                           "X-Emulator-Admin-Token: " ADMIN_TOKEN "x",
                           "X-Emulator-Admin-Token: admin-SECRET-6b8e1",
                           "X-Emulator-Admin-Token: ADMIN-SECRET-6B8E12",
                           "X-Emulator-Admin-Token;",
                           "X-Auth-Token: " ADMIN_TOKEN};
    for (size_t i = 0; i < CALLS; i++) {
        for (size_t w = 0; w < sizeof(wrong) / sizeof(wrong[0]); w++) {
            struct http_response r;
            call_with(emu, &calls[i], wrong[w], &r);
            if (!EXPECT_ADMIN_ERROR(&r, 401))
                fprintf(stderr, "    for %s %s with %s\n", calls[i].method, calls[i].path,
                        wrong[w] != NULL ? wrong[w] : "no admin header");
            http_response_free(&r);
        }
    }
    /* Nothing those calls asked for happened. */
    const struct admin_call instance = {"GET", "/_emulator/projects/at-project/instances/at-db",
                                        NULL, 404};
    struct http_response r;
    call_with(emu, &instance, RIGHT, &r);
    EXPECT_ADMIN_ERROR(&r, 404);
    http_response_free(&r);
    const struct admin_call faults = {"GET", "/_emulator/faults", NULL, 200};
    call_with(emu, &faults, RIGHT, &r);
    json_t *root = http_response_json(&r);
    CHECK_INT(r.status, 200);
    CHECK_INT(json_array_size(json_object_get(root, "faults")), 0);
    json_decref(root);
    http_response_free(&r);
}

static void accepted_with_token(const struct emu *emu)
{
    for (size_t i = 0; i < CALLS; i++) {
        struct http_response r;
        call_with(emu, &calls[i], RIGHT, &r);
        if (!expect_normal(&r, &calls[i]))
            fprintf(stderr, "    for %s %s with the admin token\n", calls[i].method, calls[i].path);
        http_response_free(&r);
    }
    /* A lower-case header name is the same header. */
    const char *lower[] = {"x-emulator-admin-token: " ADMIN_TOKEN, NULL};
    struct http_response r;
    call_request(emu, NULL, "GET", "/_emulator/health", lower, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

/* The emulated APIs need no admin token, and a wrong one changes nothing. */
static void emulated_apis_unaffected(const struct emu *emu)
{
    struct http_response r;
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, "X-Emulator-Backup-Seconds: 0",
                             NULL};
    call_request(emu, NULL, "POST", "/rds/v1/" PROJECT "/backups", headers,
                 "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"admin1\"}}", &r);
    json_decref(EXPECT_V1_CREATED(&r));
    http_response_free(&r);
    const char *wrong[] = {CALL_TOKEN_HEADER, "X-Emulator-Admin-Token: wrong", NULL};
    call_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", wrong, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    call_request(emu, NULL, "GET", "/v3/" PROJECT "/backups?instance_id=mysql-1", wrong, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    /* Their own auth still applies: the admin token is not an X-Auth-Token. */
    const char *admin_only[] = {RIGHT, NULL};
    call_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", admin_only, NULL, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
}

static void with_admin_token(void)
{
    struct emu emu;
    const char *args[] = {"--seed",   RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth",
                          "presence", "--admin-token",  ADMIN_TOKEN,        NULL};
    if (emu_start(&emu, "ctl-admin-token", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu --admin-token");
        return;
    }
    int failures_before = check_failures;
    refused_without_token(&emu);
    accepted_with_token(&emu);
    emulated_apis_unaffected(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    /* The token never reaches the log. */
    char *log = harness_read_file(emu.log_path, NULL);
    CHECK(log != NULL && strstr(log, ADMIN_TOKEN) == NULL);
    free(log);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* The variable RDSEMU_ADMIN_TOKEN sets it too. */
static void from_environment(void)
{
    struct emu emu;
    const char *args[] = {"--auth", "presence", NULL};
    const char *env[] = {"RDSEMU_ADMIN_TOKEN=" ADMIN_TOKEN, NULL};
    if (emu_start(&emu, "ctl-admin-env", args, env) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu with RDSEMU_ADMIN_TOKEN");
        return;
    }
    int failures_before = check_failures;
    struct http_response r;
    call_request(&emu, NULL, "GET", "/_emulator/health", NULL, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 401);
    http_response_free(&r);
    const char *right[] = {RIGHT, NULL};
    call_request(&emu, NULL, "GET", "/_emulator/health", right, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* Without --admin-token, no header is needed, and one that is sent changes nothing. */
static void without_admin_token(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth", "presence",
                          NULL};
    if (emu_start(&emu, "ctl-admin-none", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu");
        return;
    }
    int failures_before = check_failures;
    for (size_t i = 0; i < CALLS; i++) {
        struct http_response r;
        call_with(&emu, &calls[i], NULL, &r);
        if (!expect_normal(&r, &calls[i]))
            fprintf(stderr, "    for %s %s without --admin-token\n", calls[i].method,
                    calls[i].path);
        http_response_free(&r);
    }
    struct http_response r;
    const char *any[] = {"X-Emulator-Admin-Token: anything", NULL};
    call_request(&emu, NULL, "GET", "/_emulator/health", any, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

int main(void)
{
    with_admin_token();
    from_environment();
    without_admin_token();
    return CHECK_DONE();
}
