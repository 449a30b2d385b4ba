/* The query lines of SDK-HMAC-SHA256 signatures (src/core/signature_query.h). Bytes with
 * lengths throughout: a decoded name or value may hold any byte, NUL included. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/base/percent.h"
#include "signature_query.h"

struct query_pair {
    const char *name; /* decoded bytes, not NUL-terminated */
    size_t name_len;
    const char *value;
    size_t value_len;
    size_t order; /* its place in the query as sent */
    /* Credential=: its name encoded, in the pairs' `names` once that stopped growing */
    const char *encoded;
    size_t encoded_len;
};

struct query_pairs {
    struct query_pair *items;
    size_t count;
    char *decoded;       /* every decoded name and value, one block */
    struct strbuf names; /* Credential=: the encoded names */
};

static void pairs_free(struct query_pairs *p)
{
    free(p->items);
    free(p->decoded);
    strbuf_release(&p->names);
}

/* Items split on '&' (empty items skipped), each at its first '=' (none: an empty value),
 * name and value decoded. 0, or -1 out of memory (`out` to free either way). */
static int pairs_parse(const char *query, size_t len, bool plus_is_space, struct query_pairs *out)
{
    memset(out, 0, sizeof(*out));
    if (query == NULL || len == 0)
        return 0;
    size_t items = 1;
    for (size_t i = 0; i < len; i++)
        items += query[i] == '&';
    out->items = calloc(items, sizeof(*out->items));
    out->decoded = malloc(len);
    if (out->items == NULL || out->decoded == NULL)
        return -1;
    size_t used = 0;
    for (size_t start = 0; start <= len;) {
        size_t end = start;
        while (end < len && query[end] != '&')
            end++;
        if (end > start) {
            const char *item = query + start;
            size_t item_len = end - start;
            const char *eq = memchr(item, '=', item_len);
            size_t name_len = eq != NULL ? (size_t)(eq - item) : item_len;
            struct query_pair *p = &out->items[out->count];
            p->order = out->count++;
            p->name = out->decoded + used;
            p->name_len = percent_decode_bytes(item, name_len, out->decoded + used, plus_is_space);
            used += p->name_len;
            p->value = out->decoded + used;
            p->value_len = eq != NULL ? percent_decode_bytes(eq + 1, item_len - name_len - 1,
                                                             out->decoded + used, plus_is_space)
                                      : 0;
            used += p->value_len;
        }
        start = end + 1;
    }
    return 0;
}

static int bytes_compare(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int c = n > 0 ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c;
    return a_len < b_len ? -1 : a_len > b_len;
}

static int order_compare(const struct query_pair *x, const struct query_pair *y)
{
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Access=: by decoded name, then decoded value, byte by byte. */
static int compare_access(const void *a, const void *b)
{
    const struct query_pair *x = a, *y = b;
    int c = bytes_compare(x->name, x->name_len, y->name, y->name_len);
    return c != 0 ? c : bytes_compare(x->value, x->value_len, y->value, y->value_len);
}

/* url.Values.Encode: by decoded name (bytes); a name's values stay in the order sent. */
static int compare_values_encode(const void *a, const void *b)
{
    const struct query_pair *x = a, *y = b;
    int c = bytes_compare(x->name, x->name_len, y->name, y->name_len);
    return c != 0 ? c : order_compare(x, y);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Credential=: encoded names compared case-insensitively (gophertelekomcloud's
 * caseInsensitiveSort), then as they are, then in the order sent, so the first value a name
 * was sent with comes first. */
static int compare_credential(const void *a, const void *b)
{
    const struct query_pair *x = a, *y = b;
    const char *xn = x->encoded, *yn = y->encoded;
    size_t n = x->encoded_len < y->encoded_len ? x->encoded_len : y->encoded_len;
    for (size_t i = 0; i < n; i++) {
        int c = lower((unsigned char)xn[i]) - lower((unsigned char)yn[i]);
        if (c != 0)
            return c;
    }
    if (x->encoded_len != y->encoded_len)
        return x->encoded_len < y->encoded_len ? -1 : 1;
    int c = bytes_compare(xn, x->encoded_len, yn, y->encoded_len);
    return c != 0 ? c : order_compare(x, y);
}

/* qsort, which may not be given the NULL items of an empty query. */
static void pairs_sort(struct query_pairs *pairs, int (*compare)(const void *, const void *))
{
    if (pairs->count > 1)
        qsort(pairs->items, pairs->count, sizeof(*pairs->items), compare);
}

void signature_query_access(const char *query, size_t len, struct strbuf *out)
{
    struct query_pairs pairs;
    if (pairs_parse(query, len, false, &pairs) != 0) {
        out->error = STRBUF_NO_MEMORY;
        goto done;
    }
    pairs_sort(&pairs, compare_access);
    for (size_t i = 0; i < pairs.count; i++) {
        if (i > 0)
            strbuf_append(out, "&", 1);
        percent_encode_append(out, pairs.items[i].name, pairs.items[i].name_len, false);
        strbuf_append(out, "=", 1);
        percent_encode_append(out, pairs.items[i].value, pairs.items[i].value_len, false);
    }
done:
    pairs_free(&pairs);
}

void signature_query_credential(const char *query, size_t len, struct strbuf *out)
{
    struct query_pairs pairs;
    if (pairs_parse(query, len, true, &pairs) != 0) {
        out->error = STRBUF_NO_MEMORY;
        goto done;
    }
    size_t *starts = calloc(pairs.count > 0 ? pairs.count : 1, sizeof(*starts));
    for (size_t i = 0; starts != NULL && i < pairs.count; i++) {
        struct query_pair *p = &pairs.items[i];
        starts[i] = pairs.names.len;
        percent_encode_append(&pairs.names, p->name, p->name_len, false);
        p->encoded_len = pairs.names.len - starts[i];
    }
    if (starts == NULL || pairs.names.error != STRBUF_OK) {
        free(starts);
        out->error = STRBUF_NO_MEMORY;
        goto done;
    }
    /* The buffer moved while it grew: the names are pointed at only now. */
    for (size_t i = 0; i < pairs.count; i++)
        pairs.items[i].encoded = pairs.names.data + starts[i];
    free(starts);
    pairs_sort(&pairs, compare_credential);
    bool first = true;
    for (size_t i = 0; i < pairs.count; i++) {
        const struct query_pair *p = &pairs.items[i], *before = i > 0 ? p - 1 : NULL;
        /* url.Values.Get: a name sent twice signs with its first value only. */
        if (before != NULL &&
            bytes_compare(p->name, p->name_len, before->name, before->name_len) == 0)
            continue;
        if (!first)
            strbuf_append(out, "&", 1);
        first = false;
        strbuf_append(out, p->encoded, p->encoded_len);
        strbuf_append(out, "=", 1);
        percent_encode_append(out, p->value, p->value_len, false);
    }
done:
    pairs_free(&pairs);
}

void signature_query_values_encode(const char *query, size_t len, struct strbuf *out)
{
    struct query_pairs pairs;
    if (pairs_parse(query, len, true, &pairs) != 0) {
        out->error = STRBUF_NO_MEMORY;
        goto done;
    }
    pairs_sort(&pairs, compare_values_encode);
    for (size_t i = 0; i < pairs.count; i++) {
        if (i > 0)
            strbuf_append(out, "&", 1);
        percent_encode_append(out, pairs.items[i].name, pairs.items[i].name_len, true);
        strbuf_append(out, "=", 1);
        percent_encode_append(out, pairs.items[i].value, pairs.items[i].value_len, true);
    }
done:
    pairs_free(&pairs);
}
