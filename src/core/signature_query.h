/* Private to src/core/: the query lines a signature may cover (docs/auth.md "Signature
 * verification"), each written from the raw query as it arrived, never from its order or
 * encoding on the wire. Each appends to `out`; a failure (no memory) is `out`'s sticky error. */
#ifndef RDSEMU_CORE_SIGNATURE_QUERY_H
#define RDSEMU_CORE_SIGNATURE_QUERY_H

#include <stddef.h>

#include "rdsemu/base/strbuf.h"

/* Access=: every pair decoded ('+' stays '+'), sorted by name then value (bytes), encoded
 * again, name=value joined with '&'. */
void signature_query_access(const char *query, size_t len, struct strbuf *out);

/* Credential=: pairs decoded with '+' as a space; the first value of each name only (in the
 * order sent); names sorted case-insensitively on their encoded form (ties: as encoded, then
 * as sent); encoded again (a space as %20). */
void signature_query_credential(const char *query, size_t len, struct strbuf *out);

/* The query as Go's url.Values.Encode writes it, which a Credential= signer hashes as the
 * payload of a POST without a body: names sorted (bytes), every value of a name in the order
 * sent, both encoded with a space as '+'. */
void signature_query_values_encode(const char *query, size_t len, struct strbuf *out);

#endif
