/* libFuzzer target over the whole request pipeline: the input becomes an HTTP request
 * (method, path, headers, body), sent to the real server running in this process on a
 * loopback port with an in-memory store, so parsing, routing, auth, the handlers and the
 * store all see it. Input format (so the fuzzer spends its time past the HTTP parser):
 *
 *     METHOD PATH\n
 *     Name: value\n      (any number of header lines)
 *     \n
 *     body...
 *
 * or, to fuzz the framing and header syntax themselves (the RFC 9112 checks), "RAW\n"
 * followed by the bytes to send exactly as they are.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "rdsemu/app/app.h"
#include "rdsemu/app/config.h"

#define REQUEST_MAX (256 * 1024)

static struct app app;
static unsigned port;

static const char *no_variables(const char *name)
{
    (void)name;
    return NULL;
}

static void start_server(void)
{
    static struct config cfg;
    char *argv[] = {"rdsemu", "--listen",       "127.0.0.1:0", "--db",       ":memory:",
                    "--seed", RDSEMU_FUZZ_SEED, "--threads",   "2",          "--max-body",
                    "4096",   "--journal-size", "50",          "--seed-rng", "1"};
    FILE *sink = fopen("/dev/null", "w");
    if (config_parse(&cfg, (int)(sizeof(argv) / sizeof(argv[0])), argv, no_variables, sink, sink) !=
        CONFIG_RUN)
        abort();
    fclose(sink);
    char err[512];
    if (app_init(&app, &cfg, err, sizeof(err)) != 0 || app_serve(&app, err, sizeof(err)) != 0) {
        fprintf(stderr, "fuzz: cannot start: %s\n", err);
        abort();
    }
    port = http_server_port(app.server);
}

/* Copies `len` bytes of `s` into `out` with CR, LF and NUL made harmless. */
static size_t put_clean(char *out, const uint8_t *s, size_t len, bool spaces_ok)
{
    for (size_t i = 0; i < len; i++) {
        char c = (char)s[i];
        out[i] = (c == '\r' || c == '\n' || c == '\0' || (!spaces_ok && c == ' ')) ? '_' : c;
    }
    return len;
}

/* Builds the HTTP request text from the fuzz input. New; its length in `*len`. */
static char *build_request(const uint8_t *data, size_t size, size_t *len)
{
    char *out = malloc(size * 2 + 512);
    if (out == NULL)
        return NULL;
    size_t n = 0, i = 0;
    /* Request line. */
    size_t line_end = i;
    while (line_end < size && data[line_end] != '\n')
        line_end++;
    size_t space = i;
    while (space < line_end && data[space] != ' ')
        space++;
    if (space == i || space == line_end) {
        memcpy(out, "GET /", 5);
        n = 5;
    } else {
        n += put_clean(out + n, data + i, space - i, false);
        out[n++] = ' ';
        if (space + 1 >= line_end || data[space + 1] != '/')
            out[n++] = '/';
        n += put_clean(out + n, data + space + 1, line_end - space - 1, false);
    }
    n += (size_t)sprintf(out + n, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    i = line_end < size ? line_end + 1 : size;
    /* Header lines until an empty one. */
    while (i < size && data[i] != '\n') {
        size_t end = i;
        while (end < size && data[end] != '\n')
            end++;
        if (memchr(data + i, ':', end - i) != NULL) {
            n += put_clean(out + n, data + i, end - i, true);
            out[n++] = '\r';
            out[n++] = '\n';
        }
        i = end < size ? end + 1 : size;
    }
    if (i < size)
        i++; /* the empty line */
    size_t body = size - i;
    n += (size_t)sprintf(out + n, "Content-Length: %zu\r\n\r\n", body);
    memcpy(out + n, data + i, body);
    n += body;
    *len = n;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (app.server == NULL)
        start_server();
    if (size > REQUEST_MAX)
        return 0;
    size_t len = 0;
    char *request;
    if (size >= 4 && memcmp(data, "RAW\n", 4) == 0) {
        len = size - 4;
        request = malloc(len + 1);
        if (request != NULL)
            memcpy(request, data + 4, len);
    } else {
        request = build_request(data, size, &len);
    }
    if (request == NULL)
        return 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval timeout = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        size_t sent = 0;
        while (sent < len) {
            ssize_t w = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
            if (w <= 0)
                break;
            sent += (size_t)w;
        }
        char buf[4096];
        while (recv(fd, buf, sizeof(buf), 0) > 0)
            ; /* read the whole answer: the server must finish every request it accepted */
    }
    close(fd);
    free(request);
    return 0;
}
