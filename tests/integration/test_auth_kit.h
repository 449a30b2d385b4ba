/* Shared by the --auth tokens integration tests (test_auth.c, test_auth_tokens.c; docs/api.md
 * §6): the AK/SK vectors of tests/data/aksk-vectors.json, sending one exactly as it was
 * captured on the wire (or changed on purpose), the emulator clock, the files given to
 * --tokens, --credentials and --seed, and the search for secrets in the log and the journal.
 * Header-only and static, like expect.h, so the checks count in the including program. */
#ifndef RDSEMU_TEST_AUTH_KIT_H
#define RDSEMU_TEST_AUTH_KIT_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "expect.h"

#ifndef RDSEMU_AKSK_VECTORS
#error "RDSEMU_AKSK_VECTORS must name tests/data/aksk-vectors.json"
#endif

#define PROJ_A "auth-project-a"
#define PROJ_B "auth-project-b"
/* Tokens long and odd enough that finding one in a log is never a coincidence. */
#define TOKEN_A      "tok-A-7f3c9e1d52b84a06"
#define TOKEN_AB     "tok-AB-0e8d41c9a3f5b727"
#define TOKEN_NONE   "tok-NONE-5a1f0c3e9d2b6874"
#define TOKEN_VECTOR "tok-VEC-c4e2a9071b8f3d65"
#define OTHER_SECRET "auth-test-other-secret-93b1"

static char scratch[PATH_MAX];
static json_t *vectors_root; /* the vector file */
static const char *vector_project, *vector_secret;

/* ---- sending a vector ---- */

/* A change to a vector before it is sent; all members optional. */
struct variation {
    const char *drop;          /* a header not to send */
    const char *replace_name;  /* a header sent with `replace_value` instead */
    const char *replace_value; /* (as curl wants it: "" removes; use drop for that) */
    const char *extra[4];      /* more "Name: value" lines */
    const char *query;         /* another raw query ("" for none) */
    const char *body;          /* another body, `body_len` bytes */
    size_t body_len;
    bool chunked;
};

static inline json_t *vector_named(const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(vectors_root, "vectors"), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
            return v;
    }
    fprintf(stderr, "no vector %s\n", name);
    exit(1);
}

static inline const char *member(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static inline const char *vector_header(json_t *v, const char *name)
{
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(v, "headers"), key, value)
    {
        if (strcasecmp(key, name) == 0)
            return json_string_value(value);
    }
    return NULL;
}

/* Sends vector `v` as it was captured on the wire (every header but Content-Length, which
 * libcurl sets), changed by `var` (may be NULL). 0 when an answer came. */
static inline int send_vector(const struct emu *emu, json_t *v, const struct variation *var,
                              const char *const *prefix, struct http_response *out)
{
    static const struct variation none = {0};
    if (var == NULL)
        var = &none;
    char *lines[40] = {0};
    size_t n = 0;
    for (size_t i = 0; prefix != NULL && prefix[i] != NULL && n < 8; i++)
        lines[n++] = strdup(prefix[i]);
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(v, "headers"), key, value)
    {
        if (n >= 32 || strcasecmp(key, "Content-Length") == 0 ||
            (var->drop != NULL && strcasecmp(key, var->drop) == 0))
            continue;
        const char *text = json_string_value(value);
        if (var->replace_name != NULL && strcasecmp(key, var->replace_name) == 0)
            text = var->replace_value;
        size_t len = strlen(key) + strlen(text) + 3;
        lines[n] = malloc(len);
        snprintf(lines[n++], len, "%s: %s", key, text);
    }
    for (size_t i = 0; i < 4 && var->extra[i] != NULL; i++)
        lines[n++] = strdup(var->extra[i]);
    lines[n] = NULL;

    const char *query = var->query != NULL ? var->query : member(v, "query");
    char *path = malloc(strlen(member(v, "path")) + strlen(query) + 2);
    sprintf(path, "%s%s%s", member(v, "path"), query[0] != '\0' ? "?" : "", query);
    const char *body = var->body != NULL ? var->body : member(v, "body");
    size_t body_len =
        var->body != NULL ? var->body_len : json_string_length(json_object_get(v, "body"));
    struct http_request req = {member(v, "method"),        path,     (const char *const *)lines,
                               body_len > 0 ? body : NULL, body_len, var->chunked};
    int rc = http_send(NULL, emu->base_url, &req, out);
    if (rc != 0)
        fprintf(stderr, "%s: no answer: %s\n", member(v, "name"), out->error);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(path);
    return rc;
}

/* Sets the emulator clock to an X-Sdk-Date time plus `delta` seconds. */
static inline void set_clock(const struct emu *emu, const char *sdk_date, int delta)
{
    struct tm tm = {0};
    sscanf(sdk_date, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + delta;
    gmtime_r(&t, &tm);
    char body[96];
    /* Frozen there: the skew a test sets stays exactly what it set. */
    strftime(body, sizeof(body), "{\"now\": \"%Y-%m-%dT%H:%M:%S+0000\", \"freeze\": true}", &tm);
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/clock", body, &r);
    CHECK_INT(r.status, 200);
    http_response_free(&r);
}

/* True when the route table has method + path (docs/api.md, docs/v3.md); anything else is the
 * gateway's 404, which comes before auth. */
static inline bool is_routed(const char *method, const char *path)
{
    static const struct {
        const char *method, *pattern;
    } routes[] = {
        {"POST", "/rds/v1/*/backups"},
        {"GET", "/rds/v1/*/backups"},
        {"DELETE", "/rds/v1/*/backups/*"},
        {"GET", "/rds/v1/*/instances/*/backups/policy"},
        {"PUT", "/rds/v1/*/instances/*/backups/policy"},
        {"POST", "/v3/*/backups"},
        {"GET", "/v3/*/backups"},
        {"DELETE", "/v3/*/backups/*"},
        {"GET", "/v3/*/jobs"},
    };
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (strcmp(routes[i].method, method) != 0)
            continue;
        const char *p = routes[i].pattern, *s = path;
        while (*p != '\0' && *s != '\0') {
            if (*p == '*') {
                p++;
                s += strcspn(s, "/");
            } else if (*p++ != *s++) {
                break;
            }
        }
        if (*p == '\0' && *s == '\0')
            return true;
    }
    return false;
}

static inline bool error_msg_has(const struct http_response *r, const char *text)
{
    json_t *root = http_response_json(r);
    const char *msg = json_string_value(json_object_get(root, "error_msg"));
    bool found = msg != NULL && strstr(msg, text) != NULL;
    json_decref(root);
    return found;
}

/* 401 in the gateway shape whose error_msg names `cause`. */
#define EXPECT_AUTH_REFUSED(r, cause)                                                              \
    do {                                                                                           \
        if (EXPECT_GATEWAY_ERROR((r), 401, "APIGW.0301"))                                          \
            EXPECT_THAT_AT(__FILE__, __LINE__, error_msg_has((r), (cause)), (r),                   \
                           "error_msg does not say \"%s\"", (cause));                              \
    } while (0)

/* Past auth: whatever the handler says (200, or a 400/404/409 of its own), never 401/403. */
#define EXPECT_AUTH_PASSED(r, what)                                                                \
    EXPECT_THAT_AT(__FILE__, __LINE__,                                                             \
                   (r)->status != 0 && (r)->status != 401 && (r)->status != 403 &&                 \
                       (r)->status != 500,                                                         \
                   (r), "%s: expected to pass auth", (what))

/* 403 in the shape of the API the path belongs to. */
static inline void expect_forbidden_at(const char *file, int line, const char *path,
                                       const struct http_response *r)
{
    if (strncmp(path, "/v3/", 4) == 0)
        expect_v3_error_at(file, line, r, 403, "DBS.200010");
    else
        expect_v1_error_at(file, line, r, 403, "RDS.0010");
}
#define EXPECT_FORBIDDEN(path, r) expect_forbidden_at(__FILE__, __LINE__, (path), (r))

static inline char *scratch_file(const char *name, const char *content)
{
    static char paths[16][PATH_MAX + 64];
    static size_t next;
    char *path = paths[next++ % 16];
    snprintf(path, PATH_MAX + 64, "%s/%s", scratch, name);
    CHECK(harness_write_file(path, content, strlen(content)) == 0);
    return path;
}

/* ---- no secret anywhere it could leak ---- */

static inline void expect_no_secret(const char *where, const char *text)
{
    const char *secrets[64];
    size_t n = 0;
    secrets[n++] = vector_secret;
    secrets[n++] = OTHER_SECRET;
    secrets[n++] = TOKEN_A;
    secrets[n++] = TOKEN_AB;
    secrets[n++] = TOKEN_NONE;
    secrets[n++] = TOKEN_VECTOR;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(vectors_root, "vectors"), i, v)
    {
        if (n + 4 >= sizeof(secrets) / sizeof(secrets[0]))
            break;
        secrets[n++] = member(v, "signature");
        if (member(v, "server_expected_signature") != NULL)
            secrets[n++] = member(v, "server_expected_signature");
        if (member(v, "secret_key_override") != NULL)
            secrets[n++] = member(v, "secret_key_override");
        if (vector_header(v, "X-Security-Token") != NULL)
            secrets[n++] = vector_header(v, "X-Security-Token");
    }
    CHECK(text != NULL && text[0] != '\0');
    for (size_t k = 0; text != NULL && k < n; k++) {
        bool leaked = strstr(text, secrets[k]) != NULL;
        CHECK(!leaked);
        if (leaked)
            fprintf(stderr, "    %s holds a secret or signature: %.12s...\n", where, secrets[k]);
    }
}

static inline void nothing_leaked(struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/requests?limit=1000", NULL, &r);
    EXPECT_STATUS(&r, 200);
    expect_no_secret("the journal", r.body);
    /* The journal has the requests, with the secrets replaced. */
    CHECK(strstr(r.body, "\"Authorization\": \"***\"") != NULL ||
          strstr(r.body, "\"Authorization\":\"***\"") != NULL);
    CHECK(strstr(r.body, "signature mismatch") != NULL);
    http_response_free(&r);
    CHECK_INT(emu_stop(emu), 0);
    char *log = harness_read_file(emu->log_path, NULL);
    expect_no_secret("the server's stderr", log);
    free(log);
}

/* ---- setup ---- */

static inline int load_vectors(void)
{
    const char *path = getenv("RDSEMU_AKSK_VECTORS");
    if (path == NULL)
        path = RDSEMU_AKSK_VECTORS;
    json_error_t error;
    vectors_root = json_load_file(path, 0, &error);
    if (vectors_root == NULL) {
        fprintf(stderr,
                "test_auth: cannot read the AK/SK test vectors %s: %s\n"
                "  (they live in tests/data of the repository; set RDSEMU_AKSK_VECTORS to "
                "point elsewhere)\n",
                path, error.text);
        return -1;
    }
    vector_project = member(vectors_root, "project_id");
    vector_secret = member(vectors_root, "secret_key");
    return vector_project != NULL && vector_secret != NULL ? 0 : -1;
}

/* The files every server of these tests is started with, in `scratch`. */
struct auth_files {
    char *credentials; /* the vectors' AKs, and OTHERAK0000000000 on PROJ_B */
    char *elsewhere;   /* the vectors' AK on some-other-project only */
    char *tokens;      /* tokens on zero, one and two projects, and one on the vectors' */
    char *seed;        /* inst-0001 in the vectors' project, inst-a and inst-x in PROJ_A... */
};

static inline char *auth_write_json(const char *name, json_t *value)
{
    char *text = json_dumps(value, JSON_INDENT(2));
    char *path = text != NULL ? scratch_file(name, text) : NULL;
    free(text);
    json_decref(value);
    return path;
}

/* Loads the vectors and writes the files into a new `scratch` directory. 0 or -1. */
static inline int auth_setup(const char *label, struct auth_files *files)
{
    if (load_vectors() != 0 || harness_tmpdir_create(label, scratch, sizeof(scratch)) != 0)
        return -1;
    const char *ak = member(vectors_root, "access_key");
    /* The upstream vectors' AK has no project: their paths have none. */
    files->credentials = auth_write_json(
        "credentials.json",
        json_pack("{s:{s:s, s:[s]}, s:{s:s, s:[]}, s:{s:s, s:[s]}}", ak, "secret", vector_secret,
                  "projects", vector_project, "AccessKey", "secret", "SecretKey", "projects",
                  "OTHERAK0000000000", "secret", OTHER_SECRET, "projects", PROJ_B));
    files->elsewhere = auth_write_json("credentials-elsewhere.json",
                                       json_pack("{s:{s:s, s:[s]}}", ak, "secret", vector_secret,
                                                 "projects", "some-other-project"));
    files->tokens = auth_write_json(
        "tokens.json", json_pack("{s:[s], s:[s,s], s:[], s:[s]}", TOKEN_A, PROJ_A, TOKEN_AB, PROJ_A,
                                 PROJ_B, TOKEN_NONE, TOKEN_VECTOR, vector_project));
    files->seed = auth_write_json(
        "seed.json",
        json_pack("{s:[{s:s, s:[{s:s, s:s, s:{s:s, s:s}}]}, {s:s, s:[{s:s, s:s, s:{s:s, s:s}}, "
                  "{s:s, s:s, s:{s:s, s:s}}]}, {s:s, s:[{s:s, s:s, s:{s:s, s:s}}]}]}",
                  "projects", "id", vector_project, "instances", "id", "inst-0001", "name",
                  "vector-mysql", "datastore", "type", "MySQL", "version", "8.0", "id", PROJ_A,
                  "instances", "id", "inst-a", "name", "a-mysql", "datastore", "type", "MySQL",
                  "version", "8.0", "id", "inst-x", "name", "a-x", "datastore", "type", "MySQL",
                  "version", "8.0", "id", PROJ_B, "instances", "id", "inst-x", "name", "b-x",
                  "datastore", "type", "MySQL", "version", "8.0"));
    return files->credentials != NULL && files->elsewhere != NULL && files->tokens != NULL &&
                   files->seed != NULL
               ? 0
               : -1;
}

/* Starts the server every test program talks to most: --auth tokens with both files. */
static inline int auth_start(struct emu *emu, const char *label, const struct auth_files *files)
{
    const char *args[] = {"--auth",
                          "tokens",
                          "--tokens",
                          files->tokens,
                          "--credentials",
                          files->credentials,
                          "--seed",
                          files->seed,
                          "--backup-seconds",
                          "0",
                          NULL};
    if (emu_start(emu, label, args, NULL) != 0) {
        emu_cleanup(emu, true);
        fprintf(stderr, "cannot start rdsemu\n");
        return -1;
    }
    return 0;
}

static inline void auth_teardown(void)
{
    json_decref(vectors_root);
    harness_tmpdir_remove(scratch);
}

#endif
