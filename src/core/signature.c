/* SDK-HMAC-SHA256 request signatures (docs/auth.md), Access= and Credential=: the canonical
 * request rebuilt from what arrived, the string to sign, the key, the HMAC, the verdict.
 * SHA-256 and HMAC come from nettle; the query lines are signature_query.c's. Works on bytes
 * with lengths throughout: a path segment or a query value decodes to any byte, NUL included,
 * and must be encoded back exactly. */
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/base/percent.h"
#include "rdsemu/base/timefmt.h"
#include "rdsemu/core/signature.h"
#include "signature_query.h"

#define HEADER_NAME_MAX 128

static const char lower_hex[] = "0123456789abcdef";

static void hex_encode(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = lower_hex[in[i] >> 4];
        out[2 * i + 1] = lower_hex[in[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

void signature_sha256_hex(const void *data, size_t len, char out[SIGNATURE_HEX_LEN + 1])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, len > 0 ? data : (const void *)"");
    sha256_digest(&ctx, sizeof(digest), digest);
    hex_encode(digest, sizeof(digest), out);
}

/* HMAC-SHA256 of `len` bytes keyed with `key_len` bytes, into `digest`. */
static void hmac(const void *key, size_t key_len, const void *data, size_t len,
                 uint8_t digest[SHA256_DIGEST_SIZE])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, key_len, key_len > 0 ? key : (const void *)"");
    hmac_sha256_update(&ctx, len, len > 0 ? data : (const void *)"");
    hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    /* The key schedule is derived from the secret: leave none of it on the stack. */
    memset(&ctx, 0, sizeof(ctx));
}

void signature_compute(const char *key, size_t key_len, const char *message, size_t message_len,
                       char out[SIGNATURE_HEX_LEN + 1])
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    hmac(key, key_len, message, message_len, digest);
    hex_encode(digest, sizeof(digest), out);
    memset(digest, 0, sizeof(digest));
}

/* Credential=: the key derived from the SK and the scope "<yyyymmdd>/<region>/<service>/
 * sdk_request" (split at its three '/'; region and service may be empty). */
static void derive_key(const char *scope, const char *secret, size_t secret_len,
                       uint8_t key[SHA256_DIGEST_SIZE])
{
    /* "SDK" + SK: a secret key is at most a few KiB (credentials.h). */
    size_t prefixed_len = 3 + secret_len;
    uint8_t *prefixed = malloc(prefixed_len);
    if (prefixed == NULL) {
        memset(key, 0, SHA256_DIGEST_SIZE); /* no key: the signature cannot match */
        return;
    }
    memcpy(prefixed, "SDK", 3);
    memcpy(prefixed + 3, secret, secret_len);
    const char *part = scope;
    size_t len = strcspn(part, "/");
    hmac(prefixed, prefixed_len, part, len, key); /* kDate */
    memset(prefixed, 0, prefixed_len);
    free(prefixed);
    for (int i = 0; i < 3; i++) { /* kRegion, kService, then the key itself */
        part += len + (part[len] == '/');
        len = strcspn(part, "/");
        hmac(key, SHA256_DIGEST_SIZE, part, len, key);
    }
}

void signature_sign(const struct signed_auth *auth, const char *secret, size_t secret_len,
                    const char *to_sign, size_t to_sign_len, char out[SIGNATURE_HEX_LEN + 1])
{
    if (auth->form == SIGNED_AUTH_ACCESS) {
        signature_compute(secret, secret_len, to_sign, to_sign_len, out);
        return;
    }
    uint8_t key[SHA256_DIGEST_SIZE];
    derive_key(auth->scope, secret, secret_len, key);
    signature_compute((const char *)key, sizeof(key), to_sign, to_sign_len, out);
    memset(key, 0, sizeof(key));
}

/* ---- dates ---- */

static unsigned digits_value(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

int signature_date_parse(const char *date, size_t len, int64_t *out)
{
    if (date == NULL || len != SIGNATURE_DATE_LEN || date[8] != 'T' || date[15] != 'Z')
        return -1;
    for (size_t i = 0; i < 15; i++)
        if (i != 8 && (date[i] < '0' || date[i] > '9'))
            return -1;
    unsigned year = digits_value(date, 4), month = digits_value(date + 4, 2),
             day = digits_value(date + 6, 2), hour = digits_value(date + 9, 2),
             minute = digits_value(date + 11, 2), second = digits_value(date + 13, 2);
    if (year < 1970 || !time_date_valid(year, month, day) || hour > 23 || minute > 59 ||
        second > 59)
        return -1;
    *out = time_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return 0;
}

void signature_date_format(int64_t t, char out[SIGNATURE_DATE_LEN + 1])
{
    /* Within the emulator's times (the clock never leaves them), the year has four digits. */
    t = time_clamp(t);
    int64_t days = t / 86400, rest = t % 86400;
    int64_t year;
    unsigned month, day;
    time_civil_from_days(days, &year, &month, &day);
    /* Formatted with room to spare, then copied: exactly SIGNATURE_DATE_LEN characters for a
     * four-digit year. */
    char text[96];
    snprintf(text, sizeof(text), "%04lld%02u%02uT%02u%02u%02uZ", (long long)year, month, day,
             (unsigned)(rest / 3600), (unsigned)(rest / 60 % 60), (unsigned)(rest % 60));
    memcpy(out, text, SIGNATURE_DATE_LEN);
    out[SIGNATURE_DATE_LEN] = '\0';
}

/* ---- the canonical request ---- */

/* Path: percent-decoded, split on '/', each segment encoded again, joined with '/', and
 * always ending in '/'. Nothing else is normalised ("." and ".." stay). */
static void canonical_uri(const char *path, size_t len, struct strbuf *out)
{
    size_t start_len = out->len;
    char *decoded = malloc(len > 0 ? len : 1);
    if (decoded == NULL) {
        out->error = STRBUF_NO_MEMORY;
        return;
    }
    size_t n = percent_decode_bytes(path, len, decoded, false);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || decoded[i] == '/') {
            percent_encode_append(out, decoded + start, i - start, false);
            if (i < n)
                strbuf_append(out, "/", 1);
            start = i + 1;
        }
    }
    free(decoded);
    if (out->error == STRBUF_OK && (out->len == start_len || out->data[out->len - 1] != '/'))
        strbuf_append(out, "/", 1);
}

/* An RFC 9110 token character, as a header name is made of. */
static bool is_name_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Copies the next name of the ';'-separated list at `*list` into `name`, lower-cased, and
 * moves `*list` past it. 1 when a name was read, 0 at the end, -1 when the list is not
 * well-formed (an empty or over-long name, a character that is not a token one). */
static int next_signed_header(const char **list, char name[HEADER_NAME_MAX])
{
    const char *p = *list;
    if (*p == '\0')
        return 0;
    size_t n = strcspn(p, ";");
    if (n == 0 || n >= HEADER_NAME_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!is_name_char(c))
            return -1;
        name[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    name[n] = '\0';
    p += n;
    if (*p == ';' && *++p == '\0')
        return -1; /* a trailing ';' */
    *list = p;
    return 1;
}

static bool signed_headers_valid(const char *list)
{
    char name[HEADER_NAME_MAX];
    int rc;
    if (list[0] == '\0')
        return false;
    while ((rc = next_signed_header(&list, name)) == 1)
        continue;
    return rc == 0;
}

/* True when the (well-formed) list names `wanted` (lower-case). */
static bool signed_headers_has(const char *list, const char *wanted)
{
    char name[HEADER_NAME_MAX];
    while (next_signed_header(&list, name) == 1)
        if (strcmp(name, wanted) == 0)
            return true;
    return false;
}

/* The header's value without leading and trailing spaces and tabs; NULL when absent. */
static const char *header_trimmed(const struct signature_request *req, const char *name,
                                  size_t *len)
{
    size_t n = 0;
    const char *v = req->header(req->header_ctx, name, &n);
    if (v == NULL)
        return NULL;
    while (n > 0 && (v[0] == ' ' || v[0] == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    *len = n;
    return v;
}

static void result_set(struct signature_result *r, enum signature_verdict verdict, const char *fmt,
                       ...) __attribute__((format(printf, 3, 4)));

static void result_set(struct signature_result *r, enum signature_verdict verdict, const char *fmt,
                       ...)
{
    va_list ap;
    r->verdict = verdict;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
    va_end(ap);
}

/* Credential=: white-space runs inside the value made one space (the signer's `\s+` -> " "),
 * written to `out`. */
static void append_collapsed(struct strbuf *out, const char *value, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t run = strspn(value + i, " \t\n\f\r");
        if (run > len - i)
            run = len - i;
        if (run > 0) {
            strbuf_append(out, " ", 1);
            i += run;
            continue;
        }
        size_t text = i;
        while (i < len && strchr(" \t\n\f\r", value[i]) == NULL)
            i++;
        strbuf_append(out, value + text, i - text);
    }
}

static int canonical_headers(const struct signature_request *req, const struct signed_auth *auth,
                             struct strbuf *out, struct signature_result *why)
{
    char name[HEADER_NAME_MAX];
    const char *list = auth->signed_headers;
    int rc;
    if (list[0] == '\0') {
        result_set(why, SIGNATURE_HEADERS_INVALID, "SignedHeaders is empty");
        return -1;
    }
    while ((rc = next_signed_header(&list, name)) == 1) {
        size_t len = 0;
        const char *value = header_trimmed(req, name, &len);
        if (value == NULL) {
            result_set(why, SIGNATURE_HEADER_MISSING,
                       "signed header %s is missing from the request", name);
            return -1;
        }
        strbuf_puts(out, name);
        strbuf_append(out, ":", 1);
        if (auth->form == SIGNED_AUTH_CREDENTIAL)
            append_collapsed(out, value, len);
        else
            strbuf_append(out, value, len);
        strbuf_append(out, "\n", 1);
    }
    if (rc < 0) {
        result_set(why, SIGNATURE_HEADERS_INVALID,
                   "SignedHeaders is not a ';'-separated list of header names");
        return -1;
    }
    return 0;
}

/* The value of X-Sdk-Content-Sha256 when SignedHeaders names it and the request has it. */
static const char *signed_content_sha256(const struct signature_request *req,
                                         const char *signed_headers, size_t *len)
{
    if (!signed_headers_has(signed_headers, "x-sdk-content-sha256"))
        return NULL;
    return header_trimmed(req, "x-sdk-content-sha256", len);
}

static void reading_text(struct signature_reading *r, bool empty_query, const char *text,
                         size_t len)
{
    r->empty_query = empty_query;
    r->text = text;
    r->text_len = len;
    r->hash[0] = '\0';
}

static void reading_hash(struct signature_reading *r, bool empty_query, const void *data,
                         size_t len)
{
    r->empty_query = empty_query;
    r->text = NULL;
    r->text_len = 0;
    signature_sha256_hex(data, len, r->hash);
}

static int readings_access(const struct signature_request *req, const struct signed_auth *auth,
                           struct signature_reading out[SIGNATURE_READINGS_MAX])
{
    static const char marker[] = SIGNATURE_UNSIGNED_PAYLOAD;
    size_t len = 0;
    const char *value = signed_content_sha256(req, auth->signed_headers, &len);
    if (value == NULL || len != sizeof(marker) - 1 || memcmp(value, marker, len) != 0) {
        reading_hash(&out[0], false, req->body, req->body_len);
        return 1;
    }
    reading_text(&out[0], false, marker, sizeof(marker) - 1);
    if (req->body_len > 0)
        return 1;
    reading_hash(&out[1], false, "", 0);
    return 2;
}

static int readings_credential(const struct signature_request *req, const struct signed_auth *auth,
                               struct signature_reading out[SIGNATURE_READINGS_MAX])
{
    size_t len = 0;
    const char *value = signed_content_sha256(req, auth->signed_headers, &len);
    if (value != NULL)
        reading_text(&out[0], false, value, len);
    else
        reading_hash(&out[0], false, req->body, req->body_len);
    if (strcasecmp(req->method, "POST") != 0 || req->body_len > 0 || req->query == NULL ||
        req->query_len == 0)
        return 1;
    if (value != NULL) {
        reading_text(&out[1], true, value, len);
        return 2;
    }
    struct strbuf encoded = STRBUF_INIT;
    signature_query_values_encode(req->query, req->query_len, &encoded);
    int count = -1;
    if (encoded.error == STRBUF_OK) {
        reading_hash(&out[1], true, encoded.data != NULL ? encoded.data : "", encoded.len);
        count = 2;
    }
    strbuf_release(&encoded);
    return count;
}

int signature_readings(const struct signature_request *req, const struct signed_auth *auth,
                       struct signature_reading out[SIGNATURE_READINGS_MAX])
{
    if (auth->form == SIGNED_AUTH_CREDENTIAL)
        return readings_credential(req, auth, out);
    return readings_access(req, auth, out);
}

int signature_canonical_request(const struct signature_request *req, const struct signed_auth *auth,
                                const struct signature_reading *reading, struct strbuf *out,
                                struct signature_result *why)
{
    strbuf_reset(out);
    strbuf_puts(out, req->method);
    strbuf_append(out, "\n", 1);
    canonical_uri(req->path, req->path_len, out);
    strbuf_append(out, "\n", 1);
    if (auth->form == SIGNED_AUTH_ACCESS)
        signature_query_access(req->query, req->query_len, out);
    else if (!reading->empty_query)
        signature_query_credential(req->query, req->query_len, out);
    strbuf_append(out, "\n", 1);
    if (canonical_headers(req, auth, out, why) != 0)
        return -1;
    strbuf_append(out, "\n", 1);
    strbuf_puts(out, auth->signed_headers);
    strbuf_append(out, "\n", 1);
    if (reading->text != NULL)
        strbuf_append(out, reading->text, reading->text_len);
    else
        strbuf_puts(out, reading->hash);
    if (out->error != STRBUF_OK) {
        result_set(why, SIGNATURE_NO_MEMORY, "out of memory");
        return -1;
    }
    return 0;
}

int signature_string_to_sign(const struct signed_auth *auth, const char *date,
                             const struct strbuf *canonical, struct strbuf *out)
{
    char hash[SIGNATURE_HEX_LEN + 1];
    signature_sha256_hex(canonical->data, canonical->len, hash);
    strbuf_reset(out);
    strbuf_puts(out, SIGNATURE_ALGORITHM "\n");
    strbuf_puts(out, date);
    strbuf_append(out, "\n", 1);
    if (auth->form == SIGNED_AUTH_CREDENTIAL) {
        strbuf_puts(out, auth->scope);
        strbuf_append(out, "\n", 1);
    }
    strbuf_puts(out, hash);
    return out->error == STRBUF_OK ? 0 : -1;
}

/* Signs the canonical request of `reading` and compares with the signature sent. 0 when they
 * match, 1 when not (`canonical_hash` then holds the hex SHA-256 of the canonical request
 * built), -1 when it could not be built (`why` filled). */
static int sign_and_compare(const struct signature_request *req, const struct signed_auth *auth,
                            const char *date, const struct signature_reading *reading,
                            const char *secret, size_t secret_len,
                            char canonical_hash[SIGNATURE_HEX_LEN + 1],
                            struct signature_result *why)
{
    struct strbuf canonical = STRBUF_INIT, to_sign = STRBUF_INIT;
    char expected[SIGNATURE_HEX_LEN + 1];
    int rc = -1;
    if (signature_canonical_request(req, auth, reading, &canonical, why) != 0)
        goto out;
    if (signature_string_to_sign(auth, date, &canonical, &to_sign) != 0) {
        result_set(why, SIGNATURE_NO_MEMORY, "out of memory");
        goto out;
    }
    signature_sign(auth, secret, secret_len, to_sign.data, to_sign.len, expected);
    signature_sha256_hex(canonical.data, canonical.len, canonical_hash);
    /* Constant time: how long the comparison takes says nothing about the expected value. */
    rc = memeql_sec(expected, auth->signature, SIGNATURE_HEX_LEN) ? 0 : 1;
    memset(expected, 0, sizeof(expected));
out:
    strbuf_release(&canonical);
    strbuf_release(&to_sign);
    return rc;
}

void signature_verify(const struct signature_request *req, const struct signed_auth *auth,
                      const char *secret, size_t secret_len, int64_t now,
                      struct signature_result *out)
{
    size_t date_len = 0;
    int64_t signed_at;
    const char *date_value = header_trimmed(req, "x-sdk-date", &date_len);
    out->verdict = SIGNATURE_ACCEPTED;
    out->reason[0] = '\0';
    if (date_value == NULL || signature_date_parse(date_value, date_len, &signed_at) != 0) {
        result_set(out, SIGNATURE_DATE_INVALID,
                   "X-Sdk-Date is missing or not a UTC time in the form YYYYMMDDTHHMMSSZ");
        return;
    }
    if (signed_auth_scope_check(auth, date_value, date_len, out->reason, sizeof(out->reason)) !=
        0) {
        out->verdict = SIGNATURE_SCOPE_INVALID;
        return;
    }
    if (!signed_headers_valid(auth->signed_headers)) {
        result_set(out, SIGNATURE_HEADERS_INVALID,
                   "SignedHeaders is not a ';'-separated list of header names");
        return;
    }
    if (!signed_headers_has(auth->signed_headers, "x-sdk-date")) {
        result_set(out, SIGNATURE_DATE_NOT_SIGNED, "x-sdk-date must be one of the SignedHeaders");
        return;
    }
    char date[SIGNATURE_DATE_LEN + 1];
    memcpy(date, date_value, SIGNATURE_DATE_LEN);
    date[SIGNATURE_DATE_LEN] = '\0';
    if (signed_at - now > SIGNATURE_MAX_SKEW_SECONDS ||
        now - signed_at > SIGNATURE_MAX_SKEW_SECONDS) {
        char server_time[SIGNATURE_DATE_LEN + 1];
        signature_date_format(now, server_time);
        result_set(out, SIGNATURE_EXPIRED, "signature expired, signature time:%s, server time:%s",
                   date, server_time);
        return;
    }
    struct signature_reading readings[SIGNATURE_READINGS_MAX];
    int count = signature_readings(req, auth, readings);
    if (count < 0) {
        result_set(out, SIGNATURE_NO_MEMORY, "out of memory");
        return;
    }
    /* The hash a mismatch reports is that of the first, likeliest reading. */
    char canonical_hash[SIGNATURE_HEX_LEN + 1], other_hash[SIGNATURE_HEX_LEN + 1];
    int rc = 1;
    for (int i = 0; i < count && rc == 1; i++)
        rc = sign_and_compare(req, auth, date, &readings[i], secret, secret_len,
                              i == 0 ? canonical_hash : other_hash, out);
    if (rc < 0)
        return;
    if (rc == 1) {
        result_set(out, SIGNATURE_MISMATCH,
                   "verify aksk signature fail: signature mismatch (the canonical request "
                   "rdsemu built has SHA-256 %s)",
                   canonical_hash);
        return;
    }
    out->verdict = SIGNATURE_ACCEPTED;
    out->reason[0] = '\0';
}
