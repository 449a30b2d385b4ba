/* The files of --tokens and --credentials (docs/configuration.md): who may call the emulated APIs
 * in
 * `--auth tokens` mode, and on which projects. Loaded and checked whole at start, read-only
 * afterwards, so every worker thread may look things up without a lock. */
#ifndef RDSEMU_CREDENTIALS_H
#define RDSEMU_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>

#include "rdsemu/api/api.h"

#define CREDENTIALS_TOKEN_MAX      16384 /* bytes of a token (IAM tokens run to several KiB) */
#define CREDENTIALS_ACCESS_KEY_MAX 128
#define CREDENTIALS_SECRET_MAX     1024

/* A token of --tokens or an access key of --credentials, with the projects it may act on. */
struct credential {
    char *id; /* new: the token or the AK */
    size_t id_len;
    char *secret; /* new: the SK (its UTF-8 bytes); NULL for a token */
    size_t secret_len;
    char **projects; /* new: project IDs */
    size_t project_count;
};

struct credentials {
    struct credential *tokens; /* new */
    size_t token_count;
    struct credential *keys; /* new: access keys */
    size_t key_count;
};

/* Loads the two files (either path may be NULL). `*out` is new (NULL when neither file
 * is named). A file given with another --auth mode is loaded and checked all the same (a
 * mistake in it stops the start) but not used; a log line says so. 0, or -1 with a message
 * naming the file and the entry in `err` (never a token or a secret). */
int credentials_load(const char *tokens_path, const char *credentials_path, enum auth_mode auth,
                     struct credentials **out, char *err, size_t errlen);
void credentials_free(struct credentials *creds);

/* Borrowed: the token equal to `token`, or NULL. Every token is compared, each in constant
 * time, so the time taken says nothing about how close a guess came. */
const struct credential *credentials_find_token(const struct credentials *creds, const char *token);
/* Borrowed: the access key `access_key`, or NULL. */
const struct credential *credentials_find_key(const struct credentials *creds,
                                              const char *access_key);
/* True when `token` (`len` bytes) can be a token: 1 to CREDENTIALS_TOKEN_MAX visible ASCII
 * characters, no space, what an HTTP header value carries unchanged. */
bool credentials_token_valid(const char *token, size_t len);
/* True when `cred` may act on `project_id`. */
bool credential_allows(const struct credential *cred, const char *project_id);

#endif
