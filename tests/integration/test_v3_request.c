/* Everything around the v3 calls that is not a field or state rule (docs/api.md applied to
 * §4): a missing or empty token (401 APIGW.0301, gateway shape) on every v3 route, project_id,
 * the content type, JSON syntax and UTF-8, the body limit (413 DBS.200001), unknown routes
 * under /v3 (404 APIGW.0101), injected faults in the v3 shape, and X-Request-Id. */
#include <stdlib.h>
#include <string.h>

#include "v3.h"

#define PROJECT  "rules-project"
#define CREATE   "/v3/" PROJECT "/backups"
#define MAX_BODY 1024

static const char *const good_headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER,
                                           "X-Emulator-Backup-Seconds: 0", NULL};

static void send_raw(const struct emu *emu, const char *method, const char *path,
                     const char *const *headers, const char *body, bool chunked,
                     struct http_response *out)
{
    struct http_request req = {method, path, headers, body, 0, chunked};
    if (http_send(NULL, emu->base_url, &req, out) != 0)
        fprintf(stderr, "request failed: %s\n", out->error);
}

/* A valid v3 create body of exactly `len` bytes (spaces pad it), new: free(). */
static char *padded_body(const char *name, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof(head), "{\"instance_id\": \"mysql-1\", \"name\": \"%s\"", name);
    char *body = malloc(len + 1);
    memcpy(body, head, (size_t)n);
    memset(body + n, ' ', len - (size_t)n - 1);
    body[len - 1] = '}';
    body[len] = '\0';
    return body;
}

static void post_error(const struct emu *emu, const char *const *headers, const char *body,
                       long status, const char *code)
{
    struct http_response r;
    send_raw(emu, "POST", CREATE, headers, body, false, &r);
    if (!EXPECT_V3_ERROR(&r, status, code))
        fprintf(stderr, "    request body: %.200s\n", body);
    http_response_free(&r);
}

static void auth_rules(const struct emu *emu, const char *backup_id)
{
    char delete_path[128];
    snprintf(delete_path, sizeof(delete_path), "/v3/" PROJECT "/backups/%s", backup_id);
    static const char *const no_token[] = {CALL_JSON_HEADER, NULL};
    static const char *const empty_token[] = {"X-Auth-Token;", CALL_JSON_HEADER, NULL};
    const char *const *cases[] = {no_token, empty_token};
    char *body = v3_body("mysql-1", "noToken");
    for (size_t i = 0; i < 2; i++) {
        struct http_response r;
        send_raw(emu, "POST", CREATE, cases[i], body, false, &r);
        EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
        http_response_free(&r);
        send_raw(emu, "GET", CREATE "?instance_id=mysql-1", cases[i], NULL, false, &r);
        EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
        http_response_free(&r);
        send_raw(emu, "DELETE", delete_path, cases[i], NULL, false, &r);
        EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
        http_response_free(&r);
        send_raw(emu, "GET", "/v3/" PROJECT "/jobs?id=0123456789abcdef0123456789abcdef", cases[i],
                 NULL, false, &r);
        EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
        http_response_free(&r);
    }
    free(body);
    /* Nothing was made or deleted by the refused requests. */
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1");
    CHECK(list_find_by(list, "name", "noToken") == NULL);
    CHECK(list_find(list, backup_id) != NULL);
    json_decref(list);
}

static void project_rules(const struct emu *emu)
{
    char *body = v3_body("mysql-1", "projectRule");
    static const char *const bad[] = {"bad.project", "bad%20project", "bad~project", "b%C3%A4d",
                                      "p1234567890123456789012345678901234567890123456789012345"
                                      "678901234"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[256];
        struct http_response r;
        snprintf(path, sizeof(path), "/v3/%s/backups", bad[i]);
        send_raw(emu, "POST", path, good_headers, body, false, &r);
        EXPECT_V3_ERROR(&r, 400, "DBS.200001");
        http_response_free(&r);
        V3_LIST_ERROR(emu, bad[i], "instance_id=mysql-1", 400, "DBS.200001");
        v3_delete(emu, bad[i], "00000000-0000-0000-0000-000000000000", &r);
        EXPECT_V3_ERROR(&r, 400, "DBS.200001");
        http_response_free(&r);
    }
    free(body);

    /* 64 characters of [A-Za-z0-9_-] pass the path rule: the instance is simply not there. */
    char project64[80], path[128];
    memset(project64, 'p', 64);
    project64[64] = '\0';
    project64[10] = '_';
    project64[20] = '-';
    project64[30] = 'Z';
    project64[40] = '9';
    body = v3_body("mysql-1", "projectRule");
    snprintf(path, sizeof(path), "/v3/%s/backups", project64);
    struct http_response r;
    send_raw(emu, "POST", path, good_headers, body, false, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.200045");
    http_response_free(&r);
    V3_LIST_ERROR(emu, project64, "instance_id=mysql-1", 404, "DBS.200045");
    free(body);
}

static void content_type_rules(const struct emu *emu)
{
    char *body = v3_body("mysql-1", "typeRules");
    static const char *const refused[] = {
        "Content-Type: text/plain",
        "Content-Type: application/x-www-form-urlencoded",
        "Content-Type: application/xml",
        "Content-Type: application/json; charset=iso-8859-1",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        const char *headers[] = {CALL_TOKEN_HEADER, refused[i], NULL};
        post_error(emu, headers, body, 400, "DBS.200001");
    }
    const char *no_type[] = {CALL_TOKEN_HEADER, NULL};
    post_error(emu, no_type, body, 400, "DBS.200001");

    const char *charset[] = {CALL_TOKEN_HEADER, "Content-Type: Application/JSON; charset=utf-8",
                             "X-Emulator-Backup-Seconds: 0", NULL};
    struct http_response r;
    send_raw(emu, "POST", CREATE, charset, body, false, &r);
    json_decref(EXPECT_V3_CREATED(&r));
    http_response_free(&r);
    free(body);
}

static void body_syntax_rules(const struct emu *emu)
{
    static const char *const refused[] = {
        "",
        "{",
        "not json",
        "{\"instance_id\": }",
        "{\"instance_id\": \"mysql-1\", \"name\": \"trailing\"} x",
        "{'instance_id': 'mysql-1', 'name': 'quotes'}",
        "{\"instance_id\": \"mysql-1\", \"name\": \"bad\xff"
        "utf\"}",
        "{\"instance_id\": \"mysql-1\", \"name\": \"okname\", \"description\": \"\xc0\xaf\"}",
        "[{\"instance_id\": \"mysql-1\", \"name\": \"inArray\"}]",
        "[]",
        "\"instance_id\"",
        "42",
        "null",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        post_error(emu, good_headers, refused[i], 400, "DBS.200001");
}

static void body_limit(const struct emu *emu)
{
    char *at_limit = padded_body("atTheLimit", MAX_BODY);
    char *over = padded_body("overTheLimit", MAX_BODY + 1);
    char *far_over = padded_body("farOver", 64 * 1024);
    struct http_response r;
    send_raw(emu, "POST", CREATE, good_headers, at_limit, false, &r);
    json_decref(EXPECT_V3_CREATED(&r));
    http_response_free(&r);
    post_error(emu, good_headers, over, 413, "DBS.200001");
    post_error(emu, good_headers, far_over, 413, "DBS.200001");
    send_raw(emu, "POST", CREATE, good_headers, over, true, &r);
    EXPECT_V3_ERROR(&r, 413, "DBS.200001");
    http_response_free(&r);
    /* The limit comes before JSON syntax: a broken body over the limit is a 413. */
    char *broken = malloc(MAX_BODY + 2);
    memset(broken, '{', MAX_BODY + 1);
    broken[MAX_BODY + 1] = '\0';
    post_error(emu, good_headers, broken, 413, "DBS.200001");
    free(broken);
    free(at_limit);
    free(over);
    free(far_over);
}

static void unknown_routes(const struct emu *emu)
{
    static const char *const routes[][2] = {
        {"PUT", CREATE},
        {"PATCH", CREATE},
        {"DELETE", CREATE},
        {"GET", CREATE "/00000000-0000-0000-0000-000000000000"},
        {"POST", CREATE "/00000000-0000-0000-0000-000000000000"},
        {"DELETE", CREATE "/x/y"},
        {"POST", "/v3/" PROJECT "/backup"},
        {"GET", "/v3/" PROJECT},
        {"POST", "/v3/backups"},
        {"GET", "/V3/" PROJECT "/backups?instance_id=mysql-1"},
        {"POST", "/v3/" PROJECT "/jobs"},
        {"DELETE", "/v3/" PROJECT "/jobs"},
    };
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        struct http_response r;
        const char *body =
            strcmp(routes[i][0], "GET") != 0 && strcmp(routes[i][0], "DELETE") != 0 ? "{}" : NULL;
        send_raw(emu, routes[i][0], routes[i][1], good_headers, body, false, &r);
        if (!EXPECT_GATEWAY_ERROR(&r, 404, "APIGW.0101"))
            fprintf(stderr, "    for %s %s\n", routes[i][0], routes[i][1]);
        http_response_free(&r);
    }
}

/* §5.5 on the v3 routes: an injected error comes in the v3 shape, with the given code. */
static void injected_faults(const struct emu *emu)
{
    ADMIN_CALL(emu, "POST", "/_emulator/faults",
               "{\"method\": \"GET\", \"path\": \"/v3/*/backups\", \"error_code\": "
               "\"DBS.108000\", \"times\": 1}",
               201);
    V3_LIST_ERROR(emu, PROJECT, "instance_id=mysql-1", 500, "DBS.108000");
    json_decref(V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1")); /* times: 1 */

    ADMIN_CALL(emu, "POST", "/_emulator/faults",
               "{\"method\": \"POST\", \"path\": \"/v3/*/backups\", \"instance_id\": "
               "\"mysql-2\", \"status\": 503, \"error_code\": \"DBS.200999\"}",
               201);
    char *body = v3_body("mysql-2", "faulty");
    struct http_response r;
    v3_create(emu, PROJECT, body, 0, NULL, &r);
    EXPECT_V3_ERROR(&r, 503, "DBS.200999");
    http_response_free(&r);
    free(body);
    body = v3_body("mysql-1", "notFaulty"); /* another instance: no fault */
    json_decref(V3_CREATE_JSON(emu, PROJECT, body, 0));
    free(body);
    ADMIN_CALL(emu, "DELETE", "/_emulator/faults", NULL, 204);
    body = v3_body("mysql-2", "faulty");
    json_decref(V3_CREATE_JSON(emu, PROJECT, body, 0));
    free(body);
}

/* §1: route → auth → path parameters → content type → body size → JSON syntax. */
static void order_of_checks(const struct emu *emu)
{
    char *over = padded_body("orderOver", MAX_BODY + 1);
    static const char *const no_token[] = {CALL_JSON_HEADER, NULL};
    static const char *const plain[] = {CALL_TOKEN_HEADER, "Content-Type: text/plain", NULL};
    struct http_response r;
    /* The route before auth. */
    send_raw(emu, "PUT", CREATE, NULL, "{}", false, &r);
    EXPECT_GATEWAY_ERROR(&r, 404, "APIGW.0101");
    http_response_free(&r);
    /* Auth before the path parameters and before the body size. */
    send_raw(emu, "POST", "/v3/bad.project/backups", no_token, "{}", false, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
    send_raw(emu, "GET", "/v3/bad.project/backups?instance_id=mysql-1", NULL, NULL, false, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
    send_raw(emu, "POST", CREATE, no_token, over, false, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
    /* The content type before the body size. */
    send_raw(emu, "POST", CREATE, plain, over, false, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    /* The path parameters before the instance lookup of the list. */
    V3_LIST_ERROR(emu, "bad.project", "instance_id=no-such-instance", 400, "DBS.200001");
    free(over);
}

/* Every answer, error or not, has its own X-Request-Id. */
static void request_ids(const struct emu *emu)
{
    struct http_response one, two;
    v3_list(emu, PROJECT, "instance_id=mysql-1", &one);
    v3_list(emu, PROJECT, "instance_id=mysql-1", &two);
    EXPECT_STATUS(&one, 200);
    EXPECT_STATUS(&two, 200);
    CHECK(strcmp(one.request_id, two.request_id) != 0);
    http_response_free(&one);
    http_response_free(&two);
    v3_delete(emu, PROJECT, "00000000-0000-0000-0000-000000000000", &one);
    EXPECT_V3_ERROR(&one, 404, "DBS.201010");
    http_response_free(&one);
}

int main(void)
{
    struct emu emu;
    const char *extra[] = {"--max-body", "1024", NULL};
    if (v3_start(&emu, "v3-request", extra) != 0)
        return 1;
    char *id = V3_CREATE_ID(&emu, PROJECT, "mysql-1", "keepMe", 0);
    auth_rules(&emu, id != NULL ? id : "none");
    free(id);
    project_rules(&emu);
    content_type_rules(&emu);
    body_syntax_rules(&emu);
    body_limit(&emu);
    unknown_routes(&emu);
    injected_faults(&emu);
    order_of_checks(&emu);
    request_ids(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
