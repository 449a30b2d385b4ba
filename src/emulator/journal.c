/* The request journal: entries are serialised once when recorded, so reading the journal
 * never races with the threads that write it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rdsemu/journal.h"
#include "rdsemu/validate.h"

struct journal_entry {
    char *json;       /* the entry as JSON text */
    char *project_id; /* NULL when the request named none */
};

struct journal {
    pthread_mutex_t lock;
    size_t capacity;
    size_t next;  /* slot the next entry goes to */
    size_t count; /* entries held, at most capacity */
    struct journal_entry *entries;
};

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

static void entry_clear(struct journal_entry *e)
{
    free(e->json);
    free(e->project_id);
    e->json = NULL;
    e->project_id = NULL;
}

void journal_clear(struct journal *j)
{
    pthread_mutex_lock(&j->lock);
    for (size_t i = 0; i < j->capacity; i++)
        entry_clear(&j->entries[i]);
    j->next = j->count = 0;
    pthread_mutex_unlock(&j->lock);
}

void journal_free(struct journal *j)
{
    if (j == NULL)
        return;
    journal_clear(j);
    pthread_mutex_destroy(&j->lock);
    free(j->entries);
    free(j);
}

bool journal_header_is_secret(const char *name)
{
    static const char *const secret[] = {"X-Auth-Token", "Authorization", "X-Security-Token",
                                         "X-Emulator-Admin-Token"};
    for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
        if (strcasecmp(name, secret[i]) == 0)
            return true;
    return false;
}

/* New: a JSON-safe copy of at most JOURNAL_BODY_MAX bytes of `body`. */
static char *body_copy(const char *body, size_t len, bool *cut)
{
    *cut = len > JOURNAL_BODY_MAX;
    if (*cut) {
        len = JOURNAL_BODY_MAX;
        while (len > 0 && ((unsigned char)body[len] & 0xC0) == 0x80)
            len--; /* do not split a UTF-8 sequence */
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        copy[i] = body[i] == '\0' ? '?' : body[i]; /* a raw NUL would end the string */
    copy[len] = '\0';
    utf8_sanitize(copy);
    return copy;
}

static json_t *redacted_headers(json_t *headers)
{
    json_t *out = json_object();
    const char *name;
    json_t *value;
    json_object_foreach(headers, name, value)
    {
        json_object_set_new(out, name,
                            journal_header_is_secret(name) ? json_string("***")
                                                           : json_incref(value));
    }
    return out;
}

/* New reference: a string, or JSON null for NULL. */
static json_t *string_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static char *entry_text(const struct journal_record *rec)
{
    bool cut = false;
    char *body = rec->body != NULL && rec->body_len > 0
                     ? body_copy(rec->body, rec->body_len, &cut)
                     : NULL;
    char query[2048];
    snprintf(query, sizeof(query), "%s", rec->query != NULL ? rec->query : "");
    utf8_sanitize(query);
    char path[2048];
    snprintf(path, sizeof(path), "%s", rec->path);
    utf8_sanitize(path);
    json_t *obj = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:i, s:o, s:o}", "request_id",
        rec->request_id, "time", rec->time, "method", rec->method, "path", path, "query",
        query, "headers", redacted_headers(rec->headers), "body", string_or_null(body),
        "body_truncated", cut, "status", rec->status, "error_code",
        string_or_null(rec->error_code), "reason", string_or_null(rec->reason));
    free(body);
    char *text = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;
    json_decref(obj);
    return text;
}

int journal_add(struct journal *j, const struct journal_record *rec)
{
    if (j->capacity == 0)
        return 0;
    struct journal_entry e = {entry_text(rec), NULL};
    if (e.json == NULL || (rec->project_id != NULL &&
                           (e.project_id = strdup(rec->project_id)) == NULL)) {
        entry_clear(&e);
        return -1;
    }
    pthread_mutex_lock(&j->lock);
    entry_clear(&j->entries[j->next]); /* the oldest goes when the ring is full */
    j->entries[j->next] = e;
    j->next = (j->next + 1) % j->capacity;
    if (j->count < j->capacity)
        j->count++;
    pthread_mutex_unlock(&j->lock);
    return 0;
}

/* Appends `s` to the growing buffer; -1 when out of memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t grown = *cap * 2 > *len + n + 1 ? *cap * 2 : *len + n + 1;
        char *p = realloc(*buf, grown);
        if (p == NULL)
            return -1;
        *buf = p;
        *cap = grown;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return 0;
}

char *journal_render(struct journal *j, const char *project_id, size_t limit)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    buf[0] = '\0';
    int rc = append(&buf, &len, &cap, "{\"requests\":[");
    size_t shown = 0;
    pthread_mutex_lock(&j->lock);
    for (size_t i = 0; rc == 0 && i < j->count && (limit == 0 || shown < limit); i++) {
        const struct journal_entry *e = &j->entries[(j->next + j->capacity - 1 - i) % j->capacity];
        if (project_id != NULL && (e->project_id == NULL || strcmp(e->project_id, project_id) != 0))
            continue;
        if (shown++ > 0)
            rc = append(&buf, &len, &cap, ",");
        if (rc == 0)
            rc = append(&buf, &len, &cap, e->json);
    }
    pthread_mutex_unlock(&j->lock);
    if (rc == 0)
        rc = append(&buf, &len, &cap, "]}");
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

size_t journal_count(struct journal *j)
{
    pthread_mutex_lock(&j->lock);
    size_t n = j->count;
    pthread_mutex_unlock(&j->lock);
    return n;
}
