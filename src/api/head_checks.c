/* The checks of the head that come after faults (docs/api.md "Common rules", order of the
 * checks): path parameters, then the content type; and the body, parsed once. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "head_checks.h"
#include "rdsemu/base/utf8.h"
#include "rdsemu/core/validate.h"
#include "respond.h"

static int check_path(struct call *call, struct rule_error *out)
{
    const char *version = call_param(call, "versionId");
    if (version != NULL && strcmp(version, "v1") != 0) {
        rule_fail(out, ERR_BAD_REQUEST, "versionId must be v1, not %.32s", version);
        utf8_sanitize(out->message);
        return -1;
    }
    const char *project = call_param(call, "project_id");
    if (project != NULL && !project_id_is_valid(project))
        return rule_fail(out, ERR_BAD_REQUEST,
                         "project_id must be 1 to 64 characters of letters, digits, - and _");
    return 0;
}

/* An identity route's project goes into URLs it answers: the same rule as a path's. */
static int check_project_header(struct call *call, struct rule_error *out)
{
    if (!(call->route.route->flags & ROUTE_IDENTITY))
        return 0;
    if (http_request_header_count(&call->http, "X-Project-Id") > 1)
        return rule_fail(out, ERR_BAD_REQUEST, "X-Project-Id must be given once");
    const char *project = call_project(call);
    if (project != NULL && !project_id_is_valid(project))
        return rule_fail(out, ERR_BAD_REQUEST,
                         "X-Project-Id must be 1 to 64 characters of letters, digits, - and _");
    return 0;
}

static bool has_body(struct call *call)
{
    const char *length = call_header(call, "Content-Length");
    if (length != NULL)
        return strspn(length, "0") != strlen(length); /* "0", "00": no body */
    return call_header(call, "Transfer-Encoding") != NULL;
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

static int check_content_type(struct call *call, struct rule_error *out)
{
    const char *method = call->http.method;
    if ((strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0) || !has_body(call))
        return 0;
    /* One field, not a list (RFC 9110): two may disagree, so neither is taken. */
    if (http_request_header_count(&call->http, "Content-Type") > 1)
        return rule_fail(out, ERR_BAD_REQUEST, "Content-Type must be given once");
    const char *type = call_header(call, "Content-Type");
    if (type == NULL)
        return rule_fail(out, ERR_BAD_REQUEST, "Content-Type must be application/json");
    if (!content_type_is_json(type)) {
        rule_fail(out, ERR_BAD_REQUEST, "Content-Type must be application/json, not %.64s", type);
        utf8_sanitize(out->message);
        return -1;
    }
    return 0;
}

int head_check(struct call *call, struct rule_error *out)
{
    if (check_path(call, out) != 0 || check_project_header(call, out) != 0)
        return -1;
    return check_content_type(call, out);
}

/* Parses the body once, keeping the result (or the syntax error) in the call. */
static void body_parse(struct call *call)
{
    struct call_body *body = &call->body;
    if (body->parsed)
        return;
    body->parsed = true;
    if (call->http.body.len > 0)
        body->json = json_loadb(call->http.body.data, call->http.body.len, 0, &body->error);
}

json_t *call_body_peek(struct call *call)
{
    body_parse(call);
    return call->body.json;
}

json_t *call_body_or_reply(struct call *call)
{
    if (call->http.body.len == 0) {
        respond_error(call, ERR_BAD_REQUEST, "request body is required");
        return NULL;
    }
    body_parse(call);
    json_error_t *error = &call->body.error;
    if (call->body.json == NULL && json_error_code(error) == json_error_null_character) {
        respond_error(call, ERR_BAD_REQUEST,
                      "request body is not valid JSON (line %d, column %d): strings must not "
                      "contain \\u0000",
                      error->line, error->column);
        return NULL;
    }
    if (call->body.json == NULL) {
        char text[JSON_ERROR_TEXT_LENGTH];
        snprintf(text, sizeof(text), "%s", error->text);
        utf8_sanitize(text);
        respond_error(call, ERR_BAD_REQUEST,
                      "request body is not valid JSON (line %d, column %d): %s", error->line,
                      error->column, text);
        return NULL;
    }
    if (!json_is_object(call->body.json)) {
        respond_error(call, ERR_BAD_REQUEST, "request body must be a JSON object");
        return NULL;
    }
    return call->body.json;
}
