/* Checks every emulated route shares, in the order of API.md §1: auth, path parameters,
 * content type; then the JSON body. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/api.h"
#include "rdsemu/app.h"
#include "rdsemu/reply.h"
#include "rdsemu/signed_auth.h"

/* The real gateway's words for a request without credentials. */
#define AUTH_MISSING_MESSAGE "Incorrect IAM authentication information: x-auth-token not found"

/* Compares without an early exit, so the time taken says nothing about the token. */
static bool same_secret(const char *given, const char *expected)
{
    size_t n = strlen(expected);
    unsigned char diff = strlen(given) != n;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ expected[i]) * (given[i] != '\0');
    return diff == 0;
}

static enum rdsemu_err check_admin(struct request *req, char *msg, size_t msglen)
{
    const char *expected = req->app->cfg->admin_token;
    if (expected == NULL)
        return ERR_NONE;
    const char *given = request_header(req, "X-Emulator-Admin-Token");
    if (given != NULL && same_secret(given, expected))
        return ERR_NONE;
    snprintf(msg, msglen, "the control plane needs the header X-Emulator-Admin-Token with the "
                          "token given to --admin-token");
    return ERR_ADMIN_UNAUTHORIZED;
}

enum rdsemu_err api_check_auth(struct request *req, char *msg, size_t msglen)
{
    const struct config *cfg = req->app->cfg;
    if (req->api == API_ADMIN)
        return check_admin(req, msg, msglen);
    if (cfg->auth == AUTH_OFF)
        return ERR_NONE;
    const char *token = request_header(req, "X-Auth-Token");
    if (token != NULL && token[0] != '\0')
        return ERR_NONE;
    const char *authorization = request_header(req, "Authorization");
    if (authorization != NULL) {
        struct signed_auth sig;
        if (signed_auth_parse(authorization, &sig) != 0) {
            snprintf(msg, msglen, "Incorrect IAM authentication information: the "
                                  "Authorization header is not a well-formed SDK-HMAC-SHA256 "
                                  "signature");
            return ERR_UNAUTHORIZED;
        }
        if (!sdk_date_is_well_formed(request_header(req, "X-Sdk-Date"))) {
            snprintf(msg, msglen, "Incorrect IAM authentication information: X-Sdk-Date is "
                                  "missing or not in the form YYYYMMDDTHHMMSSZ");
            return ERR_UNAUTHORIZED;
        }
        return ERR_NONE;
    }
    snprintf(msg, msglen, "%s", AUTH_MISSING_MESSAGE);
    return ERR_UNAUTHORIZED;
}

enum rdsemu_err api_check_body_auth(struct request *req, char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    /* --auth presence takes a well-formed signature as it is, like a present token; only
     * a verifying mode looks at the signature itself. */
    (void)req;
    return ERR_NONE;
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
        snprintf(msg, msglen,
                 "project_id must be 1 to 64 characters of letters, digits, - and _");
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
                    "contain \\u0000", error.line, error.column);
        return -1;
    }
    if (root == NULL) {
        char text[JSON_ERROR_TEXT_LENGTH];
        snprintf(text, sizeof(text), "%s", error.text);
        utf8_sanitize(text);
        reply_error(req, ERR_BAD_REQUEST,
                    "request body is not valid JSON (line %d, column %d): %s", error.line,
                    error.column, text);
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
