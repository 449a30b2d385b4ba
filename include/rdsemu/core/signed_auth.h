/* Requests signed with an AK/SK pair (docs/auth.md). Pure functions. */
#ifndef RDSEMU_SIGNED_AUTH_H
#define RDSEMU_SIGNED_AUTH_H

#include <stdbool.h>

struct signed_auth {
    char access_key[129];
    char signed_headers[1024];
    char signature[65];
};

/* True when `date` is YYYYMMDDTHHMMSSZ. */
bool sdk_date_is_well_formed(const char *date);
/* 0 when `authorization` is "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=<64 hex>". */
int signed_auth_parse(const char *authorization, struct signed_auth *out);

#endif
