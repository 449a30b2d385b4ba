/* Storage and concurrency (docs/api.md "committed before the response", §5.2 "state survives a
 * restart", §6 process): backups survive a restart on the same database; 16 clients racing
 * on one instance get exactly one 200; `--db :memory:` works and keeps nothing; SIGTERM and
 * SIGINT end the server with status 0. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define PROJECT "persist-project"
#define RACERS  16

static const char mysql_instance[] = "{\"name\": \"p\", \"datastore\": {\"type\": \"MySQL\", "
                                     "\"version\": \"8.0\"}}";

/* Creates `name` on `instance` with the build time; copies id and version_id when asked. */
static void create_ok(const struct emu *emu, const char *instance, const char *name, long seconds,
                      char id[64], char version_id[64])
{
    char *body = call_v1_body(instance, name);
    struct http_response r;
    call_v1_create(emu, NULL, PROJECT, body, seconds, &r);
    json_t *root = EXPECT_V1_CREATED(&r);
    json_t *backup = json_object_get(root, "backup");
    if (id != NULL)
        snprintf(id, 64, "%s", root ? json_string_value(json_object_get(backup, "id")) : "-");
    if (version_id != NULL)
        snprintf(version_id, 64, "%s",
                 root ? json_string_value(
                            json_object_get(json_object_get(backup, "dataStore"), "version_id"))
                      : "-");
    json_decref(root);
    http_response_free(&r);
    free(body);
}

/* The status of backup `id` in GET /rds/v1/PROJECT/backups, or "(missing)". */
static const char *listed_status(const struct emu *emu, const char *id, char out[32])
{
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    struct http_response r;
    call_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", headers, NULL, &r);
    json_t *root = http_response_json(&r);
    snprintf(out, 32, "(missing)");
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(root, "backups"), i, item)
    {
        const char *got = json_string_value(json_object_get(item, "id"));
        if (got != NULL && strcmp(got, id) == 0)
            snprintf(out, 32, "%s", json_string_value(json_object_get(item, "status")));
    }
    json_decref(root);
    http_response_free(&r);
    return out;
}

static void restart_keeps_backups(void)
{
    int failures_before = check_failures;
    struct emu emu;
    const char *args[] = {"--backup-seconds", "0", "--sync", "full", NULL};
    if (emu_start(&emu, "persistence", args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, false);
        return;
    }
    CHECK(call_put_instance(&emu, PROJECT, "busy-db", mysql_instance) == 0);
    CHECK(call_put_instance(&emu, PROJECT, "done-db", mysql_instance) == 0);
    char building_id[64], done_id[64], version_before[64], version_after[64], status[32];
    create_ok(&emu, "busy-db", "longRunning", 3600, building_id, NULL);
    create_ok(&emu, "done-db", "finished", 0, done_id, version_before);

    CHECK_INT(emu_stop(&emu), 0);
    CHECK(emu_restart(&emu) == 0);

    char *body = call_v1_body("busy-db", "another");
    EXPECT_CREATE_ERROR(&emu, PROJECT, body, 409, "RDS.3004"); /* still BUILDING */
    free(body);
    body = call_v1_body("done-db", "finished");
    EXPECT_CREATE_ERROR(&emu, PROJECT, body, 409, "RDS.0031"); /* the name is still taken */
    free(body);
    CHECK_STR(listed_status(&emu, building_id, status), "BUILDING");
    CHECK_STR(listed_status(&emu, done_id, status), "COMPLETED");
    create_ok(&emu, "done-db", "afterRestart", 0, NULL, version_after);
    CHECK_STR(version_after, version_before); /* derived, not remembered */

    /* A restart, then the emulator clock past the build time: the backup is finished. */
    CHECK_INT(emu_stop_with(&emu, SIGINT), 0);
    CHECK(emu_restart(&emu) == 0);
    struct http_response r;
    call_admin(&emu, "POST", "/_emulator/clock", "{\"advance_seconds\": 3600}", &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    CHECK_STR(listed_status(&emu, building_id, status), "COMPLETED");
    /* created comes from the emulator clock, now an hour ahead of the system's. */
    char *body2 = call_v1_body("busy-db", "another");
    call_v1_create(&emu, NULL, PROJECT, body2, 0, &r);
    json_t *root = EXPECT_V1_CREATED(&r);
    long long ahead = v1_time_seconds_from_now(created_member(root, "created"));
    CHECK(ahead > 3600 - 120 && ahead < 3600 + 120);
    json_decref(root);
    http_response_free(&r);
    free(body2);

    CHECK_INT(emu_stop(&emu), 0);
    CHECK_INT(emu.extra_stdout, 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

struct racer {
    const struct emu *emu;
    pthread_barrier_t *start;
    const char *instance;
    char name[32];
    long seconds;
    long status; /* 0 when no answer came */
    char code[32];
};

static void *racer_main(void *arg)
{
    struct racer *racer = arg;
    CURL *handle = http_handle_new();
    struct http_response r;
    /* Connect before the start line, so that the creates leave together. */
    call_request(racer->emu, handle, "GET", "/_emulator/health", NULL, NULL, &r);
    http_response_free(&r);
    char *body = call_v1_body(racer->instance, racer->name);
    pthread_barrier_wait(racer->start);
    call_v1_create(racer->emu, handle, PROJECT, body, racer->seconds, &r);
    racer->status = r.status;
    json_t *root = http_response_json(&r);
    const char *code = json_string_value(json_object_get(root, "errCode"));
    snprintf(racer->code, sizeof(racer->code), "%s", code != NULL ? code : "");
    json_decref(root);
    http_response_free(&r);
    free(body);
    curl_easy_cleanup(handle);
    return NULL;
}

/* RACERS threads, each with its own libcurl handle, create on `instance` at once: exactly
 * one wins, all others get a 409 with `code` (or `other_code`). */
static void race_on_one_instance(const struct emu *emu, const char *instance, bool same_name,
                                 long seconds, const char *code, const char *other_code)
{
    CHECK(call_put_instance(emu, PROJECT, instance, mysql_instance) == 0);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    struct racer racers[RACERS];
    pthread_t threads[RACERS];
    for (int i = 0; i < RACERS; i++) {
        racers[i] = (struct racer){emu, &start, instance, "", seconds, 0, ""};
        snprintf(racers[i].name, sizeof(racers[i].name), "racer%02d", same_name ? 0 : i);
        if (pthread_create(&threads[i], NULL, racer_main, &racers[i]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", i);
            abort(); /* the barrier would never open */
        }
    }
    int won = 0, lost = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(threads[i], NULL);
        if (racers[i].status == 200) {
            won++;
        } else if (racers[i].status == 409 &&
                   (strcmp(racers[i].code, code) == 0 ||
                    (other_code != NULL && strcmp(racers[i].code, other_code) == 0))) {
            lost++;
        } else {
            fprintf(stderr, "racer %d on %s: %ld %s\n", i, instance, racers[i].status,
                    racers[i].code);
        }
    }
    pthread_barrier_destroy(&start);
    CHECK_INT(won, 1);
    CHECK_INT(lost, RACERS - 1);
}

static void race_scenarios(const char *label, const char *const *extra_args)
{
    int failures_before = check_failures;
    struct emu emu;
    if (emu_start(&emu, label, extra_args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, false);
        return;
    }
    /* The winner stays BUILDING: the others find it running. */
    race_on_one_instance(&emu, "race-building", false, 3600, "RDS.3004", NULL);
    /* One name, finished at once: the others find the name taken (or, within the same
     * second, the winner not yet settled). */
    race_on_one_instance(&emu, "race-same-name", true, 0, "RDS.0031", "RDS.3004");
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

static void memory_database(void)
{
    int failures_before = check_failures;
    struct emu emu;
    const char *args[] = {"--db", ":memory:", "--backup-seconds", "0", NULL};
    if (emu_start(&emu, "memory", args, NULL) != 0) {
        CHECK(!"rdsemu started with --db :memory:");
        emu_cleanup(&emu, false);
        return;
    }
    CHECK(call_put_instance(&emu, PROJECT, "mem-db", mysql_instance) == 0);
    char id[64], status[32];
    create_ok(&emu, "mem-db", "inMemory", 0, id, NULL);
    char *body = call_v1_body("mem-db", "inMemory");
    EXPECT_CREATE_ERROR(&emu, PROJECT, body, 409, "RDS.0031");
    free(body);
    CHECK_STR(listed_status(&emu, id, status), "COMPLETED");
    CHECK_INT(emu_stop(&emu), 0);

    /* Nothing is kept, and no file was written beside the log. */
    CHECK(emu_restart(&emu) == 0);
    struct http_response r;
    call_admin(&emu, "GET", "/_emulator/projects/" PROJECT "/instances/mem-db", NULL, &r);
    EXPECT_ADMIN_ERROR(&r, 404);
    http_response_free(&r);
    size_t len = 0;
    char *db = harness_read_file(emu.db_path, &len);
    CHECK(db == NULL);
    free(db);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

int main(void)
{
    restart_keeps_backups();
    const char *file_args[] = {"--threads", "8", NULL};
    race_scenarios("race-file", file_args);
    const char *memory_args[] = {"--threads", "8", "--db", ":memory:", NULL};
    race_scenarios("race-memory", memory_args);
    memory_database();
    return CHECK_DONE();
}
