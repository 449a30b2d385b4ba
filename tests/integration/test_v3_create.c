/* The v3 create, POST /v3/{project_id}/backups (docs/v3.md with the field rules of §2 and
 * the catalogue of §1): the exact 200 (not 201 or 202), begin_time from the emulator clock,
 * every field rule → 400 DBS.200001, databases for SQL Server and PostgreSQL only, the
 * instance rules (404 DBS.200045, 400 DBS.200086), one backup BUILDING (409 DBS.201205), a
 * name taken (409 DBS.201201), and the order of those checks. */
#include <stdlib.h>
#include <string.h>

#include "raw.h"
#include "v3.h"

#define PROJECT "rules-project"
#define OTHER   "other-project"

/* {"instance_id", "name", "description"?} (new: free()). */
static char *body_with(const char *instance, const char *name, const char *description)
{
    json_t *root = json_pack("{s:s, s:s}", "instance_id", instance, "name", name);
    if (description != NULL)
        json_object_set_new(root, "description", json_string(description));
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

/* A name not used before by this program. */
static const char *fresh_name(void)
{
    static char name[32];
    static int counter;
    snprintf(name, sizeof(name), "vThree%04d", counter++);
    return name;
}

static bool create_ok(const struct emu *emu, const char *project, const char *body)
{
    json_t *root = V3_CREATE_JSON(emu, project, body, 0);
    json_decref(root);
    return root != NULL;
}

static void exact_answer(const struct emu *emu)
{
    /* 200, the seven members in order, begin_time the emulator's now. */
    int64_t before = EMU_CLOCK_GET(emu, NULL);
    char *body = body_with("mysql-1", "exactAnswer", "nightly run");
    json_t *root = V3_CREATE_JSON(emu, PROJECT, body, 0);
    int64_t after = EMU_CLOCK_GET(emu, NULL);
    json_t *b = json_object_get(root, "backup");
    CHECK_STR(member_string(b, "instance_id"), "mysql-1");
    CHECK_STR(member_string(b, "name"), "exactAnswer");
    CHECK_STR(member_string(b, "description"), "nightly run");
    int64_t begin = time_parse(member_string(b, "begin_time"), TIME_V3);
    CHECK(begin >= before && begin <= after);
    json_decref(root);
    free(body);

    /* The clock set far from the host's: begin_time follows the emulator clock. */
    ADMIN_CALL(emu, "POST", "/_emulator/clock", "{\"now\": \"2031-02-03T04:05:06+0000\"}", 200);
    body = v3_body("mysql-1", "fromTheClock");
    root = V3_CREATE_JSON(emu, PROJECT, body, 0);
    begin = time_parse(created_member(root, "begin_time"), TIME_V3);
    int64_t set = time_parse("2031-02-03T04:05:06+0000", TIME_V3);
    CHECK(begin >= set && begin < set + 60);
    json_decref(root);
    free(body);

    /* No description: null; JSON null: absent, so null; "" stays "". */
    body = v3_body("mysql-1", "noDescription");
    root = V3_CREATE_JSON(emu, PROJECT, body, 0);
    CHECK(json_is_null(json_object_get(json_object_get(root, "backup"), "description")));
    json_decref(root);
    free(body);
    root = V3_CREATE_JSON(
        emu, PROJECT,
        "{\"instance_id\": \"mysql-1\", \"name\": \"nullDescription\", \"description\": null}", 0);
    CHECK(json_is_null(json_object_get(json_object_get(root, "backup"), "description")));
    json_decref(root);
    body = body_with("mysql-1", "emptyDescription", "");
    root = V3_CREATE_JSON(emu, PROJECT, body, 0);
    CHECK_STR(member_string(json_object_get(root, "backup"), "description"), "");
    json_decref(root);
    free(body);

    /* Two creates: two different ids. */
    char *one = V3_CREATE_ID(emu, PROJECT, "pg-1", "idOne", 0);
    char *two = V3_CREATE_ID(emu, PROJECT, "pg-1", "idTwo", 0);
    CHECK(one != NULL && two != NULL && strcmp(one, two) != 0);
    free(one);
    free(two);

    /* BUILDING in the answer even with a long build time, and in the list right after. */
    char *id = V3_CREATE_ID(emu, PROJECT, "mysql-2", "longBuild", 3600);
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=mysql-2");
    CHECK_STR(member_string(list_find(list, id), "status"), "BUILDING");
    json_decref(list);
    free(id);
    EMU_CLOCK_ADVANCE(emu, 3600);
}

static void expect_name(const struct emu *emu, const char *name, bool valid)
{
    char *body = v3_body("mysql-1", name);
    if (valid)
        create_ok(emu, PROJECT, body);
    else
        V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200001");
    free(body);
}

static void name_rules(const struct emu *emu)
{
    char *pad = text_repeat("x", 64);
    char name[80];
    expect_name(emu, "abc", false); /* 3 characters */
    expect_name(emu, "abcd", true); /* 4 */
    snprintf(name, sizeof(name), "L%.63s", pad);
    expect_name(emu, name, true); /* 64 */
    snprintf(name, sizeof(name), "M%.64s", pad);
    expect_name(emu, name, false); /* 65 */
    expect_name(emu, "Ab1-_Z9", true);
    static const char *const bad[] = {"1abc",
                                      "-abc",
                                      "_abc",
                                      " abc",
                                      "ab cd",
                                      "ab.cd",
                                      "ab!cd",
                                      "ab/cd",
                                      "abcd ",
                                      ("b\xc3\xa4"
                                       "ckup"),
                                      ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_name(emu, bad[i], false);
    static const char *const not_strings[] = {
        "{\"instance_id\": \"mysql-1\"}",
        "{\"instance_id\": \"mysql-1\", \"name\": null}",
        "{\"instance_id\": \"mysql-1\", \"name\": 1234}",
        "{\"instance_id\": \"mysql-1\", \"name\": [\"abcd\"]}",
        "{\"instance_id\": \"mysql-1\", \"name\": true}",
    };
    for (size_t i = 0; i < sizeof(not_strings) / sizeof(not_strings[0]); i++)
        V3_CREATE_ERROR(emu, PROJECT, not_strings[i], 400, "DBS.200001");
    free(pad);
}

static void expect_description(const struct emu *emu, const char *description, bool valid)
{
    char *body = body_with("mysql-1", fresh_name(), description);
    if (valid) {
        json_t *root = V3_CREATE_JSON(emu, PROJECT, body, 0);
        CHECK_STR(member_string(json_object_get(root, "backup"), "description"), description);
        json_decref(root);
    } else {
        V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200001");
    }
    free(body);
}

static void description_rules(const struct emu *emu)
{
    char *chinese256 = text_repeat("\xe5\xa4\x87", 256); /* 768 bytes, 256 code points */
    char *chinese257 = text_repeat("\xe5\xa4\x87", 257);
    char *ascii256 = text_repeat("d", 256);
    char *ascii257 = text_repeat("d", 257);
    expect_description(emu, chinese256, true);
    expect_description(emu, chinese257, false);
    expect_description(emu, ascii256, true);
    expect_description(emu, ascii257, false);
    static const char forbidden[] = "!<>=&\"'";
    for (const char *c = forbidden; *c != '\0'; c++) {
        char text[32];
        snprintf(text, sizeof(text), "My %c Backup", *c);
        expect_description(emu, text, false);
    }
    expect_description(emu, "Backup #1 (daily): ok? 50% [x] {y} ~ @ / - _ . , *", true);
    static const char *const not_strings[] = {
        "{\"instance_id\": \"mysql-1\", \"name\": \"descNum\", \"description\": 12}",
        "{\"instance_id\": \"mysql-1\", \"name\": \"descObj\", \"description\": {}}",
        "{\"instance_id\": \"mysql-1\", \"name\": \"descArr\", \"description\": [\"x\"]}",
    };
    for (size_t i = 0; i < sizeof(not_strings) / sizeof(not_strings[0]); i++)
        V3_CREATE_ERROR(emu, PROJECT, not_strings[i], 400, "DBS.200001");
    free(chinese256);
    free(chinese257);
    free(ascii256);
    free(ascii257);
}

static void instance_id_rules(const struct emu *emu)
{
    static const char *const refused[] = {
        "{\"name\": \"instMissing\"}",
        "{\"instance_id\": \"\", \"name\": \"instEmpty\"}",
        "{\"instance_id\": null, \"name\": \"instNull\"}",
        "{\"instance_id\": 42, \"name\": \"instNumber\"}",
        "{\"instance_id\": [\"mysql-1\"], \"name\": \"instArray\"}",
        "{\"instance_id\": {\"id\": \"mysql-1\"}, \"name\": \"instObject\"}",
        /* v1's member name and v1's wrapper are not the v3 body. */
        "{\"instance\": \"mysql-1\", \"name\": \"v1Member\"}",
        "{\"backup\": {\"instance_id\": \"mysql-1\", \"name\": \"v1Wrapper\"}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"v1Body\"}}",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        V3_CREATE_ERROR(emu, PROJECT, refused[i], 400, "DBS.200001");

    /* 65 characters break the field rule; 64 pass it and are simply not found. */
    char *id65 = text_repeat("i", 65);
    char *body = v3_body(id65, "instLong");
    V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200001");
    free(body);
    body = v3_body(id65 + 1, "instLong");
    V3_CREATE_ERROR(emu, PROJECT, body, 404, "DBS.200045");
    free(body);
    free(id65);
}

static void expect_databases(const struct emu *emu, const char *instance, const char *json,
                             bool valid)
{
    char body[1024];
    snprintf(body, sizeof(body), "{\"instance_id\": \"%s\", \"name\": \"%s\", \"databases\": %s}",
             instance, fresh_name(), json);
    if (valid)
        create_ok(emu, PROJECT, body);
    else
        V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200001");
}

static void databases_rules(const struct emu *emu)
{
    /* SQL Server (listing its databases, or not) and PostgreSQL take them; MySQL does not. */
    expect_databases(emu, "mssql-1", "[{\"name\": \"user01\"}]", true);
    expect_databases(emu, "mssql-1", "[{\"name\": \"user01\"}, {\"name\": \"user03\"}]", true);
    expect_databases(emu, "mssql-open", "[{\"name\": \"anything\"}]", true);
    expect_databases(emu, "pg-1", "[{\"name\": \"app\"}]", true);
    expect_databases(emu, "pg-1", "[{\"name\": \"app\"}, {\"name\": \"audit\"}]", true);
    expect_databases(emu, "mysql-1", "[{\"name\": \"user01\"}]", false);
    /* null is absent, fine everywhere. */
    expect_databases(emu, "mysql-1", "null", true);
    expect_databases(emu, "pg-1", "null", true);

    /* A PostgreSQL instance that lists its databases takes only those. */
    CHECK(call_put_instance(emu, PROJECT, "pg-listed",
                            "{\"name\": \"pgl\", \"datastore\": {\"type\": \"PostgreSQL\", "
                            "\"version\": \"14\"}, \"databases\": [\"app\", \"audit\"]}") == 0);
    expect_databases(emu, "pg-listed", "[{\"name\": \"audit\"}]", true);
    expect_databases(emu, "pg-listed", "[{\"name\": \"other\"}]", false);

    static const char *const refused[] = {
        "[]",
        "[{\"name\": \"user01\"}, {\"name\": \"user01\"}]",
        "[{}]",
        "[{\"name\": \"\"}]",
        "[{\"name\": null}]",
        "[{\"name\": 5}]",
        "[\"user01\"]",
        "[{\"name\": \"user09\"}]",
        "{\"name\": \"user01\"}",
        "\"user01\"",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        expect_databases(emu, "mssql-1", refused[i], false);
        if (strcmp(refused[i], "[{\"name\": \"user09\"}]") != 0)
            expect_databases(emu, "pg-1", refused[i], false);
    }
}

static void unknown_members_ignored(const struct emu *emu)
{
    json_t *root = V3_CREATE_JSON(emu, PROJECT,
                                  "{\"instance_id\": \"mysql-2\", \"name\": \"extras\", "
                                  "\"incremental\": 0, \"instance\": \"pg-1\", \"type\": "
                                  "\"auto\", \"backup\": {\"name\": \"x\"}, \"x\": [1, null]}",
                                  0);
    CHECK_STR(member_string(json_object_get(root, "backup"), "instance_id"), "mysql-2");
    CHECK_STR(member_string(json_object_get(root, "backup"), "type"), "manual");
    json_decref(root);
}

static void instance_rules(const struct emu *emu)
{
    char *body = v3_body("no-such-instance", "lookup");
    V3_CREATE_ERROR(emu, PROJECT, body, 404, "DBS.200045");
    free(body);
    /* other-mysql exists, but in another project. */
    body = v3_body("other-mysql", "lookup");
    V3_CREATE_ERROR(emu, PROJECT, body, 404, "DBS.200045");
    create_ok(emu, OTHER, body);
    free(body);
    body = v3_body("mysql-1", "lookup");
    V3_CREATE_ERROR(emu, "empty-project", body, 404, "DBS.200045");
    free(body);

    /* Deleted through the control plane: gone for the create. */
    CHECK(call_put_instance(emu, PROJECT, "short-lived",
                            "{\"name\": \"s\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    body = v3_body("short-lived", "beforeDelete");
    create_ok(emu, PROJECT, body);
    free(body);
    ADMIN_CALL(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/short-lived", NULL, 204);
    body = v3_body("short-lived", "afterDelete");
    V3_CREATE_ERROR(emu, PROJECT, body, 404, "DBS.200045");
    free(body);

    /* A replica or an instance that is not ACTIVE: 400 DBS.200086 in v3 (v1 says 409). */
    static const char *const unfit[] = {"replica-1", "rebooting-1"};
    for (size_t i = 0; i < sizeof(unfit) / sizeof(unfit[0]); i++) {
        body = v3_body(unfit[i], "unfitInstance");
        V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200086");
        free(body);
    }
    static const char *const statuses[] = {"FAILED", "BACKING UP", "STOPPED"};
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        char put[256];
        snprintf(put, sizeof(put),
                 "{\"name\": \"st\", \"datastore\": {\"type\": \"PostgreSQL\", \"version\": "
                 "\"14\"}, \"status\": \"%s\"}",
                 statuses[i]);
        CHECK(call_put_instance(emu, PROJECT, "state-1", put) == 0);
        body = v3_body("state-1", "notActive");
        V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200086");
        free(body);
    }
    CHECK(call_put_instance(emu, PROJECT, "state-1",
                            "{\"name\": \"st\", \"datastore\": {\"type\": \"PostgreSQL\", "
                            "\"version\": \"14\"}, \"status\": \"ACTIVE\", \"role\": "
                            "\"primary\"}") == 0);
    body = v3_body("state-1", "nowActive");
    create_ok(emu, PROJECT, body);
    free(body);
    CHECK(call_put_instance(emu, PROJECT, "state-1",
                            "{\"name\": \"st\", \"datastore\": {\"type\": \"PostgreSQL\", "
                            "\"version\": \"14\"}, \"role\": \"replica\"}") == 0);
    body = v3_body("state-1", "nowReplica");
    V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200086");
    free(body);
}

static void one_backup_building(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "busy-1",
                            "{\"name\": \"b\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    EMU_CLOCK_FREEZE(emu, true); /* 599 s must not become 600 by a real second */
    char *id = V3_CREATE_ID(emu, PROJECT, "busy-1", "longOne", 600);
    char *body = v3_body("busy-1", "secondOne");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    /* Only its own instance is blocked. */
    char *other = v3_body("mysql-2", "meanwhile");
    create_ok(emu, PROJECT, other);
    free(other);
    /* 599 s later it still runs; at 600 s it is finished and the instance is free. */
    EMU_CLOCK_ADVANCE(emu, 599);
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    EMU_CLOCK_ADVANCE(emu, 1);
    create_ok(emu, PROJECT, body);
    EMU_CLOCK_FREEZE(emu, false);
    free(body);
    free(id);

    /* Forced to the end through the control plane: free again. */
    id = V3_CREATE_ID(emu, PROJECT, "busy-1", "forcedOne", 3600);
    body = v3_body("busy-1", "afterForced");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    EMU_BACKUP_FORCE(emu, id, "complete");
    create_ok(emu, PROJECT, body);
    free(body);
    free(id);

    /* A backup that failed does not block; the instance's backup_seconds counts when no
     * header is given. */
    id = V3_CREATE_ID(emu, PROJECT, "busy-1", "toFail", 3600);
    EMU_BACKUP_FORCE(emu, id, "fail");
    free(id);
    body = v3_body("slow-1", "instanceTime");
    json_t *root = create_json_at(__FILE__, __LINE__, emu, CALL_V3, PROJECT, body, -1, NULL);
    json_decref(root);
    free(body);
    body = v3_body("slow-1", "instanceTime2");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    free(body);
}

static void names_unique_per_instance(const struct emu *emu)
{
    char *body = v3_body("mysql-1", "nightly");
    create_ok(emu, PROJECT, body);
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201201");
    create_ok(emu, OTHER, body); /* same instance id, another project */
    free(body);
    body = v3_body("pg-1", "nightly"); /* another instance */
    create_ok(emu, PROJECT, body);
    free(body);
    body = v3_body("mysql-1", "Nightly"); /* case-sensitive */
    create_ok(emu, PROJECT, body);
    free(body);

    /* A FAILED backup keeps its name. */
    body = v3_body("mssql-open", "willFail");
    json_t *root = create_json_at(__FILE__, __LINE__, emu, CALL_V3, PROJECT, body, 0, "fail");
    json_decref(root);
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201201");
    free(body);

    /* Deleted through v3: the name is free again. */
    char *id = V3_CREATE_ID(emu, PROJECT, "mysql-2", "reusable", 0);
    body = v3_body("mysql-2", "reusable");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201201");
    struct http_response r;
    v3_delete(emu, PROJECT, id, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    create_ok(emu, PROJECT, body);
    free(body);
    free(id);
}

static void override_headers(const struct emu *emu)
{
    static const char *const bad_seconds[] = {"abc", "-1", "1.5", ""};
    char *body = v3_body("mysql-1", "badHeader");
    for (size_t i = 0; i < sizeof(bad_seconds) / sizeof(bad_seconds[0]); i++) {
        char header[64];
        snprintf(header, sizeof(header), "X-Emulator-Backup-Seconds: %s", bad_seconds[i]);
        const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER,
                                 bad_seconds[i][0] != '\0' ? header : "X-Emulator-Backup-Seconds;",
                                 NULL};
        struct http_response r;
        call_request(emu, NULL, "POST", "/v3/" PROJECT "/backups", headers, body, &r);
        EXPECT_V3_ERROR(&r, 400, "DBS.200001");
        http_response_free(&r);
    }
    struct http_response r;
    v3_create(emu, PROJECT, body, 0, "maybe", &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    free(body);
}

/* docs/api.md: fields → instance lookup → state → engine rules → running → duplicate name. */
static void order_of_checks(const struct emu *emu)
{
    /* A field rule before the lookup and before the state. */
    char *body = v3_body("no-such-instance", "1bad");
    V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200001");
    free(body);
    body = v3_body("replica-1", "1bad");
    V3_CREATE_ERROR(emu, PROJECT, body, 400, "DBS.200001");
    free(body);
    /* The state before the engine rule: a MySQL replica asked for databases. */
    V3_CREATE_ERROR(emu, PROJECT,
                    "{\"instance_id\": \"replica-1\", \"name\": \"withDbs\", \"databases\": "
                    "[{\"name\": \"db\"}]}",
                    400, "DBS.200086");
    /* The engine rule before "already running", which is before the duplicate name. */
    CHECK(call_put_instance(emu, PROJECT, "order-1",
                            "{\"name\": \"o\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    free(V3_CREATE_ID(emu, PROJECT, "order-1", "first", 0));
    free(V3_CREATE_ID(emu, PROJECT, "order-1", "running", 3600));
    V3_CREATE_ERROR(emu, PROJECT,
                    "{\"instance_id\": \"order-1\", \"name\": \"withDbs\", \"databases\": "
                    "[{\"name\": \"db\"}]}",
                    400, "DBS.200001");
    body = v3_body("order-1", "first");
    V3_CREATE_ERROR(emu, PROJECT, body, 409, "DBS.201205");
    free(body);
}

int main(void)
{
    struct emu emu;
    if (v3_start(&emu, "v3-create", NULL) != 0)
        return 1;
    exact_answer(&emu);
    name_rules(&emu);
    description_rules(&emu);
    instance_id_rules(&emu);
    databases_rules(&emu);
    unknown_members_ignored(&emu);
    instance_rules(&emu);
    one_backup_building(&emu);
    names_unique_per_instance(&emu);
    override_headers(&emu);
    order_of_checks(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
