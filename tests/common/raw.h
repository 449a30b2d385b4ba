/* Plain sockets and text helpers for the tests that must control the bytes on the wire
 * (libcurl would tidy a request up) or build long test strings. */
#ifndef RDSEMU_TEST_RAW_H
#define RDSEMU_TEST_RAW_H

#include <stdbool.h>
#include <stddef.h>

/* A TCP connection to 127.0.0.1:port, or -1. */
int raw_connect(unsigned port);
/* Writes all of `data`; 0, or -1 when the connection failed. */
int raw_write_all(int fd, const char *data, size_t len);
/* Reads one whole answer (head + Content-Length body) within `timeout_ms`. Its status, or 0
 * when the connection ended or the time ran out first. `body` gets a new copy of the body
 * (free()); `closing` tells whether the server said "Connection: close". */
long raw_read_answer(int fd, int timeout_ms, char **body, bool *closing);
/* `count` copies of `piece` (new: free()), NULL when out of memory. */
char *text_repeat(const char *piece, size_t count);

#endif
