/* The Credential= signer of the tests (tests/common/credential_signer.h). */
#include <ctype.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "expect.h"

#include "credential_signer.h"

void cred_hex(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", in[i]);
}

void cred_sha256_hex(const char *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof(digest), digest);
    cred_hex(digest, sizeof(digest), out);
}

void cred_hmac(const uint8_t *key, size_t key_len, const char *data, size_t len,
               uint8_t out[SHA256_DIGEST_SIZE])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, key_len, key);
    hmac_sha256_update(&ctx, len, (const uint8_t *)data);
    hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

/* The signature of `to_sign` with the key derived from `sk` and `scope`. */
void cred_signature(const char *sk, const char *scope, const char *to_sign, char out[65])
{
    uint8_t key[SHA256_DIGEST_SIZE];
    char prefixed[512];
    snprintf(prefixed, sizeof(prefixed), "SDK%s", sk);
    const char *part = scope;
    size_t len = strcspn(part, "/");
    cred_hmac((const uint8_t *)prefixed, strlen(prefixed), part, len, key);
    for (int i = 0; i < 3; i++) {
        part += len + 1;
        len = strcspn(part, "/");
        cred_hmac(key, sizeof(key), part, len, key);
    }
    uint8_t sig[SHA256_DIGEST_SIZE];
    cred_hmac(key, sizeof(key), to_sign, strlen(to_sign), sig);
    cred_hex(sig, sizeof(sig), out);
}

/* The string to sign of a canonical request. */
void cred_string_to_sign(const char *date, const char *scope, const char *canonical, char *out,
                         size_t outlen)
{
    char hash[65];
    cred_sha256_hex(canonical, strlen(canonical), hash);
    snprintf(out, outlen, "SDK-HMAC-SHA256\n%s\n%s\n%s", date, scope, hash);
}

/* The Authorization value of `req` (into `out`). */
void cred_authorization(const struct cred_request *req, char *out, size_t outlen)
{
    char canonical[4096], names[512] = "", payload[65], to_sign[512], sig[65];
    size_t at = (size_t)snprintf(canonical, sizeof(canonical), "%s\n%s/\n%s\n", req->method,
                                 req->path, req->canonical_query ? req->canonical_query : "");
    for (size_t i = 0; i < CRED_HEADERS_MAX && req->headers[i].name != NULL; i++) {
        const struct cred_header *h = &req->headers[i];
        char lower[64];
        size_t n = strlen(h->name);
        for (size_t k = 0; k <= n && k < sizeof(lower); k++)
            lower[k] = (char)tolower((unsigned char)h->name[k]);
        at += (size_t)snprintf(canonical + at, sizeof(canonical) - at, "%s:%s\n", lower,
                               h->canonical != NULL ? h->canonical : h->value);
        if (i > 0)
            strncat(names, ";", sizeof(names) - strlen(names) - 1);
        strncat(names, lower, sizeof(names) - strlen(names) - 1);
    }
    if (req->payload == NULL)
        cred_sha256_hex(req->body ? req->body : "", req->body ? strlen(req->body) : 0, payload);
    snprintf(canonical + at, sizeof(canonical) - at, "\n%s\n%s", names,
             req->payload != NULL ? req->payload : payload);
    cred_string_to_sign(req->date, req->scope, canonical, to_sign, sizeof(to_sign));
    cred_signature(req->sk, req->scope, to_sign, sig);
    snprintf(out, outlen, "SDK-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
             req->ak, req->scope, names, sig);
}

/* Signs and sends `req`; 0 when an answer came. `authorization` (may be NULL) gets the header
 * sent, so a test can look for its signature where it must not be. */
int cred_send(const struct emu *emu, const struct cred_request *req, struct http_response *out,
              char *authorization, size_t authlen)
{
    char auth[1024], lines[CRED_HEADERS_MAX + 6][1100];
    const char *headers[CRED_HEADERS_MAX + 6];
    size_t n = 0;
    cred_authorization(req, auth, sizeof(auth));
    if (authorization != NULL)
        snprintf(authorization, authlen, "%s", auth);
    for (size_t i = 0; i < CRED_HEADERS_MAX && req->headers[i].name != NULL; i++) {
        snprintf(lines[n], sizeof(lines[n]), "%s: %s", req->headers[i].name, req->headers[i].value);
        headers[n] = lines[n];
        n++;
    }
    snprintf(lines[n], sizeof(lines[n]), "Authorization: %s", auth);
    headers[n] = lines[n];
    n++;
    for (size_t i = 0; i < 4 && req->unsigned_headers[i] != NULL; i++)
        headers[n++] = req->unsigned_headers[i];
    headers[n] = NULL;
    char target[1024];
    snprintf(target, sizeof(target), "%s%s%s", req->path, req->query ? "?" : "",
             req->query ? req->query : "");
    struct http_request http = {req->method, target, headers, req->body, 0, false};
    int rc = http_send(NULL, emu->base_url, &http, out);
    if (rc != 0)
        fprintf(stderr, "credential signer: no answer: %s\n", out->error);
    return rc;
}

/* True when this signer gives the string to sign and the signature of every Credential=
 * vector of `vectors` (the file's root) from the vector's own canonical request. */
bool cred_signer_self_check(json_t *vectors)
{
    const char *sk = json_string_value(json_object_get(vectors, "secret_key"));
    size_t i, seen = 0;
    json_t *v;
    bool ok = true;
    json_array_foreach(json_object_get(vectors, "vectors"), i, v)
    {
        const char *auth = json_string_value(json_object_get(v, "authorization"));
        if (auth == NULL || strstr(auth, "Credential=") == NULL)
            continue;
        seen++;
        const char *scope = strchr(strstr(auth, "Credential="), '/') + 1;
        char scope_text[128], to_sign[512], sig[65];
        snprintf(scope_text, sizeof(scope_text), "%.*s", (int)strcspn(scope, ","), scope);
        const char *date =
            json_string_value(json_object_get(json_object_get(v, "headers"), "X-Sdk-Date"));
        cred_string_to_sign(date, scope_text,
                            json_string_value(json_object_get(v, "canonical_request")), to_sign,
                            sizeof(to_sign));
        cred_signature(sk, scope_text, to_sign, sig);
        bool accept =
            strcmp(json_string_value(json_object_get(v, "expected_verdict")), "accept") == 0;
        const char *sent = json_string_value(json_object_get(v, "signature"));
        ok &= strcmp(to_sign, json_string_value(json_object_get(v, "string_to_sign"))) == 0;
        ok &= accept ? strcmp(sig, sent) == 0 : strcmp(sig, sent) != 0;
    }
    return ok && seen >= 2;
}
