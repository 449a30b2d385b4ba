/* Checks every emulated route shares, in the order of docs/api.md: auth, path parameters,
 * content type; then the JSON body. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/credentials.h"
#include "rdsemu/reply.h"
#include "rdsemu/secret.h"
#include "rdsemu/signature.h"
#include "rdsemu/signed_auth.h"

/* The real gateway starts every auth message with these words (APIGW.0301). */
#define AUTH_PREFIX          "Incorrect IAM authentication information: "
#define AUTH_MISSING_MESSAGE AUTH_PREFIX "x-auth-token not found"

static enum rdsemu_err check_admin(struct request *req, char *msg, size_t msglen)
{
    const char *expected = req->app->cfg->admin_token;
    if (expected == NULL)
        return ERR_NONE;
    const char *given = request_header(req, "X-Emulator-Admin-Token");
    if (given != NULL && secret_equals(given, expected))
        return ERR_NONE;
    snprintf(msg, msglen,
             "the control plane needs the header X-Emulator-Admin-Token with the "
             "token given to --admin-token");
    return ERR_ADMIN_UNAUTHORIZED;
}

/* 403 in the API's shape when `cred` may not act on the path's project. `who` names the
 * caller for the message, never with a secret. */
static enum rdsemu_err check_project(struct request *req, const struct credential *cred,
                                     const char *who, char *msg, size_t msglen)
{
    const char *project = request_param(req, "project_id");
    if (project == NULL || credential_allows(cred, project))
        return ERR_NONE;
    snprintf(msg, msglen, "%s is not allowed to act on project %.64s", who, project);
    utf8_sanitize(msg);
    return ERR_FORBIDDEN;
}

/* --auth tokens with X-Auth-Token: a token of --tokens, allowed on the path's project. */
static enum rdsemu_err check_token(struct request *req, const char *token, char *msg, size_t msglen)
{
    const struct credential *cred = credentials_find_token(req->app->credentials, token);
    if (cred == NULL) {
        snprintf(msg, msglen,
                 AUTH_PREFIX "decrypt token fail: the X-Auth-Token is not a token of --tokens");
        return ERR_UNAUTHORIZED;
    }
    return check_project(req, cred, "the token", msg, msglen);
}

/* A signed request, as far as the headers tell: a well-formed Authorization and X-Sdk-Date
 * (enough for --auth presence) and, for --auth tokens, an AK of --credentials, whose
 * signature api_check_body_auth verifies once the body is in. */
static enum rdsemu_err check_signed(struct request *req, const char *authorization, char *msg,
                                    size_t msglen)
{
    struct signed_auth sig;
    if (signed_auth_parse(authorization, &sig) != 0) {
        snprintf(msg, msglen,
                 AUTH_PREFIX "the Authorization header is not a well-formed "
                             "SDK-HMAC-SHA256 signature");
        return ERR_UNAUTHORIZED;
    }
    if (!sdk_date_is_well_formed(request_header(req, "X-Sdk-Date"))) {
        snprintf(msg, msglen,
                 AUTH_PREFIX "X-Sdk-Date is missing or not in the form YYYYMMDDTHHMMSSZ");
        return ERR_UNAUTHORIZED;
    }
    if (req->app->cfg->auth != AUTH_TOKENS)
        return ERR_NONE;
    const struct credential *key = credentials_find_key(req->app->credentials, sig.access_key);
    if (key == NULL) {
        snprintf(msg, msglen,
                 AUTH_PREFIX "unknown AK: Get secretKey failed, ak:%.64s, err:ak not exist "
                             "(not an access key of --credentials)",
                 sig.access_key);
        utf8_sanitize(msg);
        return ERR_UNAUTHORIZED;
    }
    req->auth_signer = key;
    return ERR_NONE;
}

enum rdsemu_err api_check_auth(struct request *req, char *msg, size_t msglen)
{
    const struct config *cfg = req->app->cfg;
    req->auth_signer = NULL;
    if (req->api == API_ADMIN)
        return check_admin(req, msg, msglen);
    if (cfg->auth == AUTH_OFF)
        return ERR_NONE;
    /* A request with both a token and a signature is judged by its token (docs/configuration.md).
     */
    const char *token = request_header(req, "X-Auth-Token");
    if (token != NULL && token[0] != '\0')
        return cfg->auth == AUTH_TOKENS ? check_token(req, token, msg, msglen) : ERR_NONE;
    const char *authorization = request_header(req, "Authorization");
    if (authorization != NULL)
        return check_signed(req, authorization, msg, msglen);
    snprintf(msg, msglen, "%s", AUTH_MISSING_MESSAGE);
    return ERR_UNAUTHORIZED;
}

static const char *header_of_request(void *ctx, const char *name, size_t *len)
{
    const char *value = request_header(ctx, name);
    if (value != NULL)
        *len = strlen(value);
    return value;
}

enum rdsemu_err api_check_body_auth(struct request *req, char *msg, size_t msglen)
{
    /* --auth presence takes a well-formed signature as it is, like a present token; only
     * --auth tokens verifies it, and only once the body it covers is in. */
    const struct credential *key = req->auth_signer;
    if (key == NULL)
        return ERR_NONE;
    struct signed_auth sig;
    if (signed_auth_parse(request_header(req, "Authorization"), &sig) != 0) {
        snprintf(msg, msglen,
                 AUTH_PREFIX "the Authorization header is not a well-formed "
                             "SDK-HMAC-SHA256 signature");
        return ERR_UNAUTHORIZED;
    }
    struct signature_request signed_request = {
        .method = req->method,
        .path = req->path,
        .path_len = strlen(req->path),
        .query = req->query,
        .query_len = req->query != NULL ? strlen(req->query) : 0,
        .body = req->body,
        .body_len = req->body_len,
        .header = header_of_request,
        .header_ctx = req,
    };
    struct signature_result result;
    signature_verify(&signed_request, &sig, key->secret, key->secret_len,
                     clock_now(&req->app->clock), &result);
    if (result.verdict == SIGNATURE_NO_MEMORY) {
        snprintf(msg, msglen, "internal error");
        return ERR_INTERNAL;
    }
    if (result.verdict != SIGNATURE_ACCEPTED) {
        snprintf(msg, msglen, AUTH_PREFIX "%s", result.reason);
        return ERR_UNAUTHORIZED;
    }
    char who[CREDENTIALS_ACCESS_KEY_MAX + 16];
    snprintf(who, sizeof(who), "the access key %s", key->id);
    return check_project(req, key, who, msg, msglen);
}

static enum rdsemu_err check_path(struct request *req, char *msg, size_t msglen)
{
    const char *version = request_param(req, "versionId");
    if (version != NULL && strcmp(version, "v1") != 0) {
        snprintf(msg, msglen, "versionId must be v1, not %.32s", version);
        utf8_sanitize(msg);
        return ERR_BAD_REQUEST;
    }
    const char *project = request_param(req, "project_id");
    if (project != NULL && !project_id_is_valid(project)) {
        snprintf(msg, msglen, "project_id must be 1 to 64 characters of letters, digits, - and _");
        return ERR_BAD_REQUEST;
    }
    return ERR_NONE;
}

static bool has_body(struct request *req)
{
    const char *length = request_header(req, "Content-Length");
    if (length != NULL)
        return strspn(length, "0") != strlen(length); /* "0", "00": no body */
    return request_header(req, "Transfer-Encoding") != NULL;
}

/* "application/json", optionally with "; charset=utf-8" (any case, any spaces). */
static bool content_type_is_json(const char *value)
{
    static const char media[] = "application/json";
    while (*value == ' ')
        value++;
    if (strncasecmp(value, media, sizeof(media) - 1) != 0)
        return false;
    const char *rest = value + sizeof(media) - 1;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (*rest == '\0')
        return true;
    if (*rest++ != ';')
        return false;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (strncasecmp(rest, "charset=", 8) != 0)
        return false;
    rest += 8;
    if (*rest == '"') {
        if (strncasecmp(rest, "\"utf-8\"", 7) != 0)
            return false;
        rest += 7;
    } else {
        if (strncasecmp(rest, "utf-8", 5) != 0)
            return false;
        rest += 5;
    }
    while (*rest == ' ' || *rest == '\t' || *rest == ';')
        rest++;
    return *rest == '\0';
}

static enum rdsemu_err check_content_type(struct request *req, char *msg, size_t msglen)
{
    if (strcmp(req->method, "POST") != 0 && strcmp(req->method, "PUT") != 0)
        return ERR_NONE;
    if (!has_body(req))
        return ERR_NONE;
    const char *type = request_header(req, "Content-Type");
    if (request_header_count(req, "Content-Type") > 1) {
        /* One field, not a list (RFC 9110): two may disagree, so neither is taken. */
        snprintf(msg, msglen, "Content-Type must be given once");
        return ERR_BAD_REQUEST;
    }
    if (type == NULL) {
        snprintf(msg, msglen, "Content-Type must be application/json");
        return ERR_BAD_REQUEST;
    }
    if (!content_type_is_json(type)) {
        snprintf(msg, msglen, "Content-Type must be application/json, not %.64s", type);
        utf8_sanitize(msg);
        return ERR_BAD_REQUEST;
    }
    return ERR_NONE;
}

enum rdsemu_err api_check_headers(struct request *req, char *msg, size_t msglen)
{
    enum rdsemu_err err = check_path(req, msg, msglen);
    if (err == ERR_NONE)
        err = check_content_type(req, msg, msglen);
    return err;
}

int api_parse_body(struct request *req, json_t **out)
{
    if (req->body_len == 0) {
        reply_error(req, ERR_BAD_REQUEST, "request body is required");
        return -1;
    }
    json_error_t error;
    json_t *root = json_loadb(req->body, req->body_len, 0, &error);
    if (root == NULL && json_error_code(&error) == json_error_null_character) {
        reply_error(req, ERR_BAD_REQUEST,
                    "request body is not valid JSON (line %d, column %d): strings must not "
                    "contain \\u0000",
                    error.line, error.column);
        return -1;
    }
    if (root == NULL) {
        char text[JSON_ERROR_TEXT_LENGTH];
        snprintf(text, sizeof(text), "%s", error.text);
        utf8_sanitize(text);
        reply_error(req, ERR_BAD_REQUEST, "request body is not valid JSON (line %d, column %d): %s",
                    error.line, error.column, text);
        return -1;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        reply_error(req, ERR_BAD_REQUEST, "request body must be a JSON object");
        return -1;
    }
    *out = root;
    return 0;
}
