/* Logs (docs/configuration.md --log-format): with json, every stderr line is a JSON object, one per
 * request (request_id, method, path, status, duration_ms, and error_code for a refusal),
 * with a start line before them and a stop line after; with text, one line per request too;
 * in both, no token value ever appears. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expect.h"

#define PROJECT "rules-project"

#define SECRET_TOKEN    "log-tok-SECRET-31c7"
#define SECRET_AK       "log-AK-SECRET-5d20"
#define SECRET_SIG      "feedface5ecre7feedface5ecre7feedface5ecre7feedface5ecre7feedface"
#define SECRET_SECURITY "log-sts-SECRET-a9f4"

#define MAX_SENT 16

struct sent {
    char id[128];
    const char *method;
    const char *path; /* without the query */
    long status;
    const char *code; /* NULL on success */
};

struct sent_list {
    struct sent items[MAX_SENT];
    size_t n;
};

/* Sends a request and remembers what its log line must say. */
static void send_logged(const struct emu *emu, struct sent_list *list, const char *method,
                        const char *path, const char *query, const char *const *headers,
                        const char *body, long status, const char *code)
{
    char target[256];
    snprintf(target, sizeof(target), "%s%s", path, query);
    struct http_response r;
    call_request(emu, NULL, method, target, headers, body, &r);
    if (r.status != status)
        fprintf(stderr, "%s %s answered %ld, expected %ld: %s\n", method, target, r.status, status,
                r.body);
    CHECK_INT(r.status, status);
    if (list->n < MAX_SENT) {
        struct sent *s = &list->items[list->n++];
        snprintf(s->id, sizeof(s->id), "%s", r.request_id);
        s->method = method;
        s->path = path;
        s->status = status;
        s->code = code;
    }
    http_response_free(&r);
}

/* The same mix of requests for both formats: successes, refusals, the control plane, and
 * every kind of secret header. */
static void send_mix(const struct emu *emu, struct sent_list *list)
{
    const char *create[] = {"X-Auth-Token: " SECRET_TOKEN, CALL_JSON_HEADER,
                            "X-Emulator-Backup-Seconds: 0", NULL};
    send_logged(emu, list, "POST", "/rds/v1/" PROJECT "/backups", "", create,
                "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"logged1\"}}", 200, NULL);
    send_logged(emu, list, "POST", "/rds/v1/" PROJECT "/backups", "", create,
                "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"x\"}}", 400, "RDS.0001");
    send_logged(emu, list, "POST", "/rds/v1/" PROJECT "/backups", "", create,
                "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"logged1\"}}", 409,
                "RDS.0031");
    const char *signed_headers[] = {
        "Authorization: SDK-HMAC-SHA256 Access=" SECRET_AK ", SignedHeaders=host;x-sdk-date, "
        "Signature=" SECRET_SIG,
        "X-Sdk-Date: 20261129T080000Z", "X-Security-Token: " SECRET_SECURITY,
        "X-Auth-Token: " SECRET_TOKEN, NULL};
    send_logged(emu, list, "GET", "/v3/" PROJECT "/backups", "?instance_id=mysql-1", signed_headers,
                NULL, 200, NULL);
    send_logged(emu, list, "GET", "/v3/" PROJECT "/jobs", "?id=nope", signed_headers, NULL, 400,
                "DBS.200543");
    send_logged(emu, list, "GET", "/rds/v1/" PROJECT "/backups", "", NULL, NULL, 401, "APIGW.0301");
    send_logged(emu, list, "GET", "/no/such/route", "", create, NULL, 404, "APIGW.0101");
    send_logged(emu, list, "GET", "/_emulator/health", "", NULL, NULL, 200, NULL);
}

static void check_no_secret(const char *log)
{
    const char *secrets[] = {SECRET_TOKEN, SECRET_AK, SECRET_SIG, SECRET_SECURITY};
    for (size_t i = 0; i < 4; i++) {
        bool found = log != NULL && strstr(log, secrets[i]) != NULL;
        if (found)
            fprintf(stderr, "the log shows the secret %s\n", secrets[i]);
        CHECK(!found);
    }
}

static bool contains_nocase(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; p != NULL && *p != '\0'; p++)
        if (strncasecmp(p, word, n) == 0)
            return true;
    return false;
}

/* The lines of `log` (it is modified), at most `max`; their count. */
static size_t split_lines(char *log, char **lines, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(log, "\n", &save); line != NULL && n < max;
         line = strtok_r(NULL, "\n", &save))
        lines[n++] = line;
    return n;
}

static void json_format(void)
{
    struct emu emu;
    const char *args[] = {
        "--seed",       RDSEMU_TEST_SEED, "--backup-seconds", "0",     "--auth", "presence",
        "--log-format", "json",           "--log-level",      "debug", NULL};
    if (emu_start(&emu, "ctl-logs-json", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu --log-format json");
        return;
    }
    int failures_before = check_failures;
    struct sent_list sent = {0};
    send_mix(&emu, &sent);
    CHECK_INT(emu_stop(&emu), 0);

    char *log = harness_read_file(emu.log_path, NULL);
    CHECK(log != NULL);
    check_no_secret(log);
    static char *lines[4096];
    size_t n = log != NULL ? split_lines(log, lines, 4096) : 0;
    json_t *parsed[4096] = {0};
    size_t request_lines = 0, first_request = n, last_request = 0;
    for (size_t i = 0; i < n; i++) {
        json_error_t error;
        parsed[i] = json_loads(lines[i], JSON_REJECT_DUPLICATES, &error);
        if (!json_is_object(parsed[i]))
            fprintf(stderr, "log line %zu is not a JSON object: %s\n", i + 1, lines[i]);
        CHECK(json_is_object(parsed[i]));
        if (json_object_get(parsed[i], "request_id") != NULL) {
            request_lines++;
            if (first_request == n)
                first_request = i;
            last_request = i;
        }
    }
    /* One line per request, no more. */
    CHECK_INT(request_lines, sent.n);
    for (size_t k = 0; k < sent.n; k++) {
        const struct sent *s = &sent.items[k];
        json_t *line = NULL;
        int matches = 0;
        for (size_t i = 0; i < n; i++) {
            const char *id = json_string_value(json_object_get(parsed[i], "request_id"));
            if (id != NULL && strcmp(id, s->id) == 0) {
                line = parsed[i];
                matches++;
            }
        }
        if (matches != 1)
            fprintf(stderr, "request %s %s (%s) has %d log lines\n", s->method, s->path, s->id,
                    matches);
        CHECK_INT(matches, 1);
        if (line == NULL)
            continue;
        CHECK_STR(json_string_value(json_object_get(line, "method")), s->method);
        CHECK_STR(json_string_value(json_object_get(line, "path")), s->path);
        CHECK_INT(json_integer_value(json_object_get(line, "status")), s->status);
        json_t *duration = json_object_get(line, "duration_ms");
        CHECK(json_is_number(duration) && json_number_value(duration) >= 0);
        json_t *code = json_object_get(line, "error_code");
        if (s->code != NULL)
            CHECK_STR(json_string_value(code), s->code);
        else
            CHECK(code == NULL || json_is_null(code));
    }
    /* A start line before the requests, a stop line after them. */
    bool start_seen = false, stop_seen = false;
    for (size_t i = 0; i < n; i++) {
        if (i < first_request && contains_nocase(lines[i], "start"))
            start_seen = true;
        if (i > last_request &&
            (contains_nocase(lines[i], "stop") || contains_nocase(lines[i], "shut")))
            stop_seen = true;
    }
    CHECK(start_seen);
    CHECK(stop_seen);
    for (size_t i = 0; i < n; i++)
        json_decref(parsed[i]);
    free(log);
    emu_cleanup(&emu, check_failures > failures_before);
}

static void text_format(void)
{
    struct emu emu;
    const char *args[] = {
        "--seed",       RDSEMU_TEST_SEED, "--backup-seconds", "0",     "--auth", "presence",
        "--log-format", "text",           "--log-level",      "debug", NULL};
    if (emu_start(&emu, "ctl-logs-text", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu --log-format text");
        return;
    }
    int failures_before = check_failures;
    struct sent_list sent = {0};
    send_mix(&emu, &sent);
    CHECK_INT(emu_stop(&emu), 0);

    char *log = harness_read_file(emu.log_path, NULL);
    CHECK(log != NULL);
    check_no_secret(log);
    static char *lines[4096];
    size_t n = log != NULL ? split_lines(log, lines, 4096) : 0;
    size_t first_request = n, last_request = 0;
    for (size_t k = 0; k < sent.n; k++) {
        const struct sent *s = &sent.items[k];
        int matches = 0;
        for (size_t i = 0; i < n; i++) {
            if (s->id[0] == '\0' || strstr(lines[i], s->id) == NULL)
                continue;
            matches++;
            first_request = i < first_request ? i : first_request;
            last_request = i > last_request ? i : last_request;
            char status[16];
            snprintf(status, sizeof(status), " %ld ", s->status);
            bool ok = strstr(lines[i], s->method) != NULL && strstr(lines[i], s->path) != NULL &&
                      strstr(lines[i], status) != NULL &&
                      (s->code == NULL || strstr(lines[i], s->code) != NULL);
            if (!ok)
                fprintf(stderr, "log line lacks method, path, status or code: %s\n", lines[i]);
            CHECK(ok);
        }
        if (matches != 1)
            fprintf(stderr, "request %s %s (%s) has %d log lines\n", s->method, s->path, s->id,
                    matches);
        CHECK_INT(matches, 1);
    }
    bool start_seen = false, stop_seen = false;
    for (size_t i = 0; i < n; i++) {
        if (i < first_request && contains_nocase(lines[i], "start"))
            start_seen = true;
        if (i > last_request &&
            (contains_nocase(lines[i], "stop") || contains_nocase(lines[i], "shut")))
            stop_seen = true;
    }
    CHECK(start_seen);
    CHECK(stop_seen);
    free(log);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* How many lines of `log` contain `needle`. */
static int count_lines_with(const char *log, const char *needle)
{
    int n = 0;
    for (const char *p = log; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* --log-level: at the default (info) a health poll leaves no line but every other request
 * does; at warn no request line is written; at debug the poll is there too (json_format and
 * text_format above). The start line names the address, the database and the seed's counts. */
static void levels(void)
{
    static const char *const levels_tried[] = {NULL, "warn"};
    for (size_t i = 0; i < 2; i++) {
        struct emu emu;
        const char *args[] = {"--seed",
                              RDSEMU_TEST_SEED,
                              "--log-format",
                              "json",
                              levels_tried[i] != NULL ? "--log-level" : NULL,
                              levels_tried[i],
                              NULL};
        if (emu_start(&emu, "ctl-logs-level", args, NULL) != 0) {
            emu_cleanup(&emu, false);
            CHECK(!"cannot start rdsemu for --log-level");
            return;
        }
        int failures_before = check_failures;
        char listen[96];
        snprintf(listen, sizeof(listen), "\"listen\":\"%s\"", emu.base_url);
        struct http_response r;
        call_request(&emu, NULL, "GET", "/_emulator/health", NULL, NULL, &r);
        CHECK_INT(r.status, 200);
        http_response_free(&r);
        call_request(&emu, NULL, "GET", "/no/such/route", NULL, NULL, &r);
        CHECK_INT(r.status, 404);
        http_response_free(&r);
        CHECK_INT(emu_stop(&emu), 0);
        char *log = harness_read_file(emu.log_path, NULL);
        CHECK(log != NULL);
        CHECK_INT(count_lines_with(log, "\"path\":\"/_emulator/health\""), 0);
        CHECK_INT(count_lines_with(log, "\"path\":\"/no/such/route\""), levels_tried[i] ? 0 : 1);
        if (levels_tried[i] == NULL) {
            CHECK_INT(count_lines_with(log, listen), 1);
            CHECK_INT(count_lines_with(log, "\"seed_projects\":2,\"seed_instances\":10"), 1);
            CHECK_INT(count_lines_with(log, "\"msg\":\"stopped\""), 1);
        } else {
            CHECK_INT(count_lines_with(log, "\"level\":\"info\""), 0);
        }
        free(log);
        emu_cleanup(&emu, check_failures > failures_before);
    }
}

int main(void)
{
    json_format();
    text_format();
    levels();
    return CHECK_DONE();
}
