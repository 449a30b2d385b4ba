/* Constant-time comparison of secrets. Both values are hashed first: the digests have the
 * same length whatever the client sent, so the comparison reads each value to its own end only
 * and never reveals, by its time, how much of the value matched or how long the secret is. */
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <string.h>

#include "rdsemu/core/secret.h"

static void digest_of(const char *text, uint8_t out[SHA256_DIGEST_SIZE])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(text), (const uint8_t *)text);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

bool secret_equals(const char *given, const char *expected)
{
    uint8_t a[SHA256_DIGEST_SIZE], b[SHA256_DIGEST_SIZE];
    digest_of(given, a);
    digest_of(expected, b);
    bool same = memeql_sec(a, b, sizeof(a)) != 0;
    /* The expected value's digest is as good as the value to a brute-force attempt: it does
     * not stay on the stack. */
    explicit_bzero(b, sizeof(b));
    return same;
}
