/* Shared by the --auth tokens integration tests (test_auth.c, test_auth_tokens.c; docs/api.md
 * §6): the AK/SK vectors of tests/data/aksk-vectors.json, sending one exactly as it was captured
 * on the wire (or changed on purpose), the emulator clock at a vector's time, the files given to
 * --tokens, --credentials and --seed, and the search for secrets in the log and the journal. */
#ifndef RDSEMU_TEST_AUTH_H
#define RDSEMU_TEST_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "expect.h"

#define PROJ_A "auth-project-a"
#define PROJ_B "auth-project-b"
/* Tokens long and odd enough that finding one in a log is never a coincidence. */
#define TOKEN_A      "tok-A-7f3c9e1d52b84a06"
#define TOKEN_AB     "tok-AB-0e8d41c9a3f5b727"
#define TOKEN_NONE   "tok-NONE-5a1f0c3e9d2b6874"
#define TOKEN_VECTOR "tok-VEC-c4e2a9071b8f3d65"
#define OTHER_SECRET "auth-test-other-secret-93b1"

/* ---- the vectors ---- */

/* The array of vectors (borrowed; after auth_setup). */
json_t *vectors_all(void);
/* The vector file's project and secret key (borrowed), and the file itself. */
const char *vector_project_id(void);
const char *vector_secret_key(void);
json_t *vectors_file(void);
/* The vector named `name` (borrowed); exits when there is none. */
json_t *vector_named(const char *name);

/* A change to a vector before it is sent; all members optional. */
struct variation {
    const char *drop;          /* a header not to send */
    const char *replace_name;  /* a header sent with `replace_value` instead */
    const char *replace_value; /* (as curl wants it: "" removes; use drop for that) */
    const char *extra[4];      /* more "Name: value" lines */
    const char *query;         /* another raw query ("" for none) */
    const char *body;          /* another body, `body_len` bytes */
    size_t body_len;
    bool chunked;
};

/* Sends vector `v` as it was captured on the wire (every header but Content-Length, which
 * libcurl sets) after the lines of `prefix` (NULL-terminated, or NULL), changed by `var` (may
 * be NULL). 0 when an answer came. */
int send_vector(const struct emu *emu, json_t *v, const struct variation *var,
                const char *const *prefix, struct http_response *out);

/* Sets the emulator clock, frozen, to an X-Sdk-Date time plus `delta` seconds. */
void set_clock(const struct emu *emu, const char *sdk_date, int delta);

/* True when the route table has method + path (docs/api.md, docs/v3.md); anything else is the
 * gateway's 404, which comes before auth. */
bool is_routed(const char *method, const char *path);

/* ---- answers ---- */

bool error_msg_has(const struct http_response *r, const char *text);
/* 401 in the gateway shape whose error_msg names `cause`. */
bool expect_auth_refused_at(const char *file, int line, const struct http_response *r,
                            const char *cause);
/* Past auth: whatever the handler says (200, or a 400/404/409 of its own), never 401/403/500. */
bool expect_auth_passed_at(const char *file, int line, const struct http_response *r,
                           const char *what);
/* 403 in the shape of the API the path belongs to. */
bool expect_forbidden_at(const char *file, int line, const char *path,
                         const struct http_response *r);

#define EXPECT_AUTH_REFUSED(r, cause) expect_auth_refused_at(__FILE__, __LINE__, (r), (cause))
#define EXPECT_AUTH_PASSED(r, what)   expect_auth_passed_at(__FILE__, __LINE__, (r), (what))
#define EXPECT_FORBIDDEN(path, r)     expect_forbidden_at(__FILE__, __LINE__, (path), (r))

/* ---- files, secrets, servers ---- */

/* The scratch directory of auth_setup, where the files are. */
const char *auth_scratch(void);
/* Writes `content` to <scratch>/<name> (a check); its path (one of 16 kept in turn). */
char *scratch_file(const char *name, const char *content);

/* Checks that `text` (the journal, the server's stderr: named by `where`) is not empty and
 * holds none of the secrets, tokens and signatures of these tests. */
void expect_no_secret(const char *where, const char *text);
/* The journal holds the requests with their secrets replaced, and neither it nor the server's
 * stderr (read after stopping the server, which must exit 0) holds a secret. */
void nothing_leaked(struct emu *emu);

/* The files every server of these tests is started with, in the scratch directory. */
struct auth_files {
    char *credentials; /* the vectors' AKs, and OTHERAK0000000000 on PROJ_B */
    char *elsewhere;   /* the vectors' AK on some-other-project only */
    char *tokens;      /* tokens on zero, one and two projects, and one on the vectors' */
    char *seed;        /* inst-0001 in the vectors' project, inst-a and inst-x in PROJ_A... */
};

/* Loads the vectors and writes the files into a new scratch directory. 0 or -1. */
int auth_setup(const char *label, struct auth_files *files);
/* Starts the server every test program talks to most: --auth tokens with both files. */
int auth_start(struct emu *emu, const char *label, const struct auth_files *files);
void auth_teardown(void);

#endif
