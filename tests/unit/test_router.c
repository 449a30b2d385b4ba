/* Route matching with {param} segments (docs/architecture.md step 2). */
#include "check.h"
#include "rdsemu/router.h"

static void handler(struct request *req)
{
    (void)req;
}

static const struct route table[] = {
    {"POST", "/rds/{versionId}/{project_id}/backups", handler, API_V1, "create"},
    {"GET", "/_emulator/health", handler, API_ADMIN, "health"},
    {"DELETE", "/_emulator/projects/{project_id}/instances/{instance_id}", handler, API_ADMIN,
     "delete"},
};
#define COUNT (sizeof(table) / sizeof(table[0]))

int main(void)
{
    struct route_match m;
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1/p1/backups", &m), 0);
    CHECK(m.route == &table[0]);
    CHECK_STR(route_match_param(&m, "versionId"), "v1");
    CHECK_STR(route_match_param(&m, "project_id"), "p1");
    CHECK(route_match_param(&m, "nope") == NULL);
    route_match_free(&m);

    /* Method and path must both match. */
    CHECK_INT(router_match(table, COUNT, "GET", "/rds/v1/p1/backups", &m), 1);
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1/p1/backups/", &m), 1);
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1/p1/backup", &m), 1);
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1/p1/backups/x", &m), 1);
    CHECK_INT(router_match(table, COUNT, "POST", "rds/v1/p1/backups", &m), 1);
    CHECK_INT(router_match(table, COUNT, "GET", "/_emulator/health", &m), 0);
    route_match_free(&m);
    CHECK_INT(router_match(table, COUNT, "GET", "/_emulator/healthz", &m), 1);

    /* An empty segment is still a parameter, so its rule can answer 400. */
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1//backups", &m), 0);
    CHECK_STR(route_match_param(&m, "project_id"), "");
    route_match_free(&m);

    /* Segments are decoded one by one: an encoded '/' stays inside its parameter. */
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1/a%2Fb/backups", &m), 0);
    CHECK_STR(route_match_param(&m, "project_id"), "a/b");
    route_match_free(&m);
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/%76%31/p/backups", &m), 0);
    CHECK_STR(route_match_param(&m, "versionId"), "v1");
    route_match_free(&m);
    /* A literal segment matches only as written: encoded, it is another path (a 404), so a
     * fault's path glob and the route table always see the same path. */
    CHECK_INT(router_match(table, COUNT, "POST", "/rds/v1/p/%62ackups", &m), 1);
    route_match_free(&m);
    CHECK_INT(router_match(table, COUNT, "POST", "/%72ds/v1/p/backups", &m), 1);
    route_match_free(&m);
    CHECK_INT(router_match(table, COUNT, "DELETE", "/_emulator/projects/p/instances/..", &m), 0);
    CHECK_STR(route_match_param(&m, "instance_id"), "..");
    route_match_free(&m);

    char s1[] = "a%00b%zz%4";
    percent_decode(s1);
    CHECK_STR(s1, "a%00b%zz%4"); /* %00 and broken escapes stay as they are */
    char s2[] = "%E5%A4%87%20x";
    percent_decode(s2);
    CHECK_STR(s2, "备 x");
    return CHECK_DONE();
}
