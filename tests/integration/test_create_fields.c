/* Every field rule of the v1 create body (docs/api.md) on its boundaries, over HTTP:
 * backup, instance, name, description, databases, unknown members and JSON null. Each
 * refusal must be 400 RDS.0001 in the v1 shape; each acceptance the exact 200. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "raw.h"

#define PROJECT "rules-project"

/* {"backup": {"instance": ..., "name": ..., "description"?: ...}} (new: free()). */
static char *backup_body(const char *instance, const char *name, const char *description)
{
    json_t *backup = json_pack("{s:s, s:s}", "instance", instance, "name", name);
    if (description != NULL)
        json_object_set_new(backup, "description", json_string(description));
    json_t *root = json_pack("{s:o}", "backup", backup);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

/* A name not used before on any instance of this program. */
static const char *fresh_name(void)
{
    static char name[32];
    static int counter;
    snprintf(name, sizeof(name), "fieldOk%04d", counter++);
    return name;
}

static void expect_name(const struct emu *emu, const char *name, bool valid)
{
    char *body = backup_body("mysql-1", name, NULL);
    if (valid)
        EXPECT_CREATE_OK(emu, PROJECT, body);
    else
        EXPECT_CREATE_ERROR(emu, PROJECT, body, 400, "RDS.0001");
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
    expect_name(emu, "zz--__", true);

    static const char *const bad_first[] = {"1abc", "-abc", "_abc", " abc", ".abc"};
    for (size_t i = 0; i < sizeof(bad_first) / sizeof(bad_first[0]); i++)
        expect_name(emu, bad_first[i], false);

    /* Every printable ASCII character outside letters, digits, '-' and '_', and some
     * control characters, in the middle of an otherwise good name. */
    static const char forbidden[] = " !\"#$%&'()*+,./:;<=>?@[\\]^`{|}~\t\x7f";
    for (const char *c = forbidden; *c != '\0'; c++) {
        snprintf(name, sizeof(name), "ab%ccd", *c);
        expect_name(emu, name, false);
    }
    expect_name(emu, "abcd ", false); /* trailing space */

    /* Letters, but not ASCII ones. */
    static const char *const not_ascii[] = {"b\xc3\xa4"
                                            "ckup",
                                            "\xc3\x84"
                                            "bcd",
                                            "\xe5\xa4\x87\xe4\xbb\xbd\xe5\xa4\x87\xe4\xbb\xbd",
                                            "abcd\xc3\xa9",
                                            "\xef\xbd\x81\xef\xbd\x82\xef\xbd\x83\xef\xbd\x84"};
    for (size_t i = 0; i < sizeof(not_ascii) / sizeof(not_ascii[0]); i++)
        expect_name(emu, not_ascii[i], false);

    expect_name(emu, "", false);
    static const char *const not_strings[] = {
        "{\"backup\": {\"instance\": \"mysql-1\"}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": null}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": 1234}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": [\"abcd\"]}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": {\"value\": \"abcd\"}}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": true}}",
    };
    for (size_t i = 0; i < sizeof(not_strings) / sizeof(not_strings[0]); i++)
        EXPECT_CREATE_ERROR(emu, PROJECT, not_strings[i], 400, "RDS.0001");
    free(pad);
}

/* Creates with `description` and checks it comes back as given. */
static void expect_description_kept(const struct emu *emu, const char *description)
{
    char *body = backup_body("mysql-1", fresh_name(), description);
    json_t *root = EXPECT_CREATE_JSON(emu, PROJECT, body);
    const char *got = created_member(root, "description");
    CHECK(got != NULL && strcmp(got, description) == 0);
    json_decref(root);
    free(body);
}

static void expect_description_refused(const struct emu *emu, const char *description)
{
    char *body = backup_body("mysql-1", fresh_name(), description);
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 400, "RDS.0001");
    free(body);
}

static void description_rules(const struct emu *emu)
{
    /* Counted in code points: 256 Chinese characters are 768 bytes, and allowed. */
    char *chinese256 = text_repeat("\xe5\xa4\x87", 256); /* 备 */
    char *chinese257 = text_repeat("\xe5\xa4\x87", 257);
    expect_description_kept(emu, chinese256);
    expect_description_refused(emu, chinese257);

    /* A 4-byte character is one code point too: 255 + 1 = 256. */
    char *chinese255 = text_repeat("\xe5\xa4\x87", 255);
    char mixed[1024];
    snprintf(mixed, sizeof(mixed), "%s\xf0\x9f\x98\x80", chinese255);
    expect_description_kept(emu, mixed);
    snprintf(mixed, sizeof(mixed), "%s\xf0\x9f\x98\x80\xf0\x9f\x98\x80", chinese255);
    expect_description_refused(emu, mixed);

    char *ascii256 = text_repeat("d", 256);
    char *ascii257 = text_repeat("d", 257);
    expect_description_kept(emu, ascii256);
    expect_description_refused(emu, ascii257);

    static const char forbidden[] = "!<>=&\"'";
    for (const char *c = forbidden; *c != '\0'; c++) {
        char text[32];
        snprintf(text, sizeof(text), "My %c Backup", *c);
        expect_description_refused(emu, text);
        snprintf(text, sizeof(text), "%c", *c);
        expect_description_refused(emu, text);
    }
    /* The same characters written as JSON escapes are the same characters. */
    static const char *const escaped[] = {"\\u0021", "\\u003c", "\\u003E", "\\u003d",
                                          "\\u0026", "\\u0022", "\\u0027"};
    for (size_t i = 0; i < sizeof(escaped) / sizeof(escaped[0]); i++) {
        char body[256];
        snprintf(body, sizeof(body),
                 "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"%s\", "
                 "\"description\": \"My %s Backup\"}}",
                 fresh_name(), escaped[i]);
        EXPECT_CREATE_ERROR(emu, PROJECT, body, 400, "RDS.0001");
    }
    expect_description_kept(emu, "");
    expect_description_kept(emu, "Backup #1 (daily): ok? yes; 50% [x] {y} ~ @ / \\ - _ . , *");
    expect_description_kept(emu, "\xe6\x89\x8b\xe5\x8a\xa8\xe5\xa4\x87\xe4\xbb\xbd test");

    static const char *const not_strings[] = {
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"descNum\", \"description\": 12}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"descBool\", \"description\": "
        "false}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"descObj\", \"description\": "
        "{}}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"descArr\", \"description\": "
        "[\"x\"]}}",
    };
    for (size_t i = 0; i < sizeof(not_strings) / sizeof(not_strings[0]); i++)
        EXPECT_CREATE_ERROR(emu, PROJECT, not_strings[i], 400, "RDS.0001");

    free(chinese255);
    free(chinese256);
    free(chinese257);
    free(ascii256);
    free(ascii257);
}

static void instance_rules(const struct emu *emu)
{
    static const char *const refused[] = {
        "{\"backup\": {\"name\": \"instMissing\"}}",
        "{\"backup\": {\"instance\": \"\", \"name\": \"instEmpty\"}}",
        "{\"backup\": {\"instance\": null, \"name\": \"instNull\"}}",
        "{\"backup\": {\"instance\": 42, \"name\": \"instNumber\"}}",
        "{\"backup\": {\"instance\": [\"mysql-1\"], \"name\": \"instArray\"}}",
        "{\"backup\": {\"instance\": {\"id\": \"mysql-1\"}, \"name\": \"instObject\"}}",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        EXPECT_CREATE_ERROR(emu, PROJECT, refused[i], 400, "RDS.0001");

    /* 65 characters break the field rule (400); 64 pass it and are simply not found. */
    char *id65 = text_repeat("i", 65);
    char *body = backup_body(id65, "instLong", NULL);
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 400, "RDS.0001");
    free(body);
    body = backup_body(id65 + 1, "instLong", NULL);
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 404, "RDS.0002");
    free(body);
    free(id65);
    /* Characters, not bytes: 64 Chinese characters (192 bytes) pass the rule, 65 do not. */
    char *chinese64 = text_repeat("\xe5\xae\x9e", 64); /* 实 */
    char *chinese65 = text_repeat("\xe5\xae\x9e", 65);
    body = backup_body(chinese64, "instChinese", NULL);
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 404, "RDS.0002");
    free(body);
    body = backup_body(chinese65, "instChinese", NULL);
    EXPECT_CREATE_ERROR(emu, PROJECT, body, 400, "RDS.0001");
    free(body);
    free(chinese64);
    free(chinese65);
}

static void backup_member_rules(const struct emu *emu)
{
    static const char *const refused[] = {
        "{}",
        "{\"backup\": null}",
        "{\"backup\": \"mysql-1\"}",
        "{\"backup\": 1}",
        "{\"backup\": true}",
        "{\"backup\": []}",
        "{\"backup\": [{\"instance\": \"mysql-1\", \"name\": \"inArray\"}]}",
        "{\"Backup\": {\"instance\": \"mysql-1\", \"name\": \"wrongCase\"}}",
        "{\"instance\": \"mysql-1\", \"name\": \"notWrapped\"}",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        EXPECT_CREATE_ERROR(emu, PROJECT, refused[i], 400, "RDS.0001");
}

static void expect_databases(const struct emu *emu, const char *instance,
                             const char *databases_json, bool valid)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"backup\": {\"instance\": \"%s\", \"name\": \"%s\", \"databases\": %s}}", instance,
             fresh_name(), databases_json);
    if (valid)
        EXPECT_CREATE_OK(emu, PROJECT, body);
    else
        EXPECT_CREATE_ERROR(emu, PROJECT, body, 400, "RDS.0001");
}

static void databases_rules(const struct emu *emu)
{
    expect_databases(emu, "mssql-1", "[{\"name\": \"user01\"}]", true);
    expect_databases(emu, "mssql-1", "[{\"name\": \"user01\"}, {\"name\": \"user03\"}]", true);
    expect_databases(emu, "mssql-1", "[{\"name\": \"user02\", \"unknown\": 1}]", true);
    /* An instance that does not list its databases accepts any name. */
    expect_databases(emu, "mssql-open", "[{\"name\": \"anything\"}]", true);
    /* null is absent, so it is fine on every engine. */
    expect_databases(emu, "mysql-1", "null", true);
    expect_databases(emu, "pg-1", "null", true);
    expect_databases(emu, "mssql-1", "null", true);

    /* Only SQL Server takes databases in v1. */
    expect_databases(emu, "mysql-1", "[{\"name\": \"user01\"}]", false);
    expect_databases(emu, "pg-1", "[{\"name\": \"user01\"}]", false);

    static const char *const refused[] = {
        "[]",
        "[{\"name\": \"user01\"}, {\"name\": \"user01\"}]",
        "[{\"name\": \"user01\"}, {\"name\": \"user02\"}, {\"name\": \"user01\"}]",
        "[{}]",
        "[{\"nom\": \"user01\"}]",
        "[{\"name\": \"\"}]",
        "[{\"name\": null}]",
        "[{\"name\": 5}]",
        "[\"user01\"]",
        "[null]",
        "[{\"name\": \"user09\"}]",
        "[{\"name\": \"user01\"}, {\"name\": \"user09\"}]",
        "{\"name\": \"user01\"}",
        "\"user01\"",
        "1",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        expect_databases(emu, "mssql-1", refused[i], false);
}

static void unknown_members_ignored(const struct emu *emu)
{
    static const char *const accepted[] = {
        /* What the OpenStack Trove client sends. */
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"trove-like\", \"description\": "
        "null, \"incremental\": 0}}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"topExtra\"}, \"extra\": [1, "
        "{\"a\": null}], \"backup_id\": \"x\"}",
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"innerExtra\", \"type\": "
        "\"auto\", \"instance_id\": \"pg-1\", \"parent_id\": 7}}",
    };
    for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
        EXPECT_CREATE_OK(emu, PROJECT, accepted[i]);

    /* The ignored "instance_id" did not replace "instance". */
    json_t *root = EXPECT_CREATE_JSON(emu, PROJECT,
                                      "{\"backup\": {\"instance\": \"mysql-2\", \"name\": "
                                      "\"ignoredId\", \"instance_id\": \"pg-1\"}}");
    CHECK_STR(created_member(root, "instance_id"), "mysql-2");
    json_decref(root);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", NULL};
    if (emu_start(&emu, "create-fields", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    name_rules(&emu);
    description_rules(&emu);
    instance_rules(&emu);
    backup_member_rules(&emu);
    databases_rules(&emu);
    unknown_members_ignored(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
