/* The libmicrohttpd daemon and its callbacks (docs/architecture.md "One request, end to end"):
 * bytes in, the hooks of the layer above called at each step, one end per request whatever
 * ends it, and a stop that leaves no request unanswered. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "delay.h"
#include "listen.h"
#include "rdsemu/base/log.h"
#include "rdsemu/base/parse.h"
#include "rdsemu/core/ids.h"
#include "rdsemu/http/framing.h"
#include "server_internal.h"

/* How long a stop waits for requests in flight before it unblocks what is left. */
#define DRAIN_SECONDS 10
/* A stop is drained once nothing has been in flight for this long. */
#define DRAIN_QUIET_MS 1000
/* How long the requests unblocked at a stop get to come back and be answered. */
#define UNBLOCK_MS 5000
/* How long the HTTP workers get to stop once drained. */
#define DAEMON_STOP_SECONDS 3
/* The memory libmicrohttpd gives each connection for the request head and its parsed parts
 * (its own default): a head of up to about 32 KiB fits. libmicrohttpd clears the pool it used
 * before each request, so a larger pool costs every request (bench/README.md). */
#define CONNECTION_MEMORY_BYTES (32 * 1024)

/* Per connection: the request in progress on it. libmicrohttpd calls the completion callback
 * only for requests it handed to the application, and not on every path that drops one (a
 * request line whose arguments exhaust the connection's memory, for instance), so a request is
 * also ended when its connection closes. */
struct conn_state {
    struct http_request *current;
};

static void request_end(struct http_server *srv, struct http_request *req, bool ended_early);

/* Refuses a connection beyond --max-connections at once (accepted, then closed), rather than
 * leaving it waiting unaccepted in the kernel's queue; and every new one once stopping. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addr;
    (void)addrlen;
    struct http_server *srv = cls;
    if (atomic_load(&srv->stopping))
        return MHD_NO;
    return atomic_load(&srv->connections) < (int)srv->settings->max_connections ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)conn;
    struct http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&srv->connections, 1);
        *socket_context = calloc(1, sizeof(struct conn_state)); /* NULL: tracked less well */
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn_state *state = *socket_context;
        if (state != NULL && state->current != NULL) {
            struct http_request *req = state->current; /* dropped without its completion */
            state->current = NULL;
            request_end(srv, req, true);
        }
        free(state);
        *socket_context = NULL;
        atomic_fetch_sub(&srv->connections, 1);
    }
}

static struct conn_state *conn_state_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

/* The path reaches the layer above raw: the router decodes each parameter itself, so that an
 * encoded '/' stays inside its segment and signatures can be checked over what was sent. */
static size_t unescape_none(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return strlen(s);
}

/* libmicrohttpd's own format strings: not literals here, but not the client's either. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_error("http: %s", line);
}
#pragma GCC diagnostic pop

/* Fills the transport part of a new request from the target exactly as sent. -1 when out of
 * memory. */
static int request_fill(struct http_server *srv, struct http_request *req, const char *uri,
                        struct MHD_Connection *conn)
{
    req->conn = conn;
    req->server = srv;
    req->uri = strdup(uri);
    if (req->uri == NULL)
        return -1;
    const char *mark = strchr(req->uri, '?');
    req->path = strndup(req->uri, mark != NULL ? (size_t)(mark - req->uri) : strlen(req->uri));
    if (req->path == NULL)
        return -1;
    req->query = mark != NULL ? mark + 1 : NULL;
    req->body.limit = srv->settings->max_body;
    clock_gettime(CLOCK_MONOTONIC, &req->started);
    ids_uuid_random(req->request_id);
    return 0;
}

static void request_free(struct http_server *srv, struct http_request *req)
{
    free(req->uri);
    free(req->path);
    for (size_t i = 0; i < 2 * req->reply_header_count; i++)
        free(req->reply_headers[i]);
    strbuf_release(&req->body);
    srv->hooks->request_free(srv->hooks, req);
}

/* libmicrohttpd calls this first for every request, with the target exactly as sent: the
 * request is made here, so that the raw query is kept. Its result becomes the request's
 * context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_server *srv = cls;
    struct http_request *req = srv->hooks->request_new(srv->hooks);
    if (req == NULL)
        return NULL;
    if (request_fill(srv, req, uri, conn) != 0) {
        request_free(srv, req);
        return NULL;
    }
    atomic_fetch_add(&srv->in_flight, 1);
    struct conn_state *state = conn_state_of(conn);
    if (state != NULL) {
        if (state->current != NULL) {
            struct http_request *last = state->current; /* it never completed */
            state->current = NULL;
            request_end(srv, last, true);
        }
        state->current = req;
    }
    const char *mark = strchr(req->uri, '?');
    if (mark != NULL && framing_query_params(req->uri) > HTTP_QUERY_PARAMS_MAX) {
        /* Too many to parse: libmicrohttpd parses the query right after this callback, into
         * the connection's memory, and drops the connection without an answer when that runs
         * out. Cutting the query at its '?' (this is its own buffer, parsed in place) leaves it
         * nothing to parse; the layer above answers 414 (`too_many_params`). */
        ((char *)uri)[mark - req->uri + 1] = '\0';
        req->too_many_params = true;
    }
    return req;
}

/* True when Content-Length announces more than the limit. */
static bool announced_too_large(struct http_request *req, size_t max_body)
{
    const char *value = http_request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (value == NULL)
        return false;
    int64_t n;
    /* libmicrohttpd has already refused a Content-Length that is not a number */
    return !parse_bounded_int(value, 0, (int64_t)max_body, &n);
}

/* Back in the access handler after a suspension: no longer counted as suspended. */
static void request_unsuspend(struct http_server *srv, struct http_request *req)
{
    if (!req->suspended)
        return;
    req->suspended = false;
    atomic_fetch_sub(&srv->suspended, 1);
    if (req->delayed) {
        req->delayed = false;
        atomic_fetch_sub(&srv->delayed, 1);
    }
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    (void)conn;
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    if (req == NULL)
        return MHD_NO; /* on_uri ran out of memory */
    if (req->suspended) {
        request_unsuspend(srv, req);
        srv->hooks->resumed(srv->hooks, req);
        return MHD_YES;
    }
    if (req->method == NULL) {
        req->method = method;
        req->version = version;
        req->url = url;
        req->body_too_large = announced_too_large(req, srv->settings->max_body);
        srv->hooks->head(srv->hooks, req);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!req->replied && !req->body_unwanted && !req->body_too_large) {
            strbuf_append(&req->body, upload_data, *upload_data_size);
            req->body_too_large = req->body.error == STRBUF_OVER_LIMIT;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!req->replied)
        srv->hooks->body(srv->hooks, req);
    return MHD_YES;
}

/* The end of a request, whatever ended it: told to the layer above, freed. */
static void request_end(struct http_server *srv, struct http_request *req, bool ended_early)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double seconds = (double)(now.tv_sec - req->started.tv_sec) +
                     (double)(now.tv_nsec - req->started.tv_nsec) / 1e9;
    request_unsuspend(srv, req);
    srv->hooks->ended(srv->hooks, req, ended_early, seconds);
    struct conn_state *state = conn_state_of(req->conn);
    if (state != NULL && state->current == req)
        state->current = NULL;
    request_free(srv, req);
    atomic_fetch_sub(&srv->in_flight, 1);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    if (req == NULL)
        return;
    request_end(srv, req, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    *con_cls = NULL;
}

int http_server_start(const struct http_settings *settings, const struct http_hooks *hooks,
                      struct http_server **out, char *err, size_t errlen)
{
    struct http_server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    srv->settings = settings;
    srv->hooks = hooks;
    /* Half of the connections may be held by delays: the rest stay free for the control
     * plane and for other requests. */
    srv->delayed_max = settings->max_connections / 2 > 0 ? (int)(settings->max_connections / 2) : 1;
    if (listen_socket(settings->host, settings->port, &srv->listen_fd, srv->host, sizeof(srv->host),
                      &srv->port, err, errlen) != 0) {
        free(srv);
        return -1;
    }
    srv->delays = delay_queue_start();
    if (srv->delays == NULL) {
        snprintf(err, errlen, "cannot start the timer thread");
        close(srv->listen_fd);
        free(srv);
        return -1;
    }
    /* poll(), not epoll: libmicrohttpd 0.9.75's epoll loop can leave a batch of exactly 128
     * ready connections unserved until its next event or idle timeout (docs/architecture.md
     * "The event loop"). */
    unsigned flags =
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    /* libmicrohttpd's own limit is set above ours (it divides it between the workers):
     * on_accept enforces --max-connections exactly, and refuses instead of queueing. */
    unsigned mhd_limit = settings->max_connections + settings->threads * 8 + 16;
    /* A pool only from two workers on: libmicrohttpd warns about a pool of one, and one
     * internal thread is the same thing. */
    struct MHD_OptionItem pool[] = {
        {settings->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
         (intptr_t)settings->threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->daemon = MHD_start_daemon(
        flags, 0, on_accept, srv, on_access, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_LISTEN_SOCKET, srv->listen_fd, MHD_OPTION_ARRAY, pool,
        MHD_OPTION_CONNECTION_LIMIT, mhd_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY_BYTES, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)settings->idle_timeout, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        snprintf(err, errlen, "cannot start the HTTP server on %s:%u", settings->host, srv->port);
        delay_queue_stop(srv->delays);
        delay_queue_free(srv->delays);
        close(srv->listen_fd);
        free(srv);
        return -1;
    }
    *out = srv;
    return 0;
}

const char *http_server_host(const struct http_server *srv)
{
    return srv->host;
}

unsigned http_server_port(const struct http_server *srv)
{
    return srv->port;
}

int http_server_in_flight(const struct http_server *srv)
{
    return atomic_load(&((struct http_server *)srv)->in_flight);
}

/* MHD_stop_daemon on a thread of its own, so the stop is bounded whatever a worker of
 * libmicrohttpd is waiting for. */
struct daemon_stop {
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    bool done;
};

static void *daemon_stop_run(void *arg)
{
    struct daemon_stop *ds = arg;
    MHD_stop_daemon(ds->daemon);
    pthread_mutex_lock(&ds->lock);
    ds->done = true;
    pthread_cond_signal(&ds->done_cond);
    pthread_mutex_unlock(&ds->lock);
    return NULL;
}

/* True when the daemon stopped within `seconds`. */
static bool daemon_stop_bounded(struct MHD_Daemon *daemon, int seconds)
{
    static struct daemon_stop ds; /* outlives a stop that does not finish */
    ds.daemon = daemon;
    ds.done = false;
    pthread_mutex_init(&ds.lock, NULL);
    pthread_cond_init(&ds.done_cond, NULL);
    pthread_t thread;
    if (pthread_create(&thread, NULL, daemon_stop_run, &ds) != 0) {
        MHD_stop_daemon(daemon);
        return true;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += seconds;
    pthread_mutex_lock(&ds.lock);
    while (!ds.done && pthread_cond_timedwait(&ds.done_cond, &ds.lock, &deadline) == 0)
        ;
    bool done = ds.done;
    pthread_mutex_unlock(&ds.lock);
    if (done)
        pthread_join(thread, NULL);
    else
        pthread_detach(thread);
    return done;
}

/* Sleeps a few milliseconds. */
static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Waits at most `ms` for `counter` to reach 0. */
static void wait_for_zero(atomic_int *counter, long ms)
{
    for (long waited = 0; waited < ms && atomic_load(counter) > 0; waited += 5)
        pause_ms(5);
}

void http_server_stop(struct http_server *srv)
{
    if (srv == NULL)
        return;
    /* From now on a new connection is closed as soon as it is accepted (on_accept). Not
     * MHD_quiesce_daemon: in libmicrohttpd 0.9.75 a worker can read the listening socket
     * while quiesce invalidates it, and then aborts the process (seen with the epoll loop:
     * "Failed to remove listen FD from epoll set", about once in a few hundred stops). */
    atomic_store(&srv->stopping, true);
    /* Requests held by a delay are answered now: the stop does not wait for them. */
    delay_queue_stop(srv->delays);
    /* Drain: requests already sent on open connections are read and answered (each answer
     * now closes its connection). Done when no connection is left, or when nothing has been
     * in flight for DRAIN_QUIET_MS; at most DRAIN_SECONDS. */
    long quiet = 0, waited = 0;
    for (; waited < DRAIN_SECONDS * 1000L && atomic_load(&srv->connections) > 0; waited += 5) {
        quiet = atomic_load(&srv->in_flight) > 0 ? 0 : quiet + 5;
        if (quiet >= DRAIN_QUIET_MS)
            break;
        pause_ms(5);
    }
    log_info("drained after %ld ms: %d connections still open, %d requests in flight", waited,
             atomic_load(&srv->connections), atomic_load(&srv->in_flight));
    /* What is still suspended waits for something else (a lock another process holds, say):
     * it is made to give up, so that each request is resumed and answered. libmicrohttpd must
     * not be stopped with a suspended connection (it aborts the process). */
    if (atomic_load(&srv->suspended) > 0) {
        srv->hooks->unblock(srv->hooks);
        wait_for_zero(&srv->suspended, UNBLOCK_MS);
    }
    wait_for_zero(&srv->in_flight, 1000);
    if (atomic_load(&srv->suspended) > 0) {
        log_error("http: %d requests are still suspended; stopping without the HTTP workers",
                  atomic_load(&srv->suspended));
        return;
    }
    if (!daemon_stop_bounded(srv->daemon, DAEMON_STOP_SECONDS)) {
        /* Nothing is in flight any more: the process may end without the stuck worker. */
        log_error("http: a worker did not stop within %d s; stopping without it",
                  DAEMON_STOP_SECONDS);
        return;
    }
    delay_queue_free(srv->delays); /* libmicrohttpd closed the listening socket */
    free(srv);
}
