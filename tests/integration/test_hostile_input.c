/* Hostile input (issue "reliability", item 3): every odd request gets a clean answer in the
 * API's own shape (or a plain 4xx from the HTTP layer for a broken request head), never a
 * 5xx, a crash or a hang, and the server keeps serving after all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "calls.h"
#include "check.h"
#include "expect.h"
#include "raw.h"

#define P        "0549c4d2e6c74b2a9e3b0f0c2f6a1d7e"
#define CREATE   "/rds/v1/" P "/backups"
#define V3CREATE "/v3/" P "/backups"
#define MYSQL    "44b277eb-39be-4921-be31-3d61b43651d7"

static struct emu emu;

/* Sends a body of `len` bytes (NULs allowed) to `path`; the answer's status. */
static long post_bytes(const char *path, const char *body, size_t len, char **reply)
{
    struct call_spec spec = {.method = "POST",
                             .path = path,
                             .token = CALL_TOKEN,
                             .content_type = CALL_JSON,
                             .body = body,
                             .body_len = len};
    struct http_response r;
    long status = call_send(&emu, &spec, &r) == 0 ? r.status : 0;
    if (reply != NULL)
        *reply = strdup(r.body != NULL ? r.body : "");
    http_response_free(&r);
    return status;
}

/* A 400 in the v1 shape with RDS.0001. */
static void expect_v1_400(const char *body, size_t len, const char *what)
{
    char *reply = NULL;
    long status = post_bytes(CREATE, body, len, &reply);
    json_t *root = json_loads(reply != NULL ? reply : "", 0, NULL);
    bool ok = status == 400 &&
              strcmp(json_string_value(json_object_get(root, "errCode")) ?: "", "RDS.0001") == 0;
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr, "%s: expected 400 RDS.0001, got %ld %s\n", what, status,
                reply != NULL ? reply : "");
    }
    json_decref(root);
    free(reply);
}

static void nested_json(void)
{
    size_t depth = 100000;
    char *body = malloc(depth * 2 + 64);
    size_t n = (size_t)sprintf(body, "{\"backup\": ");
    memset(body + n, '[', depth);
    n += depth;
    memset(body + n, ']', depth);
    n += depth;
    body[n++] = '}';
    /* Over --max-body (64 KiB by default): 413, refused before parsing. */
    CHECK_INT(post_bytes(CREATE, body, n, NULL), 413); /* deep nesting over the limit */
    /* Within the limit: 30000 levels, deeper than the parser takes. */
    n = (size_t)sprintf(body, "{\"backup\": ");
    memset(body + n, '[', 30000);
    n += 30000;
    memset(body + n, ']', 30000);
    n += 30000;
    body[n++] = '}';
    expect_v1_400(body, n, "deeply nested JSON");
    free(body);
}

static void nul_bytes(void)
{
    /* Escaped \u0000 in every string field, v1 and v3. */
    static const char *const escaped[] = {
        "{\"backup\": {\"instance\": \"" MYSQL "\\u0000\", \"name\": \"nulname1\"}}",
        "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"nul\\u0000name\"}}",
        "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"nulname2\", \"description\": "
        "\"a\\u0000b\"}}",
        "{\"backup\": {\"instance\": \"c2aac04b4b44460aa75674fc0fd878b2no04\", \"name\": "
        "\"nulname3\", \"databases\": [{\"name\": \"user01\\u0000\"}]}}",
        "{\"back\\u0000up\": {\"instance\": \"" MYSQL "\", \"name\": \"nulname4\"}}",
    };
    for (size_t i = 0; i < sizeof(escaped) / sizeof(escaped[0]); i++)
        expect_v1_400(escaped[i], 0, "escaped NUL");
    /* Raw NUL bytes inside a string and between members. */
    const char raw1[] = "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"raw\0name\"}}";
    expect_v1_400(raw1, sizeof(raw1) - 1, "raw NUL in a string");
    const char raw2[] = "{\"backup\": {\"instance\": \"" MYSQL "\",\0 \"name\": \"rawname\"}}";
    expect_v1_400(raw2, sizeof(raw2) - 1, "raw NUL between members");
    char *reply = NULL;
    const char raw3[] = "{\"instance_id\": \"" MYSQL "\", \"name\": \"raw\0v3name\"}";
    long status = post_bytes(V3CREATE, raw3, sizeof(raw3) - 1, &reply);
    CHECK_INT(status, 400);
    EXPECT_TEXT_MEMBER(reply, "error_code", "DBS.200001");
    free(reply);
}

static void duplicate_keys_and_numbers(void)
{
    /* Duplicate keys: the last one wins (docs/errors.md, emulator choice). */
    char *reply = NULL;
    const char *dup = "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"bad name\", "
                      "\"name\": \"dupLastWins\"}}";
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, "X-Emulator-Backup-Seconds: 0",
                             NULL};
    struct http_response r;
    CHECK_INT(call_request(&emu, NULL, "POST", CREATE, headers, dup, &r), 0);
    CHECK_INT(r.status, 200);
    json_t *created = http_response_json(&r);
    CHECK_STR(created_member(created, "name"), "dupLastWins");
    json_decref(created);
    http_response_free(&r);
    /* Huge numbers where strings belong, and as unknown members. */
    expect_v1_400("{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": 1e999999}}", 0,
                  "a number overflowing a double");
    expect_v1_400("{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": "
                  "123456789012345678901234567890}}",
                  0, "an integer overflowing 64 bits");
    expect_v1_400("{\"backup\": {\"instance\": 1e308, \"name\": \"hugeNum1\"}}", 0,
                  "a number for the instance");
    free(reply);
}

static void invalid_utf8(void)
{
    const char *bodies[] = {
        "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"ab\xc3\x28\"}}",
        "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"abcd\", \"description\": "
        "\"\xed\xa0\x80\"}}",
        "{\"backup\": {\"instance\": \"" MYSQL "\", \"name\": \"abcd\", \"x\": \"\xff\xfe\"}}",
        "{\"backup\": {\"instance\": \"\xf8\x88\x80\x80\x80\", \"name\": \"abcd\"}}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
        expect_v1_400(bodies[i], 0, "invalid UTF-8");
}

/* Any answer below 500 that keeps the shape where the route is known. */
static long get_status(const char *path, const char *const *headers)
{
    struct http_response r;
    long status = call_request(&emu, NULL, "GET", path, headers, NULL, &r) == 0 ? r.status : 0;
    if (status == 0)
        fprintf(stderr, "GET %.60s...: no answer: %s\n", path, r.error);
    http_response_free(&r);
    return status;
}

/* Sends `method path` as written (libcurl would remove dot segments) with a token; the
 * status of the answer, and its body in `body` (at most `len` bytes). */
static long raw_status(const char *method, const char *path, char *body, size_t len)
{
    int fd = raw_connect(emu.port);
    if (fd < 0)
        return 0;
    struct timeval timeout = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    long status = 0;
    char request[1024], answer[8192];
    size_t got = 0;
    int n = snprintf(request, sizeof(request),
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\nConnection: close\r\n\r\n", method,
                     path, CALL_TOKEN_HEADER);
    if (raw_write_all(fd, request, (size_t)n) == 0) {
        ssize_t r;
        while (got < sizeof(answer) - 1 &&
               (r = recv(fd, answer + got, sizeof(answer) - 1 - got, 0)) > 0)
            got += (size_t)r;
        answer[got] = '\0';
        sscanf(answer, "HTTP/1.1 %ld", &status);
        const char *start = strstr(answer, "\r\n\r\n");
        snprintf(body, len, "%s", start != NULL ? start + 4 : "");
    }
    close(fd);
    return status;
}

static void paths_and_headers(void)
{
    const char *token[] = {CALL_TOKEN_HEADER, NULL};
    char body[4096];
    /* `..` and encoded segments stay inside their segment: no path normalisation. */
    CHECK_INT(raw_status("GET", "/rds/v1/../backups", body, sizeof(body)), 400);
    EXPECT_TEXT_MEMBER(body, "errCode", "RDS.0001");
    CHECK_INT(raw_status("GET", "/rds/v1/" P "/backups/../backups", body, sizeof(body)), 404);
    EXPECT_TEXT_MEMBER(body, "error_code", "APIGW.0101");
    CHECK_INT(raw_status("DELETE", "/rds/v1/" P "/backups/..", body, sizeof(body)), 404);
    EXPECT_TEXT_MEMBER(body, "errCode", "RDS.3026");
    CHECK_INT(raw_status("GET", "/rds/v1/" P "/../" P "/backups", body, sizeof(body)), 404);
    CHECK_INT(get_status("/rds/v1/%2e%2e/backups", token), 400);
    CHECK_INT(get_status("/rds/v1/a%2Fb/backups", token), 400);
    CHECK_INT(get_status("/rds/v1/%00/backups", token), 400);
    CHECK_INT(get_status("/rds/v1/%ff%fe/backups", token), 400);
    struct http_response r;
    CHECK_INT(
        call_request(&emu, NULL, "DELETE", "/v3/" P "/backups/%2e%2e%2F%2e%2e", token, NULL, &r),
        0);
    EXPECT_V3_ERROR(&r, 404, "DBS.201010");
    http_response_free(&r);

    /* A very long path and a very long header: refused by the HTTP layer, server lives. */
    size_t len = 200000;
    char *path = malloc(len + 16);
    strcpy(path, "/rds/v1/");
    memset(path + 8, 'a', len);
    path[8 + len] = '\0';
    long status = get_status(path, token);
    CHECK(status >= 400 && status < 500);
    free(path);
    char *header = malloc(len + 32);
    strcpy(header, "X-Long: ");
    memset(header + 8, 'b', len);
    header[8 + len] = '\0';
    const char *long_headers[] = {CALL_TOKEN_HEADER, header, NULL};
    status = get_status("/rds/v1/" P "/backups", long_headers);
    CHECK(status >= 400 && status < 500);
    free(header);
    /* A long path that fits: an unknown route. */
    char mid[3000];
    strcpy(mid, "/rds/v1/" P "/backups/");
    size_t at = strlen(mid);
    memset(mid + at, 'c', 2500);
    mid[at + 2500] = '\0';
    CHECK_INT(get_status(mid, token), 404);
}

int main(void)
{
    const char *args[] = {"--seed", RDSEMU_DEMO_SEED, NULL};
    if (emu_start(&emu, "hostile", args, NULL) != 0)
        return 1;
    nested_json();
    nul_bytes();
    duplicate_keys_and_numbers();
    invalid_utf8();
    paths_and_headers();
    /* Still serving, and nothing half-made: only the one backup above exists. */
    struct http_response r;
    CHECK_INT(call_admin(&emu, "GET", "/_emulator/health", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    http_response_free(&r);
    const char *token[] = {CALL_TOKEN_HEADER, NULL};
    CHECK_INT(call_request(&emu, NULL, "GET", CREATE, token, NULL, &r), 0);
    json_t *root = json_loads(r.body, 0, NULL);
    CHECK_INT(json_array_size(json_object_get(root, "backups")), 1);
    json_decref(root);
    http_response_free(&r);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
