/* Everything around the v1 create body (docs/api.md, docs/configuration.md "auth"): the refusals
 * of tests/common/refusals.c through v1 (project_id and versionId, routes, auth presence and off,
 * content type, JSON syntax and UTF-8, the body limit, the order of those checks); then the order
 * of v1's own field rules and its instance lookup (v3's: test_v3_create). */

#include "expect.h"
#include "refusals.h"

#define PROJECT REFUSALS_PROJECT

/* The field rules before the instance lookup; the lookup before the engine rules (the v1
 * fields: the v3 ones are test_v3_create's). */
static void field_order(const struct emu *emu)
{
    EXPECT_CREATE_ERROR(emu, PROJECT, "{\"backup\": {\"instance\": \"no-such\", \"name\": \"x\"}}",
                        400, "RDS.0001");
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"other-mysql\", \"name\": \"1bad\"}}", 400,
                        "RDS.0001");
    EXPECT_CREATE_ERROR(emu, PROJECT,
                        "{\"backup\": {\"instance\": \"no-such\", \"name\": \"goodName\", "
                        "\"databases\": [{\"name\": \"user01\"}]}}",
                        404, "RDS.0002");
}

int main(void)
{
    struct emu emu, off;
    if (refusals_start(&emu, &off, "create-request") != 0)
        return 1;
    refusals_run(&emu, &off, CALL_V1);
    field_order(&emu);
    refusals_stop(&emu, &off);
    return CHECK_DONE();
}
