/* Checks of whole answers against docs/api.md and docs/v3.md, on top of check.h: the common rules
 * of §1 on every answer (X-Request-Id, Content-Type), the error shapes, the exact create answers
 * of both APIs, and the text forms they use. The EXPECT_* macros report the caller's line; each
 * names a function taking that file and line. */
#ifndef RDSEMU_TEST_EXPECT_H
#define RDSEMU_TEST_EXPECT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "calls.h"
#include "check.h"
#include "times.h"

/* One counted check: true when `ok`; otherwise prints the message and the answer `r`. */
__attribute__((format(printf, 5, 6))) bool expect_that_at(const char *file, int line, bool ok,
                                                          const struct http_response *r,
                                                          const char *fmt, ...);
#define EXPECT_THAT_AT(file, line, ok, r, ...)                                                     \
    expect_that_at((file), (line), (ok), (r), __VA_ARGS__)

/* ---- text forms ---- */

/* A lowercase 8-4-4-4-12 UUID. */
bool text_is_uuid(const char *s);
/* A job ID: 32 lowercase hex digits. */
bool text_is_job_id(const char *s);

/* ---- JSON ---- */

/* True when `obj` is an object whose members are exactly `keys`, in that order. */
bool json_keys_are(json_t *obj, const char *const *keys);
bool json_is_nonempty_string(json_t *v);
/* Drops a reference; true when there was one (for "it was made" checks). */
bool json_decref_ok(json_t *value);
/* The string member `key` of `obj` (borrowed), or NULL. */
const char *member_string(json_t *obj, const char *key);
/* A string member of a create answer's `backup` (borrowed from `root`), or NULL. */
const char *created_member(json_t *root, const char *key);
/* The value of header `name` in the "headers" object of `obj` (a journal entry, an AK/SK vector),
 * the name matched case-insensitively; NULL when absent. */
const char *header_of(json_t *obj, const char *name);
/* One counted check: the JSON text `text` (a body read off a socket) is an object whose string
 * member `key` is `want`. */
bool expect_text_member_at(const char *file, int line, const char *text, const char *key,
                           const char *want);
#define EXPECT_TEXT_MEMBER(text, key, want)                                                        \
    expect_text_member_at(__FILE__, __LINE__, (text), (key), (want))

/* ---- answers ---- */

/* §1 on every answer: it came, X-Request-Id is a UUID, a body comes as application/json. */
bool expect_common_at(const char *file, int line, const struct http_response *r);
/* expect_common_at, and the status. */
bool expect_status_at(const char *file, int line, const struct http_response *r, long status);

/* The error shapes: v1 {"errCode", "externalMessage"}, v3 {"error_code", "error_msg"} (the
 * values of enum call_api), and the gateway's {"error_code", "error_msg", "request_id"} whose
 * request_id is the X-Request-Id. The message is a non-empty string. */
enum error_shape {
    ERRORS_V1 = CALL_V1,
    ERRORS_V3 = CALL_V3,
    ERRORS_GATEWAY,
};
bool expect_error_at(const char *file, int line, const struct http_response *r,
                     enum error_shape shape, long status, const char *code);
/* Control-plane error: {"error": {"code": "<word>", "message": "..."}}. */
bool expect_admin_error_at(const char *file, int line, const struct http_response *r, long status);

/* What one member of an answer must be: of `kind`, or the string `equals` when that is not
 * NULL. A table of them ends with a NULL key. */
struct member_rule {
    const char *key;
    enum member_kind {
        MEMBER_UUID,           /* a lowercase UUID */
        MEMBER_STRING,         /* a non-empty string */
        MEMBER_STRING_OR_NULL, /* any string, or null */
        MEMBER_NULL,
        MEMBER_V1_TIME,
        MEMBER_V3_TIME,
    } kind;
    const char *equals;
};
/* One counted check per rule on the members of `obj` (an element of the answer `r`); true when
 * all hold. */
bool expect_members_at(const char *file, int line, const struct http_response *r, json_t *obj,
                       const struct member_rule *rules);

/* The 200 of the create of `api`, exactly as docs/api.md §2 (v1) or docs/v3.md (v3) shows it:
 * the parsed body (new reference) for more checks, or NULL when it is not that. */
json_t *expect_created_at(const char *file, int line, const struct http_response *r,
                          enum call_api api);

#define EXPECT_STATUS(r, status) expect_status_at(__FILE__, __LINE__, (r), (status))
#define EXPECT_V1_ERROR(r, status, code)                                                           \
    expect_error_at(__FILE__, __LINE__, (r), ERRORS_V1, (status), (code))
#define EXPECT_V3_ERROR(r, status, code)                                                           \
    expect_error_at(__FILE__, __LINE__, (r), ERRORS_V3, (status), (code))
#define EXPECT_API_ERROR(r, api, status, code)                                                     \
    expect_error_at(__FILE__, __LINE__, (r), (enum error_shape)(api), (status), (code))
#define EXPECT_GATEWAY_ERROR(r, status, code)                                                      \
    expect_error_at(__FILE__, __LINE__, (r), ERRORS_GATEWAY, (status), (code))
#define EXPECT_ADMIN_ERROR(r, status) expect_admin_error_at(__FILE__, __LINE__, (r), (status))
#define EXPECT_V1_CREATED(r)          expect_created_at(__FILE__, __LINE__, (r), CALL_V1)
#define EXPECT_V3_CREATED(r)          expect_created_at(__FILE__, __LINE__, (r), CALL_V3)

/* ---- creates sent and checked ---- */

/* A create through `api` (call_create) that must be the exact 200: the parsed answer (new
 * reference), or NULL. */
json_t *create_json_at(const char *file, int line, const struct emu *emu, enum call_api api,
                       const char *project, const char *body, long build_seconds,
                       const char *outcome);
/* A create through `api` (build time 0) that must get that error in the API's shape. */
bool create_error_at(const char *file, int line, const struct emu *emu, enum call_api api,
                     const char *project, const char *body, long status, const char *code);

/* v1, build time 0. */
#define EXPECT_CREATE_JSON(emu, project, body)                                                     \
    create_json_at(__FILE__, __LINE__, (emu), CALL_V1, (project), (body), 0, NULL)
#define EXPECT_CREATE_OK(emu, project, body)                                                       \
    json_decref_ok(EXPECT_CREATE_JSON((emu), (project), (body)))
#define EXPECT_CREATE_ERROR(emu, project, body, status, code)                                      \
    create_error_at(__FILE__, __LINE__, (emu), CALL_V1, (project), (body), (status), (code))

#endif
