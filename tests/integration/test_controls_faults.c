/* Fault injection (docs/emulator.md, docs/configuration.md --seed-rng): the rules' routes (POST 201
 * with an id, GET, DELETE one or all, reset), each field of a rule (method, path glob, project_id,
 * instance_id from the path, query or body, status, error_code in the API's own shape, message,
 * delay_ms), times, probability 0 and 1, a seeded probability repeating itself, the place of
 * faults among the checks (after route and auth, before everything else), the control plane
 * never faulted, bad rules refused, and at most 1000 rules held. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expect.h"

#define PROJECT "rules-project"
#define FAULTS  "/_emulator/faults"

#define SEEDED_REQUESTS 40

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* POST /_emulator/faults `rule`: 201 with an id; the id (new: free()), or NULL. */
#define FAULT_ADD(emu, rule) fault_add_at(__LINE__, (emu), (rule))
static char *fault_add_at(int line, const struct emu *emu, const char *rule)
{
    struct http_response r;
    call_admin(emu, "POST", FAULTS, rule, &r);
    char *id = NULL;
    if (expect_status_at(__FILE__, line, &r, 201)) {
        json_t *root = http_response_json(&r);
        const char *got = json_string_value(json_object_get(root, "id"));
        if (EXPECT_THAT_AT(__FILE__, line, got != NULL && got[0] != '\0', &r,
                           "the new rule has no \"id\""))
            id = strdup(got);
        json_decref(root);
    } else {
        fprintf(stderr, "    rule: %s\n", rule);
    }
    http_response_free(&r);
    return id;
}

static void fault_add_ok(const struct emu *emu, const char *rule)
{
    free(fault_add_at(__LINE__, emu, rule));
}

/* A bad rule: 400 in the control-plane shape, and nothing stored. */
static void fault_refused(const struct emu *emu, const char *rule)
{
    struct http_response r;
    call_admin(emu, "POST", FAULTS, rule, &r);
    if (!EXPECT_ADMIN_ERROR(&r, 400))
        fprintf(stderr, "    rule: %s\n", rule);
    http_response_free(&r);
}

static void faults_clear(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "DELETE", FAULTS, NULL, &r);
    EXPECT_STATUS(&r, 204);
    CHECK_INT(r.body_len, 0);
    http_response_free(&r);
}

/* GET /_emulator/faults: the list (new reference to the whole answer). */
static json_t *faults_get(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "GET", FAULTS, NULL, &r);
    json_t *root = NULL;
    if (EXPECT_STATUS(&r, 200)) {
        root = http_response_json(&r);
        EXPECT_THAT_AT(__FILE__, __LINE__, json_is_array(json_object_get(root, "faults")), &r,
                       "GET /_emulator/faults is not {\"faults\": [...]}");
    }
    http_response_free(&r);
    return root;
}

static size_t faults_count(const struct emu *emu)
{
    json_t *root = faults_get(emu);
    size_t n = json_array_size(json_object_get(root, "faults"));
    json_decref(root);
    return n;
}

static long status_of(const struct emu *emu, const char *method, const char *path, const char *body)
{
    struct http_response r;
    call_with_token(emu, method, path, NULL, body, &r);
    long status = r.status;
    http_response_free(&r);
    return status;
}

#define EXPECT_ANSWER(emu, method, path, body, status)                                             \
    expect_answer_at(__LINE__, (emu), (method), (path), (body), (status))
static void expect_answer_at(int line, const struct emu *emu, const char *method, const char *path,
                             const char *body, long status)
{
    struct http_response r;
    call_with_token(emu, method, path, NULL, body, &r);
    if (!expect_status_at(__FILE__, line, &r, status))
        fprintf(stderr, "    for %s %s %s\n", method, path, body != NULL ? body : "");
    http_response_free(&r);
}

/* POST 201 with an id, GET lists in order, DELETE one (204, then 404), DELETE all, reset. */
static void rule_routes(const struct emu *emu)
{
    faults_clear(emu);
    CHECK_INT(faults_count(emu), 0);
    char *a = FAULT_ADD(emu, "{\"path\": \"/rds/v1/fc-a/backups\", \"status\": 503}");
    char *b = FAULT_ADD(emu, "{\"path\": \"/rds/v1/fc-b/backups\", \"status\": 502}");
    CHECK(a != NULL && b != NULL && strcmp(a, b) != 0);

    json_t *root = faults_get(emu);
    json_t *list = json_object_get(root, "faults");
    CHECK_INT(json_array_size(list), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 0), "id")), a);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 1), "id")), b);
    CHECK_STR(json_string_value(json_object_get(json_array_get(list, 0), "path")),
              "/rds/v1/fc-a/backups");
    json_decref(root);

    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-a/backups", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-b/backups", NULL, 502);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-c/backups", NULL, 200);

    char path[128];
    snprintf(path, sizeof(path), FAULTS "/%s", a != NULL ? a : "none");
    struct http_response r;
    call_admin(emu, "DELETE", path, NULL, &r);
    EXPECT_STATUS(&r, 204);
    CHECK_INT(r.body_len, 0);
    http_response_free(&r);
    CHECK_INT(faults_count(emu), 1);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-a/backups", NULL, 200);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-b/backups", NULL, 502);

    /* Unknown (or already removed) rules: 404 in the control-plane shape. */
    call_admin(emu, "DELETE", path, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 404);
    http_response_free(&r);
    call_admin(emu, "DELETE", FAULTS "/no-such-rule", NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 404);
    http_response_free(&r);

    faults_clear(emu);
    CHECK_INT(faults_count(emu), 0);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-b/backups", NULL, 200);

    /* The reset removes every rule too. */
    fault_add_ok(emu, "{\"path\": \"/rds/v1/fc-d/backups\", \"status\": 503}");
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-d/backups", NULL, 503);
    call_admin(emu, "POST", "/_emulator/reset", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    CHECK_INT(faults_count(emu), 0);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fc-d/backups", NULL, 200);
    free(a);
    free(b);
}

static void field_method(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"method\": \"GET\", \"path\": \"/rds/v1/fm/backups\", \"status\": 503}");
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fm/backups", NULL, 503);
    /* Same path, another method: not this rule's (the project has no such instance). */
    EXPECT_ANSWER(emu, "POST", "/rds/v1/fm/backups",
                  "{\"backup\": {\"instance\": \"none\", \"name\": \"method1\"}}", 404);
    faults_clear(emu);
}

/* `*` matches within one segment, never across a '/'. */
static void field_path(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"path\": \"/v3/*/jobs\", \"status\": 503}");
    EXPECT_ANSWER(emu, "GET", "/v3/fg-a/jobs?id=1", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/v3/fg-b/jobs?id=1", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/v3/" PROJECT "/backups?instance_id=mysql-1", NULL, 200);
    faults_clear(emu);

    fault_add_ok(emu, "{\"path\": \"/rds/*/backups\", \"status\": 503}");
    fault_add_ok(emu, "{\"path\": \"/rds/v1/*\", \"status\": 502}");
    fault_add_ok(emu, "{\"path\": \"/v3/*\", \"status\": 504}");
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fg/backups", NULL, 200);
    EXPECT_ANSWER(emu, "DELETE", "/rds/v1/fg/backups/nope", NULL, 404);
    EXPECT_ANSWER(emu, "GET", "/v3/fg/jobs?id=1", NULL, 400); /* an unknown job */
    faults_clear(emu);

    fault_add_ok(emu, "{\"path\": \"/rds/v1/*/backups/*\", \"status\": 503}");
    EXPECT_ANSWER(emu, "DELETE", "/rds/v1/fg/backups/nope", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fg/backups", NULL, 200);
    faults_clear(emu);
}

static void field_project(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"project_id\": \"fp-a\", \"status\": 503}");
    EXPECT_ANSWER(emu, "GET", "/v3/fp-a/jobs?id=1", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fp-a/backups", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/v3/fp-b/jobs?id=1", NULL, 400);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fp-b/backups", NULL, 200);
    faults_clear(emu);
}

/* The instance a request names: in its path, its query, or its body (v1 backup.instance,
 * v3 instance_id). */
static void field_instance(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"instance_id\": \"mysql-1\", \"status\": 503}");
    const char *policy = "/rds/v1/" PROJECT "/instances/mysql-1/backups/policy";
    const char *policy_other = "/rds/v1/" PROJECT "/instances/mysql-2/backups/policy";
    EXPECT_ANSWER(emu, "GET", policy, NULL, 503);
    EXPECT_ANSWER(emu, "GET", policy_other, NULL, 200);

    EXPECT_ANSWER(emu, "GET", "/v3/" PROJECT "/backups?instance_id=mysql-1", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/v3/" PROJECT "/backups?instance_id=mysql-2", NULL, 200);

    const char *v1 = "/rds/v1/" PROJECT "/backups";
    EXPECT_ANSWER(emu, "POST", v1, "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"fi-v1\"}}",
                  503);
    EXPECT_ANSWER(emu, "POST", v1, "{\"backup\": {\"instance\": \"mysql-2\", \"name\": \"fi-v1\"}}",
                  200);

    const char *v3 = "/v3/" PROJECT "/backups";
    EXPECT_ANSWER(emu, "POST", v3, "{\"instance_id\": \"mysql-1\", \"name\": \"fi-v3\"}", 503);
    EXPECT_ANSWER(emu, "POST", v3, "{\"instance_id\": \"pg-1\", \"name\": \"fi-v3\"}", 200);

    /* A request that names no instance is not this rule's. */
    EXPECT_ANSWER(emu, "GET", v1, NULL, 200);
    faults_clear(emu);
}

/* The answer is `status` with exactly the members `keys`, `code_key` = `code` and
 * `message_key` = `message` (when not NULL). */
#define EXPECT_SHAPE(r, status, keys, code_key, code, message_key, message)                        \
    expect_shape_at(__LINE__, (r), (status), (keys), (code_key), (code), (message_key), (message))
static void expect_shape_at(int line, const struct http_response *r, long status,
                            const char *const *keys, const char *code_key, const char *code,
                            const char *message_key, const char *message)
{
    if (!expect_status_at(__FILE__, line, r, status))
        return;
    json_t *root = http_response_json(r);
    const char *got_code = json_string_value(json_object_get(root, code_key));
    const char *got_message = json_string_value(json_object_get(root, message_key));
    EXPECT_THAT_AT(__FILE__, line, json_keys_are(root, keys), r, "not the expected shape");
    if (code != NULL)
        EXPECT_THAT_AT(__FILE__, line, got_code != NULL && strcmp(got_code, code) == 0, r,
                       "%s is not %s", code_key, code);
    else
        EXPECT_THAT_AT(__FILE__, line, got_code != NULL && got_code[0] != '\0', r,
                       "%s is not a non-empty string", code_key);
    if (message != NULL)
        EXPECT_THAT_AT(__FILE__, line, got_message != NULL && strcmp(got_message, message) == 0, r,
                       "%s is not \"%s\"", message_key, message);
    else
        EXPECT_THAT_AT(__FILE__, line, got_message != NULL && got_message[0] != '\0', r,
                       "%s is not a non-empty string", message_key);
    json_decref(root);
}

static const char *const v1_keys[] = {"errCode", "externalMessage", NULL};
static const char *const v3_keys[] = {"error_code", "error_msg", NULL};

/* status, error_code and message, answered in the matched API's shape. */
static void answer_shapes(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"method\": \"POST\", \"path\": \"/rds/v1/*/backups\", \"status\": 429, "
                      "\"error_code\": \"RDS.0429\", \"message\": \"slow down, v1\"}");
    fault_add_ok(emu, "{\"method\": \"POST\", \"path\": \"/v3/*/backups\", \"status\": 503, "
                      "\"error_code\": \"DBS.280343\", \"message\": \"slow down, v3\"}");
    struct http_response r;
    call_with_token(emu, "POST", "/rds/v1/" PROJECT "/backups", NULL,
                    "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"shape1\"}}", &r);
    EXPECT_SHAPE(&r, 429, v1_keys, "errCode", "RDS.0429", "externalMessage", "slow down, v1");
    http_response_free(&r);
    call_with_token(emu, "POST", "/v3/" PROJECT "/backups", NULL,
                    "{\"instance_id\": \"mysql-1\", \"name\": \"s\"}", &r);
    EXPECT_SHAPE(&r, 503, v3_keys, "error_code", "DBS.280343", "error_msg", "slow down, v3");
    http_response_free(&r);
    faults_clear(emu);

    /* error_code without status: 500. */
    fault_add_ok(emu, "{\"path\": \"/v3/*/jobs\", \"error_code\": \"DBS.999999\"}");
    fault_add_ok(emu, "{\"path\": \"/rds/v1/*/backups\", \"error_code\": \"RDS.9998\"}");
    call_with_token(emu, "GET", "/v3/" PROJECT "/jobs?id=1", NULL, NULL, &r);
    EXPECT_SHAPE(&r, 500, v3_keys, "error_code", "DBS.999999", "error_msg", NULL);
    http_response_free(&r);
    call_with_token(emu, "GET", "/rds/v1/" PROJECT "/backups", NULL, NULL, &r);
    EXPECT_SHAPE(&r, 500, v1_keys, "errCode", "RDS.9998", "externalMessage", NULL);
    http_response_free(&r);
    faults_clear(emu);

    /* status without error_code: still the API's shape, with some code. */
    fault_add_ok(emu, "{\"path\": \"/v3/*/jobs\", \"status\": 503}");
    fault_add_ok(emu, "{\"path\": \"/rds/v1/*/backups\", \"status\": 503, "
                      "\"message\": \"maintenance\"}");
    call_with_token(emu, "GET", "/v3/" PROJECT "/jobs?id=1", NULL, NULL, &r);
    EXPECT_SHAPE(&r, 503, v3_keys, "error_code", NULL, "error_msg", NULL);
    http_response_free(&r);
    call_with_token(emu, "GET", "/rds/v1/" PROJECT "/backups", NULL, NULL, &r);
    EXPECT_SHAPE(&r, 503, v1_keys, "errCode", NULL, "externalMessage", "maintenance");
    http_response_free(&r);
    faults_clear(emu);
}

/* Neither status nor error_code: only the delay, then the normal answer. */
static void delay_only(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"path\": \"/rds/v1/fd/backups\", \"delay_ms\": 2000}");
    double start = now_ms();
    struct http_response r;
    call_with_token(emu, "GET", "/rds/v1/fd/backups", NULL, NULL, &r);
    double took = now_ms() - start;
    EXPECT_STATUS(&r, 200);
    CHECK_STR(r.body, "{\"backups\":[]}");
    http_response_free(&r);
    if (took < 2000)
        fprintf(stderr, "delayed request took %.0f ms, expected at least 2000\n", took);
    CHECK(took >= 2000);
    /* Another path is not delayed (the margin is for a loaded machine, not the behaviour:
     * undelayed answers take about a millisecond). */
    start = now_ms();
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fd-other/backups", NULL, 200);
    took = now_ms() - start;
    if (took >= 1500)
        fprintf(stderr, "an undelayed request took %.0f ms\n", took);
    CHECK(took < 1500);
    faults_clear(emu);
}

/* times 2: two faulted answers, then normal ones. */
static void times_exhaustion(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"path\": \"/rds/v1/ft/backups\", \"status\": 503, \"times\": 2}");
    EXPECT_ANSWER(emu, "GET", "/rds/v1/ft/backups", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/ft/backups", NULL, 503);
    for (int i = 0; i < 3; i++)
        EXPECT_ANSWER(emu, "GET", "/rds/v1/ft/backups", NULL, 200);
    faults_clear(emu);
}

static void probability_bounds(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"path\": \"/rds/v1/fpr-0/backups\", \"status\": 503, \"probability\": 0}");
    fault_add_ok(emu, "{\"path\": \"/rds/v1/fpr-1/backups\", \"status\": 503, \"probability\": 1}");
    fault_add_ok(emu, "{\"path\": \"/rds/v1/fpr-d/backups\", \"status\": 503}"); /* default 1 */
    int faulted0 = 0, faulted1 = 0, faulted_default = 0;
    for (int i = 0; i < 25; i++) {
        faulted0 += status_of(emu, "GET", "/rds/v1/fpr-0/backups", NULL) == 503;
        faulted1 += status_of(emu, "GET", "/rds/v1/fpr-1/backups", NULL) == 503;
        faulted_default += status_of(emu, "GET", "/rds/v1/fpr-d/backups", NULL) == 503;
    }
    CHECK_INT(faulted0, 0);
    CHECK_INT(faulted1, 25);
    CHECK_INT(faulted_default, 25);
    faults_clear(emu);
}

/* Route and auth come first; every other check comes after the fault. */
static void check_order(const struct emu *emu)
{
    faults_clear(emu);
    fault_add_ok(emu, "{\"status\": 503}"); /* matches every emulated request */
    struct http_response r;
    call_request(emu, NULL, "GET", "/rds/v1/fo/backups", NULL, NULL, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
    const char *bad_token[] = {"X-Auth-Token: ", NULL};
    call_request(emu, NULL, "GET", "/v3/fo/jobs?id=1", bad_token, NULL, &r);
    EXPECT_GATEWAY_ERROR(&r, 401, "APIGW.0301");
    http_response_free(&r);
    call_with_token(emu, "GET", "/no/such/route", NULL, NULL, &r);
    EXPECT_GATEWAY_ERROR(&r, 404, "APIGW.0101");
    http_response_free(&r);

    /* Invalid body, wrong content type, bad versionId, bad project_id: the fault wins. */
    EXPECT_ANSWER(emu, "POST", "/rds/v1/fo/backups", "{not json", 503);
    EXPECT_ANSWER(emu, "POST", "/v3/fo/backups", "[1, 2]", 503);
    const char *text_type[] = {CALL_TOKEN_HEADER, "Content-Type: text/plain", NULL};
    call_request(emu, NULL, "POST", "/rds/v1/fo/backups", text_type,
                 "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"order1\"}}", &r);
    EXPECT_STATUS(&r, 503);
    http_response_free(&r);
    EXPECT_ANSWER(emu, "GET", "/rds/V1/fo/backups", NULL, 503);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/bad.project/backups", NULL, 503);

    /* The control plane is never faulted, even by a rule aimed at it. */
    fault_add_ok(emu, "{\"path\": \"/_emulator/health\", \"status\": 503}");
    fault_add_ok(emu, "{\"path\": \"/_emulator/*\", \"status\": 503}");
    const char *admin_gets[] = {"/_emulator/health",
                                FAULTS,
                                "/_emulator/requests",
                                "/_emulator/clock",
                                "/_emulator/projects/fo/instances",
                                "/_emulator/metrics"};
    for (size_t i = 0; i < sizeof(admin_gets) / sizeof(admin_gets[0]); i++) {
        call_admin(emu, "GET", admin_gets[i], NULL, &r);
        if (r.status != 200)
            fprintf(stderr, "GET %s answered %ld under a catch-all fault\n", admin_gets[i],
                    r.status);
        CHECK_INT(r.status, 200);
        http_response_free(&r);
    }
    CHECK(call_put_instance(emu, "fo", "fo-db",
                            "{\"name\": \"fo\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);
    faults_clear(emu);
    EXPECT_ANSWER(emu, "GET", "/rds/v1/fo/backups", NULL, 200);
}

static void bad_rules(const struct emu *emu)
{
    faults_clear(emu);
    const char *bad[] = {
        "{\"probability\": 1.5, \"status\": 503}",
        "{\"probability\": -0.1, \"status\": 503}",
        "{\"probability\": \"half\", \"status\": 503}",
        "{\"status\": 99}",
        "{\"status\": 600}",
        "{\"status\": \"503\"}",
        "{\"path\": \"rds/v1/x/backups\", \"status\": 503}",
        "{\"path\": \"*\", \"status\": 503}",
        "{\"times\": 0, \"status\": 503}",
        "{\"times\": -1, \"status\": 503}",
        "{\"delay_ms\": -5}",
        "{not json",
        "[{\"status\": 503}]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        fault_refused(emu, bad[i]);
    CHECK_INT(faults_count(emu), 0);
}

/* At most 1000 rules: one more is a 409 conflict in the control-plane shape that names the
 * limit (a bad rule is still its own 400), and room comes back when a rule goes. */
static void rule_bound(const struct emu *emu)
{
    faults_clear(emu);
    CURL *handle = http_handle_new();
    const char *json[] = {CALL_JSON_HEADER, NULL};
    int added = 0;
    for (int i = 0; i < 1000; i++) {
        char rule[128];
        snprintf(rule, sizeof(rule), "{\"path\": \"/v3/bound-%d/jobs\", \"status\": 503}", i);
        struct http_response r;
        call_request(emu, handle, "POST", FAULTS, json, rule, &r);
        added += r.status == 201;
        http_response_free(&r);
    }
    curl_easy_cleanup(handle);
    CHECK_INT(added, 1000);
    struct http_response r;
    call_admin(emu, "POST", FAULTS, "{\"status\": 503}", &r);
    EXPECT_ADMIN_ERROR(&r, 409);
    json_t *root = http_response_json(&r);
    json_t *error = json_object_get(root, "error");
    CHECK_STR(json_string_value(json_object_get(error, "code")), "conflict");
    const char *message = json_string_value(json_object_get(error, "message"));
    CHECK_STR(message, "there are already 1000 fault rules, the most the emulator holds; delete "
                       "some first (DELETE /_emulator/faults or /_emulator/faults/{fault_id})");
    json_decref(root);
    http_response_free(&r);
    fault_refused(emu, "{\"status\": 99}");
    CHECK_INT(faults_count(emu), 1000);
    /* One removed: one more fits again. */
    root = faults_get(emu);
    const char *first = json_string_value(
        json_object_get(json_array_get(json_object_get(root, "faults"), 0), "id"));
    char path[128];
    snprintf(path, sizeof(path), FAULTS "/%s", first != NULL ? first : "none");
    json_decref(root);
    call_admin(emu, "DELETE", path, NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    fault_add_ok(emu, "{\"status\": 503, \"path\": \"/v3/bound-last/jobs\"}");
    CHECK_INT(faults_count(emu), 1000);
    faults_clear(emu);
}

/* Adds a probability 0.5 rule and records the faulted (F) and normal (N) answers of
 * SEEDED_REQUESTS requests in `out`. */
static void seeded_sequence(struct emu *emu, char out[SEEDED_REQUESTS + 1])
{
    memset(out, '?', SEEDED_REQUESTS);
    out[SEEDED_REQUESTS] = '\0';
    fault_add_ok(emu, "{\"path\": \"/v3/*/jobs\", \"status\": 503, \"probability\": 0.5}");
    for (int i = 0; i < SEEDED_REQUESTS; i++) {
        long status = status_of(emu, "GET", "/v3/fs/jobs?id=1", NULL);
        out[i] = status == 503 ? 'F' : status == 400 ? 'N' : '?'; /* 400: an unknown job */
    }
}

/* A fresh server with --seed-rng `seed` and a probability 0.5 rule: the faulted (F) and
 * normal (N) answers of SEEDED_REQUESTS requests, in `out`; then the same after a reset, in
 * `after_reset` (a reset rewinds the generator). */
static void seeded_run(const char *seed, char out[SEEDED_REQUESTS + 1],
                       char after_reset[SEEDED_REQUESTS + 1])
{
    memset(out, '?', SEEDED_REQUESTS);
    out[SEEDED_REQUESTS] = '\0';
    memcpy(after_reset, out, SEEDED_REQUESTS + 1);
    struct emu emu;
    const char *args[] = {"--seed-rng", seed, "--auth", "presence", NULL};
    if (emu_start(&emu, "ctl-faults-seed", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu --seed-rng");
        return;
    }
    int failures_before = check_failures;
    seeded_sequence(&emu, out);
    struct http_response r;
    CHECK_INT(call_admin(&emu, "POST", "/_emulator/reset", NULL, &r), 0);
    CHECK_INT(r.status, 204);
    http_response_free(&r);
    seeded_sequence(&emu, after_reset);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

static void seeded_probability(void)
{
    char first[SEEDED_REQUESTS + 1], second[SEEDED_REQUESTS + 1];
    char first_reset[SEEDED_REQUESTS + 1], second_reset[SEEDED_REQUESTS + 1];
    seeded_run("20261129", first, first_reset);
    seeded_run("20261129", second, second_reset);
    CHECK_STR(first, second);
    CHECK_STR(first_reset, first);
    CHECK_STR(second_reset, second);
    CHECK(strchr(first, 'F') != NULL && strchr(first, 'N') != NULL);
    CHECK(strchr(first, '?') == NULL);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth", "presence",
                          NULL};
    if (emu_start(&emu, "ctl-faults", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    rule_routes(&emu);
    field_method(&emu);
    field_path(&emu);
    field_project(&emu);
    field_instance(&emu);
    answer_shapes(&emu);
    delay_only(&emu);
    times_exhaustion(&emu);
    probability_bounds(&emu);
    check_order(&emu);
    bad_rules(&emu);
    rule_bound(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);

    seeded_probability();
    return CHECK_DONE();
}
