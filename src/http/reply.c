/* The one place an answer is made (include/rdsemu/http/reply.h). */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/log.h"
#include "rdsemu/http/reply.h"

/* Queues `resp` (destroyed here): X-Request-Id on all, the content type when there is a body,
 * and "Connection: close" when the connection is to end or the server is stopping, so that
 * keep-alive clients do not send more while it drains. */
static void queue_response(struct http_request *req, int status, struct MHD_Response *resp,
                           const char *content_type)
{
    if (content_type != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    for (size_t i = 0; i < req->reply_header_count; i++)
        MHD_add_response_header(resp, req->reply_headers[2 * i], req->reply_headers[2 * i + 1]);
    if (req->close_after || http_request_stopping(req))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (MHD_queue_response(req->conn, (unsigned)status, resp) != MHD_YES)
        log_error("request %s: cannot queue the response", req->request_id);
    MHD_destroy_response(resp);
    req->replied = true;
    req->status = status;
}

bool http_reply_header(struct http_request *req, const char *name, const char *value)
{
    if (req->reply_header_count == HTTP_REPLY_HEADERS_MAX)
        return false;
    char *n = strdup(name), *v = strdup(value);
    if (n == NULL || v == NULL) {
        free(n);
        free(v);
        return false;
    }
    req->reply_headers[2 * req->reply_header_count] = n;
    req->reply_headers[2 * req->reply_header_count + 1] = v;
    req->reply_header_count++;
    return true;
}

void http_reply(struct http_request *req, int status, const char *content_type, char *body,
                size_t len, bool is_static)
{
    if (req->replied) {
        if (!is_static)
            free(body);
        log_error("request %s: a second answer was dropped", req->request_id);
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        body != NULL ? len : 0, body,
        body != NULL && !is_static ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        if (!is_static)
            free(body);
        log_error("request %s: cannot create a response", req->request_id);
        return;
    }
    queue_response(req, status, resp, body != NULL ? content_type : NULL);
}

/* A streamed body: the caller's reader, its state and how to free it. */
struct stream {
    http_stream_fn reader;
    void *state;
    void (*free_state)(void *state);
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *s = cls;
    long n = s->reader(s->state, buf, max);
    if (n < 0)
        return MHD_CONTENT_READER_END_WITH_ERROR; /* the connection is closed mid-answer */
    if (n == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct stream *s = cls;
    if (s->free_state != NULL)
        s->free_state(s->state);
    free(s);
}

/* Chunks of at most this many bytes are asked of the reader. */
#define STREAM_BLOCK (32 * 1024)

bool http_reply_stream(struct http_request *req, int status, const char *content_type,
                       http_stream_fn reader, void *state, void (*free_state)(void *state))
{
    struct stream *s = req->replied ? NULL : malloc(sizeof(*s));
    if (s == NULL) {
        if (free_state != NULL)
            free_state(state);
        if (req->replied)
            log_error("request %s: a second answer was dropped", req->request_id);
        return false;
    }
    *s = (struct stream){reader, state, free_state};
    /* Size unknown: chunked in HTTP/1.1, the connection closed at the end in HTTP/1.0. */
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
                                                                  stream_read, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        log_error("request %s: cannot create a response", req->request_id);
        return false;
    }
    queue_response(req, status, resp, content_type);
    return true;
}
