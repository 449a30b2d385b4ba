/* The identity routes under --auth presence and off (docs/identity.md): a token's project is
 * the seed's first project, else the store's first, else none; a name means a project's ID or
 * the only project; password logins get a fresh token; X-Project-Id must be a project ID,
 * given once; the journal hides passwords and tokens, whole bodies that are not JSON; faults
 * and the body rules answer in the gateway shape. */
#include <limits.h>
#include <unistd.h>

#include "credential_signer.h"
#include "identity_kit.h"
#include "raw.h"

#define FIRST  "presence-first"
#define SECOND "presence-second"
#define EARLY  "aaa-presence" /* sorts before the seed's projects */
#define REGION "cn-north-4"   /* the default --region */

static const char *const any_token[] = {"X-Auth-Token: anything", NULL};

static void get(const struct emu *emu, const char *path, const char *const *headers,
                struct id_answer *a)
{
    id_send(emu, "GET", path, headers, NULL, a);
}

static void login(const struct emu *emu, const char *body, struct id_answer *a)
{
    const char *headers[] = {CALL_JSON_HEADER, NULL};
    id_send(emu, "POST", "/v3/auth/tokens", headers, body, a);
}

static size_t array_size(struct id_answer *a, const char *path)
{
    json_t *root = http_response_json(&a->r);
    size_t n = json_array_size(jpath(root, path));
    json_decref(root);
    return n;
}

static void seeded(const struct emu *emu)
{
    CHECK_INT(call_put_instance(emu, EARLY, "inst-early",
                                "{\"name\": \"early\", \"datastore\": {\"type\": \"MySQL\", "
                                "\"version\": \"8.0\"}}"),
              0);
    struct id_answer a;
    /* Any token describes a token of the seed's first project (not the store's first). */
    const char *describe[] = {"X-Auth-Token: whatever", "X-Subject-Token: whatever", NULL};
    get(emu, "/v3/auth/tokens", describe, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_STR(a.subject, "whatever");
    CHECK_MEMBER(&a, "token.project.id", FIRST);
    CHECK_MEMBER(&a, "token.project.name", REGION);
    id_free(&a);
    /* A signature is checked for its form only. */
    char host[64];
    snprintf(host, sizeof(host), "127.0.0.1:%u", emu->port);
    struct cred_request req = {
        .method = "GET",
        .path = "/v3/auth/catalog",
        .headers = {{"Host", host, NULL}, {"X-Sdk-Date", "20261129T080000Z", NULL}},
        .unsigned_headers = {"X-Project-Id: " SECOND},
        .scope = "20261129///sdk_request",
        .ak = "ANYAK",
        .sk = "any secret",
        .date = "20261129T080000Z",
    };
    cred_send(emu, &req, &a.r, NULL, 0);
    EXPECT_STATUS(&a.r, 200);
    char url[128];
    snprintf(url, sizeof(url), "http://%s/v3/%s", host, SECOND);
    CHECK_MEMBER(&a, "catalog.0.endpoints.0.url", url);
    CHECK_MEMBER(&a, "catalog.0.endpoints.0.region", REGION);
    id_free(&a);
    /* Three projects: a region names none of them; an ID names its own. */
    get(emu, "/v3/projects?name=" REGION, any_token, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_INT(array_size(&a, "projects"), 0);
    id_free(&a);
    get(emu, "/v3/projects?name=" SECOND, any_token, &a);
    CHECK_MEMBER(&a, "projects.0.id", SECOND);
    id_free(&a);
    get(emu, "/v3/projects", any_token, &a);
    CHECK_INT(array_size(&a, "projects"), 3);
    CHECK_MEMBER(&a, "projects.0.id", EARLY);
    id_free(&a);
}

static void project_header(const struct emu *emu)
{
    struct id_answer a;
    const char *bad[] = {"X-Auth-Token: t", "X-Project-Id: bad/project", NULL};
    get(emu, "/v3/auth/catalog", bad, &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);
    const char *twice[] = {"X-Auth-Token: t", "X-Project-Id: " FIRST, "X-Project-Id: " SECOND,
                           NULL};
    get(emu, "/v3/auth/catalog", twice, &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);
    const char *empty[] = {"X-Auth-Token: t", "X-Project-Id;", NULL}; /* sent, empty */
    get(emu, "/v3/auth/catalog", empty, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_INT(array_size(&a, "catalog"), 0);
    id_free(&a);
    /* Without a token, presence refuses as on every emulated route. */
    const char *bare[] = {"X-Project-Id: " FIRST, NULL};
    get(emu, "/v3/auth/catalog", bare, &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);
}

static void password_logins(const struct emu *emu)
{
    struct id_answer a;
    char first[sizeof(a.subject)] = "";
    for (int i = 0; i < 2; i++) {
        login(emu,
              "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": "
              "{\"name\": \"u\", \"password\": \"pw-presence-3a9d\", \"domain\": {\"name\": "
              "\"local\"}}}}, \"scope\": {\"project\": {\"id\": \"" SECOND "\"}}}}",
              &a);
        EXPECT_STATUS(&a.r, 201);
        CHECK(text_is_uuid(a.subject));
        CHECK(strcmp(a.subject, first) != 0); /* a fresh token each time */
        snprintf(first, sizeof(first), "%s", a.subject);
        CHECK_MEMBER(&a, "token.methods.0", "password");
        CHECK_MEMBER(&a, "token.project.id", SECOND);
        id_free(&a);
    }
    /* ... which works as a token. */
    char header[sizeof(first) + 16];
    snprintf(header, sizeof(header), "X-Auth-Token: %s", first);
    const char *headers[] = {header, NULL};
    get(emu, "/v3/" SECOND "/backups?instance_id=inst-second", headers, &a);
    EXPECT_STATUS(&a.r, 200);
    id_free(&a);
    /* A region names no project among three. */
    login(emu,
          "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": "
          "{\"name\": \"u\", \"password\": \"pw-presence-3a9d\"}}}, \"scope\": {\"project\": "
          "{\"name\": \"" REGION "\"}}}}",
          &a);
    EXPECT_IDENTITY_ERROR(&a, 401, "APIGW.0301");
    id_free(&a);
}

static void gateway_answers(const struct emu *emu)
{
    struct id_answer a;
    /* The body's own rules and limits, in the gateway shape. */
    login(emu, "{\"secret-in-broken-json\": ", &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);
    const char *plain[] = {"Content-Type: text/plain", NULL};
    id_send(emu, "POST", "/v3/auth/tokens", plain, "{}", &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);
    char *big = text_repeat(" ", 70000);
    login(emu, big, &a);
    EXPECT_IDENTITY_ERROR(&a, 413, "APIGW.0201");
    id_free(&a);
    free(big);
    /* Faults answer in the same shape, with the gateway's codes. */
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/faults",
               "{\"path\": \"/v3/auth/catalog\", \"status\": 503, \"times\": 1}", &r);
    CHECK_INT(r.status, 201);
    http_response_free(&r);
    get(emu, "/v3/auth/catalog", any_token, &a);
    EXPECT_IDENTITY_ERROR(&a, 503, "APIGW.0201");
    id_free(&a);
    call_admin(emu, "POST", "/_emulator/faults",
               "{\"path\": \"/v3/projects\", \"status\": 403, \"times\": 1}", &r);
    http_response_free(&r);
    get(emu, "/v3/projects", any_token, &a);
    EXPECT_IDENTITY_ERROR(&a, 403, "APIGW.0302");
    id_free(&a);
    /* The URLs are built on Host: an HTTP/1.0 request without one gets a 400. */
    int fd = raw_connect(emu->port);
    static const char no_host[] = "GET /v3 HTTP/1.0\r\n\r\n";
    char *body = NULL;
    bool closing = false;
    CHECK(fd >= 0 && raw_write_all(fd, no_host, sizeof(no_host) - 1) == 0);
    CHECK_INT(raw_read_answer(fd, 5000, &body, &closing), 400);
    CHECK(body != NULL && strstr(body, "APIGW.0201") != NULL && strstr(body, "Host") != NULL);
    free(body);
    if (fd >= 0)
        close(fd);
}

static void journal_hides(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/requests?limit=1000", NULL, &r);
    EXPECT_STATUS(&r, 200);
    CHECK(strstr(r.body, "pw-presence-3a9d") == NULL);
    CHECK(strstr(r.body, "secret-in-broken-json") == NULL);
    CHECK(strstr(r.body, "\\\"password\\\":\\\"***\\\"") != NULL);
    CHECK(strstr(r.body, "\"body\":\"***\"") != NULL); /* not JSON: hidden whole */
    CHECK(strstr(r.body, "\"X-Subject-Token\":\"***\"") != NULL);
    CHECK(strstr(r.body, "whatever") == NULL);
    http_response_free(&r);
}

/* No seed: the store's first project, or none at all. */
static void unseeded(void)
{
    const char *args[] = {"--db", ":memory:", NULL};
    struct emu emu;
    if (emu_start(&emu, "identity-empty", args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, true);
        return;
    }
    struct id_answer a;
    const char *describe[] = {"X-Auth-Token: t", "X-Subject-Token: t", NULL};
    get(&emu, "/v3/auth/tokens", describe, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_MEMBER(&a, "token.project.id", NULL);
    CHECK_INT(array_size(&a, "token.catalog"), 0);
    id_free(&a);
    get(&emu, "/v3/projects?name=" REGION, any_token, &a);
    CHECK_INT(array_size(&a, "projects"), 0);
    id_free(&a);
    /* One project: any name means it, and it is the token's. */
    CHECK_INT(call_put_instance(&emu, "lone-project", "i1",
                                "{\"name\": \"lone\", \"datastore\": {\"type\": \"MySQL\", "
                                "\"version\": \"8.0\"}}"),
              0);
    get(&emu, "/v3/projects?name=" REGION, any_token, &a);
    CHECK_MEMBER(&a, "projects.0.id", "lone-project");
    CHECK_MEMBER(&a, "projects.0.name", REGION);
    id_free(&a);
    /* A name that is not UTF-8 is answered made valid, never dropped. */
    get(&emu, "/v3/projects?name=a%FFb", any_token, &a);
    CHECK_MEMBER(&a, "projects.0.id", "lone-project");
    CHECK_MEMBER(&a, "projects.0.name", "a?b");
    id_free(&a);
    get(&emu, "/v3/auth/tokens", describe, &a);
    CHECK_MEMBER(&a, "token.project.id", "lone-project");
    id_free(&a);
    login(&emu,
          "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"t\"}}, "
          "\"scope\": {\"project\": {\"name\": \"" REGION "\"}}}}",
          &a);
    EXPECT_STATUS(&a.r, 201);
    CHECK_MEMBER(&a, "token.project.id", "lone-project");
    id_free(&a);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

/* --auth off: nothing asked, but a token to describe is still needed. */
static void auth_off(void)
{
    const char *args[] = {"--auth", "off", "--db", ":memory:", NULL};
    struct emu emu;
    if (emu_start(&emu, "identity-off", args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, true);
        return;
    }
    struct id_answer a;
    const char *project[] = {"X-Project-Id: off-project", NULL};
    get(&emu, "/v3/auth/catalog", project, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_INT(array_size(&a, "catalog"), 1);
    id_free(&a);
    const char *subject[] = {"X-Subject-Token: s", NULL};
    get(&emu, "/v3/auth/tokens", subject, &a);
    EXPECT_STATUS(&a.r, 200);
    CHECK_STR(a.subject, "s");
    id_free(&a);
    get(&emu, "/v3/auth/tokens", NULL, &a);
    EXPECT_IDENTITY_ERROR(&a, 400, "APIGW.0201");
    id_free(&a);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

int main(void)
{
    char dir[PATH_MAX], seed[PATH_MAX + 32];
    if (harness_tmpdir_create("identity-presence", dir, sizeof(dir)) != 0)
        return 1;
    snprintf(seed, sizeof(seed), "%s/seed.json", dir);
    static const char seed_json[] =
        "{\"projects\": ["
        "{\"id\": \"" FIRST "\", \"instances\": [{\"id\": \"inst-first\", \"name\": \"f\", "
        "\"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}]},"
        "{\"id\": \"" SECOND "\", \"instances\": [{\"id\": \"inst-second\", \"name\": \"s\", "
        "\"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}]}]}";
    if (harness_write_file(seed, seed_json, strlen(seed_json)) != 0) {
        harness_tmpdir_remove(dir);
        return 1;
    }
    const char *args[] = {"--seed", seed, NULL};
    struct emu emu;
    if (emu_start(&emu, "identity-presence", args, NULL) != 0) {
        emu_cleanup(&emu, true);
        harness_tmpdir_remove(dir);
        return 1;
    }
    seeded(&emu);
    project_header(&emu);
    password_logins(&emu);
    gateway_answers(&emu);
    journal_hides(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    harness_tmpdir_remove(dir);
    unseeded();
    auth_off();
    return CHECK_DONE();
}
