/* Shared by the identity tests (test_identity.c, test_identity_presence.c; docs/identity.md):
 * a request that also reads the X-Subject-Token of the answer, JSON members by path, and the
 * checks of the identity answers. Part of the test kit library. */
#ifndef RDSEMU_TEST_IDENTITY_KIT_H
#define RDSEMU_TEST_IDENTITY_KIT_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expect.h"

/* An answer, with the X-Subject-Token header it carried ("" when none). */
struct id_answer {
    struct http_response r; /* status, body, X-Request-Id, Content-Type */
    char subject[1024];
    bool has_subject;
};

struct id_collect {
    char *data;
    size_t len;
    struct id_answer *answer;
};

size_t id_on_body(char *ptr, size_t size, size_t n, void *arg);

/* Copies the value of `name` from a header line, trimmed. */
bool id_take(const char *line, size_t len, const char *name, char *out, size_t max);

size_t id_on_header(char *line, size_t size, size_t n, void *arg);

/* `method` `path` (on the server's base URL, or a full URL when it starts with "http") with
 * `headers` (NULL-terminated or NULL) and `body` (NULL: none). 0 when an answer came. */
int id_send(const struct emu *emu, const char *method, const char *path, const char *const *headers,
            const char *body, struct id_answer *out);

void id_free(struct id_answer *a);

/* The member at a dotted path ("token.project.id"; a number picks an array element), or
 * NULL. Borrowed from `root`. */
json_t *jpath(json_t *root, const char *path);

const char *jstr(json_t *root, const char *path);

/* CHECK_STR on a member of the answer's JSON body. */
#define CHECK_MEMBER(a, path, expected)                                                            \
    do {                                                                                           \
        json_t *root_ = http_response_json(&(a)->r);                                               \
        CHECK_STR(jstr(root_, (path)), (expected));                                                \
        json_decref(root_);                                                                        \
    } while (0)

/* The gateway's shape with `code`, as every identity error is. */
#define EXPECT_IDENTITY_ERROR(a, status, code) EXPECT_GATEWAY_ERROR(&(a)->r, (status), (code))

#endif
