/* GET /_emulator/openapi.yaml (docs/emulator.md): the OpenAPI 3.1 description of every route,
 * docs/openapi.yaml byte for byte, embedded into the binary at build time by
 * docs/openapi.cmake (the generated file defines openapi_yaml and openapi_yaml_len).
 *
 * Content-Type: application/yaml, the media type RFC 9512 registered for YAML (older tools
 * also know application/x-yaml; both name the same bytes).
 */
#include <stddef.h>

#include "handlers.h"
#include "respond.h"

/* The generated file (docs/openapi.cmake) defines both. */
extern const char openapi_yaml[];
extern const size_t openapi_yaml_len;

#define OPENAPI_CONTENT_TYPE "application/yaml"

void admin_openapi(struct call *call)
{
    /* The bytes are static: libmicrohttpd sends them in place, no copy per request. */
    respond_bytes(call, 200, OPENAPI_CONTENT_TYPE, (char *)openapi_yaml, openapi_yaml_len, true);
}
