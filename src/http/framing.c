/* The request head as RFC 9112 wants it, checked before anything else reads it: a request
 * whose framing or header syntax is broken could be read one way by rdsemu and another way by
 * a proxy in front of it (request smuggling), or hide a header from the journal's redaction.
 * libmicrohttpd 0.9.75 accepts most of these; what it decides alone is listed in
 * docs/configuration.md ("HTTP limits"). */
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/http/framing.h"
#include "rdsemu/http/request.h"

/* RFC 9110 §5.6.2: a header name is a token. */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 9110 §5.5: a field value holds no control byte but HTAB (obs-text is allowed). */
static bool value_is_clean(const char *value, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

struct head_scan {
    struct framing_verdict *verdict;
    unsigned host_count;
    unsigned length_count;
    const char *length; /* the first Content-Length value */
    size_t length_len;
    bool lengths_differ;
    unsigned encoding_count;
    const char *encoding; /* the first Transfer-Encoding value */
};

static enum MHD_Result refuse(struct framing_verdict *v, enum framing_problem problem,
                              const char *message)
{
    v->problem = problem;
    snprintf(v->message, sizeof(v->message), "%s", message);
    return MHD_NO;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct head_scan *scan = cls;
    /* A NUL inside a name or a value makes the C strings shorter than what was sent. */
    if (key == NULL || key_size == 0 || strlen(key) != key_size)
        return refuse(scan->verdict, FRAMING_BAD_REQUEST, "a header name is empty or holds NUL");
    for (size_t i = 0; i < key_size; i++)
        if (!is_tchar((unsigned char)key[i]))
            return refuse(scan->verdict, FRAMING_BAD_REQUEST,
                          "a header name holds a character a header name cannot have "
                          "(whitespace before the colon, or a folded line)");
    if (value != NULL && (strlen(value) != value_size || !value_is_clean(value, value_size)))
        return refuse(scan->verdict, FRAMING_BAD_REQUEST,
                      "a header value holds a control character (CR, LF, NUL...)");
    if (value == NULL)
        value = "";
    if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0) {
        scan->host_count++;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (scan->length_count++ == 0) {
            scan->length = value;
            scan->length_len = value_size;
        } else if (value_size != scan->length_len || memcmp(value, scan->length, value_size) != 0) {
            scan->lengths_differ = true;
        }
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        if (scan->encoding_count++ == 0)
            scan->encoding = value;
    }
    return MHD_YES;
}

/* "chunked", any case, with optional whitespace around it: the only coding rdsemu reads. */
static bool encoding_is_chunked(const char *value)
{
    while (*value == ' ' || *value == '\t')
        value++;
    if (strncasecmp(value, "chunked", 7) != 0)
        return false;
    value += 7;
    while (*value == ' ' || *value == '\t')
        value++;
    return *value == '\0';
}

static bool all_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* libmicrohttpd cuts the request line in place: the target starts at `url` and ends one byte
 * before `version` (where the space was). A target whose C string is shorter than that held
 * a NUL byte, which would silently shorten the path. */
static bool target_holds_nul(const char *url, const char *version, const char *raw_target)
{
    if (url == NULL || version == NULL || version[0] == '\0' || version <= url ||
        (size_t)(version - url) > FRAMING_TARGET_SPAN_MAX)
        return false; /* HTTP/0.9 or not laid out in one line: nothing to compare */
    size_t sent = (size_t)(version - 1 - url);
    return strlen(raw_target) < sent;
}

/* A space or a control byte in the target: libmicrohttpd takes "GET /a b HTTP/1.1" as the
 * target "/a b"; RFC 9112 §3.2 has no room for it. */
static bool target_has_blank(const char *raw_target)
{
    for (const unsigned char *p = (const unsigned char *)raw_target; *p != '\0'; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return true;
    return false;
}

void framing_check(struct http_request *req, struct framing_verdict *out)
{
    struct MHD_Connection *conn = req->conn;
    const char *url = req->url, *version = req->version, *raw_target = req->uri;
    out->problem = FRAMING_OK;
    out->message[0] = '\0';
    if (target_holds_nul(url, version, raw_target)) {
        refuse(out, FRAMING_BAD_REQUEST, "the request target holds a NUL byte");
        return;
    }
    if (target_has_blank(raw_target)) {
        refuse(out, FRAMING_BAD_REQUEST, "the request target holds a space or a control byte");
        return;
    }
    struct head_scan scan = {.verdict = out};
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, scan_header, &scan);
    if (out->problem != FRAMING_OK)
        return;
    bool http11 = version != NULL && strcmp(version, MHD_HTTP_VERSION_1_1) == 0;
    if (scan.host_count > 1 || (http11 && scan.host_count == 0)) {
        refuse(out, FRAMING_BAD_REQUEST,
               scan.host_count > 1 ? "Host is given more than once"
                                   : "an HTTP/1.1 request must have a Host header");
        return;
    }
    if (scan.lengths_differ) {
        refuse(out, FRAMING_BAD_REQUEST, "Content-Length is given twice with different values");
        return;
    }
    if (scan.length_count > 0 && !all_digits(scan.length, scan.length_len)) {
        refuse(out, FRAMING_BAD_REQUEST, "Content-Length must be a whole number of bytes");
        return;
    }
    if (scan.encoding_count > 0 && scan.length_count > 0) {
        refuse(out, FRAMING_BAD_REQUEST,
               "Content-Length and Transfer-Encoding must not be given together");
        return;
    }
    if (scan.encoding_count > 1 ||
        (scan.encoding_count == 1 && !encoding_is_chunked(scan.encoding)))
        refuse(out, FRAMING_NOT_IMPLEMENTED,
               "Transfer-Encoding other than chunked is not supported");
}

size_t framing_query_params(const char *raw_target)
{
    const char *query = strchr(raw_target, '?');
    if (query == NULL || query[1] == '\0')
        return 0;
    size_t count = 1;
    for (const char *p = query + 1; *p != '\0'; p++)
        count += *p == '&';
    return count;
}
