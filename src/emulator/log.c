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

#include "rdsemu/log.h"
#include "rdsemu/timefmt.h"
#include "rdsemu/validate.h"

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

static void write_line(const char *text, size_t len)
{
    char line[4096];
    if (len > sizeof(line) - 1)
        len = sizeof(line) - 1;
    memcpy(line, text, len);
    line[len++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}

/* Steals `obj`: adds time and level, writes it as one compact JSON line. */
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

static void log_write(enum log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void log_write(enum log_level level_value, const char *fmt, va_list ap)
{
    if (!level_enabled(level_value))
        return;
    const char *level = level_names[level_value];
    char message[2048];
    vsnprintf(message, sizeof(message), fmt, ap);
    if (atomic_load(&json_lines)) {
        /* A message may quote client bytes: keep only what JSON can carry. */
        utf8_sanitize(message);
        write_json(json_pack("{s:s}", "msg", message), level);
        return;
    }
    char line[2200];
    char time[32];
    now_text(time);
    int n = snprintf(line, sizeof(line), "%s %s %s", time, level, message);
    write_line(line, n < 0 ? 0 : (size_t)n >= sizeof(line) ? sizeof(line) - 1 : (size_t)n);
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

static void log_at(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void log_at(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_write(level, fmt, ap);
    va_end(ap);
}

/* Appends " key=value" for each member of `fields`, strings as they are, others as JSON. */
static void text_fields(char *line, size_t size, json_t *fields)
{
    const char *key;
    json_t *value;
    json_object_foreach(fields, key, value)
    {
        size_t used = strlen(line);
        if (used + 1 >= size)
            return;
        if (json_is_string(value)) {
            snprintf(line + used, size - used, " %s=%s", key, json_string_value(value));
        } else {
            char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
            snprintf(line + used, size - used, " %s=%s", key, text != NULL ? text : "?");
            free(text);
        }
    }
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
    char line[2200];
    char time[32];
    now_text(time);
    snprintf(line, sizeof(line), "%s %s %s", time, level_names[level], msg);
    if (fields != NULL)
        text_fields(line, sizeof(line), fields);
    json_decref(fields);
    write_line(line, strlen(line));
}

void log_request_line(const struct log_request *r)
{
    enum log_level level = r->routine ? LOG_DEBUG : LOG_INFO;
    if (!level_enabled(level))
        return;
    if (atomic_load(&json_lines)) {
        char path[1024];
        snprintf(path, sizeof(path), "%s", r->path);
        utf8_sanitize(path);
        json_t *obj =
            json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:s*}", "event", "request", "request_id",
                      r->request_id, "method", r->method, "path", path, "status", r->status,
                      "duration_ms", r->duration_ms, "error_code", r->error_code);
        if (obj != NULL && r->ended_early)
            json_object_set_new(obj, "ended_early", json_true());
        write_json(obj, level_names[level]);
        return;
    }
    log_at(level, "request %s %s %s %d %.3fms %s%s", r->request_id, r->method, r->path, r->status,
           r->duration_ms, r->error_code != NULL ? r->error_code : "-",
           r->ended_early ? " (connection ended early)" : "");
}
