/* The Credential= form of signed requests (docs/auth.md "The Credential= form") through the
 * running server, signed by credential_signer.h (which reproduces the Open Telekom Cloud
 * vectors first): under --auth tokens with --credentials, a request signed as that SDK signs
 * passes, and each rule is seen on the wire (a plus as a space, the first value of a name,
 * names sorted case-insensitively, header white space, a signed X-Sdk-Content-Sha256, a POST
 * without a body, region and service as sent); a wrong secret, an unknown AK, a stale date, a
 * scope of another day or with another end, another project are refused for the named cause;
 * under --auth presence the form is checked but the signature is not; no secret or signature
 * reaches the journal or the log. */
#include "credential_signer.h"
#include "auth.h"

#define DATE       "20261129T080000Z"
#define SCOPE      "20261129///sdk_request"
#define HEX64_ZERO "0000000000000000000000000000000000000000000000000000000000000000"

static char host[64];
static char project_path[128];        /* /v3/<the vectors' project>/backups */
static char sent_signatures[8][1024]; /* Authorization values sent, searched for in the log */
static size_t sent_count;

/* GET <project>/backups?instance_id=inst-0001, signed as gophertelekomcloud signs a list. */
static struct cred_request list_request(void)
{
    struct cred_request r = {
        .method = "GET",
        .path = project_path,
        .query = "instance_id=inst-0001",
        .canonical_query = "instance_id=inst-0001",
        .headers = {{"Accept", "application/json", NULL},
                    {"Host", host, NULL},
                    {"User-Agent", "OpenTelekomCloud-gophertelekomcloud/0.9.3", NULL},
                    {"X-Sdk-Date", DATE, NULL}},
        .unsigned_headers = {"X-Project-Id: set-after-signing"},
        .scope = SCOPE,
        .ak = "EMUTESTAK0000000",
        .date = DATE,
    };
    r.sk = vector_secret_key();
    return r;
}

static void send_signed(const struct emu *emu, const struct cred_request *req,
                        struct http_response *r)
{
    char *slot = sent_signatures[sent_count % 8];
    sent_count++;
    cred_send(emu, req, r, slot, sizeof(sent_signatures[0]));
}

static void expect_signed(const struct emu *emu, const struct cred_request *req, long status,
                          const char *what)
{
    struct http_response r;
    send_signed(emu, req, &r);
    if (!EXPECT_STATUS(&r, status))
        fprintf(stderr, "    %s\n", what);
    http_response_free(&r);
}

static void expect_refused(const struct emu *emu, const struct cred_request *req, const char *cause)
{
    struct http_response r;
    send_signed(emu, req, &r);
    EXPECT_AUTH_REFUSED(&r, cause);
    http_response_free(&r);
}

/* Each rule of the form on the wire: the server's canonical request must be the one stated. */
static void rules(const struct emu *emu)
{
    struct cred_request req = list_request();
    expect_signed(emu, &req, 200, "a list signed as the SDK signs it");

    /* Query: a plus is a space (%20 in the line), a name sent twice signs with its first value,
     * names sorted case-insensitively ("Name" before "name", both after "instance_id"). */
    req.query = "name=x&Name=a+b&instance_id=inst-0001&name=y";
    req.canonical_query = "instance_id=inst-0001&Name=a%20b&name=x";
    expect_signed(emu, &req, 200, "query rules");
    req.canonical_query = "Name=a%2Bb&instance_id=inst-0001&name=x&name=y"; /* Access= rules */
    expect_refused(emu, &req, "signature mismatch");
    req = list_request();

    /* Header values: white-space runs made one space. */
    req.headers[2].value = "OpenTelekomCloud  gophertelekomcloud\t\t0.9.3";
    req.headers[2].canonical = "OpenTelekomCloud gophertelekomcloud 0.9.3";
    expect_signed(emu, &req, 200, "header white space");
    req.headers[2].canonical = req.headers[2].value;
    expect_refused(emu, &req, "signature mismatch");
    req = list_request();

    /* Region and service as sent. */
    req.scope = "20261129/eu-de/rds/sdk_request";
    expect_signed(emu, &req, 200, "a region and a service");

    /* A create with its body's hash; then with a signed X-Sdk-Content-Sha256, whatever it says. */
    static const char create[] = "{\"instance_id\": \"inst-0001\", \"name\": \"credential-1\"}";
    struct cred_request post = list_request();
    post.method = "POST";
    post.query = NULL;
    post.canonical_query = NULL;
    post.body = create;
    post.headers[1] = (struct cred_header){"Content-Type", "application/json", NULL};
    post.headers[2] = (struct cred_header){"Host", host, NULL};
    post.headers[3] = (struct cred_header){"User-Agent", "gophertelekomcloud", NULL};
    post.headers[4] = (struct cred_header){"X-Sdk-Date", DATE, NULL};
    expect_signed(emu, &post, 200, "a create");
    static const char create2[] = "{\"instance_id\": \"inst-0001\", \"name\": \"credential-2\"}";
    post.body = create2;
    post.headers[4] = (struct cred_header){"X-Sdk-Content-Sha256", "not-a-hash-at-all", NULL};
    post.headers[5] = (struct cred_header){"X-Sdk-Date", DATE, NULL};
    post.payload = "not-a-hash-at-all";
    expect_signed(emu, &post, 200, "a create with a signed X-Sdk-Content-Sha256");

    /* A POST without a body: an empty query line and the query as url.Values.Encode writes it
     * (names sorted, '+' for a space) hashed, or the usual reading; either passes auth, then the
     * create wants a body. */
    struct cred_request bare = list_request();
    bare.method = "POST";
    bare.query = "b=x+y&a=1";
    bare.canonical_query = NULL;
    char encoded_hash[65];
    cred_sha256_hex("a=1&b=x+y", 9, encoded_hash);
    bare.payload = encoded_hash;
    struct http_response r;
    send_signed(emu, &bare, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    char empty_hash[65];
    cred_sha256_hex("", 0, empty_hash);
    bare.canonical_query = "a=1&b=x%20y";
    bare.payload = empty_hash;
    send_signed(emu, &bare, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
}

static void refusals(const struct emu *emu)
{
    struct cred_request req = list_request();
    req.sk = OTHER_SECRET;
    expect_refused(emu, &req, "signature mismatch");
    req = list_request();
    req.ak = "NOSUCHAK00000000";
    expect_refused(emu, &req, "unknown AK");
    req = list_request();
    req.scope = "20261128///sdk_request";
    expect_refused(emu, &req,
                   "the date of the Credential scope (20261128) must be the date of "
                   "X-Sdk-Date (20261129)");
    req = list_request();
    req.scope = "20261129///sdk_request2";
    expect_refused(emu, &req, "the Credential scope must end in /sdk_request");
    /* A date the clock does not reach: stale, whatever its scope. */
    set_clock(emu, DATE, 20 * 60);
    req = list_request();
    expect_refused(emu, &req, "signature expired, signature time:" DATE);
    set_clock(emu, DATE, 0);
    /* Verified, but the AK may not act on that project. */
    req = list_request();
    req.path = "/v3/" PROJ_B "/backups";
    struct http_response r;
    send_signed(emu, &req, &r);
    EXPECT_V3_ERROR(&r, 403, "DBS.200010");
    http_response_free(&r);
    /* A Credential of three parts is no Credential= at all. */
    const char *headers[] = {
        "Authorization: SDK-HMAC-SHA256 Credential=EMUTESTAK0000000/20261129/sdk_request, "
        "SignedHeaders=x-sdk-date, Signature=" HEX64_ZERO,
        "X-Sdk-Date: " DATE, NULL};
    char path[160];
    snprintf(path, sizeof(path), "%s?instance_id=inst-0001", project_path);
    call_request(emu, NULL, "GET", path, headers, NULL, &r);
    EXPECT_AUTH_REFUSED(&r, "not a well-formed SDK-HMAC-SHA256 signature");
    http_response_free(&r);
}

/* --auth presence: the form and its scope are checked, the signature is not. */
static void presence(const struct auth_files *files)
{
    const char *args[] = {"--seed", files->seed, "--backup-seconds", "0", NULL};
    struct emu emu;
    if (emu_start(&emu, "auth-credential-presence", args, NULL) != 0) {
        CHECK(!"rdsemu started with --auth presence");
        emu_cleanup(&emu, true);
        return;
    }
    snprintf(host, sizeof(host), "127.0.0.1:%u", emu.port);
    struct cred_request req = list_request();
    req.sk = "any secret at all";
    req.ak = "ANYAK";
    expect_signed(&emu, &req, 200, "presence: any AK and SK");
    req.scope = "20261128///sdk_request";
    expect_refused(&emu, &req, "must be the date of X-Sdk-Date");
    req.scope = "20261129///other";
    expect_refused(&emu, &req, "must end in /sdk_request");
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

static void nothing_shown(struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/requests?limit=1000", NULL, &r);
    EXPECT_STATUS(&r, 200);
    CHECK(strstr(r.body, vector_secret_key()) == NULL);
    CHECK(strstr(r.body, "Credential=") == NULL); /* the whole Authorization is "***" */
    http_response_free(&r);
    CHECK_INT(emu_stop(emu), 0);
    char *log = harness_read_file(emu->log_path, NULL);
    CHECK(log != NULL && strstr(log, vector_secret_key()) == NULL);
    for (size_t i = 0; log != NULL && i < sent_count && i < 8; i++) {
        const char *sig = strstr(sent_signatures[i], "Signature=");
        CHECK(sig != NULL && strstr(log, sig + 10) == NULL);
    }
    free(log);
}

int main(void)
{
    struct auth_files files;
    struct emu emu;
    if (auth_setup("auth-credential", &files) != 0)
        return 1;
    CHECK(cred_signer_self_check(vectors_file()));
    if (auth_start(&emu, "auth-credential", &files) != 0)
        return 1;
    snprintf(host, sizeof(host), "127.0.0.1:%u", emu.port);
    snprintf(project_path, sizeof(project_path), "/v3/%s/backups", vector_project_id());
    set_clock(&emu, DATE, 0);
    rules(&emu);
    refusals(&emu);
    nothing_shown(&emu);
    emu_cleanup(&emu, check_failures > 0);
    presence(&files);
    auth_teardown();
    return CHECK_DONE();
}
