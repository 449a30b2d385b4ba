/* Auth (docs/auth.md): a token or a signed request on the emulated APIs, the admin token on the
 * control plane. The head decides all but the signature itself, which covers the body and is
 * verified once the body is in. */
#include <string.h>

#include "auth.h"
#include "rdsemu/api/credentials.h"
#include "rdsemu/base/utf8.h"
#include "rdsemu/core/secret.h"
#include "rdsemu/core/signature.h"

/* The real gateway starts every auth message with these words (APIGW.0301). */
#define AUTH_PREFIX "Incorrect IAM authentication information: "

static int check_admin(struct call *call, struct rule_error *out)
{
    const char *expected = call->api->settings.admin_token;
    if (expected == NULL)
        return 0;
    const char *given = call_header(call, "X-Emulator-Admin-Token");
    if (given != NULL && secret_equals(given, expected))
        return 0;
    return rule_fail(out, ERR_ADMIN_UNAUTHORIZED,
                     "the control plane needs the header X-Emulator-Admin-Token with the token "
                     "given to --admin-token");
}

/* 403 in the API's shape when `cred` may not act on the request's project (the path's, or an
 * identity route's X-Project-Id); a request without a project is not refused by this rule.
 * `who` names the caller for the message, never with a secret. */
static int check_project(struct call *call, const struct credential *cred, const char *who,
                         struct rule_error *out)
{
    call->verdicts.caller = cred;
    const char *project = call_project(call);
    if (project == NULL || credential_allows(cred, project))
        return 0;
    rule_fail(out, ERR_FORBIDDEN, "%s is not allowed to act on project %.64s", who, project);
    utf8_sanitize(out->message);
    return -1;
}

/* --auth tokens with X-Auth-Token: a token of --tokens, allowed on the path's project. */
static int check_token(struct call *call, const char *token, struct rule_error *out)
{
    const struct credential *cred = credentials_find_token(call->api->credentials, token);
    if (cred == NULL)
        return rule_fail(out, ERR_UNAUTHORIZED,
                         AUTH_PREFIX "decrypt token fail: the X-Auth-Token is not a token of "
                                     "--tokens");
    return check_project(call, cred, "the token", out);
}

/* A signed request, as far as the head tells: a well-formed Authorization of either form
 * (parsed here, once), X-Sdk-Date, and a Credential= scope that fits it (enough for --auth
 * presence) and, for --auth tokens, an AK of --credentials,
 * whose signature auth_check_body verifies once the body is in. */
static int check_signed(struct call *call, const char *authorization, struct rule_error *out)
{
    struct call_verdicts *v = &call->verdicts;
    if (signed_auth_parse(authorization, &v->signature) != 0)
        return rule_fail(out, ERR_UNAUTHORIZED,
                         AUTH_PREFIX "the Authorization header is not a well-formed "
                                     "SDK-HMAC-SHA256 signature");
    const char *date = call_header(call, "X-Sdk-Date");
    if (!sdk_date_is_well_formed(date))
        return rule_fail(out, ERR_UNAUTHORIZED,
                         AUTH_PREFIX "X-Sdk-Date is missing or not in the form YYYYMMDDTHHMMSSZ");
    /* A Credential= scope belongs to the form: --auth presence checks it too. */
    char why[160];
    if (signed_auth_scope_check(&v->signature, date, strlen(date), why, sizeof(why)) != 0) {
        rule_fail(out, ERR_UNAUTHORIZED, AUTH_PREFIX "%s", why);
        utf8_sanitize(out->message);
        return -1;
    }
    v->signed_request = true;
    if (call->api->settings.auth != AUTH_TOKENS)
        return 0;
    v->signer = credentials_find_key(call->api->credentials, v->signature.access_key);
    if (v->signer == NULL) {
        rule_fail(out, ERR_UNAUTHORIZED,
                  AUTH_PREFIX "unknown AK: Get secretKey failed, ak:%.64s, err:ak not exist (not "
                              "an access key of --credentials)",
                  v->signature.access_key);
        utf8_sanitize(out->message);
        return -1;
    }
    return 0;
}

int auth_check_head(struct call *call, struct rule_error *out)
{
    unsigned flags = call->route.route->flags;
    if (flags & ROUTE_PUBLIC)
        return 0;
    if (!(flags & ROUTE_EMULATED))
        return check_admin(call, out);
    if (call->api->settings.auth == AUTH_OFF || (flags & ROUTE_OPEN))
        return 0;
    /* A request with both a token and a signature is judged by its token (docs/auth.md). */
    const char *token = call_header(call, "X-Auth-Token");
    if (token != NULL && token[0] != '\0')
        return call->api->settings.auth == AUTH_TOKENS ? check_token(call, token, out) : 0;
    const char *authorization = call_header(call, "Authorization");
    if (authorization != NULL)
        return check_signed(call, authorization, out);
    return rule_fail(out, ERR_UNAUTHORIZED, AUTH_PREFIX "x-auth-token not found");
}

static const char *header_of_call(void *ctx, const char *name, size_t *len)
{
    const char *value = call_header(ctx, name);
    if (value != NULL)
        *len = strlen(value);
    return value;
}

int auth_check_body(struct call *call, struct rule_error *out)
{
    /* --auth presence takes a well-formed signature as it is, like a present token; only
     * --auth tokens verifies it, and only once the body it covers is in. */
    const struct credential *key = call->verdicts.signer;
    if (key == NULL)
        return 0;
    struct http_request *http = &call->http;
    struct signature_request signed_request = {
        .method = http->method,
        .path = http->path,
        .path_len = strlen(http->path),
        .query = http->query,
        .query_len = http->query != NULL ? strlen(http->query) : 0,
        .body = http->body.data,
        .body_len = http->body.len,
        .header = header_of_call,
        .header_ctx = call,
    };
    struct signature_result result;
    signature_verify(&signed_request, &call->verdicts.signature, key->secret, key->secret_len,
                     clock_now(&call->api->clock), &result);
    if (result.verdict == SIGNATURE_NO_MEMORY)
        return rule_internal(out);
    if (result.verdict != SIGNATURE_ACCEPTED)
        return rule_fail(out, ERR_UNAUTHORIZED, AUTH_PREFIX "%s", result.reason);
    char who[CREDENTIALS_ACCESS_KEY_MAX + 16];
    snprintf(who, sizeof(who), "the access key %s", key->id);
    return check_project(call, key, who, out);
}
