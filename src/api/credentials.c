/* The --tokens and --credentials files (docs/configuration.md). Each is checked whole at start, so
 * a mistake stops the emulator with a message instead of refusing requests later. Messages name the
 * file and the entry, never a token or a secret key. */
#include <jansson.h>
#include <nettle/memops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api/credentials.h"
#include "rdsemu/base/log.h"
#include "rdsemu/core/validate.h"

/* Since jansson 2.14 an object key may hold "\u0000": such a key is longer than its C string.
 * Older versions refuse it when parsing. */
static size_t key_length(const char *key)
{
#if JANSSON_VERSION_HEX >= 0x020e00
    return json_object_iter_key_len(json_object_key_to_iter(key));
#else
    return strlen(key);
#endif
}

static void credential_clear(struct credential *c)
{
    if (c->secret != NULL)
        memset(c->secret, 0, c->secret_len);
    free(c->id);
    free(c->secret);
    for (size_t i = 0; i < c->project_count; i++)
        free(c->projects[i]);
    free(c->projects);
    memset(c, 0, sizeof(*c));
}

void credentials_free(struct credentials *creds)
{
    if (creds == NULL)
        return;
    for (size_t i = 0; i < creds->token_count; i++)
        credential_clear(&creds->tokens[i]);
    for (size_t i = 0; i < creds->key_count; i++)
        credential_clear(&creds->keys[i]);
    free(creds->tokens);
    free(creds->keys);
    free(creds);
}

bool credentials_token_valid(const char *token, size_t len)
{
    if (len == 0 || len > CREDENTIALS_TOKEN_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (token[i] < 0x21 || token[i] > 0x7e)
            return false;
    return true;
}

/* 1-128 of [A-Za-z0-9_.-]: real AKs are upper-case letters and digits. */
static bool access_key_is_valid(const char *ak, size_t len)
{
    if (len == 0 || len > CREDENTIALS_ACCESS_KEY_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = ak[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Fills `c->projects` from a JSON array of project IDs. 0, or -1 with `err` filled. */
static int projects_from_json(json_t *array, struct credential *c, const char *where, char *err,
                              size_t errlen)
{
    if (!json_is_array(array)) {
        snprintf(err, errlen, "%s must be an array of project IDs", where);
        return -1;
    }
    size_t n = json_array_size(array);
    c->projects = calloc(n > 0 ? n : 1, sizeof(*c->projects));
    if (c->projects == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        const char *id = json_string_value(item);
        if (id == NULL || !project_id_is_valid(id)) {
            snprintf(err, errlen,
                     "%s[%zu] must be a project ID: 1 to 64 characters of letters, digits, - "
                     "and _",
                     where, i);
            return -1;
        }
        if ((c->projects[c->project_count] = strdup(id)) == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        c->project_count++;
    }
    return 0;
}

static json_t *load_object(const char *option, const char *path, const char *shape, char *err,
                           size_t errlen)
{
    json_error_t error;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (root == NULL) {
        /* jansson quotes the text near a syntax error: that may be a token or a secret. */
        char *near = strstr(error.text, " near '");
        if (near != NULL)
            *near = '\0';
        if (error.line < 0)
            snprintf(err, errlen, "--%s %s: %s", option, path, error.text);
        else
            snprintf(err, errlen, "--%s %s: %s (line %d, column %d)", option, path, error.text,
                     error.line, error.column);
        return NULL;
    }
    if (!json_is_object(root)) {
        snprintf(err, errlen, "--%s %s: must be a JSON object %s", option, path, shape);
        json_decref(root);
        return NULL;
    }
    return root;
}

/* One entry of a file: `key` (`key_len` bytes, the n-th, from 1) and its `value`, checked and
 * put into `c` (zeroed, freed with the rest on failure). 0, or -1 with `err` filled. */
typedef int (*entry_fn)(const char *path, size_t n, const char *key, size_t key_len, json_t *value,
                        struct credential *c, char *err, size_t errlen);

/* Reads the JSON object at `path` into `*array` (new), one credential per member. */
static int load_file(const char *option, const char *path, const char *shape, entry_fn entry,
                     struct credential **array, size_t *count, char *err, size_t errlen)
{
    json_t *root = load_object(option, path, shape, err, errlen);
    if (root == NULL)
        return -1;
    int rc = -1;
    size_t members = json_object_size(root), n = 0;
    *array = calloc(members > 0 ? members : 1, sizeof(**array));
    if (*array == NULL) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        struct credential *c = &(*array)[(*count)++];
        if (entry(path, ++n, key, key_length(key), value, c, err, errlen) != 0)
            goto done;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

/* --tokens: {"<token>": ["<project_id>", ...], ...}. Entries are counted from 1 in messages:
 * the token itself is a secret. */
static int token_entry(const char *path, size_t n, const char *key, size_t key_len, json_t *value,
                       struct credential *c, char *err, size_t errlen)
{
    if (key_len != strlen(key) || !credentials_token_valid(key, key_len)) {
        snprintf(err, errlen,
                 "--tokens %s: token #%zu must be 1 to %d visible ASCII characters (no spaces)",
                 path, n, CREDENTIALS_TOKEN_MAX);
        return -1;
    }
    c->id_len = key_len;
    if ((c->id = strdup(key)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char where[64], detail[256];
    snprintf(where, sizeof(where), "the projects of token #%zu", n);
    if (projects_from_json(value, c, where, detail, sizeof(detail)) != 0) {
        snprintf(err, errlen, "--tokens %s: %s", path, detail);
        return -1;
    }
    return 0;
}

/* --credentials: {"<AK>": {"secret": "<SK>", "projects": ["<project_id>", ...]}, ...} */
static int key_entry(const char *path, size_t n, const char *key, size_t key_len, json_t *value,
                     struct credential *c, char *err, size_t errlen)
{
    (void)n;
    char shown[CREDENTIALS_ACCESS_KEY_MAX + 1];
    snprintf(shown, sizeof(shown), "%s", key);
    utf8_sanitize(shown);
    if (key_len != strlen(key) || !access_key_is_valid(key, key_len)) {
        snprintf(err, errlen,
                 "--credentials %s: access key '%.64s' must be 1 to %d characters of "
                 "letters, digits, -, _ and .",
                 path, shown, CREDENTIALS_ACCESS_KEY_MAX);
        return -1;
    }
    if (!json_is_object(value)) {
        snprintf(err, errlen,
                 "--credentials %s: access key %s must map to an object {\"secret\": "
                 "\"<SK>\", \"projects\": [...]}",
                 path, shown);
        return -1;
    }
    const char *member;
    json_t *ignored;
    json_object_foreach(value, member, ignored)
    {
        if (strcmp(member, "secret") != 0 && strcmp(member, "projects") != 0) {
            char name[64];
            snprintf(name, sizeof(name), "%s", member);
            utf8_sanitize(name);
            snprintf(err, errlen,
                     "--credentials %s: access key %s: unknown member '%s' (only secret "
                     "and projects)",
                     path, shown, name);
            return -1;
        }
    }
    json_t *secret = json_object_get(value, "secret");
    size_t secret_len = json_string_length(secret);
    if (!json_is_string(secret) || secret_len == 0 || secret_len > CREDENTIALS_SECRET_MAX) {
        snprintf(err, errlen,
                 "--credentials %s: access key %s: secret must be a string of 1 to %d bytes", path,
                 shown, CREDENTIALS_SECRET_MAX);
        return -1;
    }
    c->id_len = key_len;
    c->secret_len = secret_len;
    c->id = strdup(key);
    c->secret = malloc(secret_len + 1);
    if (c->id == NULL || c->secret == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(c->secret, json_string_value(secret), secret_len + 1);
    char where[CREDENTIALS_ACCESS_KEY_MAX + 32], detail[320];
    snprintf(where, sizeof(where), "access key %s: projects", shown);
    if (json_object_get(value, "projects") == NULL) {
        snprintf(err, errlen, "--credentials %s: %s is required", path, where);
        return -1;
    }
    if (projects_from_json(json_object_get(value, "projects"), c, where, detail, sizeof(detail)) !=
        0) {
        snprintf(err, errlen, "--credentials %s: %s", path, detail);
        return -1;
    }
    return 0;
}

int credentials_load(const char *tokens_path, const char *credentials_path, enum auth_mode auth,
                     struct credentials **out, char *err, size_t errlen)
{
    *out = NULL;
    if (tokens_path == NULL && credentials_path == NULL)
        return 0;
    struct credentials *creds = calloc(1, sizeof(*creds));
    if (creds == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if ((tokens_path != NULL &&
         load_file("tokens", tokens_path, "{\"<token>\": [\"<project_id>\", ...]}", token_entry,
                   &creds->tokens, &creds->token_count, err, errlen) != 0) ||
        (credentials_path != NULL &&
         load_file("credentials", credentials_path,
                   "{\"<AK>\": {\"secret\": \"<SK>\", \"projects\": [\"<project_id>\", ...]}}",
                   key_entry, &creds->keys, &creds->key_count, err, errlen) != 0)) {
        credentials_free(creds);
        return -1;
    }
    if (auth == AUTH_TOKENS)
        log_info("auth tokens: %zu token(s) from --tokens, %zu access key(s) from --credentials",
                 creds->token_count, creds->key_count);
    else
        log_info("auth %s: --tokens/--credentials loaded and checked (%zu token(s), %zu access "
                 "key(s)) but not used: only --auth tokens checks them",
                 auth == AUTH_OFF ? "off" : "presence", creds->token_count, creds->key_count);
    *out = creds;
    return 0;
}

const struct credential *credentials_find_token(const struct credentials *creds, const char *token)
{
    if (creds == NULL || token == NULL)
        return NULL;
    size_t len = strlen(token);
    const struct credential *found = NULL;
    for (size_t i = 0; i < creds->token_count; i++) {
        const struct credential *c = &creds->tokens[i];
        /* No early exit: every token of the same length is compared in full. */
        if (c->id_len == len && memeql_sec(c->id, token, len) && found == NULL)
            found = c;
    }
    return found;
}

const struct credential *credentials_find_key(const struct credentials *creds,
                                              const char *access_key)
{
    if (creds == NULL || access_key == NULL)
        return NULL;
    for (size_t i = 0; i < creds->key_count; i++)
        if (strcmp(creds->keys[i].id, access_key) == 0)
            return &creds->keys[i];
    return NULL;
}

bool credential_allows(const struct credential *cred, const char *project_id)
{
    if (cred == NULL || project_id == NULL)
        return false;
    for (size_t i = 0; i < cred->project_count; i++)
        if (strcmp(cred->projects[i], project_id) == 0)
            return true;
    return false;
}
