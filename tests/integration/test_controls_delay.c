/* A delayed request never holds up other requests (docs/emulator.md): with one worker thread
 * (--threads 1) and a delay_ms 4000 rule on one path, two requests to that path wait in
 * threads while requests to other paths, and the control plane, are answered at once: each of
 * them is back before either delayed one. The margins are generous: this checks behaviour,
 * not speed. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expect.h"

#define DELAY_MS     4000
#define DELAY_MS_STR "4000" /* the same, for the rule's JSON */
#define SLOW         "/rds/v1/slow-project/backups"
#define DELAYED      2

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct slow_call {
    const struct emu *emu;
    long status;
    double took_ms;
    double done_at; /* now_ms() when the answer was in */
};

static void *slow_main(void *arg)
{
    struct slow_call *call = arg;
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    CURL *handle = http_handle_new();
    struct http_response r;
    double start = now_ms();
    call_request(call->emu, handle, "GET", SLOW, headers, NULL, &r);
    call->done_at = now_ms();
    call->took_ms = call->done_at - start;
    call->status = r.status;
    http_response_free(&r);
    curl_easy_cleanup(handle);
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One request, answered `status` in under `limit_ms`. */
static void expect_fast(const struct emu *emu, const char *method, const char *path,
                        const char *const *headers, long status, double limit_ms)
{
    struct http_response r;
    double start = now_ms();
    call_request(emu, NULL, method, path, headers, NULL, &r);
    double took = now_ms() - start;
    if (!EXPECT_STATUS(&r, status))
        fprintf(stderr, "    for %s %s\n", method, path);
    if (took >= limit_ms)
        fprintf(stderr, "%s %s took %.0f ms while others were delayed (limit %.0f ms)\n", method,
                path, took, limit_ms);
    CHECK(took < limit_ms);
    http_response_free(&r);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--threads", "1", "--auth", "presence", NULL};
    if (emu_start(&emu, "ctl-delay", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    struct http_response r;
    call_admin(&emu, "POST", "/_emulator/faults",
               "{\"path\": \"" SLOW "\", \"delay_ms\": " DELAY_MS_STR "}", &r);
    EXPECT_STATUS(&r, 201);
    http_response_free(&r);

    struct slow_call calls[DELAYED];
    pthread_t threads[DELAYED];
    int started = 0;
    for (int i = 0; i < DELAYED; i++) {
        calls[i] = (struct slow_call){&emu, 0, 0, 0};
        if (pthread_create(&threads[i], NULL, slow_main, &calls[i]) == 0)
            started++;
    }
    CHECK_INT(started, DELAYED);
    /* Let the delayed requests arrive and be parked first. */
    sleep_ms(250);
    double fast_start = now_ms();
    const char *token[] = {CALL_TOKEN_HEADER, NULL};
    /* The limits are margins for a loaded machine: an undelayed answer takes about 1 ms. */
    expect_fast(&emu, "GET", "/rds/v1/fast-project/backups", token, 200, 2000);
    expect_fast(&emu, "GET", "/v3/fast-project/jobs?id=1", token, 400, 2000);
    expect_fast(&emu, "GET", "/_emulator/health", NULL, 200, 2000);
    double fast_done = now_ms();
    /* All of them came back while the delayed ones still waited. */
    CHECK(fast_done - fast_start < DELAY_MS - 250);

    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < started; i++) {
        CHECK_INT(calls[i].status, 200);
        CHECK(calls[i].done_at > fast_done); /* the fast ones were not held behind it */
        if (calls[i].took_ms < DELAY_MS)
            fprintf(stderr, "the delayed request took %.0f ms, expected at least %d\n",
                    calls[i].took_ms, DELAY_MS);
        CHECK(calls[i].took_ms >= DELAY_MS);
        CHECK(calls[i].took_ms < DELAY_MS + 5000);
    }
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
