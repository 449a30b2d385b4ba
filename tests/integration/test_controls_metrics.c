/* Metrics (docs/emulator.md): GET /_emulator/metrics is the Prometheus text format (every sample
 * line `name{labels} value`, a # HELP and a # TYPE for each family); rdsemu_requests_total
 * moves by exactly the requests made, by operation and status; rdsemu_backups follows the
 * backups through BUILDING, COMPLETED and FAILED; the latency histogram is cumulative and
 * counts every request; rdsemu_requests_in_flight is there. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expect.h"

#define PROJECT      "rules-project"
#define MAX_SAMPLES  1024
#define MAX_FAMILIES 64
#define MAX_LABELS   8

struct sample {
    char name[128];
    size_t nlabels;
    char keys[MAX_LABELS][64];
    char values[MAX_LABELS][128];
    double value;
};

struct family {
    char name[128];
    char type[16];
    bool help;
};

struct scrape {
    bool ok; /* answered 200 and parsed */
    size_t nsamples, nfamilies;
    struct sample samples[MAX_SAMPLES];
    struct family families[MAX_FAMILIES];
};

static bool name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || c == ':';
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == ':';
}

/* Reads a metric or label name at *p into `out`; false when there is none. */
static bool read_name(const char **p, char *out, size_t outlen, bool label)
{
    const char *s = *p;
    if (!(label ? (isalpha((unsigned char)*s) || *s == '_') : name_start(*s)))
        return false;
    size_t n = 0;
    while (name_char(*s) && !(label && *s == ':')) {
        if (n + 1 >= outlen)
            return false;
        out[n++] = *s++;
    }
    out[n] = '\0';
    *p = s;
    return true;
}

static struct family *family_find(struct scrape *m, const char *name)
{
    for (size_t i = 0; i < m->nfamilies; i++)
        if (strcmp(m->families[i].name, name) == 0)
            return &m->families[i];
    return NULL;
}

static struct family *family_get(struct scrape *m, const char *name)
{
    struct family *f = family_find(m, name);
    if (f != NULL || m->nfamilies == MAX_FAMILIES)
        return f;
    f = &m->families[m->nfamilies++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    return f;
}

/* The family a sample belongs to: its own name, or for a histogram's or summary's
 * _bucket/_sum/_count the name without the suffix. */
static struct family *family_of(struct scrape *m, const char *sample)
{
    struct family *f = family_find(m, sample);
    if (f != NULL)
        return f;
    static const char *const suffixes[] = {"_bucket", "_sum", "_count"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(sample), k = strlen(suffixes[i]);
        if (n > k && strcmp(sample + n - k, suffixes[i]) == 0) {
            char base[128];
            snprintf(base, sizeof(base), "%.*s", (int)(n - k), sample);
            f = family_find(m, base);
            if (f != NULL && (strcmp(f->type, "histogram") == 0 || strcmp(f->type, "summary") == 0))
                return f;
        }
    }
    return NULL;
}

/* A comment line: "# HELP name text" or "# TYPE name type" (other comments are allowed). */
static bool parse_comment(struct scrape *m, const char *line)
{
    const char *p = line + 1;
    while (*p == ' ')
        p++;
    bool help = strncmp(p, "HELP ", 5) == 0, type = strncmp(p, "TYPE ", 5) == 0;
    if (!help && !type)
        return true;
    p += 5;
    while (*p == ' ')
        p++;
    char name[128];
    if (!read_name(&p, name, sizeof(name), false))
        return false;
    struct family *f = family_get(m, name);
    if (f == NULL)
        return false;
    if (help) {
        if (f->help || (*p != ' ' && *p != '\0'))
            return false;
        f->help = true;
        return true;
    }
    if (f->type[0] != '\0' || *p++ != ' ')
        return false;
    static const char *const types[] = {"counter", "gauge", "histogram", "summary", "untyped"};
    for (size_t i = 0; i < 5; i++)
        if (strcmp(p, types[i]) == 0) {
            snprintf(f->type, sizeof(f->type), "%s", p);
            return true;
        }
    return false;
}

/* A sample line: name, optional {k="v",...}, a space, a value, optional timestamp. */
static bool parse_sample(struct scrape *m, const char *line)
{
    if (m->nsamples == MAX_SAMPLES)
        return false;
    struct sample *s = &m->samples[m->nsamples];
    memset(s, 0, sizeof(*s));
    const char *p = line;
    if (!read_name(&p, s->name, sizeof(s->name), false))
        return false;
    if (*p == '{') {
        p++;
        while (*p != '}') {
            if (s->nlabels == MAX_LABELS ||
                !read_name(&p, s->keys[s->nlabels], sizeof(s->keys[0]), true) || *p++ != '=' ||
                *p++ != '"')
                return false;
            size_t n = 0;
            while (*p != '"') {
                if (*p == '\0' || n + 2 >= sizeof(s->values[0]))
                    return false;
                if (*p == '\\') {
                    p++;
                    if (*p != '\\' && *p != '"' && *p != 'n')
                        return false;
                }
                s->values[s->nlabels][n++] = *p++;
            }
            s->values[s->nlabels][n] = '\0';
            p++;
            s->nlabels++;
            if (*p == ',')
                p++;
            else if (*p != '}')
                return false;
        }
        p++;
    }
    if (*p++ != ' ')
        return false;
    char value[64];
    size_t n = strcspn(p, " ");
    if (n == 0 || n >= sizeof(value))
        return false;
    memcpy(value, p, n);
    value[n] = '\0';
    p += n;
    if (strcmp(value, "+Inf") == 0) {
        s->value = INFINITY;
    } else if (strcmp(value, "-Inf") == 0) {
        s->value = -INFINITY;
    } else if (strcmp(value, "NaN") == 0) {
        s->value = NAN;
    } else {
        char *end;
        s->value = strtod(value, &end);
        if (*end != '\0')
            return false;
    }
    if (*p == ' ') { /* a timestamp */
        p++;
        if (*p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != '\0')
        return false;
    /* Its family was described before its first sample. */
    struct family *f = family_of(m, s->name);
    if (f == NULL || !f->help || f->type[0] == '\0') {
        fprintf(stderr, "metrics: sample %s without # HELP and # TYPE before it\n", s->name);
        return false;
    }
    m->nsamples++;
    return true;
}

/* GET /_emulator/metrics on `handle`, parsed into `m`; every line checked. */
static void scrape(const struct emu *emu, CURL *handle, struct scrape *m)
{
    memset(m, 0, sizeof(*m));
    struct http_response r;
    call_request(emu, handle, "GET", "/_emulator/metrics", NULL, NULL, &r);
    if (!EXPECT_THAT_AT(__FILE__, __LINE__, r.status == 200, &r, "metrics answered %ld",
                        r.status)) {
        http_response_free(&r);
        return;
    }
    CHECK(strncmp(r.content_type, "text/plain", 10) == 0);
    CHECK(r.body_len > 0 && r.body[r.body_len - 1] == '\n');
    bool ok = true;
    char *save = NULL;
    for (char *line = strtok_r(r.body, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        bool good = line[0] == '#' ? parse_comment(m, line) : parse_sample(m, line);
        if (!good) {
            fprintf(stderr, "metrics: not a Prometheus text line: \"%s\"\n", line);
            ok = false;
        }
    }
    CHECK(ok);
    for (size_t i = 0; i < m->nfamilies; i++) {
        if (!m->families[i].help || m->families[i].type[0] == '\0')
            fprintf(stderr, "metrics: family %s lacks # HELP or # TYPE\n", m->families[i].name);
        CHECK(m->families[i].help && m->families[i].type[0] != '\0');
    }
    m->ok = ok;
    http_response_free(&r);
}

static const char *label_of(const struct sample *s, const char *key)
{
    for (size_t i = 0; i < s->nlabels; i++)
        if (strcmp(s->keys[i], key) == 0)
            return s->values[i];
    return NULL;
}

/* The sum of the samples named `name` whose labels include `key`=`value` (key NULL: all),
 * and `key2`=`value2` (key2 NULL: any); `found` (may be NULL) tells whether there was one. */
static double value_of(const struct scrape *m, const char *name, const char *key, const char *value,
                       const char *key2, const char *value2, bool *found)
{
    double sum = 0;
    bool any = false;
    for (size_t i = 0; i < m->nsamples; i++) {
        const struct sample *s = &m->samples[i];
        if (strcmp(s->name, name) != 0)
            continue;
        const char *v = key != NULL ? label_of(s, key) : NULL;
        const char *v2 = key2 != NULL ? label_of(s, key2) : NULL;
        if ((key != NULL && (v == NULL || strcmp(v, value) != 0)) ||
            (key2 != NULL && (v2 == NULL || strcmp(v2, value2) != 0)))
            continue;
        sum += s->value;
        any = true;
    }
    if (found != NULL)
        *found = any;
    return sum;
}

static double requests(const struct scrape *m, const char *operation, const char *status)
{
    return value_of(m, "rdsemu_requests_total", operation != NULL ? "operation" : NULL, operation,
                    status != NULL ? "status" : NULL, status, NULL);
}

/* The requests of the emulated APIs: every operation that is not the control plane's. */
static double emulated_requests(const struct scrape *m)
{
    double sum = 0;
    for (size_t i = 0; i < m->nsamples; i++) {
        const struct sample *s = &m->samples[i];
        const char *op = label_of(s, "operation");
        if (strcmp(s->name, "rdsemu_requests_total") == 0 &&
            (op == NULL || strncmp(op, "admin", 5) != 0))
            sum += s->value;
    }
    return sum;
}

static double backups(const struct scrape *m, const char *status)
{
    bool found = false;
    double v = value_of(m, "rdsemu_backups", "status", status, NULL, NULL, &found);
    if (!found)
        fprintf(stderr, "metrics: no rdsemu_backups{status=\"%s\"}\n", status);
    CHECK(found);
    return v;
}

/* The histogram: le ascending to +Inf, counts cumulative, +Inf = _count = the requests
 * counted in rdsemu_requests_total. */
static void check_histogram(const struct scrape *m)
{
    static const char *const h = "rdsemu_request_duration_seconds";
    const struct family *f = NULL;
    for (size_t i = 0; i < m->nfamilies; i++)
        if (strcmp(m->families[i].name, h) == 0)
            f = &m->families[i];
    CHECK(f != NULL && strcmp(f->type, "histogram") == 0);
    double last_le = -INFINITY, last_count = 0;
    size_t buckets = 0;
    bool inf_seen = false, ordered = true;
    for (size_t i = 0; i < m->nsamples; i++) {
        const struct sample *s = &m->samples[i];
        if (strcmp(s->name, "rdsemu_request_duration_seconds_bucket") != 0)
            continue;
        const char *le_text = label_of(s, "le");
        CHECK(le_text != NULL);
        if (le_text == NULL)
            continue;
        double le = strcmp(le_text, "+Inf") == 0 ? INFINITY : strtod(le_text, NULL);
        if (inf_seen || le <= last_le || s->value < last_count) {
            fprintf(stderr, "histogram bucket le=\"%s\" %g after le=%g %g\n", le_text, s->value,
                    last_le, last_count);
            ordered = false;
        }
        inf_seen = isinf(le);
        last_le = le;
        last_count = s->value;
        buckets++;
    }
    CHECK(ordered);
    CHECK(inf_seen);
    CHECK(buckets >= 2);
    bool count_found = false, sum_found = false;
    double count =
        value_of(m, "rdsemu_request_duration_seconds_count", NULL, NULL, NULL, NULL, &count_found);
    double sum =
        value_of(m, "rdsemu_request_duration_seconds_sum", NULL, NULL, NULL, NULL, &sum_found);
    CHECK(count_found && sum_found);
    CHECK(sum >= 0);
    if (last_count != count || count != requests(m, NULL, NULL))
        fprintf(stderr, "histogram +Inf %g, _count %g, rdsemu_requests_total %g\n", last_count,
                count, requests(m, NULL, NULL));
    CHECK(last_count == count);
    CHECK(count == requests(m, NULL, NULL));
    CHECK(count > 0);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* rdsemu_requests_in_flight once it settles: the scrape counts itself, and the request before
 * it may still be finishing (its answer is sent before it is counted out). -1 when absent. */
static double in_flight_settled(const struct emu *emu, CURL *handle)
{
    static struct scrape m;
    double count = -1;
    for (int i = 0; i < 250 && count != 1; i++) {
        if (i > 0)
            sleep_ms(20);
        scrape(emu, handle, &m);
        bool found = false;
        count = value_of(&m, "rdsemu_requests_in_flight", NULL, NULL, NULL, NULL, &found);
        if (!found)
            return -1;
    }
    return count;
}

/* A request is counted when it has been answered: scrape again (bounded, 5 s for a loaded
 * machine; it takes a millisecond or so) until the count of the last request made shows, so
 * a scrape never races the request before it. */
static void scrape_settled(const struct emu *emu, CURL *handle, struct scrape *m,
                           double emulated_expected)
{
    for (int i = 0; i < 250; i++) {
        scrape(emu, handle, m);
        if (!m->ok || emulated_requests(m) >= emulated_expected)
            return;
        sleep_ms(20);
    }
}

static long send_on(const struct emu *emu, CURL *handle, const char *method, const char *path,
                    const char *const *headers, const char *body, char *backup_id)
{
    struct http_response r;
    call_request(emu, handle, method, path, headers, body, &r);
    long status = r.status;
    if (backup_id != NULL) {
        json_t *root = http_response_json(&r);
        const char *id = json_string_value(json_object_get(json_object_get(root, "backup"), "id"));
        snprintf(backup_id, 64, "%s", id != NULL ? id : "");
        json_decref(root);
    }
    http_response_free(&r);
    return status;
}

static long create(const struct emu *emu, CURL *handle, const char *instance, const char *name,
                   const char *seconds, bool fail, char *backup_id)
{
    char body[256], seconds_header[64];
    snprintf(body, sizeof(body), "{\"backup\": {\"instance\": \"%s\", \"name\": \"%s\"}}", instance,
             name);
    snprintf(seconds_header, sizeof(seconds_header), "X-Emulator-Backup-Seconds: %s", seconds);
    const char *headers[] = {CALL_TOKEN_HEADER, CALL_JSON_HEADER, seconds_header,
                             fail ? "X-Emulator-Backup-Outcome: fail" : NULL, NULL};
    return send_on(emu, handle, "POST", "/rds/v1/" PROJECT "/backups", headers, body, backup_id);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--seed", RDSEMU_TEST_SEED, "--backup-seconds", "0", "--auth", "presence",
                          NULL};
    if (emu_start(&emu, "ctl-metrics", args, NULL) != 0) {
        emu_cleanup(&emu, false);
        fprintf(stderr, "cannot start rdsemu\n");
        return 1;
    }
    /* One handle, so the requests go one after the other on one connection. */
    CURL *h = http_handle_new();
    static struct scrape before, after;
    scrape(&emu, h, &before);
    CHECK(before.ok);
    bool found = false;
    double in_flight =
        value_of(&before, "rdsemu_requests_in_flight", NULL, NULL, NULL, NULL, &found);
    CHECK(found);
    CHECK_INT(in_flight, 1); /* the scrape itself: nothing came before it */
    CHECK_INT(backups(&before, "BUILDING"), 0);
    CHECK_INT(backups(&before, "COMPLETED"), 0);
    CHECK_INT(backups(&before, "FAILED"), 0);

    /* 3 creates answered 200 and 2 answered 409, then a few others. */
    CHECK_INT(create(&emu, h, "mysql-1", "metrics-1", "0", false, NULL), 200);
    CHECK_INT(create(&emu, h, "mysql-1", "metrics-2", "0", false, NULL), 200);
    CHECK_INT(create(&emu, h, "mysql-1", "metrics-3", "0", false, NULL), 200);
    CHECK_INT(create(&emu, h, "mysql-1", "metrics-1", "0", false, NULL), 409);
    CHECK_INT(create(&emu, h, "mysql-1", "metrics-2", "0", false, NULL), 409);
    const char *token[] = {CALL_TOKEN_HEADER, NULL};
    CHECK_INT(
        send_on(&emu, h, "GET", "/v3/" PROJECT "/backups?instance_id=mysql-1", token, NULL, NULL),
        200);
    CHECK_INT(send_on(&emu, h, "GET", "/no/such/route", token, NULL, NULL), 404);
    CHECK_INT(send_on(&emu, h, "GET", "/rds/v1/" PROJECT "/backups", NULL, NULL, NULL), 401);

    scrape_settled(&emu, h, &after, emulated_requests(&before) + 8);
    CHECK(after.ok);
    CHECK_INT(requests(&after, "v1_backup_create", "200") -
                  requests(&before, "v1_backup_create", "200"),
              3);
    CHECK_INT(requests(&after, "v1_backup_create", "409") -
                  requests(&before, "v1_backup_create", "409"),
              2);
    CHECK_INT(
        requests(&after, "v3_backup_list", "200") - requests(&before, "v3_backup_list", "200"), 1);
    CHECK_INT(
        requests(&after, "v1_backup_list", "401") - requests(&before, "v1_backup_list", "401"), 1);
    CHECK_INT(requests(&after, NULL, "404") - requests(&before, NULL, "404"), 1);
    CHECK_INT(emulated_requests(&after) - emulated_requests(&before), 8);
    /* Every request counted once in the histogram too (scrapes included). */
    CHECK_INT(
        value_of(&after, "rdsemu_request_duration_seconds_count", NULL, NULL, NULL, NULL, NULL) -
            value_of(&before, "rdsemu_request_duration_seconds_count", NULL, NULL, NULL, NULL,
                     NULL),
        requests(&after, NULL, NULL) - requests(&before, NULL, NULL));
    check_histogram(&after);
    CHECK_INT(in_flight_settled(&emu, h), 1);

    /* Backups by status: 3 COMPLETED so far; then one BUILDING and one FAILED. */
    CHECK_INT(backups(&after, "COMPLETED"), 3);
    CHECK_INT(backups(&after, "BUILDING"), 0);
    CHECK_INT(backups(&after, "FAILED"), 0);
    char building[64], completed[64];
    CHECK_INT(create(&emu, h, "mysql-2", "metrics-slow", "3600", false, building), 200);
    CHECK_INT(create(&emu, h, "pg-1", "metrics-fail", "0", true, NULL), 200);
    scrape(&emu, h, &after);
    CHECK_INT(backups(&after, "BUILDING"), 1);
    CHECK_INT(backups(&after, "COMPLETED"), 3);
    CHECK_INT(backups(&after, "FAILED"), 1);

    /* Forced to complete: BUILDING -> COMPLETED. */
    char path[128];
    snprintf(path, sizeof(path), "/_emulator/backups/%s/complete", building);
    CHECK_INT(send_on(&emu, h, "POST", path, NULL, NULL, NULL), 200);
    scrape(&emu, h, &after);
    CHECK_INT(backups(&after, "BUILDING"), 0);
    CHECK_INT(backups(&after, "COMPLETED"), 4);

    /* Finished by the clock: the gauge sees it without anyone reading the backup. */
    CHECK_INT(create(&emu, h, "mysql-2", "metrics-slow2", "3600", false, NULL), 200);
    CHECK_INT(create(&emu, h, "pg-1", "metrics-slowfail", "60", true, NULL), 200);
    scrape(&emu, h, &after);
    CHECK_INT(backups(&after, "BUILDING"), 2);
    const char *json_type[] = {CALL_JSON_HEADER, NULL};
    CHECK_INT(send_on(&emu, h, "POST", "/_emulator/clock", json_type, "{\"advance_seconds\": 7200}",
                      NULL),
              200);
    scrape(&emu, h, &after);
    CHECK_INT(backups(&after, "BUILDING"), 0);
    CHECK_INT(backups(&after, "COMPLETED"), 5);
    CHECK_INT(backups(&after, "FAILED"), 2);

    /* A deleted backup is no longer counted. */
    CHECK_INT(create(&emu, h, "mysql-1", "metrics-gone", "0", false, completed), 200);
    scrape(&emu, h, &after);
    CHECK_INT(backups(&after, "COMPLETED"), 6);
    snprintf(path, sizeof(path), "/rds/v1/" PROJECT "/backups/%s", completed);
    CHECK_INT(send_on(&emu, h, "DELETE", path, token, NULL, NULL), 200);
    scrape(&emu, h, &after);
    CHECK_INT(backups(&after, "COMPLETED"), 5);
    check_histogram(&after);

    curl_easy_cleanup(h);
    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
