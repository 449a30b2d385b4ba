/* Lines on stderr for operators: one call, one whole line, text or JSON (--log-format), at
 * or above the level of --log-level. */
#ifndef RDSEMU_LOG_H
#define RDSEMU_LOG_H

#include <jansson.h>
#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_json(bool json);
/* Lines below `level` are not written. */
void log_set_level(enum log_level level);
/* 0 and the level named by `name` (debug, info, warn, error); -1 when none. */
int log_level_parse(const char *name, enum log_level *out);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A line with named values: in JSON, `msg` and each member of `fields` as its own member; in
 * text, "msg key=value ...". Steals `fields` (an object; NULL for none). */
void log_fields(enum log_level level, const char *msg, json_t *fields);

/* The one line each request gets. `error_code` may be NULL. */
struct log_request {
    const char *request_id;
    const char *method;
    const char *path;
    int status;
    double duration_ms;
    const char *error_code;
    bool ended_early; /* the client went away before the answer was sent */
    bool routine;     /* a health poll: logged at debug, so polls need not fill the log */
};
void log_request_line(const struct log_request *r);

#endif
