/* Tokens (docs/identity.md): a login (POST /v3/auth/tokens), which echoes the token it was
 * given so that --tokens keeps governing every later call, and a token described
 * (GET /v3/auth/tokens). */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "identity.h"
#include "rdsemu/api/credentials.h"
#include "rdsemu/base/utf8.h"
#include "rdsemu/core/ids.h"
#include "rdsemu/core/validate.h"
#include "respond.h"

/* The real gateway's words before every auth message (docs/auth.md). */
#define AUTH_PREFIX "Incorrect IAM authentication information: "

void identity_token_get(struct call *call)
{
    char host[IDENTITY_HOST_MAX + 1], project[IDENTITY_PROJECT_MAX + 1] = "";
    const char *subject = call_header(call, "X-Subject-Token");
    if (subject == NULL || subject[0] == '\0') {
        respond_error(call, ERR_BAD_REQUEST, "X-Subject-Token is required: the token to describe");
        return;
    }
    if (!identity_host_or_reply(call, host))
        return;
    bool found = false;
    if (call->api->settings.auth == AUTH_TOKENS) {
        /* The token described must be one of --tokens, like the one that asks. */
        const struct credential *cred = credentials_find_token(call->api->credentials, subject);
        if (cred == NULL) {
            respond_error(call, ERR_UNAUTHORIZED,
                          AUTH_PREFIX "the X-Subject-Token is not a token of --tokens");
            return;
        }
        found = cred->project_count > 0;
        if (found)
            snprintf(project, sizeof(project), "%s", cred->projects[0]);
    } else if (identity_default_project_or_reply(call, project, &found) != 0) {
        return;
    }
    respond_json_with_header(call, 200, identity_token(call, host, "token", found ? project : NULL),
                             "X-Subject-Token", subject);
}

/* ---- the login ---- */

/* What a login body asks: whose token, for which scope. */
struct login {
    const char *method;              /* "token" or "password" */
    const char *token;               /* the token method's token */
    const char *project_id;          /* scope.project.id */
    const char *project_name;        /* scope.project.name */
    const struct credential *caller; /* --auth tokens: the token's entry */
};

/* True when the array `methods` holds the string `name`. */
static bool methods_have(json_t *methods, const char *name)
{
    size_t i;
    json_t *m;
    json_array_foreach(methods, i, m)
    {
        if (json_is_string(m) && strcmp(json_string_value(m), name) == 0)
            return true;
    }
    return false;
}

/* The body's rules, before any credential is looked at. 0, or -1 with `out` filled. */
static int login_parse(json_t *body, struct login *login, struct rule_error *out)
{
    json_t *auth = json_object_get(body, "auth");
    json_t *identity = json_object_get(auth, "identity");
    json_t *methods = json_object_get(identity, "methods");
    if (!json_is_object(auth))
        return rule_fail(out, ERR_BAD_REQUEST, "auth must be an object");
    if (!json_is_object(identity))
        return rule_fail(out, ERR_BAD_REQUEST, "auth.identity must be an object");
    if (!json_is_array(methods))
        return rule_fail(out, ERR_BAD_REQUEST, "auth.identity.methods must be an array");
    if (methods_have(methods, "token")) {
        login->method = "token";
        login->token = json_string_value(json_object_get(json_object_get(identity, "token"), "id"));
        if (login->token == NULL || !credentials_token_valid(login->token, strlen(login->token)))
            return rule_fail(out, ERR_BAD_REQUEST,
                             "auth.identity.token.id must be a token: 1 to %d visible ASCII "
                             "characters",
                             CREDENTIALS_TOKEN_MAX);
    } else if (methods_have(methods, "password")) {
        login->method = "password";
        if (!json_is_object(json_object_get(json_object_get(identity, "password"), "user")))
            return rule_fail(out, ERR_BAD_REQUEST, "auth.identity.password.user must be an object");
    } else {
        return rule_fail(out, ERR_BAD_REQUEST,
                         "auth.identity.methods must name \"token\" or \"password\"");
    }
    json_t *scope = json_object_get(auth, "scope");
    if (scope == NULL || json_is_null(scope))
        return 0; /* unscoped: no project */
    if (!json_is_object(scope))
        return rule_fail(out, ERR_BAD_REQUEST, "auth.scope must be an object");
    json_t *project = json_object_get(scope, "project");
    if (project == NULL || json_is_null(project))
        return 0; /* a domain scope: no project */
    json_t *id = json_object_get(project, "id");
    if (!json_is_object(project) || (id != NULL && !json_is_null(id) && !json_is_string(id)))
        return rule_fail(out, ERR_BAD_REQUEST,
                         "auth.scope.project must be an object whose id is a string");
    login->project_id = json_string_value(id);
    login->project_name = json_string_value(json_object_get(project, "name"));
    if (login->project_id != NULL) {
        if (!project_id_is_valid(login->project_id))
            return rule_fail(out, ERR_BAD_REQUEST,
                             "auth.scope.project.id must be 1 to 64 characters of letters, "
                             "digits, - and _");
        login->project_name = NULL;
    } else if (login->project_name == NULL || login->project_name[0] == '\0') {
        return rule_fail(out, ERR_BAD_REQUEST,
                         "auth.scope.project must have an id or a name (a non-empty string)");
    }
    return 0;
}

/* --auth tokens: a token of --tokens, no password. 0, or -1 with `out` filled. */
static int login_check(struct call *call, struct login *login, struct rule_error *out)
{
    if (call->api->settings.auth != AUTH_TOKENS)
        return 0;
    if (strcmp(login->method, "password") == 0)
        return rule_fail(out, ERR_UNAUTHORIZED,
                         AUTH_PREFIX "password logins are not emulated under --auth tokens: log "
                                     "in with a token of --tokens");
    login->caller = credentials_find_token(call->api->credentials, login->token);
    if (login->caller == NULL)
        return rule_fail(out, ERR_UNAUTHORIZED,
                         AUTH_PREFIX "decrypt token fail: auth.identity.token.id is not a token "
                                     "of --tokens");
    if (login->project_id != NULL && !credential_allows(login->caller, login->project_id)) {
        rule_fail(out, ERR_FORBIDDEN, "the token is not allowed to act on project %s",
                  login->project_id);
        return -1;
    }
    return 0;
}

void identity_token_post(struct call *call)
{
    json_t *body = call_body_or_reply(call);
    if (body == NULL)
        return;
    struct login login = {0};
    struct rule_error err;
    char host[IDENTITY_HOST_MAX + 1], project[IDENTITY_PROJECT_MAX + 1] = "";
    if (login_parse(body, &login, &err) != 0 || login_check(call, &login, &err) != 0) {
        respond_rule_error(call, &err);
        return;
    }
    if (!identity_host_or_reply(call, host))
        return;
    bool found = login.project_id != NULL;
    if (found) {
        snprintf(project, sizeof(project), "%s", login.project_id);
    } else if (login.project_name != NULL) {
        if (identity_project_named_or_reply(call, login.caller, login.project_name, project,
                                            &found) != 0)
            return;
        if (!found) {
            char name[65];
            snprintf(name, sizeof(name), "%s", login.project_name);
            utf8_sanitize(name);
            respond_error(call, ERR_UNAUTHORIZED,
                          AUTH_PREFIX "no project named %s that this token may use", name);
            return;
        }
    }
    /* A token login gives back its own token; a password login (never under --auth tokens)
     * a new one, which --auth presence takes like any other. */
    char issued[UUID_TEXT_LEN + 1];
    const char *token = login.token;
    if (token == NULL) {
        ids_uuid_random(issued);
        token = issued;
    }
    respond_json_with_header(call, 201,
                             identity_token(call, host, login.method, found ? project : NULL),
                             "X-Subject-Token", token);
}
