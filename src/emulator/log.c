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
#include "rdsemu/validate.h"

static atomic_bool json_lines;

void log_set_json(bool json)
{
    atomic_store(&json_lines, json);
}

static void now_text(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
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

static void log_write(const char *level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void log_write(const char *level, const char *fmt, va_list ap)
{
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

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_write("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_write("error", fmt, ap);
    va_end(ap);
}

void log_request_line(const struct log_request *r)
{
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
        write_json(obj, "info");
        return;
    }
    log_info("request %s %s %s %d %.3fms %s%s", r->request_id, r->method, r->path, r->status,
             r->duration_ms, r->error_code != NULL ? r->error_code : "-",
             r->ended_early ? " (connection ended early)" : "");
}
