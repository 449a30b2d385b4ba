/* Crash safety (issue 7 item 1; docs/api.md "committed to storage before the response is sent",
 * §6 --sync and "Process"). Several clients create backups at full speed while the server is
 * stopped under them:
 *   - SIGKILL, a few times with --sync normal and once with --sync full: after each kill the
 *     database passes PRAGMA integrity_check, every backup that was answered 200 (and its
 *     job) is there after a restart, and the emulator serves again;
 *   - SIGTERM mid-load: every request written before the signal gets its whole answer, the
 *     process exits 0 within the drain bound, and every 200 is there after a restart;
 *   - SIGTERM right after a burst of requests on open keep-alive connections: every one of
 *     them (all written before the signal) is answered.
 * The figures (acknowledged vs found after each kill, what happened to the requests around a
 * SIGTERM) go to stdout. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "expect.h"
#include "raw.h"

#define PROJECT           "crash-project"
#define LOADERS           8
#define LOADER_INSTANCES  4     /* instances per loader, so no create waits on another */
#define LOADER_MAX_ACKS   4096  /* per loader and run: also bounds its requests */
#define LOAD_DEADLINE_MS  20000 /* the kill comes at the latest this long after the start */
#define ANSWER_TIMEOUT_MS 15000 /* longer than the server's 10 s drain */
#define AFTER_SIGNAL_MAX  2     /* requests a SIGTERM loader still sends after the signal */
#define ID_LEN            40
#define BURST_CONNECTIONS 300
#define BURST_TRIALS      40
#define BURST_DEADLINE_MS 20000

static const char instance_body[] = "{\"name\": \"crash\", \"datastore\": {\"type\": \"MySQL\", "
                                    "\"version\": \"8.0\"}}";

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Busy-waits `us` microseconds (sleeps are far coarser). */
static void spin_us(long us)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do
        clock_gettime(CLOCK_MONOTONIC, &now);
    while ((now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000 < us);
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Every backup (and its job) that got a 200, over all runs on one database. */
struct acks {
    char (*backups)[ID_LEN];
    char (*jobs)[ID_LEN];
    size_t count, cap;
};

static int acks_add(struct acks *a, const char *backup, const char *job)
{
    if (a->count == a->cap) {
        size_t cap = a->cap == 0 ? 1024 : a->cap * 2;
        char(*backups)[ID_LEN] = realloc(a->backups, cap * sizeof(*backups));
        if (backups == NULL)
            return -1;
        a->backups = backups;
        char(*jobs)[ID_LEN] = realloc(a->jobs, cap * sizeof(*jobs));
        if (jobs == NULL)
            return -1;
        a->jobs = jobs;
        a->cap = cap;
    }
    snprintf(a->backups[a->count], ID_LEN, "%s", backup);
    snprintf(a->jobs[a->count], ID_LEN, "%s", job != NULL ? job : "");
    a->count++;
    return 0;
}

static void acks_free(struct acks *a)
{
    free(a->backups);
    free(a->jobs);
    memset(a, 0, sizeof(*a));
}

/* Takes backup.id and extendparam.jobs[0] from a v1 create answer. 0 or -1. */
static int created_ids(const char *body, size_t len, char backup[ID_LEN], char job[ID_LEN])
{
    json_t *root = json_loadb(body, len, 0, NULL);
    const char *id = json_string_value(json_object_get(json_object_get(root, "backup"), "id"));
    const char *job_id = json_string_value(
        json_array_get(json_object_get(json_object_get(root, "extendparam"), "jobs"), 0));
    int rc = id != NULL && job_id != NULL ? 0 : -1;
    if (rc == 0) {
        snprintf(backup, ID_LEN, "%s", id);
        snprintf(job, ID_LEN, "%s", job_id);
    }
    json_decref(root);
    return rc;
}

/* What one loader thread did in one run. */
struct loader {
    int index;
    const char *run;   /* prefix of the backup names: unique per run */
    struct emu server; /* its base_url, a copy: the harness clears its own when it stops */
    unsigned port;
    atomic_bool *stopped; /* set by main just before it signals the server */
    atomic_int *acked_total;
    long long deadline_ms;
    struct acks acked;   /* every 200 */
    size_t sent;         /* requests sent (curl runs: all before `stopped` was set) */
    size_t unanswered;   /* of those, the ones that got no answer (the kill cut them) */
    size_t refused;      /* answered, but not 200 */
    long refusal_status; /* the last of those, to show */
    char refusal_body[160];
    /* SIGTERM runs (raw sockets) only: */
    size_t written_before;     /* requests wholly written before the signal */
    size_t cut_before;         /* of those, the ones that got no whole answer: must be 0 */
    size_t written_after;      /* requests written after the signal */
    size_t answered_after;     /* of those, answered */
    size_t cut_after;          /* of those, closed without an answer */
    size_t refused_after;      /* connections refused after the signal */
    size_t new_after;          /* connections opened after the signal (not refused) */
    size_t answered_after_new; /* requests answered on those */
    bool new_connection;       /* the current connection was opened after the signal */
};

static void loader_refusal(struct loader *l, long status, const char *body)
{
    l->refused++;
    l->refusal_status = status;
    snprintf(l->refusal_body, sizeof(l->refusal_body), "%s", body != NULL ? body : "");
}

/* Gives loader `l` its next instance and backup name; false when its quota is used up. */
static bool loader_next(struct loader *l, char *instance, size_t ilen, char *name, size_t nlen)
{
    if (l->sent >= LOADER_MAX_ACKS || now_ms() >= l->deadline_ms)
        return false;
    snprintf(instance, ilen, "crash-%d-%zu", l->index, l->sent % LOADER_INSTANCES);
    snprintf(name, nlen, "%s-t%d-n%zu", l->run, l->index, l->sent);
    return true;
}

/* SIGKILL runs: creates through libcurl on a keep-alive handle of its own. */
static void *curl_loader_main(void *arg)
{
    struct loader *l = arg;
    CURL *handle = http_handle_new();
    char instance[64], name[64];
    while (handle != NULL && !atomic_load(l->stopped) &&
           loader_next(l, instance, sizeof(instance), name, sizeof(name))) {
        char *body = call_v1_body(instance, name);
        struct call_spec spec = {.method = "POST",
                                 .path = "/rds/v1/" PROJECT "/backups",
                                 .token = CALL_TOKEN,
                                 .content_type = CALL_JSON,
                                 .backup_seconds = "0",
                                 .body = body,
                                 .handle = handle,
                                 .quiet = true};
        struct http_response r;
        l->sent++;
        call_send(&l->server, &spec, &r);
        char backup[ID_LEN], job[ID_LEN];
        if (r.status == 200 && created_ids(r.body, r.body_len, backup, job) == 0) {
            if (acks_add(&l->acked, backup, job) != 0)
                abort();
            atomic_fetch_add(l->acked_total, 1);
        } else if (r.status == 0) {
            l->unanswered++;
        } else {
            loader_refusal(l, r.status, r.body);
        }
        http_response_free(&r);
        free(body);
    }
    if (handle != NULL)
        curl_easy_cleanup(handle);
    return NULL;
}

/* ---- SIGTERM runs: raw sockets, so the moment a request is wholly written is known ---- */

static void *raw_loader_main(void *arg)
{
    struct loader *l = arg;
    int fd = -1;
    size_t after = 0;
    char instance[64], name[64];
    while (after < AFTER_SIGNAL_MAX &&
           loader_next(l, instance, sizeof(instance), name, sizeof(name))) {
        if (fd < 0) {
            l->new_connection = atomic_load(l->stopped);
            if ((fd = raw_connect(l->port)) < 0) {
                if (l->new_connection)
                    l->refused_after++;
                else
                    l->unanswered++;
                break;
            }
            if (l->new_connection)
                l->new_after++;
        }
        char *body = call_v1_body(instance, name);
        char request[1024];
        int n =
            snprintf(request, sizeof(request),
                     "POST /rds/v1/" PROJECT "/backups HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "%s\r\n%s\r\nX-Emulator-Backup-Seconds: 0\r\nContent-Length: %zu\r\n\r\n%s",
                     CALL_TOKEN_HEADER, CALL_JSON_HEADER, strlen(body), body);
        free(body);
        l->sent++;
        int written =
            n > 0 && (size_t)n < sizeof(request) ? raw_write_all(fd, request, (size_t)n) : -1;
        /* Read after the write returned: false means it was wholly written before the kill. */
        bool before = !atomic_load(l->stopped);
        if (before) {
            l->written_before++;
        } else {
            l->written_after++;
            after++;
        }
        char *answer = NULL;
        /* After the signal: the first request on the open connection, the next on a new one
         * (the listener no longer accepts: it is refused or cut, never half answered). */
        bool server_closes = false;
        long status =
            written == 0 ? raw_read_answer(fd, ANSWER_TIMEOUT_MS, &answer, &server_closes) : 0;
        bool closing = server_closes || !before;
        char backup[ID_LEN], job[ID_LEN];
        if (status == 0) {
            if (before)
                l->cut_before++;
            else
                l->cut_after++;
            closing = true;
        } else {
            if (!before) {
                l->answered_after++;
                if (l->new_connection)
                    l->answered_after_new++;
            }
            if (status == 200 && created_ids(answer, strlen(answer), backup, job) == 0) {
                if (acks_add(&l->acked, backup, job) != 0)
                    abort();
                atomic_fetch_add(l->acked_total, 1);
            } else {
                loader_refusal(l, status, answer);
            }
        }
        free(answer);
        if (closing) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* ---- checks on the database and through the API ---- */

/* PRAGMA integrity_check on the file (true when "ok"), and how many of `a` are in its backups
 * table. The server is not running. No checkpoint at close, so the WAL stays as the crash
 * left it, for the restarted server to recover. */
static bool check_database(const char *path, const struct acks *a, size_t *in_file)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    bool intact = false;
    *in_file = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, sqlite3_errmsg(db));
        CHECK(!"the database opens");
        sqlite3_close(db);
        return false;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_busy_timeout(db, 5000);
    CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(stmt) == SQLITE_ROW);
    const char *verdict = (const char *)sqlite3_column_text(stmt, 0);
    intact = verdict != NULL && strcmp(verdict, "ok") == 0;
    CHECK_STR(verdict, "ok");
    sqlite3_finalize(stmt);
    stmt = NULL;
    CHECK(sqlite3_prepare_v2(db, "SELECT 1 FROM backups WHERE id = ?1", -1, &stmt, NULL) ==
          SQLITE_OK);
    for (size_t i = 0; stmt != NULL && i < a->count; i++) {
        sqlite3_bind_text(stmt, 1, a->backups[i], -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) == SQLITE_ROW)
            (*in_file)++;
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return intact;
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* How many of `a` GET /rds/v1/PROJECT/backups lists; `listed` gets the length of the list. */
static size_t count_listed(const struct emu *emu, const struct acks *a, size_t *listed)
{
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    struct http_response r;
    *listed = 0;
    call_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", headers, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *root = http_response_json(&r);
    json_t *list = json_object_get(root, "backups");
    size_t n = json_array_size(list), found = 0;
    char(*ids)[ID_LEN] = calloc(n + 1, sizeof(*ids));
    for (size_t i = 0; ids != NULL && i < n; i++) {
        const char *id = json_string_value(json_object_get(json_array_get(list, i), "id"));
        snprintf(ids[i], ID_LEN, "%s", id != NULL ? id : "");
    }
    if (ids != NULL) {
        qsort(ids, n, sizeof(*ids), compare_ids);
        for (size_t i = 0; i < a->count; i++)
            if (bsearch(a->backups[i], ids, n, sizeof(*ids), compare_ids) != NULL)
                found++;
            else
                fprintf(stderr, "acknowledged backup %s is missing\n", a->backups[i]);
    }
    *listed = n;
    free(ids);
    json_decref(root);
    http_response_free(&r);
    return found;
}

/* How many jobs of `a`, from index `from` on, GET /v3/PROJECT/jobs?id= finds. */
static size_t count_jobs(const struct emu *emu, const struct acks *a, size_t from)
{
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    CURL *handle = http_handle_new();
    size_t found = 0;
    for (size_t i = from; handle != NULL && i < a->count; i++) {
        char path[128];
        snprintf(path, sizeof(path), "/v3/" PROJECT "/jobs?id=%s", a->jobs[i]);
        struct http_response r;
        call_request(emu, handle, "GET", path, headers, NULL, &r);
        if (r.status == 200)
            found++;
        else
            fprintf(stderr, "job %s of acknowledged backup %s: %ld %s\n", a->jobs[i], a->backups[i],
                    r.status, r.body);
        http_response_free(&r);
    }
    if (handle != NULL)
        curl_easy_cleanup(handle);
    return found;
}

/* One create after a restart: the emulator serves again. Its backup joins `a`. */
static void check_serves(const struct emu *emu, struct acks *a, const char *name)
{
    char *body = call_v1_body("crash-0-0", name);
    struct http_response r;
    call_v1_create(emu, NULL, PROJECT, body, 0, &r);
    char backup[ID_LEN], job[ID_LEN];
    if (EXPECT_THAT_AT(__FILE__, __LINE__, r.status == 200, &r, "create after restart") &&
        created_ids(r.body, r.body_len, backup, job) == 0)
        acks_add(a, backup, job);
    http_response_free(&r);
    free(body);
}

/* ---- one load with a stop signal in the middle ---- */

struct run_figures {
    size_t acked, sent, unanswered, refused, written_before, cut_before, written_after,
        answered_after, cut_after, refused_after, new_after, answered_after_new;
    int exit_status;
    long long stop_ms; /* from the signal to the end of the process */
};

/* Starts LOADERS loaders (raw sockets when `raw`), waits for `stop_after` 200s (or the
 * deadline), signals the server with `sig`, waits for it and the loaders, and adds their 200s
 * to `all`. */
static void load_and_stop(struct emu *emu, const char *run, bool raw, int stop_after, int sig,
                          struct acks *all, struct run_figures *fig)
{
    atomic_bool stopped = false;
    atomic_int acked_total = 0;
    struct loader loaders[LOADERS];
    pthread_t threads[LOADERS];
    int started = 0;
    long long deadline = now_ms() + LOAD_DEADLINE_MS;
    memset(fig, 0, sizeof(*fig));
    for (int i = 0; i < LOADERS; i++) {
        loaders[i] = (struct loader){.index = i,
                                     .run = run,
                                     .port = emu->port,
                                     .stopped = &stopped,
                                     .acked_total = &acked_total,
                                     .deadline_ms = deadline + ANSWER_TIMEOUT_MS};
        snprintf(loaders[i].server.base_url, sizeof(loaders[i].server.base_url), "%s",
                 emu->base_url);
        if (pthread_create(&threads[i], NULL, raw ? raw_loader_main : curl_loader_main,
                           &loaders[i]) != 0)
            break;
        started++;
    }
    CHECK_INT(started, LOADERS);
    while (atomic_load(&acked_total) < stop_after && now_ms() < deadline)
        pause_ms(1);
    /* The load is still running: the signal comes in the middle of it. */
    CHECK(atomic_load(&acked_total) >= stop_after);
    atomic_store(&stopped, true);
    long long t0 = now_ms();
    fig->exit_status = emu_stop_with(emu, sig);
    fig->stop_ms = now_ms() - t0;
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        struct loader *l = &loaders[i];
        for (size_t k = 0; k < l->acked.count; k++)
            if (acks_add(all, l->acked.backups[k], l->acked.jobs[k]) != 0)
                abort();
        fig->acked += l->acked.count;
        fig->sent += l->sent;
        fig->unanswered += l->unanswered;
        fig->refused += l->refused;
        fig->written_before += l->written_before;
        fig->cut_before += l->cut_before;
        fig->written_after += l->written_after;
        fig->answered_after += l->answered_after;
        fig->cut_after += l->cut_after;
        fig->refused_after += l->refused_after;
        fig->new_after += l->new_after;
        fig->answered_after_new += l->answered_after_new;
        if (l->refused > 0)
            fprintf(stderr, "loader %d: %zu answers were not 200, the last: %ld %s\n", i,
                    l->refused, l->refusal_status, l->refusal_body);
        acks_free(&l->acked);
    }
}

static int start_loaded_server(struct emu *emu, const char *label, const char *const *args)
{
    if (emu_start(emu, label, args, NULL) != 0)
        return -1;
    for (int i = 0; i < LOADERS; i++)
        for (int k = 0; k < LOADER_INSTANCES; k++) {
            char id[64];
            snprintf(id, sizeof(id), "crash-%d-%d", i, k);
            if (call_put_instance(emu, PROJECT, id, instance_body) != 0)
                return -1;
        }
    return 0;
}

/* Kills the server `kills` times mid-load, checking the database and the API after each. */
static void kill_cycles(const char *sync, int kills)
{
    int failures_before = check_failures;
    struct emu emu;
    const char *args[] = {"--sync", sync, "--threads", "4", NULL};
    struct acks all = {0};
    char label[32];
    snprintf(label, sizeof(label), "kill-%s", sync);
    if (start_loaded_server(&emu, label, args) != 0) {
        CHECK(!"rdsemu started with its instances");
        emu_cleanup(&emu, true);
        return;
    }
    size_t committed_unanswered = 0; /* over the earlier runs */
    for (int k = 1; k <= kills; k++) {
        char run[32];
        snprintf(run, sizeof(run), "k%d%.1s", k, sync);
        size_t before_run = all.count;
        struct run_figures fig;
        load_and_stop(&emu, run, false, 500 * k, SIGKILL, &all, &fig);
        CHECK_INT(fig.exit_status, 128 + SIGKILL);
        CHECK(fig.acked > 0);
        CHECK_INT(fig.refused, 0);

        size_t in_file = 0;
        bool intact = check_database(emu.db_path, &all, &in_file);
        CHECK_INT(in_file, all.count);
        if (emu_restart(&emu) != 0) {
            CHECK(!"rdsemu restarts after SIGKILL");
            break;
        }
        size_t listed = 0;
        size_t found = count_listed(&emu, &all, &listed);
        CHECK_INT(found, all.count);
        size_t jobs = count_jobs(&emu, &all, before_run);
        CHECK_INT(jobs, all.count - before_run);
        /* Committed, but the kill came before the answer: allowed, and at most in flight. */
        size_t unanswered_committed = listed - found - committed_unanswered;
        CHECK(unanswered_committed <= fig.unanswered);
        committed_unanswered += unanswered_committed;
        printf("SIGKILL %d, --sync %s: %zu creates answered 200 in this run (%zu sent, %zu "
               "without answer); acknowledged in total %zu, found after restart %zu (database "
               "file %zu, jobs of this run %zu/%zu); committed without an answer %zu; "
               "integrity_check: %s\n",
               k, sync, fig.acked, fig.sent, fig.unanswered, all.count, found, in_file, jobs,
               all.count - before_run, unanswered_committed, intact ? "ok" : "NOT ok");
        char name[32];
        snprintf(name, sizeof(name), "afterKill%d", k);
        check_serves(&emu, &all, name);
    }
    if (emu.pid != 0) {
        CHECK_INT(emu_stop(&emu), 0);
        size_t in_file = 0;
        check_database(emu.db_path, &all, &in_file);
        CHECK_INT(in_file, all.count);
    }
    fflush(stdout);
    acks_free(&all);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* SIGTERM mid-load: what was sent before the signal is answered, exit 0, every 200 kept. */
static void term_mid_load(void)
{
    int failures_before = check_failures;
    struct emu emu;
    const char *args[] = {"--threads", "4", NULL};
    struct acks all = {0};
    if (start_loaded_server(&emu, "term", args) != 0) {
        CHECK(!"rdsemu started with its instances");
        emu_cleanup(&emu, true);
        return;
    }
    struct run_figures fig;
    load_and_stop(&emu, "term", true, 1000, SIGTERM, &all, &fig);
    CHECK_INT(fig.exit_status, 0);
    CHECK(fig.stop_ms < 12000); /* the drain is bounded (10 s) */
    CHECK_INT(fig.cut_before, 0);
    CHECK_INT(fig.unanswered, 0);
    CHECK_INT(fig.refused, 0);
    CHECK(fig.acked > 0);
    printf("SIGTERM: %zu requests written before the signal, %zu answered, %zu cut; after the "
           "signal %zu written (%zu answered, %zu cut; %zu new connections, %zu answered on "
           "them, %zu refused); %zu answered 200; exit status %d after %lld ms\n",
           fig.written_before, fig.written_before - fig.cut_before, fig.cut_before,
           fig.written_after, fig.answered_after, fig.cut_after, fig.new_after,
           fig.answered_after_new, fig.refused_after, fig.acked, fig.exit_status, fig.stop_ms);
    size_t in_file = 0;
    check_database(emu.db_path, &all, &in_file);
    CHECK_INT(in_file, all.count);
    if (emu_restart(&emu) == 0) {
        size_t listed = 0;
        size_t found = count_listed(&emu, &all, &listed);
        CHECK_INT(found, all.count);
        CHECK_INT(count_jobs(&emu, &all, 0), all.count);
        printf("SIGTERM: acknowledged %zu, found after restart %zu (listed %zu)\n", all.count,
               found, listed);
        check_serves(&emu, &all, "afterTerm");
        CHECK_INT(emu_stop(&emu), 0);
    } else {
        CHECK(!"rdsemu restarts after SIGTERM");
    }
    fflush(stdout);
    acks_free(&all);
    emu_cleanup(&emu, check_failures > failures_before);
}

/* Pauses between the writes of a burst, varied over the trials: the race it shows depends on
 * how the writes interleave with the server's workers. */
static const long burst_gaps_us[] = {0, 1, 2, 5, 10};

/* SIGTERM right after a burst: BURST_CONNECTIONS kept-alive connections, each idle after one
 * answer, all send one more request, and the signal follows as soon as the last one is
 * written. Every one of them was sent before the signal, so every one must be answered. The
 * window is short, so the burst is repeated on fresh servers. */
static void term_after_burst(void)
{
    static const char request[] = "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    size_t written = 0, answered = 0, cut = 0;
    int trials = 0, trials_with_cuts = 0;
    long long slowest_stop_ms = 0;
    long long deadline = now_ms() + BURST_DEADLINE_MS;
    for (; trials < BURST_TRIALS && now_ms() < deadline; trials++) {
        struct emu emu;
        const char *args[] = {"--threads", "2", NULL};
        if (emu_start(&emu, "burst", args, NULL) != 0) {
            CHECK(!"rdsemu started");
            emu_cleanup(&emu, false);
            break;
        }
        int fds[BURST_CONNECTIONS];
        int ready = 0;
        for (int i = 0; i < BURST_CONNECTIONS; i++) {
            char *answer = NULL;
            bool closing = false;
            fds[i] = raw_connect(emu.port);
            if (fds[i] >= 0 && raw_write_all(fds[i], request, strlen(request)) == 0 &&
                raw_read_answer(fds[i], 2000, &answer, &closing) == 200 && !closing)
                ready++;
            free(answer);
        }
        CHECK_INT(ready, BURST_CONNECTIONS);
        size_t trial_written = 0, trial_answered = 0;
        for (int i = 0; i < BURST_CONNECTIONS; i++) {
            if (fds[i] >= 0 && raw_write_all(fds[i], request, strlen(request)) == 0)
                trial_written++;
            spin_us(burst_gaps_us[trials % (sizeof(burst_gaps_us) / sizeof(burst_gaps_us[0]))]);
        }
        /* Every request above is wholly written: now the signal. The answers are read while
         * the server stops, as a client would; the harness then reaps the process (the
         * second SIGTERM it sends stays pending: the server no longer waits for one). */
        long long signalled = now_ms();
        CHECK(kill(emu.pid, SIGTERM) == 0);
        for (int i = 0; i < BURST_CONNECTIONS; i++) {
            char *answer = NULL;
            bool closing = false;
            if (fds[i] >= 0 && raw_read_answer(fds[i], ANSWER_TIMEOUT_MS, &answer, &closing) == 200)
                trial_answered++;
            free(answer);
            if (fds[i] >= 0)
                close(fds[i]);
        }
        int status = emu_stop_with(&emu, SIGTERM);
        long long stop_ms = now_ms() - signalled;
        CHECK_INT(status, 0);
        if (stop_ms >= 12000)
            fprintf(stderr, "burst trial %d: the server took %lld ms to stop (the drain is 10 s)\n",
                    trials + 1, stop_ms);
        CHECK(stop_ms < 12000);
        if (stop_ms > slowest_stop_ms)
            slowest_stop_ms = stop_ms;
        written += trial_written;
        answered += trial_answered;
        cut += trial_written - trial_answered;
        if (trial_answered < trial_written) {
            trials_with_cuts++;
            fprintf(stderr,
                    "burst trial %d: %zu of %zu requests written before SIGTERM got no answer\n",
                    trials + 1, trial_written - trial_answered, trial_written);
        }
        emu_cleanup(&emu, trial_answered < trial_written); /* the log of a trial with cuts */
    }
    printf("SIGTERM after a burst: %d servers, %zu requests written before the signal on open "
           "connections, %zu answered, %zu cut (in %d of the %d servers); slowest stop %lld ms\n",
           trials, written, answered, cut, trials_with_cuts, trials, slowest_stop_ms);
    fflush(stdout);
    CHECK_INT(cut, 0);
}

int main(void)
{
    kill_cycles("normal", 3);
    kill_cycles("full", 1);
    term_mid_load();
    term_after_burst();
    return CHECK_DONE();
}
