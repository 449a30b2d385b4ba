/* The request journal (docs/emulator.md): a bounded ring of the latest requests to the emulated
 * APIs, newest first, with tokens redacted and bodies cut at 4 KiB. Thread-safe. */
#ifndef RDSEMU_JOURNAL_H
#define RDSEMU_JOURNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define JOURNAL_BODY_MAX 4096
/* The most entries --journal-size may ask for (docs/guarantees.md "Limits"): an entry holds up
 * to about 36 KiB (a 32 KiB request head and a 4 KiB body), typically under 2 KiB. */
#define JOURNAL_SIZE_MAX 100000

struct journal;

/* A journal of `capacity` entries (0: records nothing). NULL when out of memory. */
struct journal *journal_new(size_t capacity);
void journal_free(struct journal *journal);

struct journal_record {
    const char *request_id;
    const char *time; /* v3 time of the emulator clock */
    const char *method;
    const char *path;
    const char *query;          /* raw, without '?'; NULL when there is none */
    const char *const *headers; /* borrowed: name, value, name, value...; redacted here */
    size_t header_count;        /* pairs in `headers` */
    const char *body;           /* may be NULL */
    size_t body_len;
    int status;
    const char *error_code; /* NULL on success */
    const char *reason;     /* NULL on success */
    const char *project_id; /* for the filter; NULL when the path has none */
};

/* Copies what it needs. 0, or -1 when out of memory (the entry is dropped). */
int journal_add(struct journal *journal, const struct journal_record *rec);
/* New: {"requests": [...]} newest first, only `project_id`'s when not NULL, at most `limit`
 * (0: all). NULL when out of memory. The lock is held only to take references to the
 * entries: recording goes on while the text is made. */
char *journal_render(struct journal *journal, const char *project_id, size_t limit);
void journal_clear(struct journal *journal);
size_t journal_count(struct journal *journal);

/* The text the journal keeps of a body that holds secrets (a login to the identity routes,
 * docs/identity.md): the JSON with the value of auth.identity.token.id and of every member
 * named "password", at any depth, replaced by "***", written compact; a body that is not JSON
 * becomes "***" whole. New, its length in `*out_len`; NULL when out of memory. */
char *journal_body_redacted(const char *body, size_t len, size_t *out_len);

/* True for the headers whose value never leaves the emulator (tokens, signatures). */
bool journal_header_is_secret(const char *name);
/* Borrowed, static: the secret header `name` is, or starts with (matched case-insensitively),
 * spelled canonically; NULL when it is none. */
const char *journal_secret_header(const char *name);

#endif
