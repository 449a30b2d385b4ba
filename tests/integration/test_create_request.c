/* Everything around the create body (docs/api.md, docs/configuration.md "auth"): versionId and
 * project_id, the content type, JSON syntax and UTF-8, the body limit (Content-Length and chunked),
 * unknown routes and methods, auth presence and off, and which check answers first when two
 * fail at once. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define PROJECT   "rules-project"
#define CREATE    "/rds/v1/" PROJECT "/backups"
#define MAX_BODY  1024
#define GOOD_SIG  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SDK_DATE  "X-Sdk-Date: 20261129T080000Z"
#define ROUTE_MSG "The API does not exist or has not been published in the environment"

/* One request with full control over the body's length and transfer. */
static void send_raw(const struct emu *emu, const char *method, const char *path,
                     const char *const *headers, const char *body, size_t len, bool chunked,
                     struct http_response *out)
{
    struct http_request req = {method, path, headers, body, len, chunked};
    if (http_send(NULL, emu->base_url, &req, out) != 0)
        fprintf(stderr, "request failed: %s\n", out->error);
}

/* A valid create body of exactly `len` bytes (spaces pad it), new: free(). */
static char *padded_body(const char *name, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"%s\"}", name);
    char *body = malloc(len + 1);
    if ((size_t)n + 1 > len) {
        snprintf(body, len + 1, "%s", head);
        return body;
    }
    memcpy(body, head, (size_t)n);
    memset(body + n, ' ', len - (size_t)n - 1);
    body[len - 1] = '}';
    body[len] = '\0';
    return body;
}

static void expect_post(const struct emu *emu, const char *path, const char *const *headers,
                        const char *body, long status, const char *code)
{
    struct http_response r;
    send_raw(emu, "POST", path, headers, body, 0, false, &r);
    if (code == NULL) {
        json_t *root = EXPECT_V1_CREATED(&r);
        json_decref(root);
    } else if (strncmp(code, "APIGW", 5) == 0) {
        EXPECT_GATEWAY_ERROR(&r, status, code);
    } else {
        EXPECT_V1_ERROR(&r, status, code);
    }
    http_response_free(&r);
}

static const char *const good_headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL};

static void path_rules(const struct emu *emu)
{
    char *body = call_v1_body("mysql-1", "pathRules");
    static const char *const bad_versions[] = {"V1", "v2", "v0", "v11", "v1.0", "1", "v"};
    for (size_t i = 0; i < sizeof(bad_versions) / sizeof(bad_versions[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/rds/%s/" PROJECT "/backups", bad_versions[i]);
        expect_post(emu, path, good_headers, body, 400, "RDS.0001");
    }
    free(body);
    /* The same rule on the sibling routes of §3. */
    struct http_response r;
    send_raw(emu, "GET", "/rds/V1/" PROJECT "/backups", good_headers, NULL, 0, false, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);

    /* project_id: 64 characters of [A-Za-z0-9_-] are fine, 65 or any other character not. */
    char project64[65], project65[66];
    memset(project64, 'p', 64);
    project64[64] = '\0';
    memset(project65, 'p', 65);
    project65[65] = '\0';
    project64[10] = '_';
    project64[20] = '-';
    project64[30] = 'Z';
    project64[40] = '9';
    CHECK(call_put_instance(emu, project64, "long-project-db",
                            "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    body = call_v1_body("long-project-db", "projectBoundary");
    EXPECT_CREATE_OK(emu, project64, body);
    EXPECT_CREATE_ERROR(emu, project65, body, 400, "RDS.0001");
    static const char *const bad_projects[] = {
        "bad.project", "bad%20project", "bad%2Fproject", "bad%21project",
        "bad~project", "b%C3%A4d",      "bad%00project", ""};
    for (size_t i = 0; i < sizeof(bad_projects) / sizeof(bad_projects[0]); i++)
        EXPECT_CREATE_ERROR(emu, bad_projects[i], body, 400, "RDS.0001");
    free(body);
}

static void content_type_rules(const struct emu *emu)
{
    char *body = call_v1_body("mysql-1", "typeRules");
    static const char *const refused[] = {
        "Content-Type: text/plain",
        "Content-Type: application/x-www-form-urlencoded",
        "Content-Type: application/jsonp",
        "Content-Type: application/xml",
        "Content-Type: application/json; charset=iso-8859-1",
        "Content-Type: json",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        const char *headers[] = {CALL_TOKEN_HEADER, refused[i], NULL};
        expect_post(emu, CREATE, headers, body, 400, "RDS.0001");
    }
    const char *no_type[] = {CALL_TOKEN_HEADER, NULL}; /* the client sends no Content-Type */
    expect_post(emu, CREATE, no_type, body, 400, "RDS.0001");
    /* Given twice: refused, whichever comes first, and even when both say JSON. */
    static const char *const twice[][2] = {
        {"Content-Type: application/json", "Content-Type: text/plain"},
        {"Content-Type: text/plain", "Content-Type: application/json"},
        {"Content-Type: application/json", "content-type: application/json"},
    };
    for (size_t i = 0; i < sizeof(twice) / sizeof(twice[0]); i++) {
        const char *headers[] = {CALL_TOKEN_HEADER, twice[i][0], twice[i][1], NULL};
        expect_post(emu, CREATE, headers, body, 400, "RDS.0001");
    }

    const char *charset[] = {CALL_TOKEN_HEADER, "Content-Type: application/json; charset=UTF-8",
                             NULL};
    expect_post(emu, CREATE, charset, body, 200, NULL);
    free(body);
}

static void body_syntax_rules(const struct emu *emu)
{
    static const char *const refused[] = {
        "",
        "{",
        "not json",
        "{\"backup\": }",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"trailing\"}} x",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"trailing\"}}}",
        "{'backup': {'instance': 'mysql-1', 'name': 'quotes'}}",
        /* Not UTF-8: a stray byte, an overlong '/', a lone continuation, a surrogate. */
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"bad\xff"
        "utf\"}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"okname\", \"description\": "
        "\"\xc0\xaf\"}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"okname\", \"description\": "
        "\"\x80\"}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"okname\", \"description\": "
        "\"\xed\xa0\x80\"}}",
        /* Valid JSON, but not an object. */
        "[{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"inArray\"}}]",
        "[]",
        "\"backup\"",
        "42",
        "null",
        "true",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        EXPECT_CREATE_ERROR(emu, PROJECT, refused[i], 400, "RDS.0001");
}

static void body_limit(const struct emu *emu)
{
    struct http_response r;
    char *at_limit = padded_body("atTheLimit", MAX_BODY);
    char *over = padded_body("overTheLimit", MAX_BODY + 1);
    char *far_over = padded_body("farOver", 100 * 1024);
    char *chunked_ok = padded_body("chunkedOk", MAX_BODY);

    EXPECT_CREATE_OK(emu, PROJECT, at_limit);
    EXPECT_CREATE_ERROR(emu, PROJECT, over, 413, "RDS.0001");
    EXPECT_CREATE_ERROR(emu, PROJECT, far_over, 413, "RDS.0001");

    /* A client that waits for "100 Continue" gets the 413 instead. */
    const char *expect100[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, "Expect: 100-continue", NULL};
    send_raw(emu, "POST", CREATE, expect100, far_over, 0, false, &r);
    EXPECT_V1_ERROR(&r, 413, "RDS.0001");
    http_response_free(&r);

    /* Chunked: no Content-Length to refuse from, the limit holds while it is read. */
    const char *chunk_headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER,
                                   "X-Emulator-Backup-Seconds: 0", NULL};
    send_raw(emu, "POST", CREATE, chunk_headers, chunked_ok, 0, true, &r);
    json_t *root = EXPECT_V1_CREATED(&r);
    json_decref(root);
    http_response_free(&r);
    send_raw(emu, "POST", CREATE, chunk_headers, over, 0, true, &r);
    EXPECT_V1_ERROR(&r, 413, "RDS.0001");
    http_response_free(&r);
    send_raw(emu, "POST", CREATE, chunk_headers, far_over, 0, true, &r);
    EXPECT_V1_ERROR(&r, 413, "RDS.0001");
    http_response_free(&r);

    free(at_limit);
    free(over);
    free(far_over);
    free(chunked_ok);
}

static void expect_route_missing(const struct emu *emu, const char *method, const char *path,
                                 const char *const *headers)
{
    struct http_response r;
    const char *body = strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ? "{}" : NULL;
    send_raw(emu, method, path, headers, body, 0, false, &r);
    if (EXPECT_GATEWAY_ERROR(&r, 404, "APIGW.0101")) {
        json_t *root = http_response_json(&r);
        CHECK_STR(json_string_value(json_object_get(root, "error_msg")), ROUTE_MSG);
        json_decref(root);
    } else {
        fprintf(stderr, "    for %s %s\n", method, path);
    }
    http_response_free(&r);
}

static void unknown_routes(const struct emu *emu)
{
    static const char *const routes[][2] = {
        {"POST", "/"}, /* the root answers GET only (the identity version document) */
        {"GET", "/nothing"},
        {"GET", "/v3/"},
        {"POST", "/rds/v1/" PROJECT "/backup"},
        {"POST", "/rds/v1/" PROJECT "/backups/x/y"},
        {"POST", "/rds/v1/" PROJECT},
        {"POST", "/rds/v1/backups"},
        {"POST", "/RDS/v1/" PROJECT "/backups"},
        {"GET", "/_emulator"},
        {"GET", "/_emulator/nothing"},
        /* Known paths, wrong method. */
        {"PUT", CREATE},
        {"PATCH", CREATE},
        {"DELETE", CREATE},
        {"POST", "/_emulator/health"},
        {"GET", "/_emulator/reset"},
        {"DELETE", "/_emulator/reset"},
        {"POST", "/_emulator/projects/" PROJECT "/instances/mysql-1"},
        {"PATCH", "/_emulator/projects/" PROJECT "/instances/mysql-1"},
    };
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        expect_route_missing(emu, routes[i][0], routes[i][1], good_headers);
        /* The route is checked before auth: no token changes nothing. */
        expect_route_missing(emu, routes[i][0], routes[i][1], NULL);
    }
}

static void auth_presence(const struct emu *emu)
{
    char *body = call_v1_body("mysql-1", "authRules");
    const char *none[] = {CALL_JSON_HEADER, NULL};
    const char *empty[] = {"X-Auth-Token;", CALL_JSON_HEADER, NULL}; /* sent, empty value */
    expect_post(emu, CREATE, none, body, 401, "APIGW.0301");
    expect_post(emu, CREATE, empty, body, 401, "APIGW.0301");

    static const char *const malformed[] = {
        "Authorization: SDK-HMAC-SHA1 Access=AK, SignedHeaders=host;x-sdk-date, "
        "Signature=" GOOD_SIG,
        "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
        "Signature=0123456789abcdef",
        "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
        "Signature=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
        "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
        "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
        "Authorization: SDK-HMAC-SHA256 SignedHeaders=host;x-sdk-date, Signature=" GOOD_SIG,
        "Authorization: SDK-HMAC-SHA256 Access=AK, Signature=" GOOD_SIG,
        "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date",
        "Authorization: Bearer abc",
        "Authorization: garbage",
    };
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        const char *headers[] = {malformed[i], SDK_DATE, CALL_JSON_HEADER, NULL};
        expect_post(emu, CREATE, headers, body, 401, "APIGW.0301");
    }
    static const char *const bad_dates[] = {NULL, "X-Sdk-Date: 2026-11-29T08:00:00Z",
                                            "X-Sdk-Date: 20261129T080000",
                                            "X-Sdk-Date: 20261129080000Z", "X-Sdk-Date: yesterday"};
    for (size_t i = 0; i < sizeof(bad_dates) / sizeof(bad_dates[0]); i++) {
        const char *headers[] = {CALL_JSON_HEADER,
                                 "Authorization: SDK-HMAC-SHA256 Access=AK, "
                                 "SignedHeaders=host;x-sdk-date, Signature=" GOOD_SIG,
                                 bad_dates[i] /* NULL: no date at all */, NULL};
        expect_post(emu, CREATE, headers, body, 401, "APIGW.0301");
    }
    free(body);

    /* A well-formed signed request passes presence without a token. */
    body = call_v1_body("mysql-1", "signedOk");
    const char *signed_headers[] = {
        "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
        "Signature=" GOOD_SIG,
        SDK_DATE, CALL_JSON_HEADER, NULL};
    expect_post(emu, CREATE, signed_headers, body, 200, NULL);
    free(body);

    /* Any non-empty token passes. */
    body = call_v1_body("mysql-1", "anyToken");
    const char *token[] = {"X-Auth-Token: x", CALL_JSON_HEADER, NULL};
    expect_post(emu, CREATE, token, body, 200, NULL);
    free(body);
}

static void auth_off(const struct emu *off)
{
    char *body = call_v1_body("mysql-1", "noTokenNeeded");
    const char *none[] = {CALL_JSON_HEADER, NULL};
    expect_post(off, CREATE, none, body, 200, NULL);
    free(body);
    body = call_v1_body("mysql-1", "badSignatureIgnored");
    const char *malformed[] = {"Authorization: garbage", CALL_JSON_HEADER, NULL};
    expect_post(off, CREATE, malformed, body, 200, NULL);
    free(body);
    /* The other rules still hold. */
    body = call_v1_body("mysql-1", "bad");
    expect_post(off, CREATE, none, body, 400, "RDS.0001");
    free(body);
}

/* docs/api.md: route → auth → path → content type → body size → JSON syntax → fields →
 * instance lookup. Each case breaks two neighbouring rules; the first one answers. */
static void order_of_checks(const struct emu *emu)
{
    struct http_response r;
    const char *no_token[] = {CALL_JSON_HEADER, NULL};
    const char *plain[] = {CALL_TOKEN_HEADER, "Content-Type: text/plain", NULL};
    const char *plain_no_token[] = {"Content-Type: text/plain", NULL};
    char *over = padded_body("overTheLimit", MAX_BODY + 1);
    char *bad_json_over = padded_body("overTheLimit", MAX_BODY + 1);
    bad_json_over[MAX_BODY] = ','; /* no closing brace: not JSON either */

    /* auth before path, content type, size and JSON */
    expect_post(emu, "/rds/V1/" PROJECT "/backups", no_token, "{}", 401, "APIGW.0301");
    expect_post(emu, "/rds/v1/bad.project/backups", no_token, "{}", 401, "APIGW.0301");
    expect_post(emu, CREATE, plain_no_token, "{}", 401, "APIGW.0301");
    expect_post(emu, CREATE, no_token, "{", 401, "APIGW.0301");
    send_raw(emu, "POST", CREATE, no_token, over, 0, false, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);

    /* path and content type before size */
    send_raw(emu, "POST", "/rds/v1/bad.project/backups", good_headers, over, 0, false, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);
    send_raw(emu, "POST", CREATE, plain, over, 0, false, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);
    send_raw(emu, "POST", CREATE, plain, over, 0, true, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.0001");
    http_response_free(&r);

    /* size before JSON syntax */
    EXPECT_CREATE_ERROR(emu, PROJECT, bad_json_over, 413, "RDS.0001");
    send_raw(emu, "POST", CREATE, good_headers, bad_json_over, 0, true, &r);
    EXPECT_V1_ERROR(&r, 413, "RDS.0001");
    http_response_free(&r);

    /* field rules before the instance lookup; the lookup before engine rules */
    EXPECT_CREATE_ERROR(emu, PROJECT, "{\"backup\": {\"instance\": \"no-such\", \"name\": \"x\"}}",
                        400, "RDS.0001");
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"other-mysql\", \"name\": \"1bad\"}}", 400,
                        "RDS.0001");
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"no-such\", \"name\": \"goodName\", "
                        "\"databases\": [{\"name\": \"user01\"}]}}",
                        404, "RDS.0002");
    free(over);
    free(bad_json_over);
}

int main(void)
{
    struct emu emu, off;
    char max_body[32];
    snprintf(max_body, sizeof(max_body), "%d", MAX_BODY);
    const char *args[] = {
        "--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", "--max-body", max_body, NULL};
    const char *off_args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth", "off",
                              NULL};
    int started = emu_start(&emu, "create-request", args, NULL);
    int off_started = emu_start(&off, "create-request-off", off_args, NULL);
    if (started != 0 || off_started != 0) {
        emu_cleanup(&emu, false);
        emu_cleanup(&off, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    path_rules(&emu);
    content_type_rules(&emu);
    body_syntax_rules(&emu);
    body_limit(&emu);
    unknown_routes(&emu);
    auth_presence(&emu);
    auth_off(&off);
    order_of_checks(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    CHECK_INT(emu_stop(&off), 0);
    emu_cleanup(&emu, check_failures > 0);
    emu_cleanup(&off, check_failures > 0);
    return CHECK_DONE();
}
