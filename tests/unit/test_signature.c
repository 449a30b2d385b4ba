/* SDK-HMAC-SHA256 signatures (docs/auth.md): every vector of
 * tests/data/aksk-vectors.json (signed by the official Python and Go SDKs, Access=, and by the
 * Open Telekom Cloud Go SDK, Credential=) gives the vector's canonical request, string to sign
 * and signature, and the stated verdict; then the rules the vectors do not reach (bytes, skew
 * limits, malformed parts, UNSIGNED-PAYLOAD), and each rule of the Credential= form on its
 * own. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "fake_headers.h"
#include "rdsemu/core/signature.h"
#include "rdsemu/core/signed_auth.h"

#ifndef RDSEMU_AKSK_VECTORS
#error "RDSEMU_AKSK_VECTORS must name tests/data/aksk-vectors.json"
#endif

/* Like CHECK_STR, with the case's name, for strings too long to read in one line. */
#define CHECK_TEXT(name, what, actual, expected)                                                   \
    do {                                                                                           \
        const char *check_a_ = (actual), *check_e_ = (expected);                                   \
        check_count++;                                                                             \
        if (check_a_ == NULL || check_e_ == NULL || strcmp(check_a_, check_e_) != 0) {             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s: %s differs\n  got:      %s\n  expected: %s\n", __FILE__,   \
                    __LINE__, (name), (what), check_a_ ? check_a_ : "(null)",                      \
                    check_e_ ? check_e_ : "(null)");                                               \
        }                                                                                          \
    } while (0)

#define CHECK_VERDICT(name, result, expected)                                                      \
    do {                                                                                           \
        check_count++;                                                                             \
        if ((result).verdict != (expected)) {                                                      \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s: verdict %d, expected %d (reason: %s)\n", __FILE__,         \
                    __LINE__, (name), (int)(result).verdict, (int)(expected), (result).reason);    \
        }                                                                                          \
    } while (0)

/* ---- headers of a vector: a JSON object, names matched case-insensitively ---- */

static const char *json_header(void *ctx, const char *name, size_t *len)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)ctx, key, value)
    {
        if (strcasecmp(key, name) == 0) {
            *len = json_string_length(value);
            return json_string_value(value);
        }
    }
    return NULL;
}

static const char *member(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static struct signature_request vector_request(json_t *v)
{
    json_t *body = json_object_get(v, "body");
    struct signature_request req = {
        .method = member(v, "method"),
        .path = member(v, "path"),
        .path_len = json_string_length(json_object_get(v, "path")),
        .query = member(v, "query"),
        .query_len = json_string_length(json_object_get(v, "query")),
        .body = json_string_value(body),
        .body_len = json_string_length(body),
        .header = json_header,
        .header_ctx = json_object_get(v, "headers"),
    };
    return req;
}

/* The canonical request, string to sign and signature this module computes for `req`. */
struct computed {
    struct strbuf canonical;
    struct strbuf to_sign;
    char signature[SIGNATURE_HEX_LEN + 1];
};

static int compute(const struct signature_request *req, const struct signed_auth *auth,
                   const struct signature_reading *reading, const char *date, const char *secret,
                   struct computed *out)
{
    struct signature_result why;
    memset(out, 0, sizeof(*out));
    if (signature_canonical_request(req, auth, reading, &out->canonical, &why) != 0 ||
        signature_string_to_sign(auth, date, &out->canonical, &out->to_sign) != 0)
        return -1;
    signature_sign(auth, secret, strlen(secret), out->to_sign.data, out->to_sign.len,
                   out->signature);
    return 0;
}

static void computed_free(struct computed *c)
{
    strbuf_release(&c->canonical);
    strbuf_release(&c->to_sign);
}

static void check_vector(json_t *root, json_t *v, int *positives, int *negatives)
{
    const char *name = member(v, "name");
    const char *secret = member(v, "secret_key_override");
    if (secret == NULL)
        secret = member(root, "secret_key");
    json_t *headers = json_object_get(v, "headers");
    size_t len = 0;
    const char *authorization = json_header(headers, "Authorization", &len);
    const char *date = json_header(headers, "X-Sdk-Date", &len);
    struct signed_auth auth;
    CHECK(authorization != NULL && signed_auth_parse(authorization, &auth) == 0);
    CHECK(date != NULL && sdk_date_is_well_formed(date));
    if (authorization == NULL || date == NULL)
        return;
    bool credential = strstr(authorization, " Credential=") != NULL;
    CHECK_INT(auth.form, credential ? SIGNED_AUTH_CREDENTIAL : SIGNED_AUTH_ACCESS);
    CHECK_TEXT(name, "SignedHeaders", auth.signed_headers, member(v, "signed_headers"));
    CHECK_TEXT(name, "signature in Authorization", auth.signature, member(v, "signature"));
    const char *access_key = member(v, "access_key_override");
    CHECK_TEXT(name, "AK", auth.access_key,
               access_key != NULL ? access_key : member(root, "access_key"));

    struct signature_request req = vector_request(v);
    char body_hash[SIGNATURE_HEX_LEN + 1];
    signature_sha256_hex(req.body, req.body_len, body_hash);
    CHECK_TEXT(name, "body SHA-256", body_hash, member(v, "body_sha256"));

    struct signature_reading readings[SIGNATURE_READINGS_MAX];
    CHECK(signature_readings(&req, &auth, readings) >= 1);
    struct computed c;
    CHECK(compute(&req, &auth, &readings[0], date, secret, &c) == 0);
    if (member(v, "canonical_request") != NULL)
        CHECK_TEXT(name, "canonical request", c.canonical.data, member(v, "canonical_request"));
    if (member(v, "string_to_sign") != NULL)
        CHECK_TEXT(name, "string to sign", c.to_sign.data, member(v, "string_to_sign"));

    int64_t now = 0;
    const char *server_time = member(v, "server_time");
    CHECK(server_time != NULL && signature_date_parse(server_time, strlen(server_time), &now) == 0);
    struct signature_result result;
    signature_verify(&req, &auth, secret, strlen(secret), now, &result);

    const char *verdict = member(v, "expected_verdict");
    if (verdict != NULL && strcmp(verdict, "accept") == 0) {
        (*positives)++;
        CHECK_TEXT(name, "signature", c.signature, member(v, "signature"));
        CHECK_VERDICT(name, result, SIGNATURE_ACCEPTED);
        CHECK_TEXT(name, "reason", result.reason, "");
    } else {
        (*negatives)++;
        CHECK(verdict != NULL && strcmp(verdict, "reject") == 0);
        if (member(v, "server_expected_signature") != NULL)
            CHECK_TEXT(name, "server's signature", c.signature,
                       member(v, "server_expected_signature"));
        /* Without a stated reason, the vector's signature is the thing changed. */
        const char *server_reason = member(v, "server_reason");
        if (server_reason != NULL && strncmp(server_reason, "signature expired", 17) == 0) {
            CHECK_VERDICT(name, result, SIGNATURE_EXPIRED);
            /* "signature expired, signature time:..., server time:..." with both times */
            char expected[128];
            snprintf(expected, sizeof(expected),
                     "signature expired, signature time:%s, server time:%s", date, server_time);
            CHECK_TEXT(name, "reason", result.reason, expected);
        } else {
            CHECK_VERDICT(name, result, SIGNATURE_MISMATCH);
            CHECK(strstr(result.reason, "signature mismatch") != NULL);
        }
        /* The reason never reveals a signature, sent or expected. */
        CHECK(strstr(result.reason, member(v, "signature")) == NULL);
        CHECK(strstr(result.reason, c.signature) == NULL);
    }
    computed_free(&c);
}

static int check_vectors(void)
{
    const char *path = getenv("RDSEMU_AKSK_VECTORS");
    if (path == NULL)
        path = RDSEMU_AKSK_VECTORS;
    json_error_t error;
    json_t *root = json_load_file(path, 0, &error);
    if (root == NULL) {
        fprintf(stderr,
                "test_signature: cannot read the AK/SK test vectors %s: %s\n"
                "  (they live in tests/data of the repository; set RDSEMU_AKSK_VECTORS to "
                "point elsewhere)\n",
                path, error.text);
        return -1;
    }
    json_t *vectors = json_object_get(root, "vectors");
    int positives = 0, negatives = 0, credential = 0;
    size_t i;
    json_t *v;
    json_array_foreach(vectors, i, v)
    {
        check_vector(root, v, &positives, &negatives);
        size_t len;
        const char *authorization =
            json_header(json_object_get(v, "headers"), "Authorization", &len);
        credential += authorization != NULL && strstr(authorization, " Credential=") != NULL;
    }
    /* Both forms are covered: the Credential= ones accepted and refused. */
    CHECK(credential >= 2);
    printf("%d positive and %d negative vectors\n", positives, negatives);
    CHECK(positives >= 23);
    CHECK(negatives >= 4);
    CHECK_INT((size_t)(positives + negatives), json_array_size(vectors));
    json_decref(root);
    return 0;
}

/* ---- hand-made requests ---- */

#define DATE   "20261129T080000Z"
#define SECRET "hand-made-secret"

static struct signature_request fake_request(const char *method, const char *path,
                                             const char *query, const char *body, size_t body_len,
                                             struct fake_headers *h)
{
    struct signature_request req = {
        .method = method,
        .path = path,
        .path_len = strlen(path),
        .query = query,
        .query_len = query != NULL ? strlen(query) : 0,
        .body = body,
        .body_len = body_len,
        .header = fake_header,
        .header_ctx = h,
    };
    return req;
}

/* The scope of the hand-made Credential= requests: DATE's day, no region, no service, as
 * gophertelekomcloud sends it. */
#define SCOPE "20261129///sdk_request"

/* An Authorization of `form` for `signed_headers`, without its signature yet. */
static struct signed_auth auth_of(enum signed_auth_form form, const char *signed_headers)
{
    struct signed_auth auth;
    memset(&auth, 0, sizeof(auth));
    auth.form = form;
    snprintf(auth.access_key, sizeof(auth.access_key), "HANDMADEAK");
    if (form == SIGNED_AUTH_CREDENTIAL)
        snprintf(auth.scope, sizeof(auth.scope), SCOPE);
    snprintf(auth.signed_headers, sizeof(auth.signed_headers), "%s", signed_headers);
    return auth;
}

/* The reading whose payload line is `payload` (and whose query line is empty when
 * `empty_query`). */
static struct signature_reading reading_of(const char *payload, bool empty_query)
{
    struct signature_reading r = {
        .empty_query = empty_query, .text = payload, .text_len = strlen(payload)};
    return r;
}

/* The canonical request of `req` in `form` with `payload` as its last line. */
static int canonical_in(enum signed_auth_form form, const struct signature_request *req,
                        const char *signed_headers, const char *payload, struct strbuf *out,
                        struct signature_result *why)
{
    struct signed_auth auth = auth_of(form, signed_headers);
    struct signature_reading reading = reading_of(payload, false);
    return signature_canonical_request(req, &auth, &reading, out, why);
}

static int canonical_access(const struct signature_request *req, const char *signed_headers,
                            const char *payload, struct strbuf *out, struct signature_result *why)
{
    return canonical_in(SIGNED_AUTH_ACCESS, req, signed_headers, payload, out, why);
}

/* Fills `auth` (its form and SignedHeaders set) with a signature of `req` made by this module
 * under `reading`. */
static void sign_reading(const struct signature_request *req,
                         const struct signature_reading *reading, struct signed_auth *auth)
{
    struct computed c;
    CHECK(compute(req, auth, reading, DATE, SECRET, &c) == 0);
    memcpy(auth->signature, c.signature, sizeof(auth->signature));
    computed_free(&c);
}

/* An Access= signature of `req` made by this module with `payload`. */
static void sign_fake(const struct signature_request *req, const char *signed_headers,
                      const char *payload, struct signed_auth *auth)
{
    *auth = auth_of(SIGNED_AUTH_ACCESS, signed_headers);
    struct signature_reading reading = reading_of(payload, false);
    sign_reading(req, &reading, auth);
}

/* The first reading's payload line of `req` as `auth` says. */
static const char *first_payload(const struct signature_request *req,
                                 const struct signed_auth *auth, int *count,
                                 struct signature_reading readings[SIGNATURE_READINGS_MAX])
{
    *count = signature_readings(req, auth, readings);
    return readings[0].text != NULL ? readings[0].text : readings[0].hash;
}

static int64_t date_value(const char *date)
{
    int64_t t = -1;
    CHECK(signature_date_parse(date, strlen(date), &t) == 0);
    return t;
}

static void test_bytes_in_path_and_query(void)
{
    struct fake_headers h = {{"X-Sdk-Date"}, {DATE}};
    /* %00 is a NUL byte inside its segment and comes back as %00; an encoded '/' splits;
     * a bad escape is a literal '%'; UTF-8 bytes are encoded one by one, upper-case hex;
     * "." and ".." stay; '+' is a plus, not a space. */
    static const char path[] = "/v3/p/a%2Fb/c%00d/%zz%4/%c3%a9/./../x+y~";
    static const char query[] = "b=2&a&&a=&c=%20+&x=1=2&n%00ul=%00&z";
    struct signature_request req = fake_request("GET", path, query, NULL, 0, &h);
    struct strbuf canonical = STRBUF_INIT;
    struct signature_result why;
    CHECK(canonical_access(&req, "x-sdk-date", "PAYLOAD", &canonical, &why) == 0);
    CHECK_TEXT("bytes", "canonical request", canonical.data,
               "GET\n/v3/p/a/b/c%00d/%25zz%254/%C3%A9/./../x%2By~/\n"
               "a=&a=&b=2&c=%20%2B&n%00ul=%00&x=1%3D2&z=\n"
               "x-sdk-date:" DATE "\n\nx-sdk-date\nPAYLOAD");
    /* A NUL byte shows in the canonical request as %00, never raw: its length is exact. */
    CHECK_INT(strlen(canonical.data), canonical.len);

    /* Sorting is by decoded bytes: 'Z' (0x5a) < 'a', "v.1" < "v/1", a NUL sorts first. */
    static const char sorting[] = "tag=v%2F1&alpha=2&Zeta=1&tag=v.1&tag=%00";
    req = fake_request("GET", "/", sorting, NULL, 0, &h);
    CHECK(canonical_access(&req, "x-sdk-date", "P", &canonical, &why) == 0);
    CHECK_TEXT("sorting", "canonical request", canonical.data,
               "GET\n/\nZeta=1&alpha=2&tag=%00&tag=v.1&tag=v%2F1\nx-sdk-date:" DATE
               "\n\nx-sdk-date\nP");

    /* No query at all, an empty one, and a path that already ends in '/'. */
    req = fake_request("DELETE", "/a/", "", NULL, 0, &h);
    CHECK(canonical_access(&req, "x-sdk-date", "P", &canonical, &why) == 0);
    CHECK_TEXT("empty query", "canonical request", canonical.data,
               "DELETE\n/a/\n\nx-sdk-date:" DATE "\n\nx-sdk-date\nP");
    strbuf_release(&canonical);
}

static void test_headers(void)
{
    /* Values trimmed, names looked up case-insensitively, the client's list used as is. */
    struct fake_headers h = {{"x-sdk-DATE", "X-Language", "Host", "X_Trace"},
                             {DATE, " \ten-us \t", "127.0.0.1:8080", "not signed"}};
    struct signature_request req = fake_request("GET", "/p", NULL, NULL, 0, &h);
    struct strbuf canonical = STRBUF_INIT;
    struct signature_result why;
    CHECK(canonical_access(&req, "host;x-language;x-sdk-date", "P", &canonical, &why) == 0);
    CHECK_TEXT("headers", "canonical request", canonical.data,
               "GET\n/p/\n\nhost:127.0.0.1:8080\nx-language:en-us\nx-sdk-date:" DATE
               "\n\nhost;x-language;x-sdk-date\nP");

    /* A signed header the request lacks fails and is named. */
    CHECK(canonical_access(&req, "content-type;x-sdk-date", "P", &canonical, &why) == -1);
    CHECK_INT(why.verdict, SIGNATURE_HEADER_MISSING);
    CHECK(strstr(why.reason, "content-type") != NULL);

    /* Lists that are not lists of names. */
    const char *bad[] = {"", ";", "host;;x-sdk-date", "host;", "ho st", "x-sdk-date;h\x01"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(canonical_access(&req, bad[i], "P", &canonical, &why) == -1);
        CHECK_INT(why.verdict, SIGNATURE_HEADERS_INVALID);
    }
    strbuf_release(&canonical);
}

static void test_verdicts(void)
{
    struct fake_headers h = {{"X-Sdk-Date", "Host"}, {DATE, "h"}};
    static const char body[] = "{\"a\": 1}";
    struct signature_request req =
        fake_request("POST", "/v3/p/backups", NULL, body, sizeof(body) - 1, &h);
    struct signature_reading readings[SIGNATURE_READINGS_MAX];
    int count = 0;
    struct signed_auth auth = auth_of(SIGNED_AUTH_ACCESS, "host;x-sdk-date");
    char payload[SIGNATURE_HEX_LEN + 1];
    snprintf(payload, sizeof(payload), "%s", first_payload(&req, &auth, &count, readings));
    CHECK_INT(count, 1);
    sign_fake(&req, "host;x-sdk-date", payload, &auth);
    struct signature_result r;
    int64_t t = date_value(DATE);

    signature_verify(&req, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("good", r, SIGNATURE_ACCEPTED);

    /* The skew limit is 15 minutes either side, inclusive. */
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t + 900, &r);
    CHECK_VERDICT("+15 min", r, SIGNATURE_ACCEPTED);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t - 900, &r);
    CHECK_VERDICT("-15 min", r, SIGNATURE_ACCEPTED);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t + 901, &r);
    CHECK_VERDICT("+15 min 1 s", r, SIGNATURE_EXPIRED);
    CHECK_TEXT("+15 min 1 s", "reason", r.reason,
               "signature expired, signature time:20261129T080000Z, server "
               "time:20261129T081501Z");
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t - 901, &r);
    CHECK_VERDICT("-15 min 1 s", r, SIGNATURE_EXPIRED);
    CHECK(strstr(r.reason, "server time:20261129T074459Z") != NULL);

    /* Wrong secret, changed body, changed method: mismatch, and no signature in the text. */
    signature_verify(&req, &auth, "other", 5, t, &r);
    CHECK_VERDICT("wrong secret", r, SIGNATURE_MISMATCH);
    CHECK(strstr(r.reason, auth.signature) == NULL);
    struct signature_request changed = req;
    changed.body_len--;
    signature_verify(&changed, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("body cut", r, SIGNATURE_MISMATCH);
    changed = req;
    changed.method = "PUT";
    signature_verify(&changed, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("method", r, SIGNATURE_MISMATCH);
    /* An unsigned header may change; a signed one may not. */
    struct fake_headers h2 = {{"X-Sdk-Date", "Host", "User-Agent"}, {DATE, "other", "x"}};
    changed = req;
    changed.header_ctx = &h2;
    signature_verify(&changed, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("signed host changed", r, SIGNATURE_MISMATCH);

    /* A header named in SignedHeaders but absent. */
    struct signed_auth more = auth;
    snprintf(more.signed_headers, sizeof(more.signed_headers), "host;x-project-id;x-sdk-date");
    signature_verify(&req, &more, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("header missing", r, SIGNATURE_HEADER_MISSING);
    CHECK(strstr(r.reason, "x-project-id") != NULL);

    /* x-sdk-date must be signed. */
    struct signed_auth undated;
    sign_fake(&req, "host", payload, &undated);
    signature_verify(&req, &undated, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("date not signed", r, SIGNATURE_DATE_NOT_SIGNED);

    /* Missing, malformed and impossible dates. */
    const char *dates[] = {NULL,
                           "",
                           "20261129T080000",
                           "20261129 080000Z",
                           "2026112aT080000Z",
                           "20261329T080000Z",
                           "20260230T080000Z",
                           "20230229T000000Z",
                           "20261129T240000Z",
                           "20261129T086000Z",
                           "19691231T235959Z",
                           " 20261129T080000Z1"};
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        struct fake_headers hd = {{dates[i] != NULL ? "X-Sdk-Date" : "Other", "Host"},
                                  {dates[i] != NULL ? dates[i] : "", "h"}};
        changed = req;
        changed.header_ctx = &hd;
        signature_verify(&changed, &auth, SECRET, strlen(SECRET), t, &r);
        CHECK_VERDICT(dates[i] != NULL ? dates[i] : "(no date)", r, SIGNATURE_DATE_INVALID);
    }
}

static void test_unsigned_payload(void)
{
    struct fake_headers h = {{"X-Sdk-Date", "Content-Type", "X-Sdk-Content-Sha256"},
                             {DATE, "text/plain", "UNSIGNED-PAYLOAD"}};
    static const char body[] = "max_connections=1000\n";
    const char *list = "content-type;x-sdk-content-sha256;x-sdk-date";
    int64_t t = date_value(DATE);
    struct signature_reading readings[SIGNATURE_READINGS_MAX];
    int count = 0;
    char empty[65];
    struct signature_result r;
    struct signed_auth auth = auth_of(SIGNED_AUTH_ACCESS, list);
    signature_sha256_hex("", 0, empty);
    CHECK_TEXT("sha256", "empty", empty,
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* With a body, the literal replaces the hash, and only it verifies. */
    struct signature_request req = fake_request("PUT", "/c", NULL, body, sizeof(body) - 1, &h);
    CHECK_TEXT("unsigned", "payload", first_payload(&req, &auth, &count, readings),
               "UNSIGNED-PAYLOAD");
    CHECK_INT(count, 1);
    sign_fake(&req, list, "UNSIGNED-PAYLOAD", &auth);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("unsigned payload", r, SIGNATURE_ACCEPTED);
    char body_hash[SIGNATURE_HEX_LEN + 1];
    signature_sha256_hex(body, sizeof(body) - 1, body_hash);
    sign_fake(&req, list, body_hash, &auth);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("body hash where UNSIGNED-PAYLOAD was signed", r, SIGNATURE_MISMATCH);

    /* With an empty body, either choice verifies (the Go and the Python SDK). */
    req = fake_request("PUT", "/c", NULL, NULL, 0, &h);
    CHECK_TEXT("empty unsigned", "payload", first_payload(&req, &auth, &count, readings),
               "UNSIGNED-PAYLOAD");
    CHECK_INT(count, 2);
    CHECK(readings[1].text == NULL && !readings[1].empty_query);
    CHECK_TEXT("empty unsigned", "alternative", readings[1].hash, empty);
    sign_fake(&req, list, "UNSIGNED-PAYLOAD", &auth);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("empty body, Go style", r, SIGNATURE_ACCEPTED);
    sign_fake(&req, list, empty, &auth);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("empty body, Python style", r, SIGNATURE_ACCEPTED);
    sign_fake(&req, list, body_hash, &auth);
    signature_verify(&req, &auth, SECRET, strlen(SECRET), t, &r);
    CHECK_VERDICT("empty body, anything else", r, SIGNATURE_MISMATCH);

    /* Not signed, or another value: the body's hash counts. */
    const char *unsigned_list = "content-type;x-sdk-date";
    req = fake_request("PUT", "/c", NULL, body, sizeof(body) - 1, &h);
    auth = auth_of(SIGNED_AUTH_ACCESS, unsigned_list);
    CHECK_TEXT("header not signed", "payload", first_payload(&req, &auth, &count, readings),
               body_hash);
    struct fake_headers other = {{"X-Sdk-Date", "X-Sdk-Content-Sha256"}, {DATE, "abc"}};
    req.header_ctx = &other;
    auth = auth_of(SIGNED_AUTH_ACCESS, "x-sdk-content-sha256;x-sdk-date");
    CHECK_TEXT("other value", "payload", first_payload(&req, &auth, &count, readings), body_hash);
}

static void test_dates(void)
{
    char text[SIGNATURE_DATE_LEN + 1];
    signature_date_format(0, text);
    CHECK_STR(text, "19700101T000000Z");
    CHECK_INT(date_value("19700101T000000Z"), 0);
    CHECK_INT(date_value("20240229T235959Z"), 1709251199);
    signature_date_format(1709251199, text);
    CHECK_STR(text, "20240229T235959Z");
    CHECK_INT(date_value("20000301T000000Z"), 951868800);
    CHECK_INT(date_value("21000228T120000Z"), 4107499200);
    /* The last second the emulator shows, and past it (clamped: never a five-digit year). */
    signature_date_format(253402300799LL, text);
    CHECK_STR(text, "99991231T235959Z");
    signature_date_format(253402300800LL, text);
    CHECK_STR(text, "99991231T235959Z");
    signature_date_format(-1, text);
    CHECK_STR(text, "19700101T000000Z");
    for (int64_t t = 0; t < 5000000000; t += 86399 * 97) {
        int64_t back = -1;
        signature_date_format(t, text);
        CHECK(signature_date_parse(text, strlen(text), &back) == 0 && back == t);
    }
}

static void test_hmac(void)
{
    /* RFC 4231 test case 2. */
    char out[SIGNATURE_HEX_LEN + 1];
    static const char message[] = "what do ya want for nothing?";
    signature_compute("Jefe", 4, message, sizeof(message) - 1, out);
    CHECK_STR(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

int main(void)
{
    if (check_vectors() != 0)
        return 1;
    test_bytes_in_path_and_query();
    test_headers();
    test_verdicts();
    test_unsigned_payload();
    test_dates();
    test_hmac();
    return CHECK_DONE();
}
