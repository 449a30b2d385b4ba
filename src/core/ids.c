/* Identifiers (DESIGN.md "IDs"). */
#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>

#include "rdsemu/ids.h"

void ids_uuid_random(char out[UUID_TEXT_LEN + 1])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

void ids_job_id(char out[JOB_ID_TEXT_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uuid_t u;
    uuid_generate_random(u);
    for (size_t i = 0; i < sizeof(u); i++) {
        out[2 * i] = hex[u[i] >> 4];
        out[2 * i + 1] = hex[u[i] & 0x0F];
    }
    out[JOB_ID_TEXT_LEN] = '\0';
}

void ids_version_id(const char *engine, const char *version, char out[UUID_TEXT_LEN + 1])
{
    /* A fixed namespace of our own, so version IDs do not collide with other v5 UUIDs. */
    static const uuid_t rdsemu_namespace = {0x5a, 0x0b, 0x8e, 0x52, 0x3c, 0x41, 0x4d, 0x6e,
                                            0x9f, 0x27, 0x61, 0xd1, 0x0c, 0x4e, 0x7a, 0x93};
    char name[512];
    int len = snprintf(name, sizeof(name), "%s\n%s", engine, version);
    if (len < 0 || (size_t)len >= sizeof(name))
        len = (int)sizeof(name) - 1;
    uuid_t u;
    uuid_generate_sha1(u, rdsemu_namespace, name, (size_t)len);
    uuid_unparse_lower(u, out);
}
