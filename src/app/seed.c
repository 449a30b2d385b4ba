/* The seed file (docs/emulator.md "Seed file"): {"projects": [{"id", "instances": [{"id",
 * ...}]}]}. It is checked whole when loaded, so a bad file stops the start instead of
 * half-applying; every message names the file and the member. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rdsemu/api/instance_json.h"
#include "rdsemu/base/log.h"
#include "rdsemu/app/seed.h"
#include "rdsemu/core/validate.h"

/* Calls `fn` for every instance; stops at the first failure. */
typedef int (*seed_instance_fn)(struct instance *inst, void *arg);

/* Reports every member of `obj` that `known` does not know, as a warning naming the file and
 * the member: a typo in a seed is then visible, while a seed written for a newer rdsemu still
 * loads. `where` is the object's own path ("projects[0]"). */
static void warn_unknown(const char *path, json_t *obj, const char *where,
                         bool (*known)(const char *member, bool nested), bool nested)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        if (!known(key, nested))
            log_warn("seed %s: %s%s%s is not a member rdsemu knows; it is ignored", path, where,
                     where[0] != '\0' ? "." : "", key);
    }
}

static bool top_member_is_known(const char *member, bool nested)
{
    (void)nested;
    return strcmp(member, "projects") == 0;
}

static bool project_member_is_known(const char *member, bool nested)
{
    (void)nested;
    return strcmp(member, "id") == 0 || strcmp(member, "instances") == 0;
}

/* True when an earlier element of `array` (before `index`) has the same string "id". */
static bool id_seen_before(json_t *array, size_t index, const char *id)
{
    for (size_t k = 0; k < index; k++) {
        const char *other = json_string_value(json_object_get(json_array_get(array, k), "id"));
        if (other != NULL && strcmp(other, id) == 0)
            return true;
    }
    return false;
}

static int seed_instances(const char *path, json_t *instances, size_t i, const char *pid,
                          seed_instance_fn fn, void *arg, bool report, char *err, size_t errlen)
{
    size_t j;
    json_t *item;
    json_array_foreach(instances, j, item)
    {
        if (!json_is_object(item)) {
            snprintf(err, errlen, "seed %s: projects[%zu].instances[%zu] must be an object", path,
                     i, j);
            return -1;
        }
        const char *iid = json_string_value(json_object_get(item, "id"));
        if (iid == NULL || !instance_id_is_valid(iid)) {
            snprintf(err, errlen,
                     "seed %s: projects[%zu].instances[%zu].id must be 1 to 64 characters of "
                     "letters, digits, ., - and _",
                     path, i, j);
            return -1;
        }
        if (id_seen_before(instances, j, iid)) {
            snprintf(err, errlen,
                     "seed %s: projects[%zu].instances[%zu].id %s is given twice in project %s",
                     path, i, j, iid, pid);
            return -1;
        }
        if (report) {
            char where[64];
            snprintf(where, sizeof(where), "projects[%zu].instances[%zu]", i, j);
            warn_unknown(path, item, where, instance_member_is_known, false);
            json_t *datastore = json_object_get(item, "datastore");
            if (json_is_object(datastore)) {
                snprintf(where, sizeof(where), "projects[%zu].instances[%zu].datastore", i, j);
                warn_unknown(path, datastore, where, instance_member_is_known, true);
            }
        }
        struct instance inst;
        struct rule_error rule;
        if (instance_from_json(item, pid, iid, &inst, &rule) != 0) {
            snprintf(err, errlen, "seed %s: projects[%zu].instances[%zu].%s", path, i, j,
                     rule.message);
            return -1;
        }
        int rc = fn(&inst, arg);
        instance_free(&inst);
        if (rc != 0) {
            err[0] = '\0'; /* the database's failure, not the seed's */
            return -1;
        }
    }
    return 0;
}

static int seed_walk(const char *path, json_t *seed, seed_instance_fn fn, void *arg, bool report,
                     char *err, size_t errlen)
{
    json_t *projects = json_object_get(seed, "projects");
    if (!json_is_array(projects)) {
        snprintf(err, errlen, "seed %s: projects must be an array", path);
        return -1;
    }
    if (report)
        warn_unknown(path, seed, "", top_member_is_known, false);
    size_t i;
    json_t *project;
    json_array_foreach(projects, i, project)
    {
        if (!json_is_object(project)) {
            snprintf(err, errlen, "seed %s: projects[%zu] must be an object", path, i);
            return -1;
        }
        const char *pid = json_string_value(json_object_get(project, "id"));
        json_t *instances = json_object_get(project, "instances");
        if (pid == NULL || !project_id_is_valid(pid)) {
            snprintf(err, errlen,
                     "seed %s: projects[%zu].id must be 1 to 64 characters of letters, digits, "
                     "- and _",
                     path, i);
            return -1;
        }
        if (id_seen_before(projects, i, pid)) {
            snprintf(err, errlen, "seed %s: projects[%zu].id %s is given twice", path, i, pid);
            return -1;
        }
        if (report) {
            char where[32];
            snprintf(where, sizeof(where), "projects[%zu]", i);
            warn_unknown(path, project, where, project_member_is_known, false);
        }
        if (instances == NULL || json_is_null(instances))
            continue;
        if (!json_is_array(instances)) {
            snprintf(err, errlen, "seed %s: projects[%zu].instances must be an array", path, i);
            return -1;
        }
        if (seed_instances(path, instances, i, pid, fn, arg, report, err, errlen) != 0)
            return -1;
    }
    return 0;
}

static int check_only(struct instance *inst, void *arg)
{
    (void)inst;
    (void)arg;
    return 0;
}

json_t *seed_load(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "seed %s: cannot read it: %s", path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "seed %s: is a directory; --seed takes a JSON file", path);
        return NULL;
    }
    json_error_t error;
    json_t *seed = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (seed == NULL) {
        if (error.line > 0)
            snprintf(err, errlen, "seed %s: not valid JSON: %s (line %d, column %d)", path,
                     error.text, error.line, error.column);
        else
            snprintf(err, errlen, "seed %s: %s", path, error.text);
        return NULL;
    }
    if (!json_is_object(seed)) {
        snprintf(err, errlen, "seed %s: must be a JSON object {\"projects\": [...]}", path);
        json_decref(seed);
        return NULL;
    }
    if (seed_walk(path, seed, check_only, NULL, true, err, errlen) != 0) {
        json_decref(seed);
        return NULL;
    }
    return seed;
}

struct seed_put {
    struct store_conn *conn;
    int64_t now;
    const struct settle_rules *rules;
};

static int put_instance(struct instance *inst, void *arg)
{
    struct seed_put *put = arg;
    return store_instance_put(put->conn, inst, put->now, put->rules);
}

int seed_apply(struct store_conn *conn, json_t *seed, const char *path, int64_t now,
               const struct settle_rules *rules, char *err, size_t errlen)
{
    struct seed_put put = {conn, now, rules};
    return seed_walk(path, seed, put_instance, &put, false, err, errlen);
}

const char *seed_first_project(json_t *seed)
{
    json_t *first = json_array_get(json_object_get(seed, "projects"), 0);
    return json_string_value(json_object_get(first, "id"));
}

void seed_count(json_t *seed, size_t *projects, size_t *instances)
{
    json_t *list = json_object_get(seed, "projects");
    *projects = json_array_size(list);
    *instances = 0;
    size_t i;
    json_t *project;
    json_array_foreach(list, i, project) *instances +=
        json_array_size(json_object_get(project, "instances"));
}
