/* Request headers held by a test (fake_headers.h). */
#include <string.h>
#include <strings.h>

#include "fake_headers.h"

const char *fake_header(void *ctx, const char *name, size_t *len)
{
    struct fake_headers *h = ctx;
    for (size_t i = 0; i < FAKE_HEADERS_MAX && h->names[i] != NULL; i++)
        if (strcasecmp(h->names[i], name) == 0) {
            *len = strlen(h->values[i]);
            return h->values[i];
        }
    return NULL;
}
