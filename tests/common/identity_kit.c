/* The calls of the identity tests (tests/common/identity_kit.h). */
#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "expect.h"

#include "identity_kit.h"

size_t id_on_body(char *ptr, size_t size, size_t n, void *arg)
{
    struct id_collect *c = arg;
    char *grown = realloc(c->data, c->len + size * n + 1);
    if (grown == NULL)
        return 0;
    c->data = grown;
    memcpy(c->data + c->len, ptr, size * n);
    c->len += size * n;
    c->data[c->len] = '\0';
    return size * n;
}

/* Copies the value of `name` from a header line, trimmed. */
bool id_take(const char *line, size_t len, const char *name, char *out, size_t max)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return false;
    const char *v = line + n + 1;
    size_t vlen = len - n - 1;
    while (vlen > 0 && *v == ' ')
        v++, vlen--;
    while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
        vlen--;
    if (vlen >= max)
        vlen = max - 1;
    memcpy(out, v, vlen);
    out[vlen] = '\0';
    return true;
}

size_t id_on_header(char *line, size_t size, size_t n, void *arg)
{
    struct id_answer *a = arg;
    size_t len = size * n;
    id_take(line, len, "X-Request-Id", a->r.request_id, sizeof(a->r.request_id));
    id_take(line, len, "Content-Type", a->r.content_type, sizeof(a->r.content_type));
    if (id_take(line, len, "X-Subject-Token", a->subject, sizeof(a->subject)))
        a->has_subject = true;
    return len;
}

/* `method` `path` (on the server's base URL, or a full URL when it starts with "http") with
 * `headers` (NULL-terminated or NULL) and `body` (NULL: none). 0 when an answer came. */
int id_send(const struct emu *emu, const char *method, const char *path, const char *const *headers,
            const char *body, struct id_answer *out)
{
    memset(out, 0, sizeof(*out));
    CURL *curl = curl_easy_init();
    struct curl_slist *list = curl_slist_append(NULL, "Expect:");
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
        list = curl_slist_append(list, headers[i]);
    char url[1024];
    snprintf(url, sizeof(url), "%s%s", strncmp(path, "http", 4) == 0 ? "" : emu->base_url, path);
    struct id_collect c = {NULL, 0, out};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, id_on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, id_on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    CURLcode res = curl_easy_perform(curl);
    if (res == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->r.status);
    else
        snprintf(out->r.error, sizeof(out->r.error), "%s", curl_easy_strerror(res));
    out->r.body = c.data != NULL ? c.data : calloc(1, 1);
    out->r.body_len = c.len;
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return res == CURLE_OK ? 0 : -1;
}

void id_free(struct id_answer *a)
{
    http_response_free(&a->r);
}

/* The member at a dotted path ("token.project.id"; a number picks an array element), or
 * NULL. Borrowed from `root`. */
json_t *jpath(json_t *root, const char *path)
{
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", path);
    json_t *at = root;
    for (char *save = NULL, *part = strtok_r(copy, ".", &save); part != NULL && at != NULL;
         part = strtok_r(NULL, ".", &save)) {
        if (json_is_array(at))
            at = json_array_get(at, (size_t)atoi(part));
        else
            at = json_object_get(at, part);
    }
    return at;
}

const char *jstr(json_t *root, const char *path)
{
    return json_string_value(jpath(root, path));
}
