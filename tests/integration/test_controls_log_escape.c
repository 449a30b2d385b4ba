/* What a client sends cannot spoof or break the log (docs/emulator.md "Logs"). Requests are
 * written byte for byte on raw sockets: a method and a path with ESC sequences, CR, BEL, a C1
 * control, bytes that are not UTF-8 and a backslash, a path of 8000 bytes, and a fault rule's
 * error code with an ESC in it. In both --log-format text and json: no line holds a control
 * byte or invalid UTF-8 (each shows as \xNN, a backslash as \\), every JSON line parses and
 * has all its members, and a long path is cut with its mark while status, time and code end
 * the line. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "raw.h"

#define FAULT_PROJECT "logesc"
#define LONG_PATH_LEN 8000

struct sent {
    const char *label;
    const char *method; /* raw bytes */
    const char *path;   /* raw bytes; NULL: the long path */
    const char *shown_method;
    const char *shown_path; /* NULL: the long path's cut form is checked instead */
    long status;
    const char *code;
    char request_id[64]; /* from the gateway's body; "" for the fault's answer */
};

/* A control byte in the target is a malformed request head (400 APIGW.0201, docs/configuration.md
 * "HTTP limits"); its line in the log shows the bytes escaped all the same. */
static struct sent cases[] = {
    {"escape sequences", "G\x1b[31mET", "/rds/v1/p\r\x1b[2J\xff\xfe/backups", "G\\x1b[31mET",
     "/rds/v1/p\\x0d\\x1b[2J\\xff\\xfe/backups", 400, "APIGW.0201", ""},
    {"method not UTF-8", "G\xffT", "/a", "G\\xffT", "/a", 404, "APIGW.0101", ""},
    {"BEL, backslash, C1 CSI, UTF-8", "GET", "/x\x07y\\z\xc2\x9b\xc3\xa9", "GET",
     "/x\\x07y\\\\z\\xc2\\x9b\xc3\xa9", 400, "APIGW.0201", ""},
    {"a path of 8000 bytes", "GET", NULL, "GET", NULL, 404, "APIGW.0101", ""},
    {"fault code with ESC", "GET", "/v3/" FAULT_PROJECT "/jobs", "GET",
     "/v3/" FAULT_PROJECT "/jobs", 418, "X\\x1b[2JY", ""},
};
#define CASES (sizeof(cases) / sizeof(cases[0]))

static char long_path[LONG_PATH_LEN + 1];

/* Sends one request on its own connection; fills its request_id from a gateway answer. */
static void send_raw(const struct emu *emu, struct sent *s)
{
    const char *path = s->path != NULL ? s->path : long_path;
    size_t cap = strlen(s->method) + strlen(path) + 256;
    char *request = malloc(cap);
    int n = snprintf(request, cap,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: t\r\n"
                     "Connection: close\r\n\r\n",
                     s->method, path);
    int fd = raw_connect(emu->port);
    char *body = NULL;
    bool closing = false;
    long status = 0;
    if (fd >= 0 && n > 0 && raw_write_all(fd, request, (size_t)n) == 0)
        status = raw_read_answer(fd, 5000, &body, &closing);
    if (status != s->status)
        fprintf(stderr, "%s: answered %ld, expected %ld\n", s->label, status, s->status);
    CHECK_INT(status, s->status);
    json_t *root = body != NULL ? json_loads(body, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(root, "request_id"));
    snprintf(s->request_id, sizeof(s->request_id), "%s", id != NULL ? id : "");
    json_decref(root);
    free(body);
    free(request);
    if (fd >= 0)
        close(fd);
}

/* True when `text` is valid UTF-8 without a control byte other than the newline. */
static bool clean_text(const unsigned char *s, size_t len, size_t *bad_at)
{
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        size_t n = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        bool ok = n > 0 && i + n <= len && (c >= 0x20 || c == '\n') && c != 0x7F &&
                  !(c == 0xC2 && n == 2 && s[i + 1] < 0xA0) && c != 0xC0 && c != 0xC1;
        for (size_t k = 1; ok && k < n; k++)
            ok = (s[i + k] & 0xC0) == 0x80;
        if (!ok) {
            *bad_at = i;
            return false;
        }
        i += n;
    }
    return true;
}

/* The line of `log` holding `needle` (new copy), or NULL. */
static char *line_with(const char *log, const char *needle)
{
    const char *at = needle[0] != '\0' ? strstr(log, needle) : NULL;
    if (at == NULL)
        return NULL;
    const char *start = at;
    while (start > log && start[-1] != '\n')
        start--;
    const char *end = strchr(at, '\n');
    return strndup(start, end != NULL ? (size_t)(end - start) : strlen(start));
}

static void check_text_line(const struct sent *s, const char *line, char cut_mark[64])
{
    char want[2048];
    snprintf(want, sizeof(want), " %s %s %ld ", s->shown_method,
             s->shown_path != NULL ? s->shown_path : "/aaaa", s->status);
    if (s->shown_path == NULL) {
        /* Cut: the first part of the path, the mark, then status, time and code. */
        snprintf(want, sizeof(want), "%s %ld ", cut_mark, s->status);
        CHECK(strstr(line, " GET /aaaa") != NULL);
        CHECK(strlen(line) < 2048);
    }
    char tail[128];
    snprintf(tail, sizeof(tail), "ms %s", s->code);
    bool ok = strstr(line, want) != NULL && strlen(line) > strlen(tail) &&
              strcmp(line + strlen(line) - strlen(tail), tail) == 0;
    if (!ok)
        fprintf(stderr, "%s: the text line should contain \"%s\" and end with \"%s\": %s\n",
                s->label, want, tail, line);
    CHECK(ok);
}

static void check_json_line(const struct sent *s, const char *line, char cut_mark[64])
{
    json_t *root = json_loads(line, 0, NULL);
    CHECK(json_is_object(root));
    const char *path = json_string_value(json_object_get(root, "path"));
    CHECK_STR(json_string_value(json_object_get(root, "method")), s->shown_method);
    if (s->shown_path != NULL) {
        CHECK_STR(path, s->shown_path);
    } else {
        CHECK(path != NULL && strncmp(path, "/aaaa", 5) == 0);
        CHECK(path != NULL && strlen(path) > strlen(cut_mark) &&
              strcmp(path + strlen(path) - strlen(cut_mark), cut_mark) == 0);
        CHECK(strlen(line) < 2048);
    }
    CHECK_INT(json_integer_value(json_object_get(root, "status")), s->status);
    CHECK(json_is_number(json_object_get(root, "duration_ms")));
    CHECK_STR(json_string_value(json_object_get(root, "error_code")), s->code);
    json_decref(root);
}

static void run_format(const char *format)
{
    struct emu emu;
    const char *args[] = {"--log-format", format, NULL};
    char label[32];
    snprintf(label, sizeof(label), "log-escape-%s", format);
    if (emu_start(&emu, label, args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, true);
        return;
    }
    int failures_before = check_failures;
    struct http_response r;
    call_admin(&emu, "POST", "/_emulator/faults",
               "{\"path\": \"/v3/" FAULT_PROJECT "/jobs\", \"status\": 418, "
               "\"error_code\": \"X\\u001b[2JY\"}",
               &r);
    EXPECT_STATUS(&r, 201);
    http_response_free(&r);
    for (size_t i = 0; i < CASES; i++)
        send_raw(&emu, &cases[i]);
    CHECK_INT(emu_stop(&emu), 0);

    size_t len = 0;
    char *log = harness_read_file(emu.log_path, &len);
    CHECK(log != NULL);
    if (log == NULL) {
        emu_cleanup(&emu, true);
        return;
    }
    size_t bad_at = 0;
    bool clean = clean_text((const unsigned char *)log, len, &bad_at);
    if (!clean)
        fprintf(stderr, "%s: the log has a control byte or invalid UTF-8 at byte %zu\n", format,
                bad_at);
    CHECK(clean);
    bool json = strcmp(format, "json") == 0;
    if (json) {
        char *copy = strdup(log), *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line != NULL;
             line = strtok_r(NULL, "\n", &save)) {
            json_t *root = json_loads(line, 0, NULL);
            if (!json_is_object(root))
                fprintf(stderr, "not a JSON object: %s\n", line);
            CHECK(json_is_object(root));
            json_decref(root);
        }
        free(copy);
    }
    char cut_mark[64];
    snprintf(cut_mark, sizeof(cut_mark), "...(+%d bytes)", LONG_PATH_LEN - 1024);
    for (size_t i = 0; i < CASES; i++) {
        const struct sent *s = &cases[i];
        char *line =
            line_with(log, s->request_id[0] != '\0' ? s->request_id : "/v3/" FAULT_PROJECT);
        if (line == NULL)
            fprintf(stderr, "%s: no log line\n", s->label);
        CHECK(line != NULL);
        if (line != NULL && json)
            check_json_line(s, line, cut_mark);
        else if (line != NULL)
            check_text_line(s, line, cut_mark);
        free(line);
    }
    free(log);
    emu_cleanup(&emu, check_failures > failures_before);
}

int main(void)
{
    long_path[0] = '/';
    memset(long_path + 1, 'a', LONG_PATH_LEN - 1);
    long_path[LONG_PATH_LEN] = '\0';
    run_format("text");
    run_format("json");
    return CHECK_DONE();
}
