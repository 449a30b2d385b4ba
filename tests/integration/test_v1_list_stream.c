/* The v1 list of a large project is streamed (docs/api.md "List backups"): read from the store
 * page by page as the client takes it, never built whole in memory. A project of 30000 backups
 * (put straight into the database file, about 11 MiB of JSON, more than the sockets hold) is listed
 * by a client that reads the beginning, then stops: the server stalls once the socket buffers are
 * full. A backup created meanwhile is in the rest of the list (a list built whole before sending
 * could not show it). The answer is chunked, valid JSON, in creation order. Lists of up to 256
 * backups (one page) are answered as before, with a Content-Length; 257 are streamed. */
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "expect.h"

#define BIG       "stream-big"
#define PAGE      "stream-page"
#define PAGE_PLUS "stream-page-plus"
#define INSTANCE  "db-stream"
#define BIG_COUNT 30000

static const char mysql[] = "{\"name\": \"streamed\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}, \"backup_seconds\": 0}";

/* Inserts `count` COMPLETED backups of INSTANCE into `project`, several per second of
 * `created`, in one transaction of the (stopped) server's database. */
static void insert_backups(sqlite3 *db, const char *project, int count, int tag)
{
    sqlite3_stmt *stmt = NULL;
    CHECK_INT(sqlite3_prepare_v2(
                  db,
                  "INSERT INTO backups (id, project_id, instance_id, instance_name, name, engine, "
                  "version, created, ready_at, outcome, status, finished, size_kb, "
                  "size_at_ready, job_id) VALUES (?1, ?2, '" INSTANCE "', 'streamed', ?3, "
                  "'MySQL', '8.0', ?4, ?4, 'success', 'COMPLETED', ?4, 2048, 2048, ?5)",
                  -1, &stmt, NULL),
              SQLITE_OK);
    for (int i = 0; i < count; i++) {
        char id[40], name[32], job[40];
        snprintf(id, sizeof(id), "%08d-0000-4000-8000-%012d", tag, i);
        snprintf(name, sizeof(name), "bulk%d", i);
        snprintf(job, sizeof(job), "%08d%024d", tag, i);
        sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, project, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 4, 1700000000 + i / 7);
        sqlite3_bind_text(stmt, 5, job, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            CHECK(!"a backup inserted");
            break;
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
}

static bool fill_database(const char *path)
{
    sqlite3 *db = NULL;
    bool ok = sqlite3_open(path, &db) == SQLITE_OK &&
              sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    if (ok) {
        insert_backups(db, BIG, BIG_COUNT, 1);
        insert_backups(db, PAGE, 256, 2);
        insert_backups(db, PAGE_PLUS, 257, 3);
        ok = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    }
    sqlite3_close(db);
    CHECK(ok);
    return ok;
}

/* A connection with a small receive buffer, so the server cannot push the whole list into
 * the kernel while the client does not read. */
static int connect_small(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int small = 16 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

struct bytes {
    char *data;
    size_t len, cap;
};

/* Reads into `b` until `want` bytes are there (0: until the server closes), for at most
 * `timeout_ms`. False when the time ran out first. */
static bool read_until(int fd, struct bytes *b, size_t want, int timeout_ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (want > 0 && b->len >= want)
            return true;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        struct pollfd pfd = {fd, POLLIN, 0};
        if (spent >= timeout_ms || poll(&pfd, 1, (int)(timeout_ms - spent)) <= 0)
            return false;
        if (b->len + 65536 > b->cap) {
            size_t cap = b->cap * 2 + 65536;
            char *grown = realloc(b->data, cap + 1);
            if (grown == NULL)
                return false;
            b->data = grown;
            b->cap = cap;
        }
        ssize_t n = read(fd, b->data + b->len, 65536);
        if (n <= 0)
            return want == 0 && n == 0;
        b->len += (size_t)n;
        b->data[b->len] = '\0';
    }
}

/* The body of a chunked answer (new: free()), or NULL when it is not well-formed. */
static char *dechunk(const char *body, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t used = 0, at = 0;
    while (out != NULL && at < len) {
        char *end;
        unsigned long size = strtoul(body + at, &end, 16);
        const char *line_end = strstr(body + at, "\r\n");
        if (end == body + at || line_end == NULL)
            break;
        at = (size_t)(line_end - body) + 2;
        if (size == 0) {
            out[used] = '\0';
            *out_len = used;
            return out;
        }
        if (at + size + 2 > len)
            break;
        memcpy(out + used, body + at, size);
        used += size;
        at += size + 2;
    }
    free(out);
    return NULL;
}

/* The ids of a {"backups": [...]} answer, in order, each "id,"; new, or NULL. */
static char *ids_of(const char *text, size_t *count)
{
    json_t *root = json_loads(text, 0, NULL);
    json_t *list = json_object_get(root, "backups");
    *count = json_array_size(list);
    char *ids = json_is_array(list) ? malloc(*count * 40 + 1) : NULL;
    size_t used = 0;
    for (size_t i = 0; ids != NULL && i < *count; i++) {
        const char *id = json_string_value(json_object_get(json_array_get(list, i), "id"));
        used += (size_t)snprintf(ids + used, 41, "%.38s,", id != NULL ? id : "?");
    }
    json_decref(root);
    return ids;
}

/* Checks `text` lists `count` bulk backups of `tag` in creation order, then `extra`. */
static void check_order(const char *text, int tag, int count, const char *extra)
{
    size_t n = 0;
    char *ids = ids_of(text, &n);
    CHECK(ids != NULL);
    CHECK_INT(n, (size_t)count + (extra != NULL));
    bool ordered = ids != NULL;
    const char *at = ids;
    for (int i = 0; ordered && i < count; i++) {
        char want[48];
        snprintf(want, sizeof(want), "%08d-0000-4000-8000-%012d,", tag, i);
        ordered = strncmp(at, want, strlen(want)) == 0;
        at += strlen(want);
    }
    if (ordered && extra != NULL)
        ordered = strncmp(at, extra, strlen(extra)) == 0;
    CHECK(ordered);
    free(ids);
}

/* Up to a page: answered whole, with its length; one more: chunked. Same JSON either way. */
static void page_boundary(const struct emu *emu)
{
    const char *const projects[] = {PAGE, PAGE_PLUS};
    for (int k = 0; k < 2; k++) {
        char request[256];
        int n = snprintf(request, sizeof(request),
                         "GET /rds/v1/%s/backups HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "X-Auth-Token: t\r\nConnection: close\r\n\r\n",
                         projects[k]);
        int fd = connect_small(emu->port);
        struct bytes b = {0};
        bool ok = fd >= 0 && send(fd, request, (size_t)n, MSG_NOSIGNAL) == n &&
                  read_until(fd, &b, 0, 10000);
        CHECK(ok);
        if (fd >= 0)
            close(fd);
        const char *split = b.data != NULL ? strstr(b.data, "\r\n\r\n") : NULL;
        CHECK(split != NULL);
        if (split == NULL) {
            free(b.data);
            continue;
        }
        bool chunked = strstr(b.data, "Transfer-Encoding: chunked") != NULL ||
                       strstr(b.data, "transfer-encoding: chunked") != NULL;
        CHECK_INT(chunked, k == 1);
        CHECK_INT(strstr(b.data, "Content-Length: ") != NULL &&
                      strstr(b.data, "Content-Length: ") < split,
                  k == 0);
        size_t body_len = 0;
        char *body = chunked ? dechunk(split + 4, b.len - (size_t)(split + 4 - b.data), &body_len)
                             : strdup(split + 4);
        CHECK(body != NULL);
        if (body != NULL)
            check_order(body, 2 + k, 256 + k, NULL);
        free(body);
        free(b.data);
    }
}

/* The client reads the beginning and stops; a backup created then is in the rest. */
static void streamed_as_read(const struct emu *emu)
{
    static const char request[] = "GET /rds/v1/" BIG "/backups HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "X-Auth-Token: t\r\nConnection: close\r\n\r\n";
    int fd = connect_small(emu->port);
    struct bytes b = {0};
    bool ok =
        fd >= 0 &&
        send(fd, request, sizeof(request) - 1, MSG_NOSIGNAL) == (ssize_t)sizeof(request) - 1 &&
        read_until(fd, &b, 64 * 1024, 10000);
    CHECK(ok);
    /* Let the server fill what the sockets hold and stall. */
    struct timespec pause = {0, 300 * 1000000L};
    nanosleep(&pause, NULL);

    char *body = call_v1_body(INSTANCE, "createdWhileListed");
    struct http_response r;
    call_v1_create(emu, NULL, BIG, body, 0, &r);
    json_t *created = expect_created_at(__FILE__, __LINE__, &r, CALL_V1);
    char extra[64] = "";
    snprintf(extra, sizeof(extra), "%s,",
             json_string_value(json_object_get(json_object_get(created, "backup"), "id")));
    json_decref(created);
    http_response_free(&r);
    free(body);

    ok = fd >= 0 && read_until(fd, &b, 0, 20000);
    CHECK(ok);
    if (fd >= 0)
        close(fd);
    const char *split = b.data != NULL ? strstr(b.data, "\r\n\r\n") : NULL;
    CHECK(split != NULL && strncmp(b.data, "HTTP/1.1 200", 12) == 0);
    CHECK(split != NULL && strstr(b.data, "chunked") != NULL && strstr(b.data, "chunked") < split);
    size_t len = 0;
    bool chunked = split != NULL && strstr(b.data, "chunked") != NULL;
    char *text = split == NULL ? NULL
                 : chunked     ? dechunk(split + 4, b.len - (size_t)(split + 4 - b.data), &len)
                               : strdup(split + 4);
    CHECK(text != NULL);
    if (text != NULL) {
        printf("listed %zu bytes of JSON\n", chunked ? len : strlen(text));
        check_order(text, 1, BIG_COUNT, extra);
    }
    free(text);
    free(b.data);
}

int main(void)
{
    struct emu emu;
    if (emu_start(&emu, "v1-stream", NULL, NULL) != 0) {
        CHECK(!"rdsemu started");
        emu_cleanup(&emu, true);
        return CHECK_DONE();
    }
    CHECK(call_put_instance(&emu, BIG, INSTANCE, mysql) == 0);
    CHECK_INT(emu_stop(&emu), 0);
    if (fill_database(emu.db_path) && emu_restart(&emu) == 0) {
        page_boundary(&emu);
        streamed_as_read(&emu);
        CHECK_INT(emu_stop(&emu), 0);
    }
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
