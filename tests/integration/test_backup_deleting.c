/* The finer points of the calls already served (docs/api.md, docs/v3.md): a deleted backup
 * stays DELETING for its delete time (header > instance > --delete-seconds); the v3 list's
 * status filter; databases in the v3 create answer; DELETING in the metrics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expect.h"
#include "policy_kit.h"

#define P "del-project"

static void delete_v3(const struct emu *emu, const char *id, const char *header,
                      struct http_response *r)
{
    char path[160];
    snprintf(path, sizeof(path), "/v3/" P "/backups/%s", id);
    pk_call(emu, "DELETE", path, NULL, header, r);
}

/* The one backup of the v3 list of `instance` with this id (new), or NULL. */
static json_t *find(const struct emu *emu, const char *instance, const char *id)
{
    char query[160];
    snprintf(query, sizeof(query), "instance_id=%s&backup_id=%s", instance, id);
    json_t *list = pk_v3_list(emu, P, query, NULL);
    json_t *b = json_incref(json_array_get(list, 0));
    json_decref(list);
    return b;
}

static void deleting(const struct emu *emu)
{
    char *id = pk_v3_create(emu, P, "mine", "to-delete", 0);
    struct http_response r;
    /* The header's value is checked. */
    delete_v3(emu, id, "X-Emulator-Delete-Seconds: soon", &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    delete_v3(emu, id, "X-Emulator-Delete-Seconds: 60", &r);
    EXPECT_STATUS(&r, 200);
    CHECK_INT(r.body_len, 0);
    http_response_free(&r);
    /* Still listed, DELETING, with its size and end time, in both APIs. */
    json_t *b = find(emu, "mine", id);
    CHECK_STR(pk_str(b, "status"), "DELETING");
    CHECK_INT(pk_int(b, "size"), 2048);
    CHECK(json_is_string(json_object_get(b, "end_time")));
    json_decref(b);
    json_t *v1 = pk_get(emu, "/rds/v1/" P "/backups");
    json_t *first = json_array_get(json_object_get(v1, "backups"), 0);
    CHECK_STR(pk_str(first, "status"), "DELETING");
    CHECK(json_is_number(json_object_get(first, "size")));
    json_decref(v1);
    /* Its name stays taken; it blocks no create; a second delete is refused. */
    pk_call(emu, "POST", "/v3/" P "/backups",
            "{\"instance_id\": \"mine\", \"name\": \"to-delete\"}", NULL, &r);
    EXPECT_V3_ERROR(&r, 409, "DBS.201201");
    http_response_free(&r);
    char *other = pk_v3_create(emu, P, "mine", "meanwhile", 0);
    CHECK(other != NULL);
    delete_v3(emu, id, NULL, &r);
    EXPECT_V3_ERROR(&r, 400, "DBS.200001");
    http_response_free(&r);
    char path[160];
    snprintf(path, sizeof(path), "/rds/v1/" P "/backups/%s", id);
    pk_call(emu, "DELETE", path, NULL, NULL, &r);
    EXPECT_V1_ERROR(&r, 400, "RDS.3016");
    http_response_free(&r);
    /* The metrics count it. */
    pk_call(emu, "GET", "/_emulator/metrics", NULL, NULL, &r);
    CHECK(strstr(r.body, "rdsemu_backups{status=\"DELETING\"} 1") != NULL);
    http_response_free(&r);
    /* Gone once its delete time has passed. */
    CHECK_INT(pk_clock_advance(emu, 59), 0);
    b = find(emu, "mine", id);
    CHECK_STR(pk_str(b, "status"), "DELETING");
    json_decref(b);
    CHECK_INT(pk_clock_advance(emu, 1), 0);
    /* Gone from the v1 list and the metrics, read first. */
    v1 = pk_get(emu, "/rds/v1/" P "/backups");
    json_t *item;
    size_t i;
    json_array_foreach(json_object_get(v1, "backups"), i, item)
        CHECK(pk_str(item, "id") == NULL || strcmp(pk_str(item, "id"), id) != 0);
    json_decref(v1);
    pk_call(emu, "GET", "/_emulator/metrics", NULL, NULL, &r);
    CHECK(strstr(r.body, "rdsemu_backups{status=\"DELETING\"} 0") != NULL);
    http_response_free(&r);
    CHECK(find(emu, "mine", id) == NULL);
    delete_v3(emu, id, NULL, &r);
    EXPECT_V3_ERROR(&r, 404, "DBS.201010");
    http_response_free(&r);
    free(id);
    free(other);
}

/* Without a header: the instance's delete_seconds, else --delete-seconds (here 30). */
static void delete_time_sources(const struct emu *emu)
{
    CHECK_INT(pk_instance(emu, P, "slowdel", "MySQL", "\"delete_seconds\": 120"), 200);
    char *a = pk_v3_create(emu, P, "slowdel", "by-instance", 0);
    char *b = pk_v3_create(emu, P, "mine", "by-option", 0);
    char *c = pk_v3_create(emu, P, "slowdel", "by-header", 0);
    struct http_response r;
    delete_v3(emu, a, NULL, &r);
    http_response_free(&r);
    delete_v3(emu, b, NULL, &r);
    http_response_free(&r);
    delete_v3(emu, c, "X-Emulator-Delete-Seconds: 0", &r); /* at once */
    http_response_free(&r);
    CHECK(find(emu, "slowdel", c) == NULL);
    CHECK_INT(pk_clock_advance(emu, 30), 0);
    CHECK(find(emu, "mine", b) == NULL);
    json_t *still = find(emu, "slowdel", a);
    CHECK_STR(pk_str(still, "status"), "DELETING");
    json_decref(still);
    CHECK_INT(pk_clock_advance(emu, 90), 0);
    CHECK(find(emu, "slowdel", a) == NULL);
    free(a);
    free(b);
    free(c);
}

static void status_filter(const struct emu *emu)
{
    CHECK_INT(pk_instance(emu, P, "filt", "MySQL", NULL), 200);
    char *done = pk_v3_create(emu, P, "filt", "done-one", 0);
    char *failed = NULL;
    struct http_response r;
    pk_call(emu, "POST", "/v3/" P "/backups", "{\"instance_id\": \"filt\", \"name\": \"bad-one\"}",
            "X-Emulator-Backup-Outcome: fail", &r);
    json_t *root = http_response_json(&r);
    failed = strdup(pk_str(json_object_get(root, "backup"), "id"));
    json_decref(root);
    http_response_free(&r);
    /* Due but not yet written down: it counts as what it has become. */
    CHECK_INT(pk_clock_advance(emu, 3), 0);
    char *building = pk_v3_create(emu, P, "filt", "slow-one", 100);
    int64_t total = -1;
    json_t *list = pk_v3_list(emu, P, "instance_id=filt&status=COMPLETED", &total);
    CHECK_INT(total, 1);
    CHECK_STR(pk_str(json_array_get(list, 0), "id"), done);
    json_decref(list);
    list = pk_v3_list(emu, P, "instance_id=filt&status=FAILED", &total);
    CHECK_INT(total, 1);
    CHECK_STR(pk_str(json_array_get(list, 0), "id"), failed);
    json_decref(list);
    list = pk_v3_list(emu, P, "instance_id=filt&status=BUILDING", &total);
    CHECK_INT(total, 1);
    CHECK_STR(pk_str(json_array_get(list, 0), "id"), building);
    json_decref(list);
    CHECK_INT(pk_clock_advance(emu, 100), 0);
    list = pk_v3_list(emu, P, "instance_id=filt&status=BUILDING", &total);
    CHECK_INT(total, 0);
    json_decref(list);
    list = pk_v3_list(emu, P, "instance_id=filt&status=COMPLETED&backup_type=manual", &total);
    CHECK_INT(total, 2);
    json_decref(list);
    static const char *const refused[] = {"status=completed", "status=DELETING", "status=DONE",
                                          "status=BUILDING&status=FAILED"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        char path[200];
        snprintf(path, sizeof(path), "/v3/" P "/backups?instance_id=filt&%s", refused[i]);
        pk_call(emu, "GET", path, NULL, NULL, &r);
        if (!EXPECT_V3_ERROR(&r, 400, "DBS.200001"))
            fprintf(stderr, "    %s\n", path);
        http_response_free(&r);
    }
    free(done);
    free(failed);
    free(building);
}

static void create_answer_databases(const struct emu *emu)
{
    CHECK_INT(pk_instance(emu, P, "sql", "SQLServer", "\"databases\": [\"sales\", \"hr\"]"), 200);
    struct http_response r;
    pk_call(emu, "POST", "/v3/" P "/backups",
            "{\"instance_id\": \"sql\", \"name\": \"partial\", \"databases\": [{\"name\": "
            "\"hr\"}]}",
            NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *root = http_response_json(&r);
    json_t *backup = json_object_get(root, "backup");
    const char *last = NULL, *key;
    json_t *value;
    json_object_foreach(backup, key, value) last = key;
    char *text = json_dumps(json_object_get(backup, "databases"), JSON_COMPACT);
    CHECK_STR(text, "[{\"name\":\"hr\"}]");
    free(text);
    CHECK_STR(last, "databases"); /* after type, the last member */
    json_decref(root);
    http_response_free(&r);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--delete-seconds", "30", NULL};
    if (pk_start(&emu, "deleting", args) != 0) {
        emu_cleanup(&emu, true);
        return 1;
    }
    CHECK_INT(pk_instance(&emu, P, "mine", "MySQL", "\"backup_seconds\": 0"), 200);
    deleting(&emu);
    delete_time_sources(&emu);
    status_filter(&emu);
    create_answer_databases(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
