/* Shared by the --auth tokens integration tests (auth.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin.h"
#include "auth.h"

#ifndef RDSEMU_AKSK_VECTORS
#error "RDSEMU_AKSK_VECTORS must name tests/data/aksk-vectors.json"
#endif

static char scratch[PATH_MAX];
static json_t *vectors_root; /* the vector file */
static const char *vector_project, *vector_secret;

/* ---- the vectors ---- */

const char *vector_project_id(void)
{
    return vector_project;
}

const char *vector_secret_key(void)
{
    return vector_secret;
}

json_t *vectors_file(void)
{
    return vectors_root;
}

json_t *vectors_all(void)
{
    return json_object_get(vectors_root, "vectors");
}

json_t *vector_named(const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(vectors_all(), i, v)
    {
        if (strcmp(member_string(v, "name"), name) == 0)
            return v;
    }
    fprintf(stderr, "no vector %s\n", name);
    exit(1);
}

int send_vector(const struct emu *emu, json_t *v, const struct variation *var,
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

    const char *query = var->query != NULL ? var->query : member_string(v, "query");
    const char *bare = member_string(v, "path");
    char *path = malloc(strlen(bare) + strlen(query) + 2);
    sprintf(path, "%s%s%s", bare, query[0] != '\0' ? "?" : "", query);
    const char *body = var->body != NULL ? var->body : member_string(v, "body");
    size_t body_len =
        var->body != NULL ? var->body_len : json_string_length(json_object_get(v, "body"));
    struct call_spec spec = {.method = member_string(v, "method"),
                             .path = path,
                             .headers = (const char *const *)lines,
                             .body = body_len > 0 ? body : NULL,
                             .body_len = body_len,
                             .chunked = var->chunked};
    int rc = call_send(emu, &spec, out);
    if (rc != 0)
        fprintf(stderr, "    for vector %s\n", member_string(v, "name"));
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(path);
    return rc;
}

void set_clock(const struct emu *emu, const char *sdk_date, int delta)
{
    struct tm tm = {0};
    sscanf(sdk_date, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    char body[96], text[TIME_TEXT_MAX];
    /* Frozen there: the skew a test sets stays exactly what it set. */
    snprintf(body, sizeof(body), "{\"now\": \"%s\", \"freeze\": true}",
             time_format((int64_t)timegm(&tm) + delta, TIME_V3, text));
    EMU_CLOCK_POST(emu, body, NULL);
}

bool is_routed(const char *method, const char *path)
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
        {"GET", "/v3/*/instances"},
        {"GET", "/v3/*/instances/*/backups/policy"},
        {"PUT", "/v3/*/instances/*/backups/policy"},
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

/* ---- answers ---- */

bool error_msg_has(const struct http_response *r, const char *text)
{
    json_t *root = http_response_json(r);
    const char *msg = member_string(root, "error_msg");
    bool found = msg != NULL && strstr(msg, text) != NULL;
    json_decref(root);
    return found;
}

bool expect_auth_refused_at(const char *file, int line, const struct http_response *r,
                            const char *cause)
{
    return expect_error_at(file, line, r, ERRORS_GATEWAY, 401, "APIGW.0301") &&
           EXPECT_THAT_AT(file, line, error_msg_has(r, cause), r, "error_msg does not say \"%s\"",
                          cause);
}

bool expect_auth_passed_at(const char *file, int line, const struct http_response *r,
                           const char *what)
{
    return EXPECT_THAT_AT(
        file, line, r->status != 0 && r->status != 401 && r->status != 403 && r->status != 500, r,
        "%s: expected to pass auth", what);
}

bool expect_forbidden_at(const char *file, int line, const char *path,
                         const struct http_response *r)
{
    if (strncmp(path, "/v3/", 4) == 0)
        return expect_error_at(file, line, r, ERRORS_V3, 403, "DBS.200010");
    return expect_error_at(file, line, r, ERRORS_V1, 403, "RDS.0010");
}

/* ---- files, secrets, servers ---- */

const char *auth_scratch(void)
{
    return scratch;
}

char *scratch_file(const char *name, const char *content)
{
    static char paths[16][PATH_MAX + 64];
    static size_t next;
    char *path = paths[next++ % 16];
    snprintf(path, PATH_MAX + 64, "%s/%s", scratch, name);
    CHECK(harness_write_file(path, content, strlen(content)) == 0);
    return path;
}

void expect_no_secret(const char *where, const char *text)
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
    json_array_foreach(vectors_all(), i, v)
    {
        if (n + 4 >= sizeof(secrets) / sizeof(secrets[0]))
            break;
        secrets[n++] = member_string(v, "signature");
        if (member_string(v, "server_expected_signature") != NULL)
            secrets[n++] = member_string(v, "server_expected_signature");
        if (member_string(v, "secret_key_override") != NULL)
            secrets[n++] = member_string(v, "secret_key_override");
        if (header_of(v, "X-Security-Token") != NULL)
            secrets[n++] = header_of(v, "X-Security-Token");
    }
    CHECK(text != NULL && text[0] != '\0');
    for (size_t k = 0; text != NULL && k < n; k++) {
        bool leaked = strstr(text, secrets[k]) != NULL;
        CHECK(!leaked);
        if (leaked)
            fprintf(stderr, "    %s holds a secret or signature: %.12s...\n", where, secrets[k]);
    }
}

void nothing_leaked(struct emu *emu)
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

static int load_vectors(void)
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
    vector_project = member_string(vectors_root, "project_id");
    vector_secret = member_string(vectors_root, "secret_key");
    return vector_project != NULL && vector_secret != NULL ? 0 : -1;
}

static char *auth_write_json(const char *name, json_t *value)
{
    char *text = json_dumps(value, JSON_INDENT(2));
    char *path = text != NULL ? scratch_file(name, text) : NULL;
    free(text);
    json_decref(value);
    return path;
}

int auth_setup(const char *label, struct auth_files *files)
{
    if (load_vectors() != 0 || harness_tmpdir_create(label, scratch, sizeof(scratch)) != 0)
        return -1;
    const char *ak = member_string(vectors_root, "access_key");
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

int auth_start(struct emu *emu, const char *label, const struct auth_files *files)
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

void auth_teardown(void)
{
    json_decref(vectors_root);
    harness_tmpdir_remove(scratch);
}
