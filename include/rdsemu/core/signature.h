/* Verification of requests signed with SDK-HMAC-SHA256 (docs/auth.md), in both forms: the
 * Access= of the Huawei Cloud SDKs and the Credential= of the Open Telekom Cloud SDK. Pure
 * functions: no I/O, no clock (the caller passes the time). Everything a client sent is taken as
 * bytes with a length, since a decoded path segment or query value may hold any byte, NUL included.
 */
#ifndef RDSEMU_SIGNATURE_H
#define RDSEMU_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdsemu/base/strbuf.h"
#include "rdsemu/core/signed_auth.h"

#define SIGNATURE_ALGORITHM        "SDK-HMAC-SHA256"
#define SIGNATURE_HEX_LEN          64
#define SIGNATURE_MAX_SKEW_SECONDS (15 * 60)
#define SIGNATURE_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* X-Sdk-Date text: YYYYMMDDTHHMMSSZ. */
#define SIGNATURE_DATE_LEN 16

/* A header of the request by name, matched case-insensitively: its value (borrowed) with
 * its length in `len`, or NULL when the request has no such header. */
typedef const char *(*signature_header_fn)(void *ctx, const char *name, size_t *len);

/* What arrived on the wire, all borrowed. */
struct signature_request {
    const char *method; /* as sent ("GET") */
    const char *path;   /* the raw path, still percent-encoded, without the query */
    size_t path_len;
    const char *query; /* the raw query after '?'; NULL (or length 0) when none */
    size_t query_len;
    const char *body; /* the exact body bytes; may be NULL when body_len is 0 */
    size_t body_len;
    signature_header_fn header;
    void *header_ctx;
};

enum signature_verdict {
    SIGNATURE_ACCEPTED,
    SIGNATURE_DATE_INVALID,    /* X-Sdk-Date missing, or not a real YYYYMMDDTHHMMSSZ time */
    SIGNATURE_SCOPE_INVALID,   /* Credential=: the scope's date or its end (signed_auth.h) */
    SIGNATURE_DATE_NOT_SIGNED, /* x-sdk-date is not one of the SignedHeaders */
    SIGNATURE_HEADERS_INVALID, /* SignedHeaders is not a ';'-separated list of names */
    SIGNATURE_HEADER_MISSING,  /* a header named in SignedHeaders is not in the request */
    SIGNATURE_EXPIRED,         /* X-Sdk-Date more than 15 minutes from the clock */
    SIGNATURE_MISMATCH,        /* the signature is not the one the SK gives */
    SIGNATURE_NO_MEMORY,
};

struct signature_result {
    enum signature_verdict verdict;
    /* What is wrong, for the client (never a secret, never a signature); "" when accepted. */
    char reason[224];
};

/* 0 and `*out` (seconds since the epoch) when `date` is exactly YYYYMMDDTHHMMSSZ naming a
 * real UTC time (year 1970 or later); -1 otherwise. */
int signature_date_parse(const char *date, size_t len, int64_t *out);
/* Formats `t` as YYYYMMDDTHHMMSSZ. */
void signature_date_format(int64_t t, char out[SIGNATURE_DATE_LEN + 1]);

/* The lower-case hex SHA-256 of `len` bytes. */
void signature_sha256_hex(const void *data, size_t len, char out[SIGNATURE_HEX_LEN + 1]);

/* The most readings a request can have (signature_readings). */
#define SIGNATURE_READINGS_MAX 2

/* One way the client may have read the request when it signed it: the query line and the
 * payload line of its canonical request. Where what arrived cannot tell two ways apart, the
 * verifier tries both. */
struct signature_reading {
    /* Credential=, a POST without a body: the query went into the payload, the line is empty. */
    bool empty_query;
    /* The payload line when it is not `hash`: UNSIGNED-PAYLOAD, or the value of a signed
     * X-Sdk-Content-Sha256 (borrowed from the request); NULL otherwise. */
    const char *text;
    size_t text_len;
    char hash[SIGNATURE_HEX_LEN + 1]; /* the payload line when `text` is NULL */
};

/* The readings of `req` signed as `auth` says, the likeliest first; their count (1 or 2), or
 * -1 when out of memory.
 * - Access=: the body's hex SHA-256, or the literal UNSIGNED-PAYLOAD of a signed
 *   X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD; with an empty body, that request may also have
 *   been signed with the empty string's hash (the Python SDK does; the Go SDK signs the
 *   header's value).
 * - Credential=: the value of a signed X-Sdk-Content-Sha256, whatever it is, else the body's
 *   hash; a POST whose body is empty and whose query is not may also have been signed with an
 *   empty query line and the hash of the query as url.Values.Encode writes it (the signer
 *   does so when the request has no body at all, which the wire cannot tell from an empty
 *   one). */
int signature_readings(const struct signature_request *req, const struct signed_auth *auth,
                       struct signature_reading out[SIGNATURE_READINGS_MAX]);

/* Builds the canonical request of `req` as `auth` (its form and SignedHeaders) and `reading`
 * say, into `out` (reset first; release it even on failure). Its bytes may hold NULs: a
 * decoded path or query byte is any byte. 0, or -1 with `why` filled
 * (SIGNATURE_HEADERS_INVALID, SIGNATURE_HEADER_MISSING, SIGNATURE_NO_MEMORY). */
int signature_canonical_request(const struct signature_request *req, const struct signed_auth *auth,
                                const struct signature_reading *reading, struct strbuf *out,
                                struct signature_result *why);

/* Into `out` (reset first): "SDK-HMAC-SHA256\n<date>\n<hex SHA-256 of the canonical
 * request>", with the Credential= scope as a line of its own before the hash. 0 or -1 (out of
 * memory). */
int signature_string_to_sign(const struct signed_auth *auth, const char *date,
                             const struct strbuf *canonical, struct strbuf *out);

/* The lower-case hex HMAC-SHA256 of `message` keyed with `key`'s bytes. */
void signature_compute(const char *key, size_t key_len, const char *message, size_t message_len,
                       char out[SIGNATURE_HEX_LEN + 1]);

/* The signature of `to_sign` by the secret key: keyed with the SK itself (Access=), or with
 * the key derived from it and the scope (Credential=: kDate = HMAC("SDK" + SK, yyyymmdd),
 * kRegion = HMAC(kDate, region), kService = HMAC(kRegion, service), k = HMAC(kService,
 * "sdk_request")). */
void signature_sign(const struct signed_auth *auth, const char *secret, size_t secret_len,
                    const char *to_sign, size_t to_sign_len, char out[SIGNATURE_HEX_LEN + 1]);

/* Verifies the signature in `auth` over `req` with the secret key of its AK, at time `now`
 * (the emulator clock). Checks, in order: X-Sdk-Date well-formed, the Credential= scope,
 * SignedHeaders a list naming x-sdk-date, the date within 15 minutes of `now` (either side),
 * every signed header present, then the signature itself under each reading (compared in
 * constant time). Fills `out`. */
void signature_verify(const struct signature_request *req, const struct signed_auth *auth,
                      const char *secret, size_t secret_len, int64_t now,
                      struct signature_result *out);

#endif
