/* A signer of the Credential= form (docs/auth.md "The Credential= form") for the integration
 * tests, written apart from rdsemu's: the test states the canonical query line and each
 * signed header's canonical value itself, and this file only hashes, derives the key
 * (nettle) and sends. It reproduces the Credential= vectors of tests/data/aksk-vectors.json
 * (cred_signer_self_check). Part of the test kit library. */
#ifndef RDSEMU_TEST_CREDENTIAL_SIGNER_H
#define RDSEMU_TEST_CREDENTIAL_SIGNER_H

#include <ctype.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define CRED_HEADERS_MAX 8

/* A signed header: its name (any case), the value sent, and the value its canonical line
 * holds (NULL: the value sent). */
struct cred_header {
    const char *name, *value, *canonical;
};

struct cred_request {
    const char *method;
    const char *path;            /* as sent, without the query */
    const char *query;           /* as sent after '?', NULL: none */
    const char *canonical_query; /* the query line as the test states it; NULL: "" */
    const char *body;            /* NULL: none */
    /* Signed, in the order of SignedHeaders (lower-case names sorted); X-Sdk-Date among them. */
    struct cred_header headers[CRED_HEADERS_MAX];
    const char *unsigned_headers[4]; /* "Name: value" lines sent after signing */
    const char *payload;             /* the payload line; NULL: the hex SHA-256 of the body */
    const char *scope;               /* "<yyyymmdd>/<region>/<service>/sdk_request" */
    const char *ak, *sk;
    const char *date; /* X-Sdk-Date, for the string to sign */
};

void cred_hex(const uint8_t *in, size_t n, char *out);

void cred_sha256_hex(const char *data, size_t len, char out[65]);

void cred_hmac(const uint8_t *key, size_t key_len, const char *data, size_t len,
               uint8_t out[SHA256_DIGEST_SIZE]);

/* The signature of `to_sign` with the key derived from `sk` and `scope`. */
void cred_signature(const char *sk, const char *scope, const char *to_sign, char out[65]);

/* The string to sign of a canonical request. */
void cred_string_to_sign(const char *date, const char *scope, const char *canonical, char *out,
                         size_t outlen);

/* The Authorization value of `req` (into `out`). */
void cred_authorization(const struct cred_request *req, char *out, size_t outlen);

/* Signs and sends `req`; 0 when an answer came. `authorization` (may be NULL) gets the header
 * sent, so a test can look for its signature where it must not be. */
int cred_send(const struct emu *emu, const struct cred_request *req, struct http_response *out,
              char *authorization, size_t authlen);

/* True when this signer gives the string to sign and the signature of every Credential=
 * vector of `vectors` (the file's root) from the vector's own canonical request. */
bool cred_signer_self_check(json_t *vectors);

#endif
