/* The identity routes under --auth tokens (docs/identity.md), as the Terraform providers call
 * them: the version document without credentials; the service catalog for X-Project-Id, with
 * a token or a Credential= signature, and a client that follows its URL to the RDS v3 routes;
 * a token described and a login (its token echoed, then used); projects and domains; 401
 * APIGW.0301, 403 APIGW.0302 and 400 APIGW.0201 in the gateway shape; tokens hidden in the
 * journal. */
#include <limits.h>

#include "credential_signer.h"
#include "identity_kit.h"

#define PROJ_A     "ident-proj-a"
#define PROJ_B     "ident-proj-b"
#define PROJ_C     "ident-proj-c"
#define TOKEN_A    "tok-ident-A-5c1e9a7730d2"
#define TOKEN_AB   "tok-ident-AB-7f02b6e48c19"
#define TOKEN_NONE "tok-ident-NONE-1d8a3f6e20b5"
#define AK         "IDENTAK000000001"
#define SK         "ident-secret-key-7d41c2e09fa3b658"
#define REGION     "eu-de"
#define NOW        "2026-12-05T08:00:00+0000"
#define SDK_DATE   "20261205T080000Z"
#define EXPIRES    "2026-12-06T08:00:00.000000Z" /* NOW + 24 h */

static char host[64], catalog_url[128];

static void send_token(const struct emu *emu, const char *method, const char *path,
                       const char *token, const char *extra, const char *body, struct id_answer *a)
{
    char auth[128];
    snprintf(auth, sizeof(auth), "X-Auth-Token: %s", token != NULL ? token : "");
    const char *headers[] = {token != NULL ? auth : "X-Other: 1", body ? CALL_JSON_HEADER : extra,
                             body ? extra : NULL, NULL};
    id_send(emu, method, path, headers, body, a);
}

/* GET / and GET /v3: no credentials, the URL of the v3 API on the Host asked. */
static void versions(const struct emu *emu)
{
    const char *paths[] = {"/", "/v3"};
    for (size_t i = 0; i < 2; i++) {
        struct id_answer a;
        id_send(emu, "GET", paths[i], NULL, NULL, &a);
        EXPECT_STATUS(&a.r, 200);
        CHECK_MEMBER(&a, "versions.values.0.id", "v3.6");
        CHECK_MEMBER(&a, "versions.values.0.status", "stable");
        CHECK_MEMBER(&a, "versions.values.0.links.0.rel", "self");
        char href[96];
        snprintf(href, sizeof(href), "http://%s/v3/", host);
        CHECK_MEMBER(&a, "versions.values.0.links.0.href", href);
        id_free(&a);
    }
    /* The Host the client used, whatever it is. */
    const char *other[] = {"Host: rdsemu.test:8443", NULL};
    struct id_answer a;
    id_send(emu, "GET", "/v3", other, NULL, &a);
    CHECK_MEMBER(&a, "versions.values.0.links.0.href", "http://rdsemu.test:8443/v3/");
    id_free(&a);
}

/* The catalog's one entry names --region and the project's v3 URL. */
static void expect_catalog(struct id_answer *a, const char *prefix, const char *project)
{
    char path[96], url[160];
    snprintf(url, sizeof(url), "http://%s/v3/%s", host, project);
    static const char *const fields[][2] = {
        {"0.id", "rdsv3"},
        {"0.name", "rdsv3"},
        {"0.type", "rdsv3"},
        {"0.endpoints.0.id", "rdsv3-public"},
        {"0.endpoints.0.interface", "public"},
        {"0.endpoints.0.region", REGION},
        {"0.endpoints.0.region_id", REGION},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        snprintf(path, sizeof(path), "%s.%s", prefix, fields[i][0]);
        CHECK_MEMBER(a, path, fields[i][1]);
    }
    snprintf(path, sizeof(path), "%s.0.endpoints.0.url", prefix);
    CHECK_MEMBER(a, path, url);
    json_t *root = http_response_json(&a->r);
    CHECK_INT(json_array_size(jpath(root, prefix)), 1);
    json_decref(root);
}

static void expect_empty_catalog(struct id_answer *a, const char *prefix)
{
    json_t *root = http_response_json(&a->r);
    CHECK(json_is_array(jpath(root, prefix)) && json_array_size(jpath(root, prefix)) == 0);
    json_decref(root);
}

/* GET /v3/auth/catalog signed as the Open Telekom Cloud SDK signs it, X-Project-Id added
 * after signing (or not at all). */
static void signed_catalog(const struct emu *emu, const char *project, struct id_answer *a)
{
    char project_header[96];
    snprintf(project_header, sizeof(project_header), "X-Project-Id: %s", project);
    struct cred_request req = {
        .method = "GET",
        .path = "/v3/auth/catalog",
        .headers = {{"Accept", "application/json", NULL},
                    {"Host", host, NULL},
                    {"User-Agent", "OpenTelekomCloud-gophertelekomcloud/0.9.3", NULL},
                    {"X-Sdk-Date", SDK_DATE, NULL}},
        .unsigned_headers = {project != NULL ? project_header : NULL},
        .scope = "20261205///sdk_request",
        .ak = AK,
        .sk = SK,
        .date = SDK_DATE,
    };
    struct http_response r;
    cred_send(emu, &req, &r, NULL, 0);
    memset(a, 0, sizeof(*a));
    a->r = r;
}

static void catalog(const struct emu *emu)
{
    struct id_answer a;
    char project[64];
    snprintf(project, sizeof(project), "X-Project-Id: %s", PROJ_A);

    send_token(emu, "GET", "/v3/auth/catalog", TOKEN_A, project, NULL, &a);
    if (EXPECT_STATUS(&a.r, 200))
        expect_catalog(&a, "catalog", PROJ_A);
    json_t *root = http_response_json(&a.r);
    snprintf(catalog_url, sizeof(catalog_url), "%s",
             jstr(root, "catalog.0.endpoints.0.url") ? jstr(root, "catalog.0.endpoints.0.url")
                                                     : "");
    json_decref(root);
    id_free(&a);
    /* No X-Project-Id (a domain client): an empty catalog, and no project rule. */
    send_token(emu, "GET", "/v3/auth/catalog", TOKEN_NONE, NULL, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    expect_empty_catalog(&a, "catalog");
    id_free(&a);
    /* A project the token may not use: 403 APIGW.0302, the gateway's shape. */
    snprintf(project, sizeof(project), "X-Project-Id: %s", PROJ_B);
    send_token(emu, "GET", "/v3/auth/catalog", TOKEN_A, project, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 403, "APIGW.0302");
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/catalog", "tok-unknown", NULL, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/catalog", NULL, NULL, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);

    /* Signed with Credential=, as the Open Telekom Cloud provider configures itself. */
    signed_catalog(emu, PROJ_A, &a);
    if (EXPECT_STATUS(&a.r, 200))
        expect_catalog(&a, "catalog", PROJ_A);
    id_free(&a);
    signed_catalog(emu, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    expect_empty_catalog(&a, "catalog");
    id_free(&a);
    signed_catalog(emu, PROJ_B, &a);
    EXPECT_IDENTITY_ERROR(&a, 403, "APIGW.0302");
    id_free(&a);
}

/* A client that knows only the catalog's URL reaches its project's v3 routes through it. */
static void follow_catalog(const struct emu *emu)
{
    CHECK(strncmp(catalog_url, "http://", 7) == 0);
    char url[256];
    struct id_answer a;
    snprintf(url, sizeof(url), "%s/backups", catalog_url);
    send_token(emu, "POST", url, TOKEN_A, NULL,
               "{\"instance_id\": \"inst-a\", \"name\": \"through-catalog\"}", &a);
    EXPECT_STATUS(&a.r, 200);
    char *id = NULL;
    json_t *root = http_response_json(&a.r);
    if (jstr(root, "backup.id") != NULL)
        id = strdup(jstr(root, "backup.id"));
    json_decref(root);
    id_free(&a);
    snprintf(url, sizeof(url), "%s/backups?instance_id=inst-a", catalog_url);
    send_token(emu, "GET", url, TOKEN_A, NULL, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_MEMBER(&a, "backups.0.name", "through-catalog");
    CHECK_MEMBER(&a, "backups.0.id", id);
    id_free(&a);
    free(id);
    /* The same backup in the project's own v3 path: the URL names that project. */
    struct http_response r;
    const char *token[] = {"X-Auth-Token: " TOKEN_A, NULL};
    call_request(emu, NULL, "GET", "/v3/" PROJ_A "/backups?instance_id=inst-a", token, NULL, &r);
    CHECK(EXPECT_STATUS(&r, 200) && strstr(r.body, "through-catalog") != NULL);
    http_response_free(&r);
}

/* GET /v3/auth/tokens: the token described, 24 h on the emulator clock, its first project. */
static void token_get(const struct emu *emu)
{
    struct id_answer a;
    send_token(emu, "GET", "/v3/auth/tokens", TOKEN_AB, "X-Subject-Token: " TOKEN_AB, NULL, &a);
    if (EXPECT_STATUS(&a.r, 200)) {
        CHECK(a.has_subject);
        CHECK_STR(a.subject, TOKEN_AB);
        CHECK_MEMBER(&a, "token.expires_at", EXPIRES);
        CHECK_MEMBER(&a, "token.methods.0", "token");
        CHECK_MEMBER(&a, "token.project.id", PROJ_A);
        CHECK_MEMBER(&a, "token.project.name", REGION);
        CHECK_MEMBER(&a, "token.project.domain.id", "local");
        CHECK_MEMBER(&a, "token.project.domain.name", "local");
        CHECK_MEMBER(&a, "token.user.domain.id", "local");
        CHECK(a.r.body != NULL && strstr(a.r.body, "\"user\":{\"id\":") != NULL);
        expect_catalog(&a, "token.catalog", PROJ_A);
    }
    id_free(&a);
    /* A token with no project: neither a project nor a catalog entry. */
    send_token(emu, "GET", "/v3/auth/tokens", TOKEN_NONE, "X-Subject-Token: " TOKEN_NONE, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_MEMBER(&a, "token.project.id", NULL);
    expect_empty_catalog(&a, "token.catalog");
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/tokens", TOKEN_A, "X-Subject-Token: tok-unknown", NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    CHECK(!a.has_subject);
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/tokens", "tok-unknown", "X-Subject-Token: " TOKEN_A, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/tokens", TOKEN_A, NULL, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);
}

static void login(const struct emu *emu, const char *body, struct id_answer *a)
{
    const char *headers[] = {CALL_JSON_HEADER, NULL};
    id_send(emu, "POST", "/v3/auth/tokens", headers, body, a);
}

#define LOGIN(token, scope)                                                                        \
    "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"" token            \
    "\"}}" scope "}}"

/* POST /v3/auth/tokens: no credentials asked; the body's token is judged by --tokens. */
static void token_post(const struct emu *emu)
{
    struct id_answer a;
    login(emu, LOGIN(TOKEN_A, ", \"scope\": {\"project\": {\"id\": \"" PROJ_A "\"}}"), &a);
    if (EXPECT_STATUS(&a.r, 201)) {
        CHECK_STR(a.subject, TOKEN_A);
        CHECK_MEMBER(&a, "token.project.id", PROJ_A);
        CHECK_MEMBER(&a, "token.project.name", REGION);
        CHECK_MEMBER(&a, "token.expires_at", EXPIRES);
        expect_catalog(&a, "token.catalog", PROJ_A);
    }
    /* The token given back is the one to use from now on (as the Huawei provider does). */
    char header[1100], path[128];
    snprintf(header, sizeof(header), "X-Auth-Token: %s", a.subject);
    snprintf(path, sizeof(path), "/v3/%s/backups?instance_id=inst-a", PROJ_A);
    id_free(&a);
    const char *headers[] = {header, NULL};
    id_send(emu, "GET", path, headers, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    id_free(&a);

    /* A domain scope, or none: no project. */
    login(emu, LOGIN(TOKEN_A, ", \"scope\": {\"domain\": {\"id\": \"local\"}}"), &a);
    EXPECT_STATUS(&a.r, 201);
    CHECK_MEMBER(&a, "token.project.id", NULL);
    expect_empty_catalog(&a, "token.catalog");
    id_free(&a);
    login(emu, LOGIN(TOKEN_NONE, ""), &a);
    EXPECT_STATUS(&a.r, 201);
    CHECK_STR(a.subject, TOKEN_NONE);
    CHECK_MEMBER(&a, "token.project.id", NULL);
    id_free(&a);
    /* A project by name: its ID, or the only one the token may use. */
    login(emu, LOGIN(TOKEN_AB, ", \"scope\": {\"project\": {\"name\": \"" PROJ_B "\"}}"), &a);
    EXPECT_STATUS(&a.r, 201);
    CHECK_MEMBER(&a, "token.project.id", PROJ_B);
    id_free(&a);
    login(emu, LOGIN(TOKEN_A, ", \"scope\": {\"project\": {\"name\": \"" REGION "\"}}"), &a);
    EXPECT_STATUS(&a.r, 201);
    CHECK_MEMBER(&a, "token.project.id", PROJ_A);
    id_free(&a);
    login(emu, LOGIN(TOKEN_AB, ", \"scope\": {\"project\": {\"name\": \"" REGION "\"}}"), &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301"); /* two projects: the name says neither */
    id_free(&a);

    /* Refusals: a project the token may not use, an unknown token, a password. */
    login(emu, LOGIN(TOKEN_A, ", \"scope\": {\"project\": {\"id\": \"" PROJ_B "\"}}"), &a);
    EXPECT_IDENTITY_ERROR(&a, 403, "APIGW.0302");
    CHECK(!a.has_subject);
    id_free(&a);
    login(emu, LOGIN("tok-unknown", ", \"scope\": {\"project\": {\"id\": \"" PROJ_A "\"}}"), &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);
    login(emu,
          "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": "
          "{\"name\": \"u\", \"password\": \"pw-0b3c7e91\"}}}}}",
          &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);

    /* The body's rules: 400 APIGW.0201. */
    const char *bad[] = {
        "not json",
        "[]",
        "{\"auth\": 1}",
        "{\"auth\": {\"identity\": {}}}",
        "{\"auth\": {\"identity\": {\"methods\": [\"totp\"]}}}",
        LOGIN("", ""),
        LOGIN("two words", ""),
        "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": 7}}}}",
        LOGIN(TOKEN_A, ", \"scope\": {\"project\": {\"id\": \"a/b\"}}"),
        LOGIN(TOKEN_A, ", \"scope\": {\"project\": {}}"),
        LOGIN(TOKEN_A, ", \"scope\": 3"),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        login(emu, bad[i], &a);
        if (!EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201"))
            fprintf(stderr, "    body: %s\n", bad[i]);
        CHECK(!a.has_subject);
        id_free(&a);
    }
}

/* Projects: the store's, those the caller may use; a name means the ID or the only one. */
static void projects(const struct emu *emu)
{
    struct id_answer a;
    send_token(emu, "GET", "/v3/projects?name=" PROJ_B, TOKEN_AB, NULL, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_MEMBER(&a, "projects.0.id", PROJ_B);
    CHECK_MEMBER(&a, "projects.0.name", PROJ_B);
    CHECK_MEMBER(&a, "projects.0.domain_id", "local");
    json_t *root = http_response_json(&a.r);
    CHECK(json_is_true(jpath(root, "projects.0.enabled")));
    CHECK(json_is_null(jpath(root, "links.next")) && jpath(root, "links.next") != NULL);
    char self[128];
    snprintf(self, sizeof(self), "http://%s/v3/projects?name=%s", host, PROJ_B);
    CHECK_STR(jstr(root, "links.self"), self);
    json_decref(root);
    id_free(&a);
    /* Two projects for this token: the region names neither. */
    send_token(emu, "GET", "/v3/projects?name=" REGION, TOKEN_AB, NULL, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    root = http_response_json(&a.r);
    CHECK_INT(json_array_size(jpath(root, "projects")), 0);
    json_decref(root);
    id_free(&a);
    /* No name: all the token may use, each named by its ID (not PROJ_C). */
    send_token(emu, "GET", "/v3/projects", TOKEN_AB, NULL, NULL, &a);
    root = http_response_json(&a.r);
    CHECK_INT(json_array_size(jpath(root, "projects")), 2);
    CHECK_STR(jstr(root, "projects.0.id"), PROJ_A);
    CHECK_STR(jstr(root, "projects.1.name"), PROJ_B);
    json_decref(root);
    id_free(&a);
    send_token(emu, "GET", "/v3/projects?name=a&name=b", TOKEN_AB, NULL, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);

    /* Signed, no project (the provider's lookup by its region): the AK's only project. */
    struct cred_request req = {
        .method = "GET",
        .path = "/v3/projects",
        .query = "name=" REGION,
        .canonical_query = "name=" REGION,
        .headers = {{"Accept", "application/json", NULL},
                    {"Host", host, NULL},
                    {"User-Agent", "OpenTelekomCloud-gophertelekomcloud/0.9.3", NULL},
                    {"X-Sdk-Date", SDK_DATE, NULL}},
        .scope = "20261205///sdk_request",
        .ak = AK,
        .sk = SK,
        .date = SDK_DATE,
    };
    cred_send(emu, &req, &a.r, NULL, 0);
    EXPECT_STATUS(&a.r, 200);
    CHECK_MEMBER(&a, "projects.0.id", PROJ_A);
    CHECK_MEMBER(&a, "projects.0.name", REGION);
    id_free(&a);
}

static void domains(const struct emu *emu)
{
    struct id_answer a;
    send_token(emu, "GET", "/v3/auth/domains", TOKEN_NONE, NULL, NULL, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_MEMBER(&a, "domains.0.id", "local");
    CHECK_MEMBER(&a, "domains.0.name", "local");
    json_t *root = http_response_json(&a.r);
    CHECK_INT(json_array_size(jpath(root, "domains")), 1);
    CHECK(json_is_true(jpath(root, "domains.0.enabled")));
    CHECK(json_is_null(jpath(root, "links.next")));
    json_decref(root);
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/domains?name=my-domain", TOKEN_NONE, NULL, NULL, &a);
    CHECK_MEMBER(&a, "domains.0.id", "local");
    CHECK_MEMBER(&a, "domains.0.name", "my-domain");
    id_free(&a);
    send_token(emu, "GET", "/v3/auth/domains", NULL, NULL, NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);
}

/* Tokens never in the journal: X-Subject-Token and the login's token are "***". */
static void journal_hides_tokens(struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/requests?limit=1000", NULL, &r);
    EXPECT_STATUS(&r, 200);
    CHECK(strstr(r.body, "\"X-Subject-Token\":\"***\"") != NULL);
    CHECK(strstr(r.body, "\\\"token\\\":{\\\"id\\\":\\\"***\\\"}") != NULL);
    const char *secrets[] = {TOKEN_A, TOKEN_AB, TOKEN_NONE, SK, "pw-0b3c7e91"};
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
        CHECK(strstr(r.body, secrets[i]) == NULL);
    /* The identity calls are journaled, found by the project they named. */
    http_response_free(&r);
    call_admin(emu, "GET", "/_emulator/requests?project_id=" PROJ_B, NULL, &r);
    CHECK(strstr(r.body, "/v3/auth/catalog") != NULL);
    http_response_free(&r);
    CHECK_INT(emu_stop(emu), 0);
    char *log = harness_read_file(emu->log_path, NULL);
    for (size_t i = 0; log != NULL && i < sizeof(secrets) / sizeof(secrets[0]); i++)
        CHECK(strstr(log, secrets[i]) == NULL);
    free(log);
}

int main(void)
{
    char dir[PATH_MAX], tokens[PATH_MAX + 32], credentials[PATH_MAX + 32], seed[PATH_MAX + 32];
    if (harness_tmpdir_create("identity-files", dir, sizeof(dir)) != 0)
        return 1;
    snprintf(tokens, sizeof(tokens), "%s/tokens.json", dir);
    snprintf(credentials, sizeof(credentials), "%s/credentials.json", dir);
    snprintf(seed, sizeof(seed), "%s/seed.json", dir);
    static const char tokens_json[] =
        "{\"" TOKEN_A "\": [\"" PROJ_A "\"], \"" TOKEN_AB "\": [\"" PROJ_A "\", \"" PROJ_B
        "\"], \"" TOKEN_NONE "\": []}";
    static const char credentials_json[] =
        "{\"" AK "\": {\"secret\": \"" SK "\", \"projects\": [\"" PROJ_A "\"]}}";
    static const char seed_json[] =
        "{\"projects\": ["
        "{\"id\": \"" PROJ_A "\", \"instances\": [{\"id\": \"inst-a\", \"name\": \"a\", "
        "\"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}]},"
        "{\"id\": \"" PROJ_B "\", \"instances\": [{\"id\": \"inst-b\", \"name\": \"b\", "
        "\"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}]},"
        "{\"id\": \"" PROJ_C "\", \"instances\": [{\"id\": \"inst-c\", \"name\": \"c\", "
        "\"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}]}]}";
    if (harness_write_file(tokens, tokens_json, strlen(tokens_json)) != 0 ||
        harness_write_file(credentials, credentials_json, strlen(credentials_json)) != 0 ||
        harness_write_file(seed, seed_json, strlen(seed_json)) != 0) {
        harness_tmpdir_remove(dir);
        return 1;
    }
    const char *args[] = {"--auth",           "tokens", "--tokens", tokens,     "--credentials",
                          credentials,        "--seed", seed,       "--region", REGION,
                          "--backup-seconds", "0",      NULL};
    struct emu emu;
    if (emu_start(&emu, "identity", args, NULL) != 0) {
        emu_cleanup(&emu, true);
        harness_tmpdir_remove(dir);
        return 1;
    }
    snprintf(host, sizeof(host), "127.0.0.1:%u", emu.port);
    struct http_response r;
    call_admin(&emu, "POST", "/_emulator/clock", "{\"now\": \"" NOW "\", \"freeze\": true}", &r);
    CHECK_INT(r.status, 200);
    http_response_free(&r);
    versions(&emu);
    catalog(&emu);
    follow_catalog(&emu);
    token_get(&emu);
    token_post(&emu);
    projects(&emu);
    domains(&emu);
    journal_hides_tokens(&emu);
    emu_cleanup(&emu, check_failures > 0);
    harness_tmpdir_remove(dir);
    return CHECK_DONE();
}
