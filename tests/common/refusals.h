/* The refusals both APIs give to a request before its handler looks at the fields (docs/api.md
 * §1, docs/v3.md): the project_id of the path (and v1's versionId), unknown routes and methods
 * (and those outside both APIs), the auth presence (and the same requests passing with --auth
 * off), the content type, bodies that are not JSON, not UTF-8 or not an object, the body limit
 * (Content-Length, chunked, Expect: 100-continue), and the order of those checks. One table of
 * cases, each run through the API under test with that API's paths, error shape and codes:
 * test_create_request runs it for v1, test_v3_request for v3. */
#ifndef RDSEMU_TEST_REFUSALS_H
#define RDSEMU_TEST_REFUSALS_H

#include "calls.h"
#include "harness.h"

#define REFUSALS_PROJECT  "rules-project"
#define REFUSALS_MAX_BODY 1024

/* The two servers the cases need, both with the rules seed and build time 0: `emu` with
 * --max-body REFUSALS_MAX_BODY, `off` with --auth off. 0, or -1 (after saying so). */
int refusals_start(struct emu *emu, struct emu *off, const char *label);
/* Every case through `api` (but those for the other API only); then checks that the refused
 * requests made and deleted nothing. */
void refusals_run(const struct emu *emu, const struct emu *off, enum call_api api);
/* Stops both servers (each must exit 0) and removes their directories. */
void refusals_stop(struct emu *emu, struct emu *off);

#endif
