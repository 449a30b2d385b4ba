/* The request journal: entries are copied once when recorded and never change after, so a
 * reader takes references under the lock and renders without it (docs/emulator.md "Request
 * journal"). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/api/journal.h"
#include "rdsemu/base/strbuf.h"
#include "rdsemu/core/validate.h"

/* One request as recorded: every text in one block after the entry, so recording costs one
 * allocation and a few copies; the JSON is made only when someone reads the journal. An entry
 * never changes once recorded; the ring and each reader hold a reference, so a reader renders
 * its entries after letting go of the lock, and the last one to let go frees the entry. */
struct journal_entry {
    atomic_size_t refs;
    const char *request_id, *time, *method, *path, *query, *body, *error_code, *reason, *project_id;
    const char *headers; /* "name\0value\0" pairs, `header_count` of them */
    size_t header_count;
    bool body_truncated;
    int status;
    char block[];
};

struct journal {
    pthread_mutex_t lock;
    size_t capacity;
    size_t next;                    /* slot the next entry goes to */
    size_t count;                   /* entries held, at most capacity */
    struct journal_entry **entries; /* the ring; NULL for an empty slot */
};

static void entry_release(struct journal_entry *e)
{
    if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1)
        free(e);
}

struct journal *journal_new(size_t capacity)
{
    struct journal *j = calloc(1, sizeof(*j));
    if (j == NULL)
        return NULL;
    j->capacity = capacity;
    if (capacity > 0 && (j->entries = calloc(capacity, sizeof(*j->entries))) == NULL) {
        free(j);
        return NULL;
    }
    pthread_mutex_init(&j->lock, NULL);
    return j;
}

void journal_clear(struct journal *j)
{
    /* The entries are freed after the lock is let go: recording never waits for that. */
    struct journal_entry **fresh = j->capacity > 0 ? calloc(j->capacity, sizeof(*fresh)) : NULL;
    pthread_mutex_lock(&j->lock);
    struct journal_entry **old = j->entries;
    if (fresh != NULL) {
        j->entries = fresh;
    } else {
        for (size_t i = 0; i < j->capacity; i++) {
            entry_release(j->entries[i]); /* out of memory: freed under the lock instead */
            j->entries[i] = NULL;
        }
        old = NULL;
    }
    j->next = j->count = 0;
    pthread_mutex_unlock(&j->lock);
    if (old != NULL) {
        for (size_t i = 0; i < j->capacity; i++)
            entry_release(old[i]);
        free(old);
    }
}

void journal_free(struct journal *j)
{
    if (j == NULL)
        return;
    for (size_t i = 0; i < j->capacity; i++)
        entry_release(j->entries[i]);
    pthread_mutex_destroy(&j->lock);
    free(j->entries);
    free(j);
}

/* Headers whose values are secrets. */
static const char *const secret_headers[] = {
    "X-Auth-Token",    "Authorization",       "X-Security-Token", "X-Emulator-Admin-Token",
    "X-Subject-Token", "Proxy-Authorization", "Cookie",
};

const char *journal_secret_header(const char *name)
{
    for (size_t i = 0; i < sizeof(secret_headers) / sizeof(secret_headers[0]); i++) {
        /* By prefix too: libmicrohttpd glues a folded continuation line onto the header's
         * name ("X-Auth-Token:\r\n tok" arrives as the name "X-Auth-Tokentok"). */
        if (strncasecmp(name, secret_headers[i], strlen(secret_headers[i])) == 0)
            return secret_headers[i];
    }
    return NULL;
}

bool journal_header_is_secret(const char *name)
{
    return journal_secret_header(name) != NULL;
}

/* Bytes of `body` kept: at most JOURNAL_BODY_MAX, cut on a UTF-8 boundary. */
static size_t body_kept(const char *body, size_t len, bool *cut)
{
    *cut = len > JOURNAL_BODY_MAX;
    if (!*cut)
        return len;
    len = JOURNAL_BODY_MAX;
    while (len > 0 && ((unsigned char)body[len] & 0xC0) == 0x80)
        len--; /* do not split a UTF-8 sequence */
    return len;
}

/* Copies `len` bytes of `s` to `*at` as a C string and advances `*at`; returns the copy. */
static const char *put(char **at, const char *s, size_t len)
{
    char *copy = *at;
    memcpy(copy, s, len);
    copy[len] = '\0';
    *at += len + 1;
    return copy;
}

int journal_add(struct journal *j, const struct journal_record *rec)
{
    if (j->capacity == 0)
        return 0;
    const char *texts[] = {rec->request_id,
                           rec->time,
                           rec->method,
                           rec->path,
                           rec->query != NULL ? rec->query : "",
                           rec->error_code != NULL ? rec->error_code : "",
                           rec->reason != NULL ? rec->reason : "",
                           rec->project_id != NULL ? rec->project_id : ""};
    size_t count = sizeof(texts) / sizeof(texts[0]);
    bool cut = false;
    size_t body_len = rec->body != NULL ? body_kept(rec->body, rec->body_len, &cut) : 0;
    size_t total = body_len + 1;
    for (size_t i = 0; i < count; i++)
        total += strlen(texts[i]) + 1;
    for (size_t i = 0; i < rec->header_count; i++) {
        const char *name = rec->headers[2 * i], *v = rec->headers[2 * i + 1];
        if (journal_header_is_secret(name)) {
            name = journal_secret_header(name); /* what a folded line glued on is not shown */
            v = "***";
        }
        total += strlen(name) + 1 + strlen(v != NULL ? v : "") + 1;
    }

    struct journal_entry *e = malloc(sizeof(*e) + total);
    if (e == NULL)
        return -1;
    memset(e, 0, sizeof(*e));
    atomic_init(&e->refs, 1); /* the ring's */
    char *at = e->block;
    const char **fields[] = {&e->request_id, &e->time,       &e->method, &e->path,
                             &e->query,      &e->error_code, &e->reason, &e->project_id};
    for (size_t i = 0; i < count; i++)
        *fields[i] = put(&at, texts[i], strlen(texts[i]));
    char *body = (char *)put(&at, rec->body != NULL ? rec->body : "", body_len);
    for (size_t i = 0; i < body_len; i++)
        if (body[i] == '\0')
            body[i] = '?'; /* a raw NUL would end the text */
    e->body = body;
    e->headers = at;
    for (size_t i = 0; i < rec->header_count; i++) {
        const char *name = rec->headers[2 * i], *v = rec->headers[2 * i + 1];
        if (journal_header_is_secret(name)) {
            name = journal_secret_header(name);
            v = "***";
        }
        if (v == NULL)
            v = "";
        put(&at, name, strlen(name));
        put(&at, v, strlen(v));
    }
    e->header_count = rec->header_count;
    e->body_truncated = cut;
    e->status = rec->status;
    if (rec->body == NULL || rec->body_len == 0)
        e->body = NULL;
    if (rec->error_code == NULL)
        e->error_code = NULL;
    if (rec->reason == NULL)
        e->reason = NULL;
    if (rec->project_id == NULL)
        e->project_id = NULL;

    pthread_mutex_lock(&j->lock);
    struct journal_entry *oldest = j->entries[j->next]; /* it goes when the ring is full */
    j->entries[j->next] = e;
    j->next = (j->next + 1) % j->capacity;
    if (j->count < j->capacity)
        j->count++;
    pthread_mutex_unlock(&j->lock);
    entry_release(oldest); /* a reader may still hold it: then the reader frees it */
    return 0;
}

/* New reference: a text made JSON-safe (invalid UTF-8 and NUL bytes become '?'), or null. */
static json_t *safe_string(const char *s)
{
    if (s == NULL)
        return json_null();
    char *copy = strdup(s);
    if (copy == NULL)
        return NULL;
    utf8_sanitize(copy);
    json_t *v = json_string(copy);
    free(copy);
    return v;
}

/* New: the entry as JSON text. */
static char *entry_text(const struct journal_entry *e)
{
    json_t *headers = json_object();
    const char *at = e->headers;
    for (size_t i = 0; headers != NULL && i < e->header_count; i++) {
        const char *name = at;
        const char *value = name + strlen(name) + 1;
        at = value + strlen(value) + 1;
        char *safe_name = strdup(name);
        if (safe_name != NULL) {
            utf8_sanitize(safe_name);
            json_object_set_new(headers, safe_name, safe_string(value));
            free(safe_name);
        }
    }
    json_t *obj = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:i, s:o, s:o}", "request_id",
                            safe_string(e->request_id), "time", safe_string(e->time), "method",
                            safe_string(e->method), "path", safe_string(e->path), "query",
                            safe_string(e->query), "headers", headers, "body", safe_string(e->body),
                            "body_truncated", e->body_truncated, "status", e->status, "error_code",
                            safe_string(e->error_code), "reason", safe_string(e->reason));
    char *text = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;
    json_decref(obj);
    return text;
}

char *journal_render(struct journal *j, const char *project_id, size_t limit)
{
    /* Under the lock only the references are taken; the JSON is made after, so a reader of a
     * long journal never holds up the requests that record into it. */
    struct journal_entry **picked = j->capacity > 0 ? malloc(j->capacity * sizeof(*picked)) : NULL;
    if (j->capacity > 0 && picked == NULL)
        return NULL;
    size_t shown = 0;
    pthread_mutex_lock(&j->lock);
    for (size_t i = 0; i < j->count && (limit == 0 || shown < limit); i++) {
        struct journal_entry *e = j->entries[(j->next + j->capacity - 1 - i) % j->capacity];
        if (project_id != NULL && (e->project_id == NULL || strcmp(e->project_id, project_id) != 0))
            continue;
        atomic_fetch_add(&e->refs, 1);
        picked[shown++] = e;
    }
    pthread_mutex_unlock(&j->lock);

    struct strbuf text = STRBUF_INIT;
    strbuf_reserve(&text, 4096);
    strbuf_puts(&text, "{\"requests\":[");
    for (size_t i = 0; i < shown; i++) {
        char *entry = text.error == STRBUF_OK ? entry_text(picked[i]) : NULL;
        if (entry == NULL) {
            text.error = STRBUF_NO_MEMORY;
        } else {
            if (i > 0)
                strbuf_append(&text, ",", 1);
            strbuf_puts(&text, entry);
            free(entry);
        }
        entry_release(picked[i]);
    }
    free(picked);
    strbuf_puts(&text, "]}");
    return strbuf_take(&text, NULL);
}

size_t journal_count(struct journal *j)
{
    pthread_mutex_lock(&j->lock);
    size_t n = j->count;
    pthread_mutex_unlock(&j->lock);
    return n;
}
