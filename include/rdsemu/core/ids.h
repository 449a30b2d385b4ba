/* Identifiers: random UUIDs for backups, 32 ordered hex digits for jobs, name-based version IDs. */
#ifndef RDSEMU_IDS_H
#define RDSEMU_IDS_H

#include "rdsemu/core/model.h"

void ids_uuid_random(char out[UUID_TEXT_LEN + 1]);
void ids_job_id(char out[JOB_ID_TEXT_LEN + 1]);
/* The same engine+version always gives the same UUID (SHA-1 name-based, RFC 4122 v5). */
void ids_version_id(const char *engine, const char *version, char out[UUID_TEXT_LEN + 1]);

#endif
