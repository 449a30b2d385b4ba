/* Operator lines on stderr. Each line is formatted first and written with one call, so lines
 * from several threads never interleave. Nothing here ever sees a request's headers or body,
 * so no token can reach the log. */
#include <jansson.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rdsemu/base/strbuf.h"
#include "rdsemu/base/log.h"
#include "rdsemu/base/timefmt.h"

static atomic_bool json_lines;
static atomic_int min_level = LOG_INFO;

static const char *const level_names[] = {
    [LOG_DEBUG] = "debug",
    [LOG_INFO] = "info",
    [LOG_WARN] = "warn",
    [LOG_ERROR] = "error",
};

void log_set_json(bool json)
{
    atomic_store(&json_lines, json);
}

void log_set_level(enum log_level level)
{
    atomic_store(&min_level, (int)level);
}

int log_level_parse(const char *name, enum log_level *out)
{
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

static bool level_enabled(enum log_level level)
{
    return (int)level >= atomic_load(&min_level);
}

/* The real UTC time to the millisecond: "YYYY-MM-DDTHH:MM:SS.mmmZ", always 24 characters
 * (time_format_v1 writes exactly 19, the milliseconds are 0 to 999). */
static void now_text(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_format_v1((int64_t)ts.tv_sec, out);
    snprintf(out + TIME_V1_LEN, 32 - TIME_V1_LEN, ".%03dZ", (int)(ts.tv_nsec / 1000000 % 1000));
}

/* How much of each text a line shows (in bytes of the line; see log_escape). Together they
 * keep every line well under one write of 4 KiB, so a cut is always ours, with its mark, and
 * never the tail of the line. */
#define MESSAGE_MAX  2048 /* a formatted message */
#define METHOD_SHOWN 32
#define PATH_SHOWN   1024
#define CODE_SHOWN   64
#define FIELD_SHOWN  512 /* a value of log_fields */

/* Writes `text` and a newline with one call, so lines from threads never mix. A line that
 * does not fit the stack buffer (none should) goes whole from the heap. */
static void write_line(const char *text, size_t len)
{
    char stack[4096];
    char *line = len + 1 <= sizeof(stack) ? stack : malloc(len + 1);
    if (line == NULL)
        return;
    memcpy(line, text, len);
    line[len] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len + 1);
    (void)ignored;
    if (line != stack)
        free(line);
}

/* Steals `obj`: adds time and level, writes it as one compact JSON line. Every string in it
 * is valid UTF-8 (escaped by the caller), so the dump cannot fail on it. */
static void write_json(json_t *obj, const char *level)
{
    char time[32];
    now_text(time);
    json_t *line = json_pack("{s:s, s:s}", "time", time, "level", level);
    if (line != NULL && obj != NULL)
        json_object_update(line, obj);
    json_decref(obj);
    char *text = line != NULL ? json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(line);
    if (text != NULL) {
        write_line(text, strlen(text));
        free(text);
    }
}

/* "<time> <level> <text>" as one line; `text` is already escaped. */
static void write_text(const char *level, const char *text)
{
    char time[32];
    now_text(time);
    struct strbuf line = STRBUF_INIT;
    strbuf_puts(&line, time);
    strbuf_puts(&line, " ");
    strbuf_puts(&line, level);
    strbuf_puts(&line, " ");
    strbuf_puts(&line, text);
    size_t len = 0;
    char *whole = strbuf_take(&line, &len);
    if (whole != NULL)
        write_line(whole, len);
    free(whole);
}

static void log_write(enum log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void log_write(enum log_level level_value, const char *fmt, va_list ap)
{
    if (!level_enabled(level_value))
        return;
    const char *level = level_names[level_value];
    char message[MESSAGE_MAX];
    int n = vsnprintf(message, sizeof(message), fmt, ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(message) ? (size_t)n : sizeof(message) - 1;
    size_t dropped = n < 0 ? 0 : (size_t)n - len;
    /* A message may quote client bytes: escaped like them, in both formats. */
    bool json = atomic_load(&json_lines);
    char shown[LOG_ESCAPED_SIZE(MESSAGE_MAX)];
    log_escape(shown, sizeof(shown), message, len, dropped, MESSAGE_MAX, json);
    if (json)
        write_json(json_pack("{s:s}", "msg", shown), level);
    else
        write_text(level, shown);
}

#define LOG_FUNCTION(name, level)                                                                  \
    void name(const char *fmt, ...)                                                                \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        log_write(level, fmt, ap);                                                                 \
        va_end(ap);                                                                                \
    }

LOG_FUNCTION(log_debug, LOG_DEBUG)
LOG_FUNCTION(log_info, LOG_INFO)
LOG_FUNCTION(log_warn, LOG_WARN)
LOG_FUNCTION(log_error, LOG_ERROR)

/* Appends `text` escaped to `line`, at most `budget` of it. */
static void append_escaped(struct strbuf *line, const char *text, size_t budget)
{
    char shown[LOG_ESCAPED_SIZE(MESSAGE_MAX)];
    if (budget > MESSAGE_MAX)
        budget = MESSAGE_MAX;
    log_escape(shown, sizeof(shown), text, strlen(text), 0, budget, false);
    strbuf_puts(line, shown);
}

void log_fields(enum log_level level, const char *msg, json_t *fields)
{
    if (!level_enabled(level)) {
        json_decref(fields);
        return;
    }
    if (atomic_load(&json_lines)) {
        json_t *obj = json_pack("{s:s}", "msg", msg);
        if (obj != NULL && fields != NULL)
            json_object_update(obj, fields);
        json_decref(fields);
        write_json(obj, level_names[level]);
        return;
    }
    /* " key=value" for each member, strings as they are, others as JSON; all escaped. */
    struct strbuf line = STRBUF_INIT;
    append_escaped(&line, msg, MESSAGE_MAX);
    const char *key;
    json_t *value;
    json_object_foreach(fields, key, value)
    {
        strbuf_puts(&line, " ");
        append_escaped(&line, key, FIELD_SHOWN);
        strbuf_puts(&line, "=");
        char *dump =
            json_is_string(value) ? NULL : json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        append_escaped(&line,
                       json_is_string(value) ? json_string_value(value)
                       : dump != NULL        ? dump
                                             : "?",
                       FIELD_SHOWN);
        free(dump);
    }
    json_decref(fields);
    char *text = strbuf_take(&line, NULL);
    if (text != NULL)
        write_text(level_names[level], text);
    free(text);
}

void log_request_line(const struct log_request *r)
{
    enum log_level level = r->routine ? LOG_DEBUG : LOG_INFO;
    if (!level_enabled(level))
        return;
    bool json = atomic_load(&json_lines);
    /* Method, path and code come from the client (a fault rule's code too): escaped, and cut
     * to their budgets, so the status, time and code always end the line. */
    char method[LOG_ESCAPED_SIZE(METHOD_SHOWN)], path[LOG_ESCAPED_SIZE(PATH_SHOWN)];
    char code[LOG_ESCAPED_SIZE(CODE_SHOWN)];
    log_escape(method, sizeof(method), r->method, strlen(r->method), 0, METHOD_SHOWN, json);
    log_escape(path, sizeof(path), r->path, strlen(r->path), 0, PATH_SHOWN, json);
    if (r->error_code != NULL)
        log_escape(code, sizeof(code), r->error_code, strlen(r->error_code), 0, CODE_SHOWN, json);
    if (json) {
        json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:s*}", "event", "request",
                                "request_id", r->request_id, "method", method, "path", path,
                                "status", r->status, "duration_ms", r->duration_ms, "error_code",
                                r->error_code != NULL ? code : NULL);
        if (obj != NULL && r->ended_early)
            json_object_set_new(obj, "ended_early", json_true());
        write_json(obj, level_names[level]);
        return;
    }
    /* Bounded by the budgets above: request ID 36, method, path, status, a duration of at most
     * 20 digits, code and the mark; far below the buffer. */
    char line[LOG_ESCAPED_SIZE(METHOD_SHOWN) + LOG_ESCAPED_SIZE(PATH_SHOWN) +
              LOG_ESCAPED_SIZE(CODE_SHOWN) + 192];
    snprintf(line, sizeof(line), "request %s %s %s %d %.3fms %s%s", r->request_id, method, path,
             r->status, r->duration_ms, r->error_code != NULL ? code : "-",
             r->ended_early ? " (connection ended early)" : "");
    write_text(level_names[level], line);
}
