/* Request headers held by a test, for the signature checks' header callback
 * (`signature_header_fn`, include/rdsemu/core/signature.h). */
#ifndef RDSEMU_TEST_FAKE_HEADERS_H
#define RDSEMU_TEST_FAKE_HEADERS_H

#include <stddef.h>

#define FAKE_HEADERS_MAX 12

/* Names and values side by side, up to the first NULL name. */
struct fake_headers {
    const char *names[FAKE_HEADERS_MAX];
    const char *values[FAKE_HEADERS_MAX];
};

/* The value of header `name` (any case) in the fake_headers at `ctx`, its length in `*len`;
 * NULL when absent. */
const char *fake_header(void *ctx, const char *name, size_t *len);

#endif
