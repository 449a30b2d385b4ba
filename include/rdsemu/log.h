/* Lines on stderr for operators: one call, one whole line, text or JSON (--log-format). */
#ifndef RDSEMU_LOG_H
#define RDSEMU_LOG_H

#include <stdbool.h>

void log_set_json(bool json);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The one line each request gets. `error_code` may be NULL. */
struct log_request {
    const char *request_id;
    const char *method;
    const char *path;
    int status;
    double duration_ms;
    const char *error_code;
    bool ended_early; /* the client went away before the answer was sent */
};
void log_request_line(const struct log_request *r);

#endif
