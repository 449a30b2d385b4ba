/* PUT of an instance racing DELETE of that instance and of its project (docs/emulator.md
 * "Instances"): every PUT answers 200 with the instance it stored, every DELETE 204 (or 404
 * for an instance already gone), never a 5xx. Bounded: each loop stops after its count of
 * requests or after a few seconds, whichever comes first. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expect.h"

#define PROJECT      "race-put-delete"
#define INSTANCE     "db-race"
#define PUTTERS      2
#define DELETERS     4 /* half delete the instance, half the project */
#define PER_THREAD   1000
#define SECONDS_MAX  6
#define INSTANCE_URL "/_emulator/projects/" PROJECT "/instances/" INSTANCE

static const char body[] =
    "{\"name\": \"racing\", \"datastore\": {\"type\": \"MySQL\", \"version\": \"8.0\"}}";

struct loop {
    const struct emu *emu;
    bool put;           /* else delete */
    bool project;       /* a delete of the whole project */
    long sent;          /* requests answered */
    long server_errors; /* 5xx */
    long wrong;         /* any other answer not allowed, or a PUT body that is not the instance */
    char last_wrong[256];
};

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* True when a PUT answer is the instance this test stores. */
static bool is_the_instance(const struct http_response *r)
{
    json_t *root = http_response_json(r);
    const char *id = json_string_value(json_object_get(root, "id"));
    const char *project = json_string_value(json_object_get(root, "project_id"));
    bool ok =
        id != NULL && strcmp(id, INSTANCE) == 0 && project != NULL && strcmp(project, PROJECT) == 0;
    json_decref(root);
    return ok;
}

static void *run_loop(void *arg)
{
    struct loop *l = arg;
    CURL *handle = http_handle_new();
    const char *json[] = {CALL_JSON_HEADER, NULL};
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < PER_THREAD && seconds_since(&start) < SECONDS_MAX; i++) {
        struct http_response r;
        if (l->put)
            call_request(l->emu, handle, "PUT", INSTANCE_URL, json, body, &r);
        else
            call_request(l->emu, handle, "DELETE",
                         l->project ? "/_emulator/projects/" PROJECT : INSTANCE_URL, NULL, NULL,
                         &r);
        l->sent++;
        bool ok;
        if (l->put)
            ok = r.status == 200 && is_the_instance(&r);
        else
            ok = r.status == 204 || (!l->project && r.status == 404);
        if (r.status >= 500)
            l->server_errors++;
        if (!ok) {
            l->wrong++;
            snprintf(l->last_wrong, sizeof(l->last_wrong), "%s: %ld %.200s",
                     l->put       ? "PUT"
                     : l->project ? "DELETE project"
                                  : "DELETE instance",
                     r.status, r.body);
        }
        http_response_free(&r);
    }
    curl_easy_cleanup(handle);
    return NULL;
}

static void put_races_delete(const struct emu *emu)
{
    struct loop loops[PUTTERS + DELETERS];
    pthread_t threads[PUTTERS + DELETERS];
    bool started[PUTTERS + DELETERS];
    for (int i = 0; i < PUTTERS + DELETERS; i++) {
        loops[i] = (struct loop){.emu = emu, .put = i < PUTTERS, .project = i >= PUTTERS && i % 2};
        started[i] = pthread_create(&threads[i], NULL, run_loop, &loops[i]) == 0;
        CHECK(started[i]);
    }
    long puts = 0, server_errors = 0, wrong = 0;
    for (int i = 0; i < PUTTERS + DELETERS; i++) {
        if (!started[i])
            continue;
        pthread_join(threads[i], NULL);
        if (loops[i].put)
            puts += loops[i].sent;
        server_errors += loops[i].server_errors;
        wrong += loops[i].wrong;
        if (loops[i].wrong > 0)
            fprintf(stderr, "%ld wrong answers, the last: %s\n", loops[i].wrong,
                    loops[i].last_wrong);
    }
    printf("%ld PUTs raced the DELETEs: %ld 5xx, %ld wrong answers\n", puts, server_errors, wrong);
    CHECK(puts >= 100);
    CHECK_INT(server_errors, 0);
    CHECK_INT(wrong, 0);
    /* Whatever the order was, the control plane still answers and agrees with itself. */
    struct http_response r;
    call_admin(emu, "PUT", INSTANCE_URL, body, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    call_admin(emu, "GET", INSTANCE_URL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--threads", "4", NULL};
    if (emu_start(&emu, "cp-race", args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, true);
        return CHECK_DONE();
    }
    put_races_delete(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
