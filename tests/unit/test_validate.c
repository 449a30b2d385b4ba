/* Field rules of the create call on their boundaries (docs/api.md). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rdsemu/core/validate.h"

/* A string of `n` copies of `unit`. New. */
static char *repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

static void test_name(void)
{
    CHECK(!backup_name_is_valid("abc"));
    CHECK(backup_name_is_valid("abcd"));
    char *s64 = repeat("a", 64), *s65 = repeat("a", 65);
    CHECK(backup_name_is_valid(s64));
    CHECK(!backup_name_is_valid(s65));
    free(s64);
    free(s65);
    CHECK(backup_name_is_valid("A1-_z"));
    CHECK(!backup_name_is_valid("1abc"));
    CHECK(!backup_name_is_valid("_abc"));
    CHECK(!backup_name_is_valid("-abc"));
    CHECK(!backup_name_is_valid("ab cd"));
    CHECK(!backup_name_is_valid("abc.d"));
    CHECK(!backup_name_is_valid("abcé"));
    CHECK(!backup_name_is_valid("ébcd"));
    CHECK(!backup_name_is_valid(""));
}

static void test_description(void)
{
    char *zh256 = repeat("备", 256), *zh257 = repeat("备", 257);
    CHECK(description_problem(zh256) == NULL); /* 768 bytes, 256 code points */
    CHECK(description_problem(zh257) != NULL);
    free(zh256);
    free(zh257);
    CHECK(description_problem("") == NULL);
    CHECK(description_problem("My Backup, (daily) #1 ?%") == NULL);
    const char *forbidden = "!<>=&\"'";
    for (const char *c = forbidden; *c != '\0'; c++) {
        char s[8] = {'a', *c, 'b', '\0'};
        CHECK(description_problem(s) != NULL);
    }
}

static void test_ids(void)
{
    CHECK(project_id_is_valid("a"));
    CHECK(project_id_is_valid("0549c4d2e6c74b2a9e3b0f0c2f6a1d7e"));
    CHECK(project_id_is_valid("Ab_9-x"));
    CHECK(!project_id_is_valid(""));
    CHECK(!project_id_is_valid("a.b"));
    CHECK(!project_id_is_valid("a/b"));
    CHECK(!project_id_is_valid("a%2Fb"));
    char *p64 = repeat("p", 64), *p65 = repeat("p", 65);
    CHECK(project_id_is_valid(p64));
    CHECK(!project_id_is_valid(p65));
    CHECK(instance_id_is_valid(p64));
    CHECK(!instance_id_is_valid(p65));
    free(p64);
    free(p65);
    CHECK(instance_id_is_valid("c2aac04b4b44460aa75674fc0fd878b2no04"));
    CHECK(instance_id_is_valid("a.b-c_d"));
    CHECK(!instance_id_is_valid("a b"));
}

static void test_request(void)
{
    struct rule_error err;
    struct backup_request req = {.instance_id = "i1", .name = "test"};
    CHECK_INT(backup_request_validate(&req, &err), 0);

    req.instance_id = NULL;
    CHECK_INT(backup_request_validate(&req, &err), -1);
    CHECK_INT(err.err, ERR_BAD_REQUEST);
    CHECK(strstr(err.message, "instance") != NULL);

    req.instance_id = "";
    CHECK_INT(backup_request_validate(&req, &err), -1);
    char *i64 = repeat("i", 64), *i65 = repeat("i", 65);
    req.instance_id = i64;
    CHECK_INT(backup_request_validate(&req, &err), 0);
    req.instance_id = i65;
    CHECK_INT(backup_request_validate(&req, &err), -1);
    req.instance_id = "i1";

    req.name = NULL;
    CHECK_INT(backup_request_validate(&req, &err), -1);
    CHECK(strstr(err.message, "name") != NULL);
    req.name = "bad name";
    CHECK_INT(backup_request_validate(&req, &err), -1);
    req.name = "test";

    req.description = "a=b";
    CHECK_INT(backup_request_validate(&req, &err), -1);
    CHECK(strstr(err.message, "description") != NULL);
    req.description = NULL;

    const char *dbs[] = {"user01", "user02", "user01"};
    req.has_databases = true;
    req.databases = dbs;
    req.database_count = 0;
    CHECK_INT(backup_request_validate(&req, &err), -1); /* empty list */
    req.database_count = 2;
    CHECK_INT(backup_request_validate(&req, &err), 0);
    req.database_count = 3;
    CHECK_INT(backup_request_validate(&req, &err), -1); /* user01 twice */
    CHECK(strstr(err.message, "databases") != NULL);
    const char *empty[] = {""};
    req.databases = empty;
    req.database_count = 1;
    CHECK_INT(backup_request_validate(&req, &err), -1);
    free(i64);
    free(i65);
}

static void test_instance_rules(void)
{
    struct rule_error err;
    struct instance inst = {.id = "i1", .engine = "MySQL", .status = "ACTIVE"};
    struct backup_request req = {.instance_id = "i1", .name = "test"};
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), 0);

    inst.status = "BUILDING";
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), -1);
    CHECK_INT(err.err, ERR_INSTANCE_STATE);
    inst.status = "ACTIVE";
    inst.replica = true;
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), -1);
    CHECK_INT(err.err, ERR_INSTANCE_STATE);
    inst.replica = false;

    const char *dbs[] = {"user01"};
    req.has_databases = true;
    req.databases = dbs;
    req.database_count = 1;
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), -1); /* MySQL */
    CHECK_INT(err.err, ERR_BAD_REQUEST);
    inst.engine = "PostgreSQL";
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), -1); /* v1 */
    CHECK_INT(backup_request_check_instance(&req, &inst, true, &err), 0);   /* v3 */
    inst.engine = "SQLServer";
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), 0); /* none listed */
    inst.has_databases = true;
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), -1); /* not listed */
    name_list_add(&inst.databases, "user01");
    CHECK_INT(backup_request_check_instance(&req, &inst, false, &err), 0);
    name_list_free(&inst.databases);
}

static void test_utf8(void)
{
    CHECK_INT(utf8_code_points("abc"), 3);
    CHECK_INT(utf8_code_points("备份"), 2);
    CHECK_INT(utf8_code_points("😀"), 1);
    char bad[] = {'a', (char)0xFF, 'b', (char)0xE5, (char)0xA4, '\0'};
    utf8_sanitize(bad);
    CHECK_STR(bad, "a?b??");
    char good[] = "备份 ok";
    utf8_sanitize(good);
    CHECK_STR(good, "备份 ok");
}

static void test_engine(void)
{
    CHECK_STR(engine_canonical("mysql"), "MySQL");
    CHECK_STR(engine_canonical("POSTGRESQL"), "PostgreSQL");
    CHECK_STR(engine_canonical("SQLServer"), "SQLServer");
    CHECK(engine_canonical("Oracle") == NULL);
}

int main(void)
{
    test_name();
    test_description();
    test_ids();
    test_request();
    test_instance_rules();
    test_utf8();
    test_engine();
    return CHECK_DONE();
}
