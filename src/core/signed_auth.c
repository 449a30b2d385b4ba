/* The shape of a request signed by a Huawei Cloud SDK (docs/auth.md). */
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

/* Copies the value of `key=` within the comma-separated parameters into `out`. */
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
    return -1;
}

int signed_auth_parse(const char *authorization, struct signed_auth *out)
{
    if (authorization == NULL || strncmp(authorization, ALGORITHM, strlen(ALGORITHM)) != 0)
        return -1;
    const char *params = authorization + strlen(ALGORITHM);
    if (param_value(params, "Access", out->access_key, sizeof(out->access_key)) != 0 ||
        param_value(params, "SignedHeaders", out->signed_headers, sizeof(out->signed_headers)) !=
            0 ||
        param_value(params, "Signature", out->signature, sizeof(out->signature)) != 0)
        return -1;
    if (strlen(out->signature) != 64 || strspn(out->signature, "0123456789abcdef") != 64)
        return -1;
    return 0;
}
