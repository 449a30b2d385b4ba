/* The per-request context: made on libmicrohttpd's first call for a request, freed only in
 * its completion callback (DESIGN.md step 1). */
#ifndef RDSEMU_REQUEST_H
#define RDSEMU_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rdsemu/errors.h"
#include "rdsemu/model.h"
#include "rdsemu/router.h"

struct MHD_Connection;
struct app;

struct request {
    struct MHD_Connection *conn; /* borrowed */
    struct app *app;             /* borrowed */
    const char *method;          /* borrowed from libmicrohttpd, valid for the request */
    char *path;                  /* new: the raw path, without the query */
    char request_id[UUID_TEXT_LEN + 1];
    struct route_match match;
    enum api_flavour api; /* whose shape errors take; API_GATEWAY until a route matched */

    /* Checks that need only the headers, run once on the first call. */
    enum rdsemu_err header_err;
    char header_message[256];

    /* The body, capped at --max-body while it grows. */
    char *body; /* new */
    size_t body_len;
    size_t body_cap;
    bool body_too_large;

    /* What was answered, for the log line. */
    bool replied;
    int status;
    const char *error_code; /* borrowed static string, NULL on success */
    struct timespec started;
};

/* Borrowed, NULL when absent. Names are matched case-insensitively. */
const char *request_header(struct request *req, const char *name);
/* A query parameter, percent-decoded into `out` (new, NULL when absent). 0 absent or
 * present, -1 when given more than once or not decodable to text (the caller answers 400).
 * A parameter with an empty value counts as absent (API.md §4). */
int request_query(struct request *req, const char *name, char **out);
/* Borrowed path parameter of the matched route, NULL when absent. */
const char *request_param(struct request *req, const char *name);

#endif
