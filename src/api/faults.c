/* Fault rules, tried in the order they were added. */
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/api/faults.h"
#include "rdsemu/core/ids.h"
#include "rdsemu/core/validate.h"

struct fault_rule {
    char id[UUID_TEXT_LEN + 1];
    json_t *spec;       /* the stored rule as given (with defaults), for listing */
    const char *method; /* borrowed from spec; NULL: any */
    const char *path;   /* glob; NULL: any */
    const char *project_id;
    const char *instance_id;
    double probability;
    long long remaining; /* -1: unlimited */
    long long fired;
    uint64_t rng;
    struct fault_action action;
};

struct faults {
    pthread_mutex_t lock;
    uint64_t rng;  /* seeds the rules' own generators */
    uint64_t seed; /* what `rng` started from, for a reset */
    struct fault_rule *rules;
    size_t count;
};

/* splitmix64: small, fast, and the same sequence for the same seed everywhere. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

struct faults *faults_new(uint64_t seed)
{
    struct faults *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return NULL;
    pthread_mutex_init(&f->lock, NULL);
    f->rng = f->seed = seed;
    return f;
}

static void rules_clear(struct faults *f)
{
    for (size_t i = 0; i < f->count; i++)
        json_decref(f->rules[i].spec);
    free(f->rules);
    f->rules = NULL;
    f->count = 0;
}

void faults_free(struct faults *f)
{
    if (f == NULL)
        return;
    rules_clear(f);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

void faults_clear(struct faults *f)
{
    pthread_mutex_lock(&f->lock);
    rules_clear(f);
    pthread_mutex_unlock(&f->lock);
}

void faults_reset(struct faults *f)
{
    pthread_mutex_lock(&f->lock);
    rules_clear(f);
    f->rng = f->seed; /* the same rules after a reset draw the same numbers as after a start */
    pthread_mutex_unlock(&f->lock);
}

/* An optional string member of 1..max bytes; NULL when absent or null. */
static int optional_string(json_t *body, const char *key, size_t max, const char **out,
                           struct rule_error *err)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max)
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be a string of 1 to %zu characters", key,
                         max);
    *out = json_string_value(v);
    return 0;
}

/* An optional integer member in [min, max]; `dflt` when absent or null. */
static int optional_integer(json_t *body, const char *key, long long min, long long max,
                            long long dflt, long long *out, struct rule_error *err)
{
    json_t *v = json_object_get(body, key);
    *out = dflt;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be a whole number from %lld to %lld", key,
                         min, max);
    *out = json_integer_value(v);
    return 0;
}

/* Checks `body` and fills `rule` (its strings borrowed from rule->spec). */
static int rule_parse(json_t *body, struct fault_rule *rule, uint64_t *rng, struct rule_error *err)
{
    const char *method, *path, *project, *instance, *code, *message;
    if (optional_string(body, "method", 16, &method, err) != 0 ||
        optional_string(body, "path", 1024, &path, err) != 0 ||
        optional_string(body, "project_id", 64, &project, err) != 0 ||
        optional_string(body, "instance_id", 64, &instance, err) != 0 ||
        optional_string(body, "error_code", 64, &code, err) != 0 ||
        optional_string(body, "message", 512, &message, err) != 0)
        return -1;
    if (path != NULL && path[0] != '/')
        return rule_fail(err, ERR_BAD_REQUEST, "path must be a glob that starts with /");
    json_t *p = json_object_get(body, "probability");
    double probability = 1.0;
    if (p != NULL && !json_is_null(p)) {
        if (!json_is_number(p) || json_number_value(p) < 0 || json_number_value(p) > 1)
            return rule_fail(err, ERR_BAD_REQUEST, "probability must be a number from 0 to 1");
        probability = json_number_value(p);
    }
    long long times, status, delay, seed;
    if (optional_integer(body, "times", 1, 1000000000, -1, &times, err) != 0 ||
        optional_integer(body, "status", 400, 599, 0, &status, err) != 0 ||
        optional_integer(body, "delay_ms", 0, FAULT_DELAY_MAX_MS, 0, &delay, err) != 0 ||
        optional_integer(body, "seed", 0, INT64_MAX, -1, &seed, err) != 0)
        return -1;
    if (status == 0 && code != NULL)
        status = 500; /* an error code alone means a server error */
    if (status == 0 && delay == 0)
        return rule_fail(err, ERR_BAD_REQUEST,
                         "a fault needs status, error_code or delay_ms to do something");

    ids_uuid_random(rule->id);
    rule->spec = json_pack("{s:s, s:s*, s:s*, s:s*, s:s*, s:f, s:o, s:o, s:o, s:s*, s:s*, s:I}",
                           "id", rule->id, "method", method, "path", path, "project_id", project,
                           "instance_id", instance, "probability", probability, "times",
                           times < 0 ? json_null() : json_integer(times), "remaining",
                           times < 0 ? json_null() : json_integer(times), "status",
                           status == 0 ? json_null() : json_integer(status), "error_code", code,
                           "message", message, "delay_ms", (json_int_t)delay);
    if (rule->spec == NULL)
        return rule_internal(err);
    json_t *spec = rule->spec;
    rule->method = json_string_value(json_object_get(spec, "method"));
    rule->path = json_string_value(json_object_get(spec, "path"));
    rule->project_id = json_string_value(json_object_get(spec, "project_id"));
    rule->instance_id = json_string_value(json_object_get(spec, "instance_id"));
    rule->probability = probability;
    rule->remaining = times;
    rule->rng = seed >= 0 ? (uint64_t)seed : rng_next(rng);
    snprintf(rule->action.rule_id, sizeof(rule->action.rule_id), "%s", rule->id);
    rule->action.delay_ms = (long)delay;
    rule->action.status = (int)status;
    snprintf(rule->action.error_code, sizeof(rule->action.error_code), "%s",
             code != NULL ? code : "");
    snprintf(rule->action.message, sizeof(rule->action.message), "%s",
             message != NULL ? message : "injected fault");
    return 0;
}

int faults_add(struct faults *f, json_t *body, json_t **out, struct rule_error *err)
{
    struct fault_rule rule = {0};
    pthread_mutex_lock(&f->lock);
    uint64_t rng_before = f->rng;
    int rc = rule_parse(body, &rule, &f->rng, err);
    if (rc == 0 && f->count >= FAULTS_MAX) {
        /* Checked after the body, so a bad rule still gets its own 400; the draw of its seed
         * is given back, so later rules draw as if it had never been sent. */
        f->rng = rng_before;
        json_decref(rule.spec);
        rc = rule_fail(err, ERR_CONFLICT,
                       "there are already %d fault rules, the most the emulator holds; delete "
                       "some first (DELETE /_emulator/faults or /_emulator/faults/{fault_id})",
                       FAULTS_MAX);
    }
    if (rc == 0) {
        struct fault_rule *grown = realloc(f->rules, (f->count + 1) * sizeof(*grown));
        if (grown == NULL) {
            json_decref(rule.spec);
            rc = rule_internal(err);
        } else {
            f->rules = grown;
            f->rules[f->count++] = rule;
            *out = json_deep_copy(rule.spec);
        }
    }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

json_t *faults_list(struct faults *f)
{
    json_t *list = json_array();
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; list != NULL && i < f->count; i++)
        json_array_append_new(list, json_deep_copy(f->rules[i].spec));
    pthread_mutex_unlock(&f->lock);
    return json_pack("{s:o}", "faults", list);
}

int faults_remove(struct faults *f, const char *id)
{
    int rc = 1;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->count; i++) {
        if (strcmp(f->rules[i].id, id) == 0) {
            json_decref(f->rules[i].spec);
            memmove(&f->rules[i], &f->rules[i + 1], (f->count - i - 1) * sizeof(*f->rules));
            f->count--;
            rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

bool faults_need_instance(struct faults *f)
{
    bool need = false;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->count && !need; i++)
        need = f->rules[i].instance_id != NULL;
    pthread_mutex_unlock(&f->lock);
    return need;
}

static bool rule_applies(const struct fault_rule *rule, const struct fault_request *req)
{
    if (rule->remaining == 0)
        return false;
    if (rule->method != NULL && strcasecmp(rule->method, req->method) != 0)
        return false;
    if (rule->path != NULL && fnmatch(rule->path, req->path, FNM_PATHNAME) != 0)
        return false;
    if (rule->project_id != NULL &&
        (req->project_id == NULL || strcmp(rule->project_id, req->project_id) != 0))
        return false;
    if (rule->instance_id != NULL &&
        (req->instance_id == NULL || strcmp(rule->instance_id, req->instance_id) != 0))
        return false;
    return true;
}

bool faults_match(struct faults *f, const struct fault_request *req, struct fault_action *out)
{
    bool fired = false;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->count && !fired; i++) {
        struct fault_rule *rule = &f->rules[i];
        if (!rule_applies(rule, req))
            continue;
        /* 53 random bits give a uniform double in [0, 1). */
        double roll = (double)(rng_next(&rule->rng) >> 11) / 9007199254740992.0;
        if (roll >= rule->probability)
            continue;
        if (rule->remaining > 0) {
            rule->remaining--;
            json_object_set_new(rule->spec, "remaining", json_integer(rule->remaining));
        }
        *out = rule->action;
        fired = true;
    }
    pthread_mutex_unlock(&f->lock);
    return fired;
}
