/* The shape of a request signed by a Huawei Cloud or Open Telekom Cloud SDK (docs/auth.md). */
#include <stdio.h>
#include <string.h>

#include "rdsemu/core/signed_auth.h"

#define ALGORITHM "SDK-HMAC-SHA256 "

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool sdk_date_is_well_formed(const char *date)
{
    /* YYYYMMDDTHHMMSSZ */
    return date != NULL && strlen(date) == 16 && all_digits(date, 8) && date[8] == 'T' &&
           all_digits(date + 9, 6) && date[15] == 'Z';
}

/* Copies the value of `key=` within the comma-separated parameters into `out`. 0, 1 when the
 * parameter is absent, -1 when it is empty or too long. */
static int param_value(const char *params, const char *key, char *out, size_t outlen)
{
    size_t keylen = strlen(key);
    const char *p = params;
    while (*p != '\0') {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        if (len > keylen && strncmp(p, key, keylen) == 0 && p[keylen] == '=') {
            size_t vlen = len - keylen - 1;
            while (vlen > 0 && p[keylen + 1 + vlen - 1] == ' ')
                vlen--;
            if (vlen == 0 || vlen >= outlen)
                return -1;
            memcpy(out, p + keylen + 1, vlen);
            out[vlen] = '\0';
            return 0;
        }
        p += len;
    }
    return 1;
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += *s == c;
    return n;
}

/* "<AK>/<yyyymmdd>/<region>/<service>/<end>": the AK (not empty) and the scope, whose four
 * parts may each be empty here; what they must hold is signed_auth_scope_check's. */
static int credential_split(const char *credential, struct signed_auth *out)
{
    const char *slash = strchr(credential, '/');
    if (slash == NULL || slash == credential ||
        (size_t)(slash - credential) >= sizeof(out->access_key))
        return -1;
    const char *scope = slash + 1;
    if (strlen(scope) > SIGNED_AUTH_SCOPE_MAX || count_char(scope, '/') != 3)
        return -1;
    memcpy(out->access_key, credential, (size_t)(slash - credential));
    out->access_key[slash - credential] = '\0';
    strcpy(out->scope, scope);
    return 0;
}

int signed_auth_parse(const char *authorization, struct signed_auth *out)
{
    if (authorization == NULL || strncmp(authorization, ALGORITHM, strlen(ALGORITHM)) != 0)
        return -1;
    const char *params = authorization + strlen(ALGORITHM);
    char credential[sizeof(out->access_key) + SIGNED_AUTH_SCOPE_MAX + 1];
    int access = param_value(params, "Access", out->access_key, sizeof(out->access_key));
    int scoped = param_value(params, "Credential", credential, sizeof(credential));
    if (access < 0 || scoped < 0 || access == scoped) /* broken, or neither, or both */
        return -1;
    out->form = access == 0 ? SIGNED_AUTH_ACCESS : SIGNED_AUTH_CREDENTIAL;
    out->scope[0] = '\0';
    if (out->form == SIGNED_AUTH_CREDENTIAL && credential_split(credential, out) != 0)
        return -1;
    if (param_value(params, "SignedHeaders", out->signed_headers, sizeof(out->signed_headers)) !=
            0 ||
        param_value(params, "Signature", out->signature, sizeof(out->signature)) != 0)
        return -1;
    if (strlen(out->signature) != 64 || strspn(out->signature, "0123456789abcdef") != 64)
        return -1;
    return 0;
}

int signed_auth_scope_check(const struct signed_auth *auth, const char *sdk_date, size_t date_len,
                            char *why, size_t whylen)
{
    if (auth->form != SIGNED_AUTH_CREDENTIAL)
        return 0;
    const char *scope = auth->scope;
    size_t date_part = strcspn(scope, "/");
    const char *end = strrchr(scope, '/') + 1;
    if (strcmp(end, SIGNED_AUTH_SCOPE_END) != 0) {
        snprintf(why, whylen,
                 "the Credential scope must end in /" SIGNED_AUTH_SCOPE_END ", not /%.16s", end);
        return -1;
    }
    /* The key is derived from the scope's date: it must be the day the request was signed. */
    if (date_part != 8 || sdk_date == NULL || date_len < 8 || memcmp(scope, sdk_date, 8) != 0) {
        snprintf(why, whylen,
                 "the date of the Credential scope (%.*s) must be the date of X-Sdk-Date (%.*s)",
                 (int)(date_part < 16 ? date_part : 16), scope, (int)(date_len < 8 ? date_len : 8),
                 sdk_date != NULL ? sdk_date : "");
        return -1;
    }
    return 0;
}
