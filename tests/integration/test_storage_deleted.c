/* The database files deleted, or replaced, while rdsemu runs (docs/configuration.md
 * "Storage"): what it would write then is lost at the next start, so it notices. Health answers
 * 503 in the control-plane shape saying why, every write (creates of both APIs through the
 * writer, the control plane, the policy, deletes) is a 500 in its API's shape, a read gets
 * what was stored or a 500, and the reason is logged once, not per request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"

#define PROJECT  "deleted-db"
#define INSTANCE "db-1"

static const char mysql[] = "{\"name\": \"orders\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}, \"backup_seconds\": 0}";

/* How many times `needle` is in the server's log. */
static int log_count(const struct emu *emu, const char *needle)
{
    char *log = harness_read_file(emu->log_path, NULL);
    int n = 0;
    for (const char *p = log; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    free(log);
    return n;
}

static void create_ok(const struct emu *emu, const char *name)
{
    char *body = call_v1_body(INSTANCE, name);
    struct http_response r;
    call_v1_create(emu, NULL, PROJECT, body, -1, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    free(body);
}

/* Health: 503 {"error": {"code": "unavailable", "message": <why, naming `word`>}}; HEAD too. */
static void health_unavailable(const struct emu *emu, const char *word)
{
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/health", NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 503);
    json_t *root = http_response_json(&r);
    json_t *error = json_object_get(root, "error");
    CHECK_STR(json_string_value(json_object_get(error, "code")), "unavailable");
    const char *message = json_string_value(json_object_get(error, "message"));
    if (message == NULL || strstr(message, word) == NULL || strstr(message, "restart") == NULL)
        fprintf(stderr, "the health message should say \"%s\" and \"restart\": %s\n", word, r.body);
    CHECK(message != NULL && strstr(message, word) != NULL && strstr(message, "restart") != NULL);
    json_decref(root);
    http_response_free(&r);
    call_admin(emu, "HEAD", "/_emulator/health", NULL, &r);
    CHECK_INT(r.status, 503);
    http_response_free(&r);
}

static void writes_refused(const struct emu *emu)
{
    struct http_response r;
    char *body = call_v1_body(INSTANCE, "afterDelete");
    call_v1_create(emu, NULL, PROJECT, body, -1, &r);
    EXPECT_V1_ERROR(&r, 500, "RDS.9999");
    http_response_free(&r);
    free(body);

    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL};
    call_request(emu, NULL, "POST", "/v3/" PROJECT "/backups", headers,
                 "{\"instance_id\": \"" INSTANCE "\", \"name\": \"afterDeleteV3\"}", &r);
    EXPECT_V3_ERROR(&r, 500, "DBS.108000");
    http_response_free(&r);

    call_request(emu, NULL, "PUT", "/rds/v1/" PROJECT "/instances/" INSTANCE "/backups/policy",
                 headers, "{\"policy\": {\"keepday\": 3, \"starttime\": \"01:00\"}}", &r);
    EXPECT_V1_ERROR(&r, 500, "RDS.9999");
    http_response_free(&r);

    call_admin(emu, "PUT", "/_emulator/projects/" PROJECT "/instances/db-2", mysql, &r);
    EXPECT_ADMIN_ERROR(&r, 500);
    http_response_free(&r);
    call_admin(emu, "DELETE", "/_emulator/projects/" PROJECT "/instances/" INSTANCE, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 500);
    http_response_free(&r);
    call_admin(emu, "DELETE", "/_emulator/projects/" PROJECT, NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 500);
    http_response_free(&r);
    call_admin(emu, "POST", "/_emulator/clock", "{\"advance_seconds\": 60}", &r);
    EXPECT_ADMIN_ERROR(&r, 500);
    http_response_free(&r);

    /* A read is answered from the file still open where the worker has a connection to it
     * (what was stored before), else with a 500: never anything else. */
    const char *token[] = {CALL_TOKEN_HEADER, NULL};
    for (int i = 0; i < 4; i++) {
        call_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", token, NULL, &r);
        if (r.status == 200) {
            json_t *root = http_response_json(&r);
            CHECK_INT(json_array_size(json_object_get(root, "backups")), 3);
            json_decref(root);
        } else {
            EXPECT_V1_ERROR(&r, 500, "RDS.9999");
        }
        http_response_free(&r);
    }
}

static bool start_with_backups(struct emu *emu, const char *label)
{
    if (emu_start(emu, label, NULL, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(emu, true);
        return false;
    }
    CHECK(call_put_instance(emu, PROJECT, INSTANCE, mysql) == 0);
    create_ok(emu, "before1");
    create_ok(emu, "before2");
    create_ok(emu, "before3");
    return true;
}

/* The three files deleted, as `rm rdsemu.db*` would. */
static void files_deleted(void)
{
    struct emu emu;
    if (!start_with_backups(&emu, "storage-deleted"))
        return;
    struct http_response r;
    call_admin(&emu, "GET", "/_emulator/health", NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[PATH_MAX + 8];
        snprintf(path, sizeof(path), "%s%s", emu.db_path, suffixes[i]);
        CHECK(unlink(path) == 0 || i > 0);
    }
    health_unavailable(&emu, "deleted");
    writes_refused(&emu);
    writes_refused(&emu);
    health_unavailable(&emu, "deleted");
    /* Said once in the log, however many requests met it. */
    CHECK_INT(log_count(&emu, "was deleted while rdsemu runs"), 1);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

/* Another file moved into its place. */
static void file_replaced(void)
{
    struct emu emu;
    if (!start_with_backups(&emu, "storage-replaced"))
        return;
    char other[PATH_MAX + 16];
    snprintf(other, sizeof(other), "%s/other.db", emu.dir);
    CHECK_INT(harness_write_file(other, "", 0), 0);
    CHECK_INT(rename(other, emu.db_path), 0);
    health_unavailable(&emu, "replaced");
    writes_refused(&emu);
    CHECK_INT(log_count(&emu, "was replaced by another file"), 1);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

int main(void)
{
    files_deleted();
    file_replaced();
    return CHECK_DONE();
}
