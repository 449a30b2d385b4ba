/* The request journal and its readers (docs/emulator.md "Request journal"): recording never
 * waits for a reader. A journal of 2000 entries with 4 KiB bodies is read again and again on one
 * connection while requests to the emulated API, each recording an entry, are timed on fresh
 * connections: hardly any of them takes a good part of a read's time (a reader that rendered
 * under the journal's lock made about one of them wait per read). And --journal-size is bounded
 * (100000). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expect.h"

#define ENTRIES     2000
#define BODY_BYTES  4000
#define TIMED       3000
#define READS_MIN   6
#define READS_MAX   200
#define SECONDS_MAX 20

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *values, size_t n)
{
    qsort(values, n, sizeof(*values), by_value);
    return n > 0 ? values[n / 2] : 0;
}

struct reader {
    const struct emu *emu;
    atomic_bool stop;
    double took[READS_MAX];
    atomic_size_t reads; /* read by the timing loop while the reader runs */
    long bad;
};

static void *read_loop(void *arg)
{
    struct reader *rd = arg;
    CURL *handle = http_handle_new();
    double start = now_ms();
    while (!atomic_load(&rd->stop) && atomic_load(&rd->reads) < READS_MAX &&
           now_ms() - start < SECONDS_MAX * 1e3) {
        double t0 = now_ms();
        struct http_response r;
        call_request(rd->emu, handle, "GET", "/_emulator/requests", NULL, NULL, &r);
        rd->took[atomic_load(&rd->reads)] = now_ms() - t0;
        atomic_fetch_add(&rd->reads, 1);
        rd->bad += r.status != 200 || r.body_len < (size_t)ENTRIES / 2 * BODY_BYTES;
        http_response_free(&r);
    }
    curl_easy_cleanup(handle);
    return NULL;
}

static void recording_does_not_wait(void)
{
    struct emu emu;
    const char *args[] = {"--journal-size", "2000", NULL};
    if (emu_start(&emu, "journal-reader", args, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, true);
        return;
    }
    /* Fill the journal: refused creates, each recorded with its 4 KiB body. */
    char *body = malloc(BODY_BYTES + 1);
    memset(body, 'x', BODY_BYTES);
    body[BODY_BYTES] = '\0';
    CURL *handle = http_handle_new();
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL};
    int filled = 0;
    for (int i = 0; i < ENTRIES; i++) {
        struct http_response r;
        call_request(&emu, handle, "POST", "/rds/v1/journal-reader/backups", headers, body, &r);
        filled += r.status == 400;
        http_response_free(&r);
    }
    CHECK_INT(filled, ENTRIES);

    struct reader rd = {.emu = &emu};
    atomic_init(&rd.stop, false);
    atomic_init(&rd.reads, 0);
    pthread_t thread;
    bool started = pthread_create(&thread, NULL, read_loop, &rd) == 0;
    CHECK(started);
    double timed[TIMED];
    size_t n = 0, not_found = 0;
    const char *token[] = {CALL_TOKEN_HEADER, NULL};
    double begin = now_ms();
    for (; started && n < TIMED && atomic_load(&rd.reads) < READS_MIN &&
           now_ms() - begin < SECONDS_MAX * 1e3;
         n++) {
        struct timespec pause = {0, 2 * 1000000L}; /* spread over the reads */
        nanosleep(&pause, NULL);
        double t0 = now_ms();
        struct http_response r;
        /* A connection of its own each time: a worker busy with the reader does not accept
         * it, so only the journal could make it wait. */
        call_request(&emu, NULL, "GET", "/v3/journal-reader/jobs?id=nope", token, NULL, &r);
        timed[n] = now_ms() - t0;
        not_found += r.status == 400; /* an unknown job */
        http_response_free(&r);
    }
    if (started) {
        atomic_store(&rd.stop, true);
        pthread_join(thread, NULL);
    }
    curl_easy_cleanup(handle);
    free(body);
    size_t reads = atomic_load(&rd.reads);
    CHECK(reads >= 2 && n >= 20);
    CHECK_INT(not_found, n);
    CHECK_INT(rd.bad, 0);
    double read_ms = median(rd.took, reads);
    /* A request that waited for a read takes up to all of it (the first one to meet a read, nearly
     * all). Every read overlaps some of the requests (they follow each other 2 ms apart), so if
     * recording waited for reads, about one request per read would be slow; a few slow ones may
     * come from the machine. */
    size_t slow = 0;
    for (size_t i = 0; i < n; i++)
        slow += timed[i] > read_ms / 2;
    printf("%zu reads of %d entries: median %.1f ms; of %zu requests meanwhile, %zu took more "
           "than %.1f ms\n",
           reads, ENTRIES, read_ms, n, slow, read_ms / 2);
    CHECK(slow * 2 < reads);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

/* --journal-size takes 0 to 100000. */
static void size_bound(void)
{
    char dir[PATH_MAX];
    if (harness_tmpdir_create("journal-bound", dir, sizeof(dir)) != 0) {
        CHECK(!"a temporary directory");
        return;
    }
    const char *over[] = {
        "--listen", "127.0.0.1:0", "--db", ":memory:", "--journal-size", "100001", NULL};
    struct run_result run;
    if (harness_run(dir, over, NULL, 3000, &run) == 0) {
        CHECK(run.exit_status == 1 || run.exit_status == 2);
        CHECK(strstr(run.err, "--journal-size") != NULL && strstr(run.err, "100000") != NULL);
        CHECK(strstr(run.out, "listening") == NULL);
        run_result_free(&run);
    } else {
        CHECK(!"rdsemu ran");
    }
    harness_tmpdir_remove(dir);
    struct emu emu;
    const char *most[] = {"--journal-size", "100000", NULL};
    CHECK_INT(emu_start(&emu, "journal-most", most, NULL), 0);
    if (emu.pid != 0)
        CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
}

int main(void)
{
    size_bound();
    recording_does_not_wait();
    return CHECK_DONE();
}
