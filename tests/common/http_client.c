/* libcurl with the options every test wants: HTTP/1.1, no signals, time limits, no
 * headers added behind the test's back. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_client.h"

/* Chunked uploads are sent in pieces of this size, so the server sees several chunks. */
#define UPLOAD_PIECE 1000

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

CURL *http_handle_new(void)
{
    pthread_once(&global_once, global_init);
    return curl_easy_init();
}

struct growing {
    char *data;
    size_t len, cap;
    bool failed;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct growing *g = arg;
    size_t n = size * nmemb;
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap == 0 ? 1024 : g->cap;
        while (cap < g->len + n + 1)
            cap *= 2;
        char *grown = realloc(g->data, cap);
        if (grown == NULL) {
            g->failed = true;
            return 0;
        }
        g->data = grown;
        g->cap = cap;
    }
    memcpy(g->data + g->len, ptr, n);
    g->len += n;
    g->data[g->len] = '\0';
    return n;
}

/* Copies the value of header `name` from `line` ("Name: value\r\n") into `out`. */
static void take_header(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
    size_t namelen = strlen(name);
    if (len <= namelen || strncasecmp(line, name, namelen) != 0 || line[namelen] != ':')
        return;
    const char *value = line + namelen + 1;
    size_t vlen = len - namelen - 1;
    while (vlen > 0 && (*value == ' ' || *value == '\t'))
        value++, vlen--;
    while (vlen > 0 &&
           (value[vlen - 1] == '\r' || value[vlen - 1] == '\n' || value[vlen - 1] == ' '))
        vlen--;
    if (vlen >= outlen)
        vlen = outlen - 1;
    memcpy(out, value, vlen);
    out[vlen] = '\0';
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *arg)
{
    struct http_response *r = arg;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a "100 Continue"): forget the headers of the last one. */
        r->request_id[0] = '\0';
        r->content_type[0] = '\0';
    }
    take_header(line, len, "X-Request-Id", r->request_id, sizeof(r->request_id));
    take_header(line, len, "Content-Type", r->content_type, sizeof(r->content_type));
    return len;
}

struct upload {
    const char *data;
    size_t len, sent;
};

static size_t on_read(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t n = u->len - u->sent;
    if (n > size * nitems)
        n = size * nitems;
    if (n > UPLOAD_PIECE)
        n = UPLOAD_PIECE;
    memcpy(buf, u->data + u->sent, n);
    u->sent += n;
    return n;
}

static bool names_header(const char *const *headers, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
        if (strncasecmp(headers[i], name, len) == 0 &&
            (headers[i][len] == ':' || headers[i][len] == ';'))
            return true;
    return false;
}

/* The caller's headers, plus the ones that switch off what libcurl would add. */
static struct curl_slist *header_list(const struct http_request *req)
{
    struct curl_slist *list = NULL, *next;
    for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
        if ((next = curl_slist_append(list, req->headers[i])) == NULL)
            goto fail;
        list = next;
    }
    if (!names_header(req->headers, "Content-Type")) {
        if ((next = curl_slist_append(list, "Content-Type:")) == NULL)
            goto fail;
        list = next;
    }
    if (!names_header(req->headers, "Expect")) {
        if ((next = curl_slist_append(list, "Expect:")) == NULL)
            goto fail;
        list = next;
    }
    if (req->chunked && !names_header(req->headers, "Transfer-Encoding")) {
        if ((next = curl_slist_append(list, "Transfer-Encoding: chunked")) == NULL)
            goto fail;
        list = next;
    }
    return list;
fail:
    curl_slist_free_all(list);
    return NULL;
}

int http_send(CURL *handle, const char *base_url, const struct http_request *req,
              struct http_response *out)
{
    memset(out, 0, sizeof(*out));
    CURL *own = NULL;
    if (handle == NULL && (handle = own = http_handle_new()) == NULL) {
        snprintf(out->error, sizeof(out->error), "cannot make a libcurl handle");
        out->body = calloc(1, 1);
        return -1;
    }
    curl_easy_reset(handle);

    size_t url_len = strlen(base_url) + strlen(req->path) + 1;
    char *url = malloc(url_len);
    struct curl_slist *headers = header_list(req);
    struct growing body = {0};
    size_t body_len = req->body == NULL ? 0 : req->body_len ? req->body_len : strlen(req->body);
    struct upload upload = {req->body, body_len, 0};
    char errbuf[CURL_ERROR_SIZE] = "";
    int rc = -1;
    if (url == NULL || headers == NULL) {
        snprintf(out->error, sizeof(out->error), "out of memory");
        goto out;
    }
    snprintf(url, url_len, "%s%s", base_url, req->path);

    curl_easy_setopt(handle, CURLOPT_URL, url);
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, (long)HTTP_TIMEOUT_MS);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, (long)HTTP_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(handle, CURLOPT_PROXY, "");
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, out);
    if (req->body != NULL && req->chunked) {
        curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(handle, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    } else if (req->body != NULL) {
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, req->body);
    } else {
        curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, req->method);
    /* A HEAD answer has a Content-Length but no body: tell libcurl not to wait for one. */
    curl_easy_setopt(handle, CURLOPT_NOBODY, strcmp(req->method, "HEAD") == 0 ? 1L : 0L);

    CURLcode res = curl_easy_perform(handle);
    if (res != CURLE_OK) {
        snprintf(out->error, sizeof(out->error), "%.16s %.128s: %.256s", req->method, req->path,
                 errbuf[0] != '\0' ? errbuf : curl_easy_strerror(res));
        goto out;
    }
    if (body.failed) {
        snprintf(out->error, sizeof(out->error), "out of memory reading the body");
        goto out;
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &out->status);
    rc = 0;
out:
    out->body = body.data != NULL ? body.data : calloc(1, 1);
    out->body_len = body.len;
    if (rc != 0)
        out->status = 0;
    curl_easy_reset(handle); /* drop the pointers to this call's buffers; keeps connections */
    curl_slist_free_all(headers);
    free(url);
    if (own != NULL)
        curl_easy_cleanup(own);
    return rc;
}

void http_response_free(struct http_response *r)
{
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
}

json_t *http_response_json(const struct http_response *r)
{
    if (r->body == NULL || r->body_len == 0)
        return NULL;
    return json_loadb(r->body, r->body_len, JSON_DECODE_ANY, NULL);
}
