/* JSON rendering keeps the documented member order (docs/api.md). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rdsemu/core/ids.h"
#include "render.h"

static struct backup sample(void)
{
    struct backup b = {0};
    strcpy(b.id, "2f4ddb93-b901-4b08-93d8-1d2e472f30fe");
    strcpy(b.job_id, "ff80808157127d9301571bf8160c001d");
    b.project_id = "p";
    b.instance_id = "0bc7300c-dc63-45d4-aa3b-d85bf577baac";
    b.instance_name = "inst";
    b.name = "test01";
    b.description = "123";
    b.engine = "MySQL";
    b.version = "5.6.30";
    b.created = 1473643025; /* 2016-09-12T01:17:05Z */
    b.status = BACKUP_BUILDING;
    b.finished = -1;
    b.size_kb = -1;
    return b;
}

static void check_dump(json_t *value, const char *expected)
{
    char *text = json_dumps(value, JSON_COMPACT);
    CHECK_STR(text, expected);
    free(text);
    json_decref(value);
}

int main(void)
{
    struct backup b = sample();
    char version_id[UUID_TEXT_LEN + 1];
    ids_version_id("MySQL", "5.6.30", version_id);
    char expected[2048];
    snprintf(
        expected, sizeof(expected),
        "{\"backup\":{\"created\":\"2016-09-12T01:17:05\",\"dataStore\":{\"type\":\"MySQL\","
        "\"version\":\"5.6.30\",\"version_id\":\"%s\"},\"description\":\"123\",\"id\":"
        "\"2f4ddb93-b901-4b08-93d8-1d2e472f30fe\",\"instance_id\":"
        "\"0bc7300c-dc63-45d4-aa3b-d85bf577baac\",\"locationRef\":null,\"name\":\"test01\","
        "\"parent_id\":null,\"size\":null,\"status\":\"BUILDING\",\"updated\":null,"
        "\"backuptype\":\"1\"},\"extendparam\":{\"jobs\":[\"ff80808157127d9301571bf8160c001d\"]}}",
        version_id);
    size_t len = 0;
    char *text = render_v1_create(&b, &len);
    CHECK_STR(text, expected);
    CHECK_INT(len, strlen(expected));
    json_t *parsed = json_loads(text, 0, NULL); /* and it is JSON */
    CHECK(json_is_object(parsed));
    json_decref(parsed);
    free(text);

    /* Text that needs escaping stays JSON. */
    b.description = "quote \" back \\ tab \t nl \n ctl \x01 备份";
    text = render_v1_create(&b, &len);
    parsed = json_loads(text, 0, NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(parsed, "backup"), "description")),
              b.description);
    json_decref(parsed);
    free(text);

    /* Completed: updated is the completion time, size is GB (kB / 1048576), unrounded. */
    b.status = BACKUP_COMPLETED;
    b.finished = b.created + 3;
    b.size_kb = 2048;
    b.description = NULL;
    struct strbuf out = STRBUF_INIT;
    render_v1_backup(&out, &b);
    text = strbuf_take(&out, NULL);
    json_t *done = json_loads(text, 0, NULL);
    free(text);
    CHECK_STR(json_string_value(json_object_get(done, "updated")), "2016-09-12T01:17:08");
    CHECK(json_real_value(json_object_get(done, "size")) == 2048.0 / 1048576.0);
    CHECK(json_is_null(json_object_get(done, "description")));
    CHECK_STR(json_string_value(json_object_get(done, "status")), "COMPLETED");
    json_decref(done);

    /* A whole number of GB is still a real, as jansson writes one. */
    b.size_kb = 3 * 1048576LL;
    render_v1_backup(&out, &b);
    text = strbuf_take(&out, NULL);
    CHECK(strstr(text, "\"size\":3.0,") != NULL);
    free(text);

    /* v3 create: its own members, in order. */
    b.status = BACKUP_BUILDING;
    b.description = "d";
    text = render_v3_create(&b, NULL);
    CHECK_STR(text, "{\"backup\":{\"id\":\"2f4ddb93-b901-4b08-93d8-1d2e472f30fe\",\"instance_id\":"
                    "\"0bc7300c-dc63-45d4-aa3b-d85bf577baac\",\"name\":\"test01\",\"description\":"
                    "\"d\",\"begin_time\":\"2016-09-12T01:17:05+0000\",\"status\":\"BUILDING\","
                    "\"type\":\"manual\"}}");
    free(text);
    /* With databases: they follow type, as the list element gives them. */
    name_list_add(&b.databases, "sales");
    name_list_add(&b.databases, "hr");
    text = render_v3_create(&b, NULL);
    CHECK(text != NULL && strstr(text, "\"type\":\"manual\",\"databases\":[{\"name\":\"sales\"},"
                                       "{\"name\":\"hr\"}]}}") != NULL);
    free(text);
    name_list_free(&b.databases);
    /* An automated backup's list element says so. */
    b.type = BACKUP_AUTO;
    struct strbuf auto_out = STRBUF_INIT;
    render_v3_backup(&auto_out, &b);
    CHECK(auto_out.data != NULL && strstr(auto_out.data, "\"type\":\"auto\"") != NULL);
    strbuf_release(&auto_out);
    b.type = BACKUP_MANUAL;

    struct instance inst = {.project_id = "p",
                            .id = "i1",
                            .name = "n",
                            .engine = "SQLServer",
                            .version = "2017",
                            .status = "ACTIVE",
                            .backup_seconds = 5,
                            .size_kb = -1,
                            .delete_seconds = 30,
                            .restore_seconds = -1,
                            .policy_set = true,
                            .created = 1473643025};
    policy_default(&inst.policy);
    check_dump(render_instance(&inst),
               "{\"id\":\"i1\",\"project_id\":\"p\",\"name\":\"n\",\"datastore\":{\"type\":"
               "\"SQLServer\",\"version\":\"2017\"},\"status\":\"ACTIVE\",\"role\":\"primary\","
               "\"databases\":null,\"backup_seconds\":5,\"backup_outcome\":null,\"size_kb\":null,"
               "\"delete_seconds\":30,\"restore_seconds\":null,\"restore_outcome\":null,"
               "\"backup_policy\":{\"keep_days\":7,\"start_time\":"
               "\"00:00-01:00\",\"period\":\"1,2,3,4,5,6,7\"},\"backup_policy_set\":true,"
               "\"created\":\"2016-09-12T01:17:05+0000\"}");
    inst.policy.keep_days = 0;
    inst.delete_seconds = -1;
    json_t *off = render_instance(&inst);
    CHECK_STR(
        json_string_value(json_object_get(json_object_get(off, "backup_policy"), "start_time")),
        NULL);
    CHECK(json_is_null(json_object_get(off, "delete_seconds")));
    json_decref(off);
    return CHECK_DONE();
}
