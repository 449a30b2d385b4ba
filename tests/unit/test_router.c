/* Route matching over patterns compiled at start (docs/architecture.md "One request, end to
 * end"): {param} segments, literals only as written, no allocation per lookup, and patterns
 * that cannot be compiled refused at start. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rdsemu/base/percent.h"
#include "rdsemu/http/router.h"

static const struct route_pattern table[] = {
    {"POST", "/rds/{versionId}/{project_id}/backups"},
    {"GET", "/_emulator/health"},
    {"DELETE", "/_emulator/projects/{project_id}/instances/{instance_id}"},
    {"GET", "/"},
    {"GET", "/v3/auth/tokens"},
    {"GET", "/v3/{project_id}/backups"},
};
#define COUNT (sizeof(table) / sizeof(table[0]))

static struct router *router;
static char scratch[256];

/* True when `path` matches with `method`; `m` filled. */
static bool match(const char *method, const char *path, struct route_match *m)
{
    return router_match(router, method, path, scratch, m);
}

static void compile_errors(void)
{
    char err[128];
    static const struct route_pattern bad[][1] = {
        {{"GET", "no-slash"}},
        {{"GET", "/a//b"}},
        {{"GET", "/a/b/c/d/e/f/g/h/i"}},
        {{"GET", "/{a}/{b}/{c}/{d}/{e}"}},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        struct router *r = router_compile(bad[i], 1, err, sizeof(err));
        CHECK(r == NULL);
        CHECK(err[0] != '\0');
        router_free(r);
    }
}

int main(void)
{
    char err[128];
    router = router_compile(table, COUNT, err, sizeof(err));
    CHECK(router != NULL);
    if (router == NULL)
        return CHECK_DONE();
    struct route_match m;
    CHECK(match("POST", "/rds/v1/p1/backups", &m));
    CHECK_INT(m.route, 0);
    CHECK_STR(route_match_param(&m, "versionId"), "v1");
    CHECK_STR(route_match_param(&m, "project_id"), "p1");
    CHECK(route_match_param(&m, "nope") == NULL);

    /* Method and path must both match. */
    CHECK(!match("GET", "/rds/v1/p1/backups", &m));
    CHECK(!match("POST", "/rds/v1/p1/backups/", &m));
    CHECK(!match("POST", "/rds/v1/p1/backup", &m));
    CHECK(!match("POST", "/rds/v1/p1/backups/x", &m));
    CHECK(!match("POST", "rds/v1/p1/backups", &m));
    CHECK(match("GET", "/_emulator/health", &m));
    CHECK_INT(m.route, 1);
    CHECK(!match("GET", "/_emulator/healthz", &m));

    /* The root alone is a pattern of no segment: "/" only, nothing else. */
    CHECK(match("GET", "/", &m));
    CHECK_INT(m.route, 3);
    CHECK_INT(m.param_count, 0);
    CHECK(!match("GET", "//", &m));
    CHECK(!match("POST", "/", &m));
    /* The first match wins: a literal route before a {param} one takes its path. */
    CHECK(match("GET", "/v3/auth/tokens", &m));
    CHECK_INT(m.route, 4);
    CHECK(match("GET", "/v3/auth/backups", &m));
    CHECK_INT(m.route, 5);
    CHECK_STR(route_match_param(&m, "project_id"), "auth");

    /* An empty segment is still a parameter, so its rule can answer 400. */
    CHECK(match("POST", "/rds/v1//backups", &m));
    CHECK_STR(route_match_param(&m, "project_id"), "");

    /* Segments are decoded one by one: an encoded '/' stays inside its parameter. */
    CHECK(match("POST", "/rds/v1/a%2Fb/backups", &m));
    CHECK_STR(route_match_param(&m, "project_id"), "a/b");
    CHECK(match("POST", "/rds/%76%31/p/backups", &m));
    CHECK_STR(route_match_param(&m, "versionId"), "v1");
    /* A literal segment matches only as written: encoded, it is another path (a 404), so a
     * fault's path glob and the route table always see the same path. */
    CHECK(!match("POST", "/rds/v1/p/%62ackups", &m));
    CHECK(!match("POST", "/%72ds/v1/p/backups", &m));
    CHECK(match("DELETE", "/_emulator/projects/p/instances/..", &m));
    CHECK_INT(m.route, 2);
    CHECK_STR(route_match_param(&m, "instance_id"), "..");
    CHECK_STR(route_match_param(&m, "project_id"), "p");

    /* The decoded values fit the scratch of the path's own length, whatever they hold. */
    char path[] = "/_emulator/projects/%41%42%43/instances/%2F%2F%2F";
    char *tight = malloc(strlen(path) + 1);
    CHECK(router_match(router, "DELETE", path, tight, &m));
    CHECK_STR(route_match_param(&m, "project_id"), "ABC");
    CHECK_STR(route_match_param(&m, "instance_id"), "///");
    free(tight);

    char s1[] = "a%00b%zz%4";
    percent_decode(s1);
    CHECK_STR(s1, "a%00b%zz%4"); /* %00 and broken escapes stay as they are */
    char s2[] = "%E5%A4%87%20x";
    percent_decode(s2);
    CHECK_STR(s2, "备 x");

    compile_errors();
    router_free(router);
    return CHECK_DONE();
}
