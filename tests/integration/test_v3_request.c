/* Everything around the v3 calls that is not a field or state rule (docs/api.md applied to
 * docs/v3.md): the refusals both APIs give (tests/common/refusals.c: a missing or empty token on
 * every v3 route, project_id, unknown routes under /v3, the content type, JSON syntax and UTF-8,
 * the body limit, the order of those checks) through v3; then what the v1 tests prove elsewhere:
 * injected faults in the v3 shape (the v1 shape: test_controls_faults), and X-Request-Id on every
 * answer (v1: test_create_ok). */
#include <stdlib.h>
#include <string.h>

#include "refusals.h"
#include "v3.h"

#define PROJECT REFUSALS_PROJECT

/* §5.5 on the v3 routes: an injected error comes in the v3 shape, with the given code. */
static void injected_faults(const struct emu *emu)
{
    ADMIN_CALL(emu, "POST", "/_emulator/faults",
               "{\"method\": \"GET\", \"path\": \"/v3/*/backups\", \"error_code\": "
               "\"DBS.108000\", \"times\": 1}",
               201);
    V3_LIST_ERROR(emu, PROJECT, "instance_id=mysql-1", 500, "DBS.108000");
    json_decref(V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-1")); /* times: 1 */

    ADMIN_CALL(emu, "POST", "/_emulator/faults",
               "{\"method\": \"POST\", \"path\": \"/v3/*/backups\", \"instance_id\": "
               "\"mysql-2\", \"status\": 503, \"error_code\": \"DBS.200999\"}",
               201);
    char *body = v3_body("mysql-2", "faulty");
    struct http_response r;
    v3_create(emu, PROJECT, body, 0, NULL, &r);
    EXPECT_V3_ERROR(&r, 503, "DBS.200999");
    http_response_free(&r);
    free(body);
    body = v3_body("mysql-1", "notFaulty"); /* another instance: no fault */
    json_decref(V3_CREATE_JSON(emu, PROJECT, body, 0));
    free(body);
    ADMIN_CALL(emu, "DELETE", "/_emulator/faults", NULL, 204);
    body = v3_body("mysql-2", "faulty");
    json_decref(V3_CREATE_JSON(emu, PROJECT, body, 0));
    free(body);
}

/* Every answer, error or not, has its own X-Request-Id. */
static void request_ids(const struct emu *emu)
{
    struct http_response one, two;
    v3_list(emu, PROJECT, "instance_id=mysql-1", &one);
    v3_list(emu, PROJECT, "instance_id=mysql-1", &two);
    EXPECT_STATUS(&one, 200);
    EXPECT_STATUS(&two, 200);
    CHECK(strcmp(one.request_id, two.request_id) != 0);
    http_response_free(&one);
    http_response_free(&two);
    v3_delete(emu, PROJECT, "00000000-0000-0000-0000-000000000000", &one);
    EXPECT_V3_ERROR(&one, 404, "DBS.201010");
    http_response_free(&one);
}

int main(void)
{
    struct emu emu, off;
    if (refusals_start(&emu, &off, "v3-request") != 0)
        return 1;
    refusals_run(&emu, &off, CALL_V3);
    injected_faults(&emu);
    request_ids(&emu);
    refusals_stop(&emu, &off);
    return CHECK_DONE();
}
