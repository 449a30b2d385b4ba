/* The request journal (docs/emulator.md): GET /_emulator/requests is {"requests": [...]}, newest
 * first, with time, method, path, query, headers, body, status, error_code and reason; it
 * records the emulated APIs and unknown routes but no control-plane call; it keeps the last
 * --journal-size entries; it filters by project_id and limit; token values are "***" (and
 * appear nowhere, not even in the server's log); bodies over 4 KiB are cut on a character
 * boundary; DELETE and reset empty it; concurrent writers lose and tear no entry. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define PROJECT "rules-project"
#define CREATE  "/rds/v1/" PROJECT "/backups"

#define SECRET_TOKEN    "tok-SECRET-4f1d9a"
#define SECRET_AK       "AK-SECRET-77c2e0"
#define SECRET_SIG      "0badc0ffee5ecre7deadbeef0badc0ffee5ecre7deadbeef0badc0ffee5ecre7"
#define SECRET_SECURITY "sts-SECRET-9e3b51"

#define RACE_THREADS  8
#define RACE_REQUESTS 50

/* A request to the emulated API; its X-Request-Id goes to `id` (may be NULL). */
static long send_request(const struct emu *emu, CURL *handle, const char *method, const char *path,
                         const char *const *headers, const char *body, char *id, size_t idlen)
{
    struct http_response r;
    call_request(emu, handle, method, path, headers, body, &r);
    long status = r.status;
    if (id != NULL)
        snprintf(id, idlen, "%s", r.request_id);
    http_response_free(&r);
    return status;
}

static long send_get(const struct emu *emu, const char *path, char *id, size_t idlen)
{
    const char *headers[] = {CALL_TOKEN_HEADER, NULL};
    return send_request(emu, NULL, "GET", path, headers, NULL, id, idlen);
}

static long send_create(const struct emu *emu, const char *path, const char *body, char *id,
                        size_t idlen)
{
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, "X-Emulator-Backup-Seconds: 0",
                             NULL};
    return send_request(emu, NULL, "POST", path, headers, body, id, idlen);
}

/* GET /_emulator/requests<query>; the parsed answer (new) when it is a 200 with a
 * "requests" array, else NULL. `text` (may be NULL) receives the raw body (new: free()). */
static json_t *journal_get(const struct emu *emu, const char *query, char **text)
{
    char path[256];
    snprintf(path, sizeof(path), "/_emulator/requests%s", query);
    struct http_response r;
    call_admin(emu, "GET", path, NULL, &r);
    json_t *root = NULL;
    if (EXPECT_STATUS(&r, 200)) {
        root = http_response_json(&r);
        static const char *const keys[] = {"requests", NULL};
        if (!EXPECT_THAT_AT(__FILE__, __LINE__,
                            json_keys_are(root, keys) &&
                                json_is_array(json_object_get(root, "requests")),
                            &r, "GET %s is not {\"requests\": [...]} (or not valid JSON)", path)) {
            json_decref(root);
            root = NULL;
        }
    }
    if (text != NULL)
        *text = strdup(r.body);
    http_response_free(&r);
    return root;
}

static json_t *requests_of(json_t *root)
{
    return json_object_get(root, "requests");
}

/* The entry with that request_id (borrowed), or NULL. */
static json_t *entry_by_id(json_t *root, const char *id)
{
    size_t i;
    json_t *entry;
    json_array_foreach(requests_of(root), i, entry)
    {
        const char *got = member_string(entry, "request_id");
        if (got != NULL && strcmp(got, id) == 0)
            return entry;
    }
    return NULL;
}

static void journal_clear(const struct emu *emu)
{
    struct http_response r;
    call_admin(emu, "DELETE", "/_emulator/requests", NULL, &r);
    EXPECT_STATUS(&r, 204);
    CHECK_INT(r.body_len, 0);
    http_response_free(&r);
}

static size_t journal_size(const struct emu *emu, const char *query)
{
    json_t *root = journal_get(emu, query, NULL);
    size_t n = json_array_size(requests_of(root));
    json_decref(root);
    return n;
}

/* The members every entry has, with their types. */
static void check_entry_shape(json_t *entry)
{
    static const char *const members[] = {"time", "method", "path",       "query",  "headers",
                                          "body", "status", "error_code", "reason", NULL};
    for (size_t i = 0; members[i] != NULL; i++) {
        if (json_object_get(entry, members[i]) == NULL)
            fprintf(stderr, "journal entry without \"%s\"\n", members[i]);
        CHECK(json_object_get(entry, members[i]) != NULL);
    }
    const char *time = member_string(entry, "time");
    CHECK(text_is_v3_time(time));
    CHECK(json_is_string(json_object_get(entry, "method")));
    CHECK(json_is_string(json_object_get(entry, "path")));
    json_t *query = json_object_get(entry, "query");
    CHECK(json_is_string(query) || json_is_null(query));
    CHECK(json_is_object(json_object_get(entry, "headers")));
    json_t *body = json_object_get(entry, "body");
    CHECK(json_is_string(body) || json_is_null(body));
    CHECK(json_is_integer(json_object_get(entry, "status")));
    json_t *code = json_object_get(entry, "error_code");
    CHECK(json_is_string(code) || json_is_null(code));
    json_t *reason = json_object_get(entry, "reason");
    CHECK(json_is_string(reason) || json_is_null(reason));
}

static bool no_query(json_t *entry)
{
    json_t *query = json_object_get(entry, "query");
    return json_is_null(query) || (json_is_string(query) && json_string_length(query) == 0);
}

static bool no_body(json_t *entry)
{
    json_t *body = json_object_get(entry, "body");
    return json_is_null(body) || (json_is_string(body) && json_string_length(body) == 0);
}

/* A refusal: its status, its error_code and its reason. */
static void check_refusal(json_t *entry, long status, const char *code, const char *reason)
{
    CHECK(entry != NULL);
    if (entry == NULL)
        return;
    CHECK_INT(json_integer_value(json_object_get(entry, "status")), status);
    CHECK_STR(member_string(entry, "error_code"), code);
    CHECK_STR(member_string(entry, "reason"), reason);
}

/* Every kind of request once: the members, the order, what is and is not recorded. */
static void entries_and_order(const struct emu *emu)
{
    journal_clear(emu);
    CHECK_INT(journal_size(emu, ""), 0);

    char created[128], listed[128], unknown[128], refused[128], v3_refused[128], no_token[128],
        faulted[128];
    const char *create_body = "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"journal1\"}}";
    CHECK_INT(send_create(emu, CREATE, create_body, created, sizeof(created)), 200);

    /* Control-plane calls in between are not recorded. */
    struct http_response r;
    call_admin(emu, "GET", "/_emulator/health", NULL, &r);
    http_response_free(&r);
    CHECK(call_put_instance(emu, "jr-other", "jr-db",
                            "{\"name\": \"jr\", \"datastore\": {\"type\": \"MySQL\", "
                            "\"version\": \"8.0\"}}") == 0);

    CHECK_INT(send_get(emu, "/v3/" PROJECT "/backups?instance_id=mysql-1&limit=5", listed,
                       sizeof(listed)),
              200);
    CHECK_INT(send_get(emu, "/no/such/route?x=1", unknown, sizeof(unknown)), 404);
    CHECK_INT(send_create(emu, CREATE, "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"x\"}}",
                          refused, sizeof(refused)),
              400);
    const char *v3_headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL};
    CHECK_INT(send_request(emu, NULL, "POST", "/v3/" PROJECT "/backups", v3_headers,
                           "{\"name\": \"journal2\"}", v3_refused, sizeof(v3_refused)),
              400);
    CHECK_INT(send_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", NULL, NULL, no_token,
                           sizeof(no_token)),
              401);
    call_admin(emu, "GET", "/_emulator/faults", NULL, &r);
    http_response_free(&r);

    /* A refusal by an injected fault says so too. */
    call_admin(emu, "POST", "/_emulator/faults",
               "{\"path\": \"/rds/v1/jr-fault/backups\", \"status\": 503}", &r);
    EXPECT_STATUS(&r, 201);
    json_t *rule = http_response_json(&r);
    char fault_reason[128];
    snprintf(fault_reason, sizeof(fault_reason), "injected by fault %s: injected fault",
             member_string(rule, "id"));
    json_decref(rule);
    http_response_free(&r);
    CHECK_INT(send_get(emu, "/rds/v1/jr-fault/backups", faulted, sizeof(faulted)), 503);
    call_admin(emu, "DELETE", "/_emulator/faults", NULL, &r);
    http_response_free(&r);

    json_t *root = journal_get(emu, "", NULL);
    json_t *list = requests_of(root);
    CHECK_INT(json_array_size(list), 7);
    /* Newest first. */
    const char *order[] = {faulted, no_token, v3_refused, refused, unknown, listed, created};
    for (size_t i = 0; i < 7; i++)
        CHECK_STR(member_string(json_array_get(list, i), "request_id"), order[i]);
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
    {
        check_entry_shape(entry);
        const char *path = member_string(entry, "path");
        CHECK(path != NULL && strncmp(path, "/_emulator", 10) != 0);
    }

    entry = entry_by_id(root, created);
    CHECK(entry != NULL);
    CHECK_STR(member_string(entry, "method"), "POST");
    CHECK_STR(member_string(entry, "path"), CREATE);
    CHECK(entry != NULL && no_query(entry));
    CHECK_STR(member_string(entry, "body"), create_body);
    CHECK_INT(json_integer_value(json_object_get(entry, "status")), 200);
    CHECK(json_is_null(json_object_get(entry, "error_code")));
    CHECK(json_is_null(json_object_get(entry, "reason")));
    CHECK_STR(header_of(entry, "Content-Type"), "application/json");
    CHECK_STR(header_of(entry, "X-Emulator-Backup-Seconds"), "0");

    entry = entry_by_id(root, listed);
    CHECK_STR(member_string(entry, "method"), "GET");
    CHECK_STR(member_string(entry, "path"), "/v3/" PROJECT "/backups");
    CHECK_STR(member_string(entry, "query"), "instance_id=mysql-1&limit=5");
    CHECK(entry != NULL && no_body(entry));
    CHECK_INT(json_integer_value(json_object_get(entry, "status")), 200);
    CHECK(json_is_null(json_object_get(entry, "reason")));

    entry = entry_by_id(root, unknown);
    CHECK_STR(member_string(entry, "path"), "/no/such/route");
    CHECK_STR(member_string(entry, "query"), "x=1");
    check_refusal(entry, 404, "APIGW.0101",
                  "The API does not exist or has not been published in the environment");

    /* The reason names the field that broke a rule. */
    check_refusal(entry_by_id(root, refused), 400, "RDS.0001",
                  "name must be 4 to 64 characters, start with a letter and contain only letters, "
                  "digits, hyphens (-) and underscores (_)");
    check_refusal(entry_by_id(root, v3_refused), 400, "DBS.200001", "instance_id is required");
    check_refusal(entry_by_id(root, no_token), 401, "APIGW.0301",
                  "Incorrect IAM authentication information: x-auth-token not found");
    check_refusal(entry_by_id(root, faulted), 503, "RDS.9999", fault_reason);
    json_decref(root);
}

/* X-Auth-Token, Authorization and X-Security-Token are "***", whatever the case of their
 * name; their values appear nowhere in the journal. */
static void redaction(const struct emu *emu)
{
    journal_clear(emu);
    char first[128], second[128];
    const char *headers[] = {"X-Auth-Token: " SECRET_TOKEN,
                             "Authorization: SDK-HMAC-SHA256 Access=" SECRET_AK
                             ", SignedHeaders=host;x-sdk-date, "
                             "Signature=" SECRET_SIG,
                             "X-Sdk-Date: 20261129T080000Z",
                             "X-Security-Token: " SECRET_SECURITY,
                             "X-Probe-Header: visible-value",
                             NULL};
    CHECK_INT(send_request(emu, NULL, "GET", "/rds/v1/" PROJECT "/backups", headers, NULL, first,
                           sizeof(first)),
              200);
    const char *lower[] = {"x-auth-token: " SECRET_TOKEN,
                           "authorization: SDK-HMAC-SHA256 Access=" SECRET_AK
                           ", SignedHeaders=host, Signature=" SECRET_SIG,
                           "x-security-token: " SECRET_SECURITY, NULL};
    CHECK_INT(send_request(emu, NULL, "GET", "/v3/" PROJECT "/jobs?id=nope", lower, NULL, second,
                           sizeof(second)),
              400);

    char *text = NULL;
    json_t *root = journal_get(emu, "", &text);
    const char *ids[] = {first, second};
    for (size_t i = 0; i < 2; i++) {
        json_t *entry = entry_by_id(root, ids[i]);
        CHECK(entry != NULL);
        CHECK_STR(header_of(entry, "X-Auth-Token"), "***");
        CHECK_STR(header_of(entry, "Authorization"), "***");
        CHECK_STR(header_of(entry, "X-Security-Token"), "***");
    }
    json_t *entry = entry_by_id(root, first);
    CHECK_STR(header_of(entry, "X-Probe-Header"), "visible-value");
    CHECK_STR(header_of(entry, "X-Sdk-Date"), "20261129T080000Z");
    const char *secrets[] = {SECRET_TOKEN, SECRET_AK, SECRET_SIG, SECRET_SECURITY};
    for (size_t i = 0; i < 4; i++) {
        bool found = text != NULL && strstr(text, secrets[i]) != NULL;
        if (found)
            fprintf(stderr, "the journal shows the secret %s\n", secrets[i]);
        CHECK(text != NULL && !found);
    }
    free(text);
    json_decref(root);
}

/* After the server stopped: no secret in its stderr. */
static void redaction_in_log(const struct emu *emu)
{
    char *log = harness_read_file(emu->log_path, NULL);
    CHECK(log != NULL);
    const char *secrets[] = {SECRET_TOKEN, SECRET_AK, SECRET_SIG, SECRET_SECURITY};
    for (size_t i = 0; log != NULL && i < 4; i++) {
        bool found = strstr(log, secrets[i]) != NULL;
        if (found)
            fprintf(stderr, "the server's log shows the secret %s\n", secrets[i]);
        CHECK(!found);
    }
    free(log);
}

/* A create body of `head`, then `fill` `count` times, then a closing, in `out` (new). */
static char *body_of(const char *head, const char *fill, size_t count, size_t *len)
{
    size_t head_len = strlen(head), fill_len = strlen(fill);
    static const char tail[] = "\"}}";
    *len = head_len + fill_len * count + sizeof(tail) - 1;
    char *body = malloc(*len + 1);
    if (body == NULL)
        return NULL;
    memcpy(body, head, head_len);
    for (size_t i = 0; i < count; i++)
        memcpy(body + head_len + i * fill_len, fill, fill_len);
    memcpy(body + head_len + fill_len * count, tail, sizeof(tail));
    return body;
}

/* The journaled body of request `id` is `sent` cut to at most 4096 bytes, on a character
 * boundary (so exactly a prefix), and no shorter than a character less than 4096. */
static void check_cut(json_t *root, const char *id, const char *sent, size_t sent_len)
{
    json_t *entry = entry_by_id(root, id);
    CHECK(entry != NULL);
    json_t *body = json_object_get(entry, "body");
    CHECK(json_is_string(body));
    if (!json_is_string(body))
        return;
    size_t len = json_string_length(body);
    if (sent_len <= 4096) {
        CHECK_INT(len, sent_len);
        CHECK(len == sent_len && memcmp(json_string_value(body), sent, len) == 0);
        return;
    }
    if (len > 4096 || len + 3 < 4096 || memcmp(json_string_value(body), sent, len) != 0)
        fprintf(stderr,
                "body of %zu bytes journaled as %zu bytes, not a prefix of 4093..4096 "
                "bytes\n",
                sent_len, len);
    CHECK(len <= 4096);
    CHECK(len + 3 >= 4096);
    CHECK(len <= sent_len && memcmp(json_string_value(body), sent, len) == 0);
}

/* Bodies over 4 KiB are cut, never inside a UTF-8 character; the journal stays valid JSON. */
static void bodies_cut(const struct emu *emu)
{
    journal_clear(emu);
    static const char head[] =
        "{\"backup\": {\"instance\": \"mysql-1\", \"name\": \"cut1\", \"description\": \"";
    struct {
        const char *fill;
        size_t count;
    } cases[] = {
        {"a", 5000},                /* ASCII, over the limit */
        {"a", 3900},                /* under it: kept whole */
        {"\xe2\x82\xac", 1700},     /* "€", 3 bytes: cut lands in a character for 2 of 3 pads */
        {"\xf0\x9f\x98\x80", 1300}, /* an emoji, 4 bytes */
        {"\xc3\xa9", 2100},         /* "é", 2 bytes */
    };
    char ids[5 * 4][128];
    char *bodies[5 * 4];
    size_t lens[5 * 4];
    size_t n = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        for (size_t pad = 0; pad < 4; pad++) {
            /* Shift the content by `pad` bytes so that the cut falls at every offset inside a
             * multi-byte character. */
            char padded_head[sizeof(head) + 8];
            snprintf(padded_head, sizeof(padded_head), "%s%.*s", head, (int)pad, "zzzz");
            bodies[n] = body_of(padded_head, cases[c].fill, cases[c].count, &lens[n]);
            send_create(emu, CREATE, bodies[n], ids[n], sizeof(ids[n]));
            n++;
        }
    }
    /* A body of exactly 4096 bytes is kept whole. */
    size_t exact_len;
    char *exact = body_of(head, "b", 4096 - (sizeof(head) - 1) - 3, &exact_len);
    CHECK_INT(exact_len, 4096);
    char exact_id[128];
    send_create(emu, CREATE, exact, exact_id, sizeof(exact_id));

    char *text = NULL;
    json_t *root = journal_get(emu, "", &text);
    if (root == NULL)
        fprintf(stderr, "the journal with cut bodies is not valid JSON\n");
    CHECK(root != NULL);
    for (size_t i = 0; root != NULL && i < n; i++)
        check_cut(root, ids[i], bodies[i], lens[i]);
    if (root != NULL)
        check_cut(root, exact_id, exact, exact_len);
    for (size_t i = 0; i < n; i++)
        free(bodies[i]);
    free(exact);
    free(text);
    json_decref(root);
}

/* ?project_id= keeps that project's requests, ?limit= the newest N; both combine. */
static void filters(const struct emu *emu)
{
    journal_clear(emu);
    char a[3][128], b[2][128], none[128];
    send_get(emu, "/rds/v1/jf-a/backups", a[0], sizeof(a[0]));
    send_get(emu, "/rds/v1/jf-b/backups", b[0], sizeof(b[0]));
    send_get(emu, "/v3/jf-a/jobs?id=x", a[1], sizeof(a[1]));
    send_get(emu, "/no/project/here", none, sizeof(none));
    send_get(emu, "/rds/v1/jf-a/backups?n=3", a[2], sizeof(a[2]));
    send_get(emu, "/v3/jf-b/jobs?id=y", b[1], sizeof(b[1]));

    json_t *root = journal_get(emu, "?project_id=jf-a", NULL);
    json_t *list = requests_of(root);
    CHECK_INT(json_array_size(list), 3);
    for (size_t i = 0; i < 3; i++)
        CHECK_STR(member_string(json_array_get(list, i), "request_id"), a[2 - i]);
    json_decref(root);

    root = journal_get(emu, "?project_id=jf-b", NULL);
    list = requests_of(root);
    CHECK_INT(json_array_size(list), 2);
    CHECK_STR(member_string(json_array_get(list, 0), "request_id"), b[1]);
    CHECK_STR(member_string(json_array_get(list, 1), "request_id"), b[0]);
    json_decref(root);

    root = journal_get(emu, "?limit=2", NULL);
    list = requests_of(root);
    CHECK_INT(json_array_size(list), 2);
    CHECK_STR(member_string(json_array_get(list, 0), "request_id"), b[1]);
    CHECK_STR(member_string(json_array_get(list, 1), "request_id"), a[2]);
    json_decref(root);

    root = journal_get(emu, "?project_id=jf-a&limit=2", NULL);
    list = requests_of(root);
    CHECK_INT(json_array_size(list), 2);
    CHECK_STR(member_string(json_array_get(list, 0), "request_id"), a[2]);
    CHECK_STR(member_string(json_array_get(list, 1), "request_id"), a[1]);
    json_decref(root);

    CHECK_INT(journal_size(emu, "?limit=100"), 6);
    CHECK_INT(journal_size(emu, "?project_id=jf-nobody"), 0);
    CHECK_INT(journal_size(emu, ""), 6);
}

/* DELETE /_emulator/requests and POST /_emulator/reset both empty it. */
static void emptying(const struct emu *emu)
{
    journal_clear(emu);
    send_get(emu, "/rds/v1/je/backups", NULL, 0);
    CHECK_INT(journal_size(emu, ""), 1);
    journal_clear(emu);
    CHECK_INT(journal_size(emu, ""), 0);

    send_get(emu, "/rds/v1/je/backups", NULL, 0);
    send_get(emu, "/rds/v1/je/backups", NULL, 0);
    CHECK_INT(journal_size(emu, ""), 2);
    struct http_response r;
    call_admin(emu, "POST", "/_emulator/reset", NULL, &r);
    EXPECT_STATUS(&r, 204);
    http_response_free(&r);
    CHECK_INT(journal_size(emu, ""), 0);

    /* It records again afterwards. */
    send_get(emu, "/rds/v1/je/backups", NULL, 0);
    CHECK_INT(journal_size(emu, ""), 1);
}

/* --journal-size 5: after 8 requests, the 5 newest, newest first. */
static void bounded(void)
{
    struct emu emu;
    const char *args[] = {"--journal-size", "5", "--auth", "presence", NULL};
    if (emu_start(&emu, "ctl-journal-size", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        CHECK(!"cannot start rdsemu --journal-size 5");
        return;
    }
    int failures_before = check_failures;
    char ids[8][128];
    for (int i = 0; i < 8; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/rds/v1/jb/backups?n=%d", i);
        CHECK_INT(send_get(&emu, path, ids[i], sizeof(ids[i])), 200);
    }
    json_t *root = journal_get(&emu, "", NULL);
    json_t *list = requests_of(root);
    CHECK_INT(json_array_size(list), 5);
    for (int i = 0; i < 5; i++) {
        json_t *entry = json_array_get(list, (size_t)i);
        char query[16];
        snprintf(query, sizeof(query), "n=%d", 7 - i);
        CHECK_STR(member_string(entry, "request_id"), ids[7 - i]);
        CHECK_STR(member_string(entry, "query"), query);
    }
    json_decref(root);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > failures_before);
}

struct racer {
    const struct emu *emu;
    pthread_barrier_t *start;
    int index;
    char paths[RACE_REQUESTS][64];
    char bodies[RACE_REQUESTS][96];
    char ids[RACE_REQUESTS][128];
    long statuses[RACE_REQUESTS];
};

static void *racer_main(void *arg)
{
    struct racer *racer = arg;
    CURL *handle = http_handle_new();
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, NULL};
    pthread_barrier_wait(racer->start);
    for (int i = 0; i < RACE_REQUESTS; i++) {
        snprintf(racer->paths[i], sizeof(racer->paths[i]), "/rds/v1/jc-%d/backups", racer->index);
        snprintf(racer->bodies[i], sizeof(racer->bodies[i]),
                 "{\"backup\": {\"instance\": \"t%d-r%d\", \"name\": \"x\"}}", racer->index, i);
        racer->statuses[i] = send_request(racer->emu, handle, "POST", racer->paths[i], headers,
                                          racer->bodies[i], racer->ids[i], sizeof(racer->ids[i]));
    }
    curl_easy_cleanup(handle);
    return NULL;
}

/* RACE_THREADS threads with their own handles write at once: every request is there,
 * once, whole. */
static void concurrent_writers(const struct emu *emu)
{
    journal_clear(emu);
    static struct racer racers[RACE_THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACE_THREADS);
    pthread_t threads[RACE_THREADS];
    int started = 0;
    for (int t = 0; t < RACE_THREADS; t++) {
        memset(&racers[t], 0, sizeof(racers[t]));
        racers[t].emu = emu;
        racers[t].start = &start;
        racers[t].index = t;
    }
    for (int t = 0; t < RACE_THREADS; t++)
        if (pthread_create(&threads[t], NULL, racer_main, &racers[t]) == 0)
            started++;
    CHECK_INT(started, RACE_THREADS);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&start);

    int answered = 0;
    for (int t = 0; t < RACE_THREADS; t++)
        for (int i = 0; i < RACE_REQUESTS; i++)
            answered += racers[t].statuses[i] == 400;
    CHECK_INT(answered, RACE_THREADS * RACE_REQUESTS);

    json_t *root = journal_get(emu, "", NULL);
    json_t *list = requests_of(root);
    CHECK_INT(json_array_size(list), RACE_THREADS * RACE_REQUESTS);
    static bool seen[RACE_THREADS][RACE_REQUESTS];
    memset(seen, 0, sizeof(seen));
    int unknown = 0, twice = 0, torn = 0;
    size_t k;
    json_t *entry;
    json_array_foreach(list, k, entry)
    {
        const char *id = member_string(entry, "request_id");
        bool found = false;
        for (int t = 0; t < RACE_THREADS && !found && id != NULL; t++) {
            for (int i = 0; i < RACE_REQUESTS && !found; i++) {
                if (strcmp(racers[t].ids[i], id) != 0)
                    continue;
                found = true;
                twice += seen[t][i];
                seen[t][i] = true;
                const char *body = member_string(entry, "body");
                const char *path = member_string(entry, "path");
                const char *method = member_string(entry, "method");
                if (body == NULL || strcmp(body, racers[t].bodies[i]) != 0 || path == NULL ||
                    strcmp(path, racers[t].paths[i]) != 0 || method == NULL ||
                    strcmp(method, "POST") != 0 ||
                    json_integer_value(json_object_get(entry, "status")) != racers[t].statuses[i]) {
                    if (torn++ == 0) {
                        char *dump = json_dumps(entry, JSON_COMPACT);
                        fprintf(stderr, "entry does not match its request: %s\n",
                                dump != NULL ? dump : "?");
                        free(dump);
                    }
                }
            }
        }
        unknown += !found;
    }
    CHECK_INT(unknown, 0);
    CHECK_INT(twice, 0);
    CHECK_INT(torn, 0);
    json_decref(root);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {
        "--seed",         RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth", "presence",
        "--journal-size", "1000",           "--threads",        "4", NULL};
    if (emu_start(&emu, "ctl-journal", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    entries_and_order(&emu);
    redaction(&emu);
    bodies_cut(&emu);
    filters(&emu);
    emptying(&emu);
    concurrent_writers(&emu);
    CHECK_INT(emu_stop(&emu), 0);
    redaction_in_log(&emu);
    emu_cleanup(&emu, check_failures > 0);

    bounded();
    return CHECK_DONE();
}
