/* SDK-HMAC-SHA256 request signatures (docs/auth.md): the canonical request
 * rebuilt from what arrived, the string to sign, the HMAC, the verdict. SHA-256 and HMAC
 * come from nettle. Works on bytes with lengths throughout: a path segment or a query value
 * decodes to any byte, NUL included, and must be encoded back exactly. */
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/percent.h"
#include "rdsemu/core/signature.h"
#include "rdsemu/base/timefmt.h"

#define HEADER_NAME_MAX 128

static const char lower_hex[] = "0123456789abcdef";
static const char upper_hex[] = "0123456789ABCDEF";

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

void signature_compute(const char *secret, size_t secret_len, const char *message,
                       size_t message_len, char out[SIGNATURE_HEX_LEN + 1])
{
    struct hmac_sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    hmac_sha256_set_key(&ctx, secret_len, (const uint8_t *)(secret_len > 0 ? secret : ""));
    hmac_sha256_update(&ctx, message_len, (const uint8_t *)(message_len > 0 ? message : ""));
    hmac_sha256_digest(&ctx, sizeof(digest), digest);
    hex_encode(digest, sizeof(digest), out);
    /* The key schedule is derived from the secret: leave none of it on the stack. */
    memset(&ctx, 0, sizeof(ctx));
}

/* ---- percent-encoding ---- */

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

/* Appends `len` bytes percent-encoded: only A-Z a-z 0-9 - _ . ~ stay literal, every other
 * byte becomes %XX with upper-case hex (the SDKs' url_encode). */
static void text_append_encoded(struct strbuf *text, const char *s, size_t len)
{
    if (len > SIZE_MAX / 4) {
        text->error = STRBUF_NO_MEMORY;
        return;
    }
    strbuf_reserve(text, 3 * len);
    if (text->error != STRBUF_OK)
        return;
    char *out = text->data + text->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c)) {
            *out++ = (char)c;
        } else {
            *out++ = '%';
            *out++ = upper_hex[c >> 4];
            *out++ = upper_hex[c & 0x0f];
        }
    }
    text->len = (size_t)(out - text->data);
    text->data[text->len] = '\0';
}

/* Decodes %XX in `len` bytes of `in` into `out` (room for `len` bytes). %00 gives a NUL
 * byte; a '%' not followed by two hex digits stays as it is; '+' stays '+' (the SDKs never
 * send it for a space). Returns the decoded length. */
static size_t percent_decode_bytes(const char *in, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (in[i] == '%' && i + 2 < len && (hi = hex_digit_value(in[i + 1])) >= 0 &&
            (lo = hex_digit_value(in[i + 2])) >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = in[i];
        }
    }
    return n;
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
    size_t n = percent_decode_bytes(path, len, decoded);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || decoded[i] == '/') {
            text_append_encoded(out, decoded + start, i - start);
            if (i < n)
                strbuf_append(out, "/", 1);
            start = i + 1;
        }
    }
    free(decoded);
    if (out->error == STRBUF_OK && (out->len == start_len || out->data[out->len - 1] != '/'))
        strbuf_append(out, "/", 1);
}

struct query_pair {
    const char *name; /* decoded bytes, not NUL-terminated */
    size_t name_len;
    const char *value;
    size_t value_len;
};

static int bytes_compare(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int c = n > 0 ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c;
    return a_len < b_len ? -1 : a_len > b_len;
}

/* By decoded name, then decoded value, byte by byte. */
static int pair_compare(const void *a, const void *b)
{
    const struct query_pair *x = a, *y = b;
    int c = bytes_compare(x->name, x->name_len, y->name, y->name_len);
    return c != 0 ? c : bytes_compare(x->value, x->value_len, y->value, y->value_len);
}

/* Query: items split on '&' (empty items skipped), each at its first '=' (none: an empty
 * value), decoded, sorted, encoded again, joined as name=value with '&'. */
static void canonical_query(const char *query, size_t len, struct strbuf *out)
{
    if (query == NULL || len == 0)
        return;
    size_t items = 1;
    for (size_t i = 0; i < len; i++)
        items += query[i] == '&';
    struct query_pair *pairs = calloc(items, sizeof(*pairs));
    char *decoded = malloc(len);
    if (pairs == NULL || decoded == NULL) {
        out->error = STRBUF_NO_MEMORY;
        goto done;
    }
    size_t count = 0, used = 0;
    for (size_t start = 0; start <= len;) {
        size_t end = start;
        while (end < len && query[end] != '&')
            end++;
        if (end > start) {
            const char *item = query + start;
            size_t item_len = end - start;
            const char *eq = memchr(item, '=', item_len);
            size_t name_len = eq != NULL ? (size_t)(eq - item) : item_len;
            struct query_pair *p = &pairs[count++];
            p->name = decoded + used;
            p->name_len = percent_decode_bytes(item, name_len, decoded + used);
            used += p->name_len;
            p->value = decoded + used;
            p->value_len =
                eq != NULL ? percent_decode_bytes(eq + 1, item_len - name_len - 1, decoded + used)
                           : 0;
            used += p->value_len;
        }
        start = end + 1;
    }
    qsort(pairs, count, sizeof(*pairs), pair_compare);
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            strbuf_append(out, "&", 1);
        text_append_encoded(out, pairs[i].name, pairs[i].name_len);
        strbuf_append(out, "=", 1);
        text_append_encoded(out, pairs[i].value, pairs[i].value_len);
    }
done:
    free(pairs);
    free(decoded);
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

static int canonical_headers(const struct signature_request *req, const char *list,
                             struct strbuf *out, struct signature_result *why)
{
    char name[HEADER_NAME_MAX];
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

bool signature_payload(const struct signature_request *req, const char *signed_headers,
                       char payload[SIGNATURE_HEX_LEN + 1], char alternative[SIGNATURE_HEX_LEN + 1])
{
    static const char marker[] = SIGNATURE_UNSIGNED_PAYLOAD;
    size_t len = 0;
    const char *value;
    alternative[0] = '\0';
    if (signed_headers_has(signed_headers, "x-sdk-content-sha256") &&
        (value = header_trimmed(req, "x-sdk-content-sha256", &len)) != NULL &&
        len == sizeof(marker) - 1 && memcmp(value, marker, len) == 0) {
        memcpy(payload, marker, sizeof(marker));
        if (req->body_len > 0)
            return false;
        signature_sha256_hex("", 0, alternative);
        return true;
    }
    signature_sha256_hex(req->body, req->body_len, payload);
    return false;
}

int signature_canonical_request(const struct signature_request *req, const char *signed_headers,
                                const char *payload, struct strbuf *out,
                                struct signature_result *why)
{
    strbuf_reset(out);
    strbuf_puts(out, req->method);
    strbuf_append(out, "\n", 1);
    canonical_uri(req->path, req->path_len, out);
    strbuf_append(out, "\n", 1);
    canonical_query(req->query, req->query_len, out);
    strbuf_append(out, "\n", 1);
    if (canonical_headers(req, signed_headers, out, why) != 0)
        return -1;
    strbuf_append(out, "\n", 1);
    strbuf_puts(out, signed_headers);
    strbuf_append(out, "\n", 1);
    strbuf_puts(out, payload);
    if (out->error != STRBUF_OK) {
        result_set(why, SIGNATURE_NO_MEMORY, "out of memory");
        return -1;
    }
    return 0;
}

int signature_string_to_sign(const char *date, const struct strbuf *canonical, struct strbuf *out)
{
    char hash[SIGNATURE_HEX_LEN + 1];
    signature_sha256_hex(canonical->data, canonical->len, hash);
    strbuf_reset(out);
    strbuf_puts(out, SIGNATURE_ALGORITHM "\n");
    strbuf_puts(out, date);
    strbuf_append(out, "\n", 1);
    strbuf_puts(out, hash);
    return out->error == STRBUF_OK ? 0 : -1;
}

/* Signs the canonical request built with `payload` and compares with the signature sent.
 * 0 when they match, 1 when not (`canonical_hash` then holds the hex SHA-256 of the
 * canonical request built), -1 when it could not be built (`why` filled). */
static int sign_and_compare(const struct signature_request *req, const struct signed_auth *auth,
                            const char *date, const char *payload, const char *secret,
                            size_t secret_len, char canonical_hash[SIGNATURE_HEX_LEN + 1],
                            struct signature_result *why)
{
    struct strbuf canonical = STRBUF_INIT, to_sign = STRBUF_INIT;
    char expected[SIGNATURE_HEX_LEN + 1];
    int rc = -1;
    if (signature_canonical_request(req, auth->signed_headers, payload, &canonical, why) != 0)
        goto out;
    if (signature_string_to_sign(date, &canonical, &to_sign) != 0) {
        result_set(why, SIGNATURE_NO_MEMORY, "out of memory");
        goto out;
    }
    signature_compute(secret, secret_len, to_sign.data, to_sign.len, expected);
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
    char payload[SIGNATURE_HEX_LEN + 1], alternative[SIGNATURE_HEX_LEN + 1];
    char canonical_hash[SIGNATURE_HEX_LEN + 1];
    bool has_alternative = signature_payload(req, auth->signed_headers, payload, alternative);
    int rc = sign_and_compare(req, auth, date, payload, secret, secret_len, canonical_hash, out);
    if (rc == 1 && has_alternative) {
        char other_hash[SIGNATURE_HEX_LEN + 1];
        rc = sign_and_compare(req, auth, date, alternative, secret, secret_len, other_hash, out);
    }
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
