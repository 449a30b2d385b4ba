/* `rdsemu health`'s HTTP/1.1 GET over a plain socket (include/rdsemu/app/health_check.h). The
 * answer is untrusted: at most HEALTH_ANSWER_MAX bytes are read, every length is checked before
 * use, and nothing of it is printed but a status code and a version made of safe characters. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "rdsemu/app/health_check.h"
#include "rdsemu/base/parse.h"

/* ---- the URL ---- */

static int url_refuse(char *why, size_t whylen, const char *text)
{
    snprintf(why, whylen, "%s", text);
    return -1;
}

int health_url_parse(const char *url, struct health_url *out, char *why, size_t whylen)
{
    static const char scheme[] = "http://";
    /* No space or control character may reach the request line or the Host header. */
    for (const unsigned char *c = (const unsigned char *)url; *c != '\0'; c++)
        if (*c <= ' ' || *c == 0x7f)
            return url_refuse(why, whylen, "the URL has a space or a control character");
    if (strncasecmp(url, scheme, sizeof(scheme) - 1) != 0)
        return url_refuse(why, whylen, "the URL must start with http://");
    const char *authority = url + sizeof(scheme) - 1;
    size_t authlen = strcspn(authority, "/?#");
    const char *rest = authority + authlen;
    if (memchr(authority, '@', authlen) != NULL)
        return url_refuse(why, whylen, "a user name in the URL is not supported");

    const char *host = authority, *port = NULL;
    size_t hostlen;
    if (authority[0] == '[') { /* [v6] or [v6]:port */
        const char *close = memchr(authority, ']', authlen);
        if (close == NULL)
            return url_refuse(why, whylen, "the URL has a '[' without ']'");
        host = authority + 1;
        hostlen = (size_t)(close - host);
        size_t after = authlen - (size_t)(close + 1 - authority);
        if (after > 0) {
            if (close[1] != ':')
                return url_refuse(why, whylen, "the URL has something between ']' and the port");
            port = close + 2;
        }
    } else {
        const char *colon = memchr(authority, ':', authlen);
        hostlen = colon != NULL ? (size_t)(colon - authority) : authlen;
        if (colon != NULL) {
            if (memchr(colon + 1, ':', authlen - hostlen - 1) != NULL)
                return url_refuse(why, whylen,
                                  "write an IPv6 address in brackets: http://[::1]:8080");
            port = colon + 1;
        }
    }
    if (hostlen == 0)
        return url_refuse(why, whylen, "the URL has no host");
    if (hostlen >= sizeof(out->host))
        return url_refuse(why, whylen, "the URL's host is too long");

    int64_t portnum = 80;
    if (port != NULL) {
        char text[8];
        size_t portlen = (size_t)(rest - port);
        if (portlen >= sizeof(text))
            return url_refuse(why, whylen, "the URL's port must be a number from 1 to 65535");
        memcpy(text, port, portlen);
        text[portlen] = '\0';
        if (!parse_bounded_int(text, 1, 65535, &portnum))
            return url_refuse(why, whylen, "the URL's port must be a number from 1 to 65535");
    }

    /* The fragment is not sent; a query with no path gets the path "/". The server's root
     * alone (the URL of the listening line) means its health route. */
    size_t pathlen = strcspn(rest, "#");
    bool root = pathlen == 0 || (pathlen == 1 && rest[0] == '/');
    bool slash = !root && rest[0] != '/';
    if (root) {
        rest = HEALTH_CHECK_PATH;
        pathlen = strlen(HEALTH_CHECK_PATH);
    }
    if (pathlen + (slash ? 1 : 0) >= sizeof(out->path))
        return url_refuse(why, whylen, "the URL's path is too long");

    memcpy(out->host, host, hostlen);
    out->host[hostlen] = '\0';
    snprintf(out->port, sizeof(out->port), "%lld", (long long)portnum);
    snprintf(out->path, sizeof(out->path), "%s%.*s", slash ? "/" : "", (int)pathlen, rest);
    return 0;
}

/* ---- the exchange ---- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for `events` on `fd` until `deadline`: 1 ready, 0 timed out, -1 error (errno). */
static int wait_for(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, (int)left);
        if (n > 0)
            return 1;
        if (n == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

/* A connected non-blocking socket to one of `url`'s addresses, or -1 with the reason. */
static int connect_to(const struct health_url *url, long long deadline, char *why, size_t whylen)
{
    struct addrinfo hints = {0}, *addrs = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int rc = getaddrinfo(url->host, url->port, &hints, &addrs);
    if (rc != 0) {
        snprintf(why, whylen, "cannot resolve %s: %s", url->host, gai_strerror(rc));
        return -1;
    }
    snprintf(why, whylen, "no address for %s", url->host);
    int fd = -1;
    for (struct addrinfo *a = addrs; a != NULL && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            snprintf(why, whylen, "cannot make a socket: %s", strerror(errno));
            continue;
        }
        int err = 0;
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            err = errno;
            if (err == EINPROGRESS) {
                int ready = wait_for(fd, POLLOUT, deadline);
                socklen_t len = sizeof(err);
                if (ready == 0)
                    err = ETIMEDOUT;
                else if (ready < 0)
                    err = errno;
                else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                    err = errno;
            }
        }
        if (err != 0) {
            snprintf(why, whylen, "cannot connect to %s port %s: %s", url->host, url->port,
                     strerror(err));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(addrs);
    return fd;
}

/* 0 when all of `data` was sent, else an errno value (ETIMEDOUT at the deadline). */
static int send_all(int fd, const char *data, size_t len, long long deadline)
{
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += (size_t)n;
            continue;
        }
        if (n == 0)
            return EPIPE;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return errno;
        int ready = wait_for(fd, POLLOUT, deadline);
        if (ready <= 0)
            return ready == 0 ? ETIMEDOUT : errno;
    }
    return 0;
}

/* ---- reading the answer ---- */

static const char *find(const char *hay, size_t haylen, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= haylen && i <= haylen - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* What the header block says about the body. */
struct answer_head {
    int status;
    size_t header_len;     /* up to and including the blank line */
    bool has_length;       /* a Content-Length was given */
    size_t content_length; /* its value, when has_length */
    bool chunked;          /* Transfer-Encoding: chunked, which this client does not decode */
    bool bad_length;       /* a Content-Length that is not a number, or larger than we read */
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The value of header line `line` (of `len` bytes) when its name is `name`, else NULL. */
static const char *header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return NULL;
    const char *v = line + n + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *vlen = (size_t)(end - v);
    return v;
}

/* Parses the status line and headers of `buf`: 1 complete, 0 not all there yet, -1 not HTTP. */
static int parse_head(const char *buf, size_t len, struct answer_head *head)
{
    const char *blank = find(buf, len, "\r\n\r\n");
    if (blank == NULL)
        return len >= 5 && memcmp(buf, "HTTP/", 5) != 0 ? -1 : 0;
    memset(head, 0, sizeof(*head));
    head->header_len = (size_t)(blank - buf) + 4;
    /* "HTTP/1.x NNN" then a space or the end of the line. */
    if (head->header_len < 16 || memcmp(buf, "HTTP/1.", 7) != 0 || !is_digit(buf[7]) ||
        buf[8] != ' ' || !is_digit(buf[9]) || !is_digit(buf[10]) || !is_digit(buf[11]) ||
        (buf[12] != ' ' && buf[12] != '\r'))
        return -1;
    head->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');

    const char *line = (const char *)memchr(buf, '\n', head->header_len) + 1;
    const char *end = buf + head->header_len - 2; /* the blank line's CRLF */
    while (line < end) {
        const char *eol = find(line, (size_t)(end - line), "\r\n");
        size_t linelen = eol != NULL ? (size_t)(eol - line) : (size_t)(end - line);
        size_t vlen = 0;
        const char *v;
        if ((v = header_value(line, linelen, "Content-Length", &vlen)) != NULL) {
            size_t digits = 0;
            unsigned long long value = 0;
            while (digits < vlen && is_digit(v[digits]) && value <= HEALTH_ANSWER_MAX)
                value = value * 10 + (unsigned long long)(v[digits++] - '0');
            if (digits == 0 || digits != vlen || value > HEALTH_ANSWER_MAX)
                head->bad_length = true;
            head->has_length = true;
            head->content_length = (size_t)value;
        } else if ((v = header_value(line, linelen, "Transfer-Encoding", &vlen)) != NULL) {
            head->chunked = vlen > 0 && find(v, vlen, "chunked") != NULL;
        }
        line += linelen + 2;
    }
    return 1;
}

/* Reads until the answer is complete (by Content-Length, or the peer closing), `cap` bytes
 * were read, or the deadline. The byte count, or -1 with the reason. */
static long read_answer(int fd, char *buf, size_t cap, long long deadline, char *why, size_t whylen)
{
    size_t len = 0;
    struct answer_head head;
    for (;;) {
        int state = parse_head(buf, len, &head);
        if (state < 0)
            break; /* not HTTP: the verdict says so */
        if (state > 0 && head.has_length && !head.bad_length &&
            len - head.header_len >= head.content_length)
            break;
        if (len == cap)
            break;
        int ready = wait_for(fd, POLLIN, deadline);
        if (ready == 0) {
            snprintf(why, whylen, "no complete answer in time");
            return -1;
        }
        ssize_t n = ready < 0 ? -1 : recv(fd, buf + len, cap - len, 0);
        if (n == 0)
            break;
        if (n < 0) {
            if (ready > 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                continue;
            snprintf(why, whylen, "cannot read the answer: %s", strerror(errno));
            return -1;
        }
        len += (size_t)n;
    }
    return (long)len;
}

/* Copies the reported version, keeping only characters that are safe to print. */
static void safe_version(const char *version, char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *c = version; *c != '\0' && n + 1 < outlen && n < 32; c++)
        if ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
            strchr(".+-~_", *c) != NULL)
            out[n++] = *c;
    out[n] = '\0';
}

static enum health_verdict judge(const char *buf, size_t len, char *detail, size_t detaillen)
{
    struct answer_head head;
    int state = parse_head(buf, len, &head);
    if (state < 0) {
        snprintf(detail, detaillen, "the answer is not HTTP/1.x");
        return HEALTH_UNHEALTHY;
    }
    if (state == 0) {
        snprintf(detail, detaillen, "the answer's headers are incomplete or too long");
        return HEALTH_UNHEALTHY;
    }
    if (head.status != 200) {
        snprintf(detail, detaillen, "answered %d", head.status);
        return HEALTH_UNHEALTHY;
    }
    if (head.chunked || head.bad_length) {
        snprintf(detail, detaillen, "answered 200 with a body this check cannot read");
        return HEALTH_UNHEALTHY;
    }
    size_t body_len = len - head.header_len;
    if (head.has_length) {
        if (body_len < head.content_length) {
            snprintf(detail, detaillen, "answered 200 with a truncated body");
            return HEALTH_UNHEALTHY;
        }
        body_len = head.content_length;
    }
    json_t *body = json_loadb(buf + head.header_len, body_len, 0, NULL);
    const char *status = json_string_value(json_object_get(body, "status"));
    bool ok = status != NULL && strcmp(status, "ok") == 0;
    if (ok) {
        char version[40];
        const char *v = json_string_value(json_object_get(body, "version"));
        safe_version(v != NULL ? v : "", version, sizeof(version));
        snprintf(detail, detaillen, "%s", version[0] != '\0' ? version : "unknown");
    } else {
        snprintf(detail, detaillen, "answered 200 without \"status\": \"ok\"");
    }
    json_decref(body);
    return ok ? HEALTH_OK : HEALTH_UNHEALTHY;
}

enum health_verdict health_check(const struct health_url *url, const char *admin_token,
                                 int timeout_ms, char *detail, size_t detaillen)
{
    long long deadline = now_ms() + timeout_ms;
    int fd = connect_to(url, deadline, detail, detaillen);
    if (fd < 0)
        return HEALTH_UNHEALTHY;

    /* Host carries the port unless it is http's default, and brackets for an IPv6 address. */
    bool v6 = strchr(url->host, ':') != NULL;
    char request[2048];
    int n = snprintf(request, sizeof(request),
                     "GET %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: rdsemu-health/%s\r\n"
                     "Accept: application/json\r\nConnection: close\r\n%s%s%s\r\n",
                     url->path, v6 ? "[" : "", url->host, v6 ? "]" : "",
                     strcmp(url->port, "80") != 0 ? ":" : "",
                     strcmp(url->port, "80") != 0 ? url->port : "", RDSEMU_VERSION,
                     admin_token != NULL ? "X-Emulator-Admin-Token: " : "",
                     admin_token != NULL ? admin_token : "", admin_token != NULL ? "\r\n" : "");
    enum health_verdict verdict = HEALTH_UNHEALTHY;
    int send_error = 0;
    char *buf = NULL;
    if (n < 0 || (size_t)n >= sizeof(request)) {
        snprintf(detail, detaillen, "the request would be too long");
    } else if ((send_error = send_all(fd, request, (size_t)n, deadline)) != 0) {
        snprintf(detail, detaillen, "cannot send the request: %s", strerror(send_error));
    } else if ((buf = malloc(HEALTH_ANSWER_MAX)) == NULL) {
        snprintf(detail, detaillen, "out of memory");
    } else {
        long len = read_answer(fd, buf, HEALTH_ANSWER_MAX, deadline, detail, detaillen);
        if (len >= 0)
            verdict = judge(buf, (size_t)len, detail, detaillen);
    }
    free(buf);
    close(fd);
    return verdict;
}
