/* Plain sockets and text helpers for the tests. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "raw.h"

int raw_connect(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int raw_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Milliseconds of a monotonic clock. */
static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long raw_read_answer(int fd, int timeout_ms, char **body, bool *closing)
{
    char buf[16384];
    size_t used = 0;
    long long deadline = monotonic_ms() + timeout_ms;
    long status = 0;
    size_t head_len = 0, body_len = 0;
    *body = NULL;
    *closing = false;
    for (;;) {
        if (head_len == 0) {
            buf[used] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (end != NULL) {
                head_len = (size_t)(end + 4 - buf);
                if (sscanf(buf, "HTTP/1.%*d %ld", &status) != 1)
                    return 0;
                for (char *line = strstr(buf, "\r\n"); line != NULL && line < end;
                     line = strstr(line + 2, "\r\n")) {
                    if (strncasecmp(line + 2, "Content-Length:", 15) == 0)
                        body_len = strtoul(line + 17, NULL, 10);
                    if (strncasecmp(line + 2, "Connection: close", 17) == 0)
                        *closing = true;
                }
                if (head_len + body_len >= sizeof(buf))
                    return 0;
            }
        }
        if (head_len != 0 && used >= head_len + body_len) {
            *body = strndup(buf + head_len, body_len);
            return status;
        }
        long long left = deadline - monotonic_ms();
        if (left <= 0 || used == sizeof(buf) - 1)
            return 0;
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno != EINTR)
            return 0;
        if (ready <= 0)
            continue;
        ssize_t n = recv(fd, buf + used, sizeof(buf) - 1 - used, 0);
        if (n <= 0)
            return 0; /* closed or reset before the answer was whole */
        used += (size_t)n;
    }
}

char *text_repeat(const char *piece, size_t count)
{
    size_t len = strlen(piece);
    char *out = malloc(len * count + 1);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++)
        memcpy(out + i * len, piece, len);
    out[len * count] = '\0';
    return out;
}
