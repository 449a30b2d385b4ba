/* `rdsemu health`'s HTTP client (include/rdsemu/app/health_check.h): URLs, the request it sends,
 * and its verdict on answers from a scripted server on 127.0.0.1, hostile ones included (not HTTP,
 * endless headers, lying lengths, silence). Every wait is bounded by the check's own deadline
 * or a poll timeout here. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "rdsemu/app/health_check.h"

#define TIMEOUT_MS 1500

/* One connection served by a thread: read the request, send `answer` (`answer_len` bytes, or
 * `repeat` times when set), then close or wait for the client to go away. */
struct script {
    int listener;
    const char *answer;
    size_t answer_len;
    size_t repeat; /* send `answer` this many times (0: once) */
    bool hold;     /* keep the connection open after the answer */
    char request[4096];
    size_t request_len;
};

static void *serve(void *arg)
{
    struct script *s = arg;
    struct pollfd p = {.fd = s->listener, .events = POLLIN};
    if (poll(&p, 1, 5000) != 1)
        return NULL;
    int fd = accept(s->listener, NULL, NULL);
    if (fd < 0)
        return NULL;
    /* The request ends with a blank line; it is small, so a few reads are enough. */
    while (s->request_len < sizeof(s->request) - 1) {
        struct pollfd q = {.fd = fd, .events = POLLIN};
        if (poll(&q, 1, 5000) != 1)
            break;
        ssize_t n =
            recv(fd, s->request + s->request_len, sizeof(s->request) - 1 - s->request_len, 0);
        if (n <= 0)
            break;
        s->request_len += (size_t)n;
        s->request[s->request_len] = '\0';
        if (strstr(s->request, "\r\n\r\n") != NULL)
            break;
    }
    size_t times = s->repeat > 0 ? s->repeat : 1;
    for (size_t i = 0; i < times; i++)
        if (send(fd, s->answer, s->answer_len, MSG_NOSIGNAL) < 0)
            break;
    if (s->hold) { /* until the client closes, at most 5 s */
        char sink[512];
        struct pollfd q = {.fd = fd, .events = POLLIN};
        while (poll(&q, 1, 5000) == 1 && recv(fd, sink, sizeof(sink), 0) > 0)
            ;
    }
    close(fd);
    return NULL;
}

/* Runs one check against a scripted answer. The verdict; `detail` and `s->request` filled. */
static enum health_verdict check_against(struct script *s, const char *admin_token, char *detail,
                                         size_t detaillen)
{
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    pthread_t thread;
    if (s->listener < 0 || bind(s->listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(s->listener, 1) != 0 ||
        getsockname(s->listener, (struct sockaddr *)&addr, &len) != 0 ||
        pthread_create(&thread, NULL, serve, s) != 0) {
        CHECK(!"a scripted server on 127.0.0.1");
        if (s->listener >= 0)
            close(s->listener);
        snprintf(detail, detaillen, "no server");
        return HEALTH_UNHEALTHY;
    }
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/_emulator/health", ntohs(addr.sin_port));
    struct health_url target;
    char why[128];
    CHECK_INT(health_url_parse(url, &target, why, sizeof(why)), 0);
    enum health_verdict v = health_check(&target, admin_token, TIMEOUT_MS, detail, detaillen);
    pthread_join(thread, NULL);
    close(s->listener);
    return v;
}

/* The verdict and detail for `answer` (a C string). */
static void expect_answer(const char *answer, enum health_verdict verdict, const char *detail)
{
    struct script s = {.answer = answer, .answer_len = strlen(answer)};
    char got[320];
    CHECK_INT(check_against(&s, NULL, got, sizeof(got)), verdict);
    /* A healthy detail is the version alone: compared whole. */
    if (verdict == HEALTH_OK ? strcmp(got, detail) != 0 : strstr(got, detail) == NULL) {
        CHECK(!"the expected detail");
        fprintf(stderr, "    answer \"%.60s...\": detail \"%s\", expected \"%s\"\n", answer, got,
                detail);
    }
}

static void urls(void)
{
    struct health_url u;
    char why[128];
    CHECK_INT(health_url_parse("http://127.0.0.1:8080/_emulator/health", &u, why, sizeof(why)), 0);
    CHECK_STR(u.host, "127.0.0.1");
    CHECK_STR(u.port, "8080");
    CHECK_STR(u.path, "/_emulator/health");
    CHECK_INT(health_url_parse("HTTP://[::1]:9/x?y=1#frag", &u, why, sizeof(why)), 0);
    CHECK_STR(u.host, "::1");
    CHECK_STR(u.port, "9");
    CHECK_STR(u.path, "/x?y=1");
    /* The server alone, or its root: its health route (the listening line's URL works). */
    CHECK_INT(health_url_parse("http://example", &u, why, sizeof(why)), 0);
    CHECK_STR(u.port, "80");
    CHECK_STR(u.path, "/_emulator/health");
    CHECK_INT(health_url_parse("http://127.0.0.1:8080/", &u, why, sizeof(why)), 0);
    CHECK_STR(u.path, "/_emulator/health");
    CHECK_INT(health_url_parse("http://h?q", &u, why, sizeof(why)), 0);
    CHECK_STR(u.path, "/?q");

    static const char *const bad[] = {
        "",
        "127.0.0.1:8080",
        "https://127.0.0.1/",
        "http://",
        "http://:80/",
        "http://h:/",
        "http://h:0/",
        "http://h:65536/",
        "http://h:123456/",
        "http://h:8o/",
        "http://::1/",
        "http://[::1/",
        "http://[::1]x/",
        "http://user@h/",
        "http://h/a b",
        "http://h/\r\nX-Injected: 1",
        "http://h/\x7f",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bool refused = health_url_parse(bad[i], &u, why, sizeof(why)) == -1 && why[0] != '\0';
        CHECK(refused);
        if (!refused)
            fprintf(stderr, "    '%s' was accepted\n", bad[i]);
    }
    char long_host[400];
    snprintf(long_host, sizeof(long_host), "http://%0300d/", 0);
    CHECK_INT(health_url_parse(long_host, &u, why, sizeof(why)), -1);
    char long_path[1200] = "http://h/";
    memset(long_path + 9, 'p', sizeof(long_path) - 10);
    long_path[sizeof(long_path) - 1] = '\0';
    CHECK_INT(health_url_parse(long_path, &u, why, sizeof(why)), -1);
}

static void answers(void)
{
    expect_answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 33\r\n\r\n"
                  "{\"status\":\"ok\",\"version\":\"0.1.0\"}",
                  HEALTH_OK, "0.1.0");
    /* No length: the body ends where the server closes. Spaces in the JSON are fine. */
    expect_answer("HTTP/1.0 200 OK\r\n\r\n{ \"status\" : \"ok\" }", HEALTH_OK, "unknown");
    /* The version is printed: only safe characters of it, and not too many. */
    expect_answer("HTTP/1.1 200 OK\r\n\r\n{\"status\":\"ok\",\"version\":\"1.2\\u001b[31m\\n"
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
                  HEALTH_OK, "1.231mxxxxxxxxxxxxxxxxxxxxxxxxxx");
    expect_answer("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"status\":\"down\"}",
                  HEALTH_UNHEALTHY, "without \"status\": \"ok\"");
    expect_answer("HTTP/1.1 200 OK\r\n\r\n[\"status\", \"ok\"]", HEALTH_UNHEALTHY, "without");
    expect_answer("HTTP/1.1 200 OK\r\n\r\nstatus: ok", HEALTH_UNHEALTHY, "without");
    expect_answer("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", HEALTH_UNHEALTHY,
                  "answered 401");
    expect_answer("HTTP/1.1 503 Service Unavailable\r\n\r\n{\"status\":\"ok\"}", HEALTH_UNHEALTHY,
                  "answered 503");
    expect_answer("SSH-2.0-OpenSSH_9.2\r\n", HEALTH_UNHEALTHY, "not HTTP");
    expect_answer("HTTP/1.1 2000 OK\r\n\r\n", HEALTH_UNHEALTHY, "not HTTP");
    expect_answer("HTTP/1.1 20\r\n\r\n", HEALTH_UNHEALTHY, "not HTTP");
    expect_answer("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n{}",
                  HEALTH_UNHEALTHY, "cannot read");
    expect_answer("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}", HEALTH_UNHEALTHY,
                  "cannot read");
    expect_answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"status\":\"ok\"}"
                  "\r\n0\r\n\r\n",
                  HEALTH_UNHEALTHY, "cannot read");
    expect_answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"status\":\"ok\"}",
                  HEALTH_UNHEALTHY, "truncated");
    expect_answer("HTTP/1.1 200 OK\r\nContent-Length: 5", HEALTH_UNHEALTHY, "incomplete");
    expect_answer("", HEALTH_UNHEALTHY, "incomplete");
    /* A Content-Length shorter than what was sent: only that much is the body. */
    expect_answer("HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}garbage",
                  HEALTH_OK, "unknown");
}

static void hostile_servers(void)
{
    char detail[320];
    /* Headers that never end, far more than the client reads: it stops at its limit. */
    struct script endless = {.answer = "HTTP/1.1 200 OK\r\nX-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
                             .repeat = 2000,
                             .hold = true};
    endless.answer_len = strlen(endless.answer);
    CHECK_INT(check_against(&endless, NULL, detail, sizeof(detail)), HEALTH_UNHEALTHY);
    CHECK(strstr(detail, "too long") != NULL);

    /* A server that accepts and says nothing: the deadline ends the wait. */
    struct script silent = {.answer = "", .answer_len = 0, .hold = true};
    CHECK_INT(check_against(&silent, NULL, detail, sizeof(detail)), HEALTH_UNHEALTHY);
    CHECK(strstr(detail, "in time") != NULL);

    /* Complete headers and a longer body than the client reads, never closed. */
    struct script big = {.answer = "HTTP/1.1 200 OK\r\nContent-Length: 16000\r\n\r\n",
                         .hold = true};
    big.answer_len = strlen(big.answer);
    CHECK_INT(check_against(&big, NULL, detail, sizeof(detail)), HEALTH_UNHEALTHY);
}

static void the_request(void)
{
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}";
    struct script s = {.answer = ok, .answer_len = sizeof(ok) - 1};
    char detail[320];
    CHECK_INT(check_against(&s, "adm-token", detail, sizeof(detail)), HEALTH_OK);
    CHECK(strncmp(s.request, "GET /_emulator/health HTTP/1.1\r\n", 32) == 0);
    CHECK(strstr(s.request, "\r\nHost: 127.0.0.1:") != NULL);
    CHECK(strstr(s.request, "\r\nX-Emulator-Admin-Token: adm-token\r\n") != NULL);
    CHECK(strstr(s.request, "\r\nConnection: close\r\n") != NULL);

    struct script plain = {.answer = ok, .answer_len = sizeof(ok) - 1};
    CHECK_INT(check_against(&plain, NULL, detail, sizeof(detail)), HEALTH_OK);
    CHECK(strstr(plain.request, "X-Emulator-Admin-Token") == NULL);
}

static void closed_port(void)
{
    /* A port that was free a moment ago: nothing listens there. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
          getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    if (fd >= 0)
        close(fd);
    struct health_url target = {.host = "127.0.0.1", .path = "/"};
    snprintf(target.port, sizeof(target.port), "%u", ntohs(addr.sin_port));
    char detail[320];
    CHECK_INT(health_check(&target, NULL, TIMEOUT_MS, detail, sizeof(detail)), HEALTH_UNHEALTHY);
    CHECK(strstr(detail, "cannot connect") != NULL);
}

int main(void)
{
    urls();
    answers();
    hostile_servers();
    the_request();
    closed_port();
    return CHECK_DONE();
}
