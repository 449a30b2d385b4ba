/* Paging the v3 list the way clients do (docs/v3.md): by offset, until they have total_count
 * items. 25 backups walked with limit 7 (and other limits) must give each backup exactly
 * once, in an order that is the same on every walk and for every page size; the default
 * limit is 100. */
#include <stdlib.h>
#include <string.h>

#include "v3.h"

#define PROJECT  "rules-project"
#define COUNT    25
#define MANY     105
#define MAX_WALK 200

/* Walks instance `instance` with `limit` by offset until total_count items are collected
 * (or a page comes back empty); the ids in the order seen (new strings) into `out`. Returns
 * how many were collected. */
static size_t walk(const struct emu *emu, const char *instance, int limit, char **out,
                   long long expected_total)
{
    size_t got = 0;
    long long total = -1;
    int pages = 0;
    while (got < MAX_WALK && pages < MAX_WALK) {
        char query[128];
        snprintf(query, sizeof(query), "instance_id=%s&limit=%d&offset=%zu", instance, limit, got);
        json_t *root = V3_LIST_JSON(emu, PROJECT, query);
        pages++;
        if (root == NULL)
            break;
        long long page_total = list_total(root);
        CHECK_INT(page_total, expected_total);
        if (total < 0)
            total = page_total;
        size_t n = list_length(root);
        size_t want =
            (long long)got + limit <= total ? (size_t)limit : (size_t)(total - (long long)got);
        CHECK_INT(n, want);
        for (size_t i = 0; i < n && got < MAX_WALK; i++) {
            const char *id = member_string(json_array_get(list_backups(root), i), "id");
            out[got++] = id != NULL ? strdup(id) : NULL;
        }
        json_decref(root);
        if (n == 0 || (long long)got >= total)
            break;
    }
    CHECK_INT(pages, (expected_total + limit - 1) / limit + (expected_total == 0));
    return got;
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
}

/* Each of `created` exactly once in `seen`. */
static void expect_each_once(char *const *created, size_t count, char *const *seen, size_t n)
{
    CHECK_INT(n, count);
    for (size_t i = 0; i < count; i++) {
        int times = 0;
        for (size_t j = 0; j < n; j++)
            times += seen[j] != NULL && created[i] != NULL && strcmp(seen[j], created[i]) == 0;
        CHECK_INT(times, 1);
    }
}

static void expect_same_order(char *const *a, char *const *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_count++;
        if (a[i] == NULL || b[i] == NULL || strcmp(a[i], b[i]) != 0) {
            check_failures++;
            fprintf(stderr, "%s:%d: walks differ at position %zu: %s vs %s\n", __FILE__, __LINE__,
                    i, a[i] != NULL ? a[i] : "(null)", b[i] != NULL ? b[i] : "(null)");
            return;
        }
    }
}

static void walk_25(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "paged-1",
                            "{\"name\": \"paged\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);
    char *created[COUNT];
    for (int i = 0; i < COUNT; i++) {
        char name[32];
        snprintf(name, sizeof(name), "paged%02d", i);
        created[i] = V3_CREATE_ID(emu, PROJECT, "paged-1", name, 0);
        /* Some in the same second, some apart: the order must hold either way. */
        if (i % 5 == 4)
            EMU_CLOCK_ADVANCE(emu, 1);
    }

    /* The whole list in one page: the reference order. */
    json_t *all = V3_LIST_JSON(emu, PROJECT, "instance_id=paged-1");
    CHECK_INT(list_length(all), COUNT);
    CHECK_INT(list_total(all), COUNT);
    char *reference[COUNT];
    for (size_t i = 0; i < COUNT; i++) {
        const char *id = member_string(json_array_get(list_backups(all), i), "id");
        reference[i] = id != NULL ? strdup(id) : NULL;
    }
    json_decref(all);
    expect_each_once(created, COUNT, reference, COUNT);

    static const int limits[] = {7, 7, 1, 2, 5, 24, 25, 26, 100};
    for (size_t l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
        char *seen[MAX_WALK];
        size_t n = walk(emu, "paged-1", limits[l], seen, COUNT);
        expect_each_once(created, COUNT, seen, n);
        if (n == COUNT)
            expect_same_order(reference, seen, COUNT);
        else
            fprintf(stderr, "    walking with limit %d\n", limits[l]);
        free_ids(seen, n);
    }

    /* A page past the end: empty, with the right total_count. */
    json_t *past = V3_LIST_JSON(emu, PROJECT, "instance_id=paged-1&limit=7&offset=28");
    CHECK_INT(list_length(past), 0);
    CHECK_INT(list_total(past), COUNT);
    json_decref(past);

    /* A deletion takes one out and leaves the order of the others. */
    struct http_response r;
    v3_delete(emu, PROJECT, reference[10], &r);
    EXPECT_STATUS(&r, 200);
    http_response_free(&r);
    char *seen[MAX_WALK];
    size_t n = walk(emu, "paged-1", 7, seen, COUNT - 1);
    CHECK_INT(n, COUNT - 1);
    char *expected[COUNT];
    size_t e = 0;
    for (size_t i = 0; i < COUNT; i++)
        if (i != 10)
            expected[e++] = reference[i];
    if (n == COUNT - 1)
        expect_same_order(expected, seen, COUNT - 1);
    free_ids(seen, n);

    free_ids(reference, COUNT);
    free_ids(created, COUNT);
}

static void default_limit(const struct emu *emu)
{
    CHECK(call_put_instance(emu, PROJECT, "many-1",
                            "{\"name\": \"many\", \"datastore\": {\"type\": \"PostgreSQL\", "
                            "\"version\": \"14\"}}") == 0);
    char *created[MANY];
    CURL *handle = http_handle_new();
    for (int i = 0; i < MANY; i++) {
        char name[32];
        snprintf(name, sizeof(name), "many%03d", i);
        char *body = v3_body("many-1", name);
        const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER,
                                 "X-Emulator-Backup-Seconds: 0", NULL};
        struct http_response r;
        call_request(emu, handle, "POST", "/v3/" PROJECT "/backups", headers, body, &r);
        json_t *root = EXPECT_V3_CREATED(&r);
        const char *id = member_string(json_object_get(root, "backup"), "id");
        created[i] = id != NULL ? strdup(id) : NULL;
        json_decref(root);
        http_response_free(&r);
        free(body);
    }
    curl_easy_cleanup(handle);

    /* No limit: 100 of 105; the rest from offset 100. */
    json_t *first = V3_LIST_JSON(emu, PROJECT, "instance_id=many-1");
    CHECK_INT(list_length(first), 100);
    CHECK_INT(list_total(first), MANY);
    json_t *rest = V3_LIST_JSON(emu, PROJECT, "instance_id=many-1&offset=100");
    CHECK_INT(list_length(rest), MANY - 100);
    CHECK_INT(list_total(rest), MANY);
    char *seen[MANY];
    size_t n = 0;
    for (size_t i = 0; i < list_length(first) && n < MANY; i++)
        seen[n++] = (char *)member_string(json_array_get(list_backups(first), i), "id");
    for (size_t i = 0; i < list_length(rest) && n < MANY; i++)
        seen[n++] = (char *)member_string(json_array_get(list_backups(rest), i), "id");
    expect_each_once(created, MANY, seen, n);
    json_decref(first);
    json_decref(rest);

    /* limit=100 is the same page as no limit. */
    json_t *hundred = V3_LIST_JSON(emu, PROJECT, "instance_id=many-1&limit=100");
    CHECK_INT(list_length(hundred), 100);
    json_decref(hundred);

    /* A walk with limit 7 agrees. */
    char *walked[MAX_WALK];
    size_t w = walk(emu, "many-1", 7, walked, MANY);
    expect_each_once(created, MANY, walked, w);
    free_ids(walked, w);
    free_ids(created, MANY);
}

int main(void)
{
    struct emu emu;
    if (v3_start(&emu, "v3-paging", NULL) != 0)
        return 1;
    walk_25(&emu);
    default_limit(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
