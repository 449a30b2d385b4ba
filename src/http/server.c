/* The libmicrohttpd daemon and its access handler (docs/architecture.md step 1). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rdsemu/api.h"
#include "rdsemu/delay.h"
#include "rdsemu/ids.h"
#include "rdsemu/log.h"
#include "rdsemu/reply.h"
#include "rdsemu/server.h"
#include "rdsemu/timefmt.h"
#include "framing.h"

/* How long a stop waits for requests in flight before it closes what is left. */
#define DRAIN_SECONDS 10
/* A stop is drained once nothing has been in flight for this long. */
#define DRAIN_QUIET_MS 1000
/* How long the HTTP workers get to stop once drained. */
#define DAEMON_STOP_SECONDS 3

struct server {
    struct app *app;
    struct MHD_Daemon *daemon;
    struct delay_queue *delays;
    int listen_fd;
    char host[256];
    unsigned port;
    atomic_int connections; /* open TCP connections, for --max-connections */
    atomic_bool stopping;   /* answers say "Connection: close" from then on */
    atomic_int suspended;   /* requests suspended and not yet back (request_suspend) */
    atomic_int delayed;     /* of those, the ones held by a fault's delay */
    int delayed_max;        /* at most this many held by delays at once */
};

/* Per connection: the request in progress on it. libmicrohttpd calls the completion
 * callback only for requests it handed to the application, and not on every path that drops
 * one (a request line whose arguments exhaust the connection's memory, for instance), so the
 * request is also ended when its connection closes. */
struct conn_state {
    struct request *current;
};

/* The most query parameters rdsemu reads; each costs libmicrohttpd a record in the
 * connection's memory, and a request with more is answered 414 before they are parsed. */
#define QUERY_PARAMS_MAX 256
/* The memory libmicrohttpd gives each connection for the request head and its parsed
 * parts (its default is 32 KiB): the head may be up to about half of it. */
#define CONNECTION_MEMORY_BYTES (128 * 1024)

/* Refuses a connection beyond --max-connections at once (accepted, then closed), rather than
 * leaving it waiting unaccepted in the kernel's queue; and every new one once stopping. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addr;
    (void)addrlen;
    struct server *srv = cls;
    if (atomic_load(&srv->stopping))
        return MHD_NO; /* stopping: a new connection is closed at once */
    return atomic_load(&srv->connections) < (int)srv->app->cfg->max_connections ? MHD_YES : MHD_NO;
}

static void request_end(struct server *srv, struct request *req, bool ended_early);

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)conn;
    struct server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&srv->connections, 1);
        *socket_context = calloc(1, sizeof(struct conn_state)); /* NULL: tracked less well */
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn_state *state = *socket_context;
        if (state != NULL && state->current != NULL) {
            struct request *req = state->current; /* dropped without its completion */
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

bool server_is_stopping(struct request *req)
{
    return req->server != NULL && atomic_load(&req->server->stopping);
}

/* The path reaches us raw: the router decodes each segment itself, so that an encoded '/'
 * stays inside its segment and signatures can be checked over what was sent. */
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

/* libmicrohttpd calls this first for every request, with the target exactly as sent: the
 * context is made here so the raw query is kept. Its result becomes the request's context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct request *req = calloc(1, sizeof(*req));
    if (req == NULL)
        return NULL;
    req->uri = strdup(uri);
    if (req->uri == NULL) {
        free(req);
        return NULL;
    }
    char *mark = strchr(req->uri, '?');
    req->path = strndup(req->uri, mark != NULL ? (size_t)(mark - req->uri) : strlen(req->uri));
    if (req->path == NULL) {
        free(req->uri);
        free(req);
        return NULL;
    }
    req->query = mark != NULL ? mark + 1 : NULL;
    req->conn = conn;
    req->app = srv->app;
    req->server = srv;
    req->api = API_GATEWAY;
    req->operation = api_route_count;
    clock_gettime(CLOCK_MONOTONIC, &req->started);
    ids_uuid_random(req->request_id);
    atomic_fetch_add(&srv->app->in_flight, 1);
    struct conn_state *state = conn_state_of(conn);
    if (state != NULL) {
        if (state->current != NULL) {
            struct request *last = state->current; /* it never completed */
            state->current = NULL;
            request_end(srv, last, true);
        }
        state->current = req;
    }
    if (mark != NULL && framing_query_params(req->uri) > QUERY_PARAMS_MAX) {
        /* Too many to parse: libmicrohttpd parses the query right after this callback, into
         * the connection's memory, and drops the connection without an answer when that runs
         * out. Cutting the query at its '?' (this is its own buffer, parsed in place) leaves it
         * nothing to parse; the request is answered 414 from `too_many_params`. */
        ((char *)uri)[mark - req->uri + 1] = '\0';
        req->too_many_params = true;
    }
    return req;
}

static void request_free(struct request *req)
{
    if (req->deferred_free != NULL)
        req->deferred_free(req->deferred);
    route_match_free(&req->match);
    free(req->body);
    free(req->path);
    free(req->uri);
    free(req);
}

/* Route, auth, then the other checks that need only headers (docs/api.md order). */
static void request_check_headers(struct request *req)
{
    int rc = router_match(api_routes, api_route_count, req->method, req->path, &req->match);
    if (rc != 0) {
        req->auth_err = rc < 0 ? ERR_INTERNAL : ERR_ROUTE_NOT_FOUND;
        snprintf(req->auth_message, sizeof(req->auth_message), "%s",
                 rc < 0 ? "internal error" : GATEWAY_ROUTE_MESSAGE);
        return;
    }
    req->api = req->match.route->api;
    req->operation = (size_t)(req->match.route - api_routes);
    req->auth_err = api_check_auth(req, req->auth_message, sizeof(req->auth_message));
    if (req->auth_err == ERR_NONE)
        req->header_err = api_check_headers(req, req->header_message, sizeof(req->header_message));
}

/* True when Content-Length announces more than the limit. */
static bool announced_too_large(struct request *req, size_t max_body)
{
    const char *value = request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (value == NULL)
        return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(value, &end, 10);
    return errno != 0 || end == value || n > max_body;
}

static void body_append(struct request *req, const char *data, size_t len, size_t max_body)
{
    if (req->body_too_large)
        return;
    if (req->body_len + len > max_body) {
        req->body_too_large = true; /* a chunked body that grew past the limit */
        return;
    }
    if (req->body_len + len + 1 > req->body_cap) {
        size_t cap = req->body_cap == 0 ? 1024 : req->body_cap;
        while (cap < req->body_len + len + 1)
            cap *= 2;
        if (cap > max_body + 1)
            cap = max_body + 1;
        char *grown = realloc(req->body, cap);
        if (grown == NULL) {
            req->body_too_large = true;
            return;
        }
        req->body = grown;
        req->body_cap = cap;
    }
    memcpy(req->body + req->body_len, data, len);
    req->body_len += len;
    req->body[req->body_len] = '\0';
}

static bool is_emulated(const struct request *req)
{
    return req->api != API_ADMIN;
}

/* Asks the fault rules about this request; true when one fired. */
static bool request_fault(struct request *req)
{
    struct fault_request fr = {req->method, req->path, request_param(req, "project_id"), NULL};
    char *query_instance = NULL;
    const char *instance = request_param(req, "instance_id");
    json_t *body = NULL;
    if (instance == NULL && faults_need_instance(req->app->faults)) {
        if (request_query(req, "instance_id", &query_instance) == 0 && query_instance != NULL) {
            instance = query_instance;
        } else if (req->body_len > 0 &&
                   (body = json_loadb(req->body, req->body_len, 0, NULL)) != NULL) {
            json_t *v1 = json_object_get(json_object_get(body, "backup"), "instance");
            json_t *v3 = json_object_get(body, "instance_id");
            instance = json_string_value(v1 != NULL ? v1 : v3);
        }
    }
    fr.instance_id = instance;
    bool fired = faults_match(req->app->faults, &fr, &req->fault);
    json_decref(body);
    free(query_instance);
    return fired;
}

#define JOURNAL_HEADERS_MAX 64

struct header_pairs {
    const char *items[2 * JOURNAL_HEADERS_MAX];
    size_t count;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    struct header_pairs *pairs = cls;
    if (pairs->count == JOURNAL_HEADERS_MAX)
        return MHD_NO;
    pairs->items[2 * pairs->count] = key;
    pairs->items[2 * pairs->count + 1] = value;
    pairs->count++;
    return MHD_YES;
}

static void request_journal(struct request *req)
{
    struct header_pairs pairs = {.count = 0};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, collect_header, &pairs);
    char now[TIME_V3_LEN + 1];
    time_format_v3(clock_now(&req->app->clock), now);
    struct journal_record rec = {
        .request_id = req->request_id,
        .time = now,
        .method = req->method,
        .path = req->path,
        .query = req->query,
        .headers = pairs.items,
        .header_count = pairs.count,
        .body = req->body,
        .body_len = req->body_len,
        .status = req->status,
        .error_code = req->error_code,
        .reason = req->reason[0] != '\0' ? req->reason : NULL,
        .project_id = request_param(req, "project_id"),
    };
    if (journal_add(req->app->journal, &rec) != 0)
        log_error("request %s: not journaled (out of memory)", req->request_id);
}

/* Answers the request once everything it needs has arrived. May suspend the connection for
 * an injected delay: libmicrohttpd then calls the access handler again on resume. */
/* Parks the request until a fault's delay is over (the timer thread resumes it). False when
 * too many are held already: the caller answers at once. */
static bool request_delay(struct server *srv, struct request *req, long ms)
{
    if (atomic_fetch_add(&srv->delayed, 1) >= srv->delayed_max) {
        atomic_fetch_sub(&srv->delayed, 1);
        return false;
    }
    req->delayed = true;
    request_suspend(req);
    if (delay_queue_add(srv->delays, req->conn, ms) != 0)
        MHD_resume_connection(req->conn); /* out of memory: no delay rather than no answer */
    return true;
}

void request_suspend(struct request *req)
{
    req->suspended = true;
    if (req->server != NULL)
        atomic_fetch_add(&req->server->suspended, 1);
    MHD_suspend_connection(req->conn);
}

/* Back in the access handler after a suspension: no longer counted as suspended. */
static void request_unsuspend(struct server *srv, struct request *req)
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

/* Answers the request once everything it needs has arrived. May suspend the connection for
 * an injected delay: libmicrohttpd then calls the access handler again on resume. */
static void request_dispatch(struct server *srv, struct request *req)
{
    if (req->replied)
        return;
    if (req->continuation != NULL) {
        /* Resumed: the store has done what the handler waited for. */
        request_continue_fn cont = req->continuation;
        req->continuation = NULL;
        cont(req);
        goto done;
    }
    if (!req->fault_checked) {
        req->fault_checked = true;
        if (req->auth_err == ERR_NONE && !req->body_too_large)
            req->auth_err = api_check_body_auth(req, req->auth_message, sizeof(req->auth_message));
        if (req->auth_err != ERR_NONE) {
            reply_error(req, req->auth_err, "%s", req->auth_message);
            goto done;
        }
        if (is_emulated(req) && request_fault(req)) {
            req->has_fault = true;
            if (req->fault.delay_ms > 0 && !server_is_stopping(req)) {
                if (request_delay(srv, req, req->fault.delay_ms))
                    return;
                reply_error(req, ERR_UNAVAILABLE,
                            "too many requests are held by fault delays (at most %d at once); "
                            "this one is answered at once",
                            srv->delayed_max);
                goto done;
            }
        }
    }
    if (req->has_fault && req->fault.status != 0)
        reply_fault(req, req->fault.status, req->fault.error_code, req->fault.message);
    else if (req->header_err != ERR_NONE)
        reply_error(req, req->header_err, "%s", req->header_message);
    else if (req->body_too_large)
        reply_error(req, ERR_BODY_TOO_LARGE, "request body is larger than %zu bytes",
                    req->app->cfg->max_body);
    else
        req->match.route->handler(req);
    if (req->continuation != NULL)
        return; /* deferred: answered when resumed */
done:
    if (!req->replied) {
        log_error("request %s: handler gave no answer", req->request_id);
        reply_error(req, ERR_INTERNAL, "internal error");
    }
    /* Journaled before libmicrohttpd sends the answer, which happens after we return. */
    if (is_emulated(req))
        request_journal(req);
}

/* True when the client sends no body, or waits for "100 Continue" before sending it: then a
 * refusal can be answered at once without reading a byte of it. (A client that sends its
 * body at once gets its answer after the body: closing a connection with unread bytes makes
 * the kernel reset it, and the client could lose the answer.) */
static bool body_can_be_skipped(struct request *req)
{
    const char *length = request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *encoding = request_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    const char *expect = request_header(req, MHD_HTTP_HEADER_EXPECT);
    bool no_body = encoding == NULL && (length == NULL || strspn(length, "0") == strlen(length));
    return no_body || (expect != NULL && strcasecmp(expect, "100-continue") == 0);
}

/* The first call of the access handler, with the whole head: the checks that need no body.
 * A request already refused is answered now when its body need not be read; otherwise its
 * body is read without being kept, and the answer follows it. */
static void request_begin(struct server *srv, struct request *req, const char *url,
                          const char *version)
{
    struct framing_verdict framing;
    framing_check(req->conn, url, version, req->uri, &framing);
    if (framing.problem != FRAMING_OK || req->too_many_params) {
        req->close_after = true; /* the rest of what was sent cannot be trusted */
        if (framing.problem == FRAMING_NOT_IMPLEMENTED)
            reply_error(req, ERR_NOT_IMPLEMENTED, "%s", framing.message);
        else if (framing.problem == FRAMING_BAD_REQUEST)
            reply_error(req, ERR_MALFORMED, "%s", framing.message);
        else
            reply_error(req, ERR_URI_TOO_LONG, "the query has more than %d parameters",
                        QUERY_PARAMS_MAX);
        if (req->match.route == NULL || is_emulated(req))
            request_journal(req);
        return;
    }
    request_check_headers(req);
    if (announced_too_large(req, srv->app->cfg->max_body)) {
        req->body_too_large = true;
        request_dispatch(srv, req);
        return;
    }
    if (req->auth_err != ERR_NONE) {
        req->body_unwanted = true;
        if (body_can_be_skipped(req))
            request_dispatch(srv, req);
    }
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    (void)conn;
    struct server *srv = cls;
    struct request *req = *con_cls;
    size_t max_body = srv->app->cfg->max_body;

    if (req == NULL)
        return MHD_NO; /* on_uri ran out of memory */
    request_unsuspend(srv, req);
    if (!req->headers_seen) {
        req->headers_seen = true;
        req->method = method;
        request_begin(srv, req, url, version);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!req->replied && !req->body_unwanted)
            body_append(req, upload_data, *upload_data_size, max_body);
        *upload_data_size = 0;
        return MHD_YES;
    }
    request_dispatch(srv, req);
    return MHD_YES;
}

/* A successful health check: container runtimes poll it every few seconds. */
static bool request_is_health_poll(const struct request *req, int status)
{
    return status == 200 && req->match.route != NULL &&
           strncmp(req->match.route->operation, "admin_health", 12) == 0;
}

/* The end of a request, whatever ended it: logged, counted, freed. `ended_early`: the
 * connection went before the answer was sent. */
static void request_end(struct server *srv, struct request *req, bool ended_early)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double seconds = (double)(now.tv_sec - req->started.tv_sec) +
                     (double)(now.tv_nsec - req->started.tv_nsec) / 1e9;
    int status = req->replied ? req->status : 0;
    metrics_observe(srv->app->metrics, req->operation, status, seconds);
    struct log_request line = {req->request_id, req->method != NULL ? req->method : "-",
                               req->path,       status,
                               seconds * 1e3,   req->error_code,
                               ended_early,     request_is_health_poll(req, status)};
    log_request_line(&line);
    request_unsuspend(srv, req);
    struct conn_state *state = conn_state_of(req->conn);
    if (state != NULL && state->current == req)
        state->current = NULL;
    request_free(req);
    atomic_fetch_sub(&srv->app->in_flight, 1);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct server *srv = cls;
    struct request *req = *con_cls;
    if (req == NULL)
        return;
    request_end(srv, req, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    *con_cls = NULL;
}

/* Binds and listens on the first address of `ai` that works. -1 with errno's value in
 * `*saved` when none does. `dual_stack`: an IPv6 wildcard also takes IPv4 connections. */
static int bind_first(struct addrinfo *ai, int family, bool dual_stack, int *saved)
{
    for (; ai != NULL; ai = ai->ai_next) {
        if (family != AF_UNSPEC && ai->ai_family != family)
            continue;
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            *saved = errno;
            continue;
        }
        int one = 1, zero = 0;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (dual_stack && ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
            return fd;
        *saved = errno;
        close(fd);
    }
    return -1;
}

/* Listens on `host` (empty: every interface, IPv6 and IPv4 together where the system has
 * IPv6) and `port`; the address actually bound goes to `bound` (its numeric host) and
 * `*port_out`. */
static int listen_socket(const char *host, unsigned port, int *fd_out, char *bound, size_t boundlen,
                         unsigned *port_out, char *err, size_t errlen)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char service[16];
    snprintf(service, sizeof(service), "%u", port);
    bool wildcard = host[0] == '\0';
    int gai = getaddrinfo(wildcard ? NULL : host, service, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(gai));
        return -1;
    }
    int saved = 0;
    int fd = wildcard ? bind_first(res, AF_INET6, true, &saved) : -1;
    if (fd < 0)
        fd = bind_first(res, wildcard ? AF_INET : AF_UNSPEC, false, &saved);
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s:%u: %s", wildcard ? "*" : host, port,
                 strerror(saved));
        return -1;
    }
    struct sockaddr_storage addr;
    socklen_t addrlen = sizeof(addr);
    getsockname(fd, (struct sockaddr *)&addr, &addrlen);
    bool v6 = addr.ss_family == AF_INET6;
    *port_out = ntohs(v6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                         : ((struct sockaddr_in *)&addr)->sin_port);
    if (wildcard)
        snprintf(bound, boundlen, "%s", v6 ? "::" : "0.0.0.0");
    else
        snprintf(bound, boundlen, "%s", host);
    *fd_out = fd;
    return 0;
}

int server_start(struct app *app, struct server **out, char *err, size_t errlen)
{
    const struct config *cfg = app->cfg;
    struct server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    srv->app = app;
    /* Half of the connections may be held by fault delays: the rest stay free for the control
     * plane and for other requests. */
    srv->delayed_max = cfg->max_connections / 2 > 0 ? (int)(cfg->max_connections / 2) : 1;
    if (listen_socket(cfg->listen_host, cfg->listen_port, &srv->listen_fd, srv->host,
                      sizeof(srv->host), &srv->port, err, errlen) != 0) {
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
    unsigned mhd_limit = cfg->max_connections + cfg->threads * 8 + 16;
    /* A pool only from two workers on: libmicrohttpd warns about a pool of one, and one
     * internal thread is the same thing. */
    struct MHD_OptionItem pool[] = {
        {cfg->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)cfg->threads,
         NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->daemon = MHD_start_daemon(
        flags, 0, on_accept, srv, on_access, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_LISTEN_SOCKET, srv->listen_fd, MHD_OPTION_ARRAY, pool,
        MHD_OPTION_CONNECTION_LIMIT, mhd_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY_BYTES, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->idle_timeout,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_UNESCAPE_CALLBACK, unescape_none,
        NULL, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        snprintf(err, errlen, "cannot start the HTTP server on %s:%u", cfg->listen_host, srv->port);
        delay_queue_stop(srv->delays);
        delay_queue_free(srv->delays);
        close(srv->listen_fd);
        free(srv);
        return -1;
    }
    *out = srv;
    return 0;
}

const char *server_host(const struct server *srv)
{
    return srv->host;
}

unsigned server_port(const struct server *srv)
{
    return srv->port;
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

void server_stop(struct server *srv)
{
    if (srv == NULL)
        return;
    /* From now on a new connection is closed as soon as it is accepted (on_accept). Not
     * MHD_quiesce_daemon: in libmicrohttpd 0.9.75 a worker can read the listening socket
     * while quiesce invalidates it, and then aborts the process (seen with the epoll loop:
     * "Failed to remove listen FD from epoll set", about once in a few hundred stops). */
    atomic_store(&srv->stopping, true);
    /* Requests held by a fault's delay are answered now: the stop does not wait for them. */
    delay_queue_stop(srv->delays);
    /* Drain: requests already sent on open connections are read and answered (each answer
     * now closes its connection). Done when no connection is left, or when nothing has been
     * in flight for DRAIN_QUIET_MS; at most DRAIN_SECONDS. */
    long quiet = 0, waited = 0;
    for (; waited < DRAIN_SECONDS * 1000L && atomic_load(&srv->connections) > 0; waited += 5) {
        quiet = atomic_load(&srv->app->in_flight) > 0 ? 0 : quiet + 5;
        if (quiet >= DRAIN_QUIET_MS)
            break;
        pause_ms(5);
    }
    log_info("drained after %ld ms: %d connections still open, %d requests in flight", waited,
             atomic_load(&srv->connections), atomic_load(&srv->app->in_flight));
    /* Requests still waiting for the store (a lock another process holds, say) are failed
     * now, so that each is resumed and answered: libmicrohttpd must not be stopped with a
     * suspended connection (it aborts the process). */
    if (atomic_load(&srv->suspended) > 0) {
        store_cancel_waits(srv->app->store);
        for (int i = 0; i < 1000 && atomic_load(&srv->suspended) > 0; i++)
            pause_ms(5);
    }
    for (int i = 0; i < 200 && atomic_load(&srv->app->in_flight) > 0; i++)
        pause_ms(5);
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
