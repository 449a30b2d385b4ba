/* Verification of requests signed with SDK-HMAC-SHA256, the default signer of the Huawei
 * Cloud SDKs (docs/auth.md). Pure functions: no I/O, no clock (the caller
 * passes the time). Everything a client sent is taken as bytes with a length, since a
 * decoded path segment or query value may hold any byte, NUL included. */
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

/* The last line of the canonical request: the literal UNSIGNED-PAYLOAD when the request has
 * a signed X-Sdk-Content-Sha256 header with that value, else the hex SHA-256 of the body.
 * Returns true when the request may also have been signed with the other choice: an
 * UNSIGNED-PAYLOAD request with an empty body, which the Python SDK signs with the hash of
 * the empty string and the Go SDK with the header's value; `alternative` then holds it. */
bool signature_payload(const struct signature_request *req, const char *signed_headers,
                       char payload[SIGNATURE_HEX_LEN + 1],
                       char alternative[SIGNATURE_HEX_LEN + 1]);

/* Builds the canonical request of `req` for the ';'-separated `signed_headers` (as given in
 * the Authorization header) with `payload` as its last line, into `out` (reset first; release
 * it even on failure). Its bytes may hold NULs: a decoded path or query byte is any byte. 0, or -1
 * with `why` filled (SIGNATURE_HEADERS_INVALID, SIGNATURE_HEADER_MISSING, SIGNATURE_NO_MEMORY). */
int signature_canonical_request(const struct signature_request *req, const char *signed_headers,
                                const char *payload, struct strbuf *out,
                                struct signature_result *why);

/* "SDK-HMAC-SHA256\n<date>\n<hex SHA-256 of the canonical request>" into `out` (reset
 * first). 0 or -1 (out of memory). */
int signature_string_to_sign(const char *date, const struct strbuf *canonical, struct strbuf *out);

/* The lower-case hex HMAC-SHA256 of `message` keyed with the secret key's bytes. */
void signature_compute(const char *secret, size_t secret_len, const char *message,
                       size_t message_len, char out[SIGNATURE_HEX_LEN + 1]);

/* Verifies the signature in `auth` over `req` with the secret key of its AK, at time `now`
 * (the emulator clock). Checks, in order: X-Sdk-Date well-formed, x-sdk-date signed, the
 * date within 15 minutes of `now` (either side), every signed header present, then the
 * signature itself (compared in constant time). Fills `out`. */
void signature_verify(const struct signature_request *req, const struct signed_auth *auth,
                      const char *secret, size_t secret_len, int64_t now,
                      struct signature_result *out);

#endif
