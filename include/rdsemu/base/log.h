/* Lines on stderr for operators: one call, one whole line, text or JSON (--log-format), at
 * or above the level of --log-level. */
#ifndef RDSEMU_LOG_H
#define RDSEMU_LOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
enum log_format { LOG_TEXT, LOG_JSON };

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

/* The longest cut mark, "...(+N bytes)", with its NUL. */
#define LOG_CUT_MARK_MAX 40
/* The room log_escape needs for a budget. */
#define LOG_ESCAPED_SIZE(budget) ((budget) + LOG_CUT_MARK_MAX + 1)

/* Writes `len` bytes of `in` into `out` (`size` >= LOG_ESCAPED_SIZE(budget)) as a log line may
 * show them: control bytes (C0, DEL, C1) and bytes that are not UTF-8 as \xNN, a backslash as
 * \\, valid UTF-8 as it is. At most `budget` of it (counted as JSON writes it with `json`,
 * else in bytes): a longer text is cut on a character and ends with "...(+N bytes)", N the
 * input bytes left out plus `omitted` (bytes the caller already dropped; any mark is written
 * when it is not 0). Returns the length written. */
size_t log_escape(char *out, size_t size, const char *in, size_t len, size_t omitted, size_t budget,
                  bool json);

#endif
