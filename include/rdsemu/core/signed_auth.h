/* Requests signed with an AK/SK pair (docs/auth.md): the Authorization header of either form
 * the SDKs send. Pure functions. */
#ifndef RDSEMU_SIGNED_AUTH_H
#define RDSEMU_SIGNED_AUTH_H

#include <stdbool.h>
#include <stddef.h>

/* The last part of a Credential= scope. */
#define SIGNED_AUTH_SCOPE_END "sdk_request"
#define SIGNED_AUTH_SCOPE_MAX 256

enum signed_auth_form {
    /* Access=<AK>: the Huawei Cloud SDKs; the SK itself is the HMAC key. */
    SIGNED_AUTH_ACCESS,
    /* Credential=<AK>/<yyyymmdd>/<region>/<service>/sdk_request: gophertelekomcloud and
     * golangsdk; the key is derived from the SK and that scope. */
    SIGNED_AUTH_CREDENTIAL,
};

struct signed_auth {
    enum signed_auth_form form;
    char access_key[129];
    /* Credential= only: what follows "<AK>/", four '/'-separated parts; "" for Access=. */
    char scope[SIGNED_AUTH_SCOPE_MAX + 1];
    char signed_headers[1024];
    char signature[65];
};

/* True when `date` is YYYYMMDDTHHMMSSZ. */
bool sdk_date_is_well_formed(const char *date);
/* 0 when `authorization` is "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=..., Signature=<64
 * hex>", or the same with "Credential=<AK>/<four parts>" in place of Access= (one of the two,
 * not both); fills `out`. -1 otherwise. */
int signed_auth_parse(const char *authorization, struct signed_auth *out);
/* The rules of a Credential= scope that tie it to the request: its date is X-Sdk-Date's date
 * (`sdk_date`, `date_len` bytes, well formed or not) and it ends in /sdk_request. 0 when they
 * hold (always for Access=); -1 with what is wrong in `why`, quoting at most 16 bytes of what
 * was sent (which may be any bytes: the caller makes it safe to show). */
int signed_auth_scope_check(const struct signed_auth *auth, const char *sdk_date, size_t date_len,
                            char *why, size_t whylen);

#endif
