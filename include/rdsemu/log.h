/* Lines on stderr for operators: one call, one whole line. */
#ifndef RDSEMU_LOG_H
#define RDSEMU_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
