/* The seed file (docs/emulator.md): {"projects": [{"id", "instances": [{"id", ...}]}]}. It is
 * checked whole when loaded, so a bad file stops the start instead of half-applying. */
#include <stdio.h>

#include "rdsemu/instance_json.h"
#include "rdsemu/seed.h"
#include "rdsemu/validate.h"

/* Calls `fn` for every instance; stops at the first failure. */
typedef int (*seed_instance_fn)(struct instance *inst, void *arg);

static int seed_walk(json_t *seed, seed_instance_fn fn, void *arg, char *err, size_t errlen)
{
    json_t *projects = json_object_get(seed, "projects");
    if (!json_is_array(projects)) {
        snprintf(err, errlen, "seed: projects must be an array");
        return -1;
    }
    size_t i, j;
    json_t *project, *item;
    json_array_foreach(projects, i, project)
    {
        json_t *pid = json_object_get(project, "id");
        json_t *instances = json_object_get(project, "instances");
        if (!json_is_string(pid) || !project_id_is_valid(json_string_value(pid))) {
            snprintf(err, errlen,
                     "seed: projects[%zu].id must be 1 to 64 characters of "
                     "letters, digits, - and _",
                     i);
            return -1;
        }
        if (instances == NULL)
            continue;
        if (!json_is_array(instances)) {
            snprintf(err, errlen, "seed: projects[%zu].instances must be an array", i);
            return -1;
        }
        json_array_foreach(instances, j, item)
        {
            json_t *iid = json_object_get(item, "id");
            if (!json_is_string(iid) || !instance_id_is_valid(json_string_value(iid))) {
                snprintf(err, errlen,
                         "seed: projects[%zu].instances[%zu].id must be 1 to 64 "
                         "characters of letters, digits, ., - and _",
                         i, j);
                return -1;
            }
            struct instance inst;
            struct rule_error rule;
            if (instance_from_json(item, json_string_value(pid), json_string_value(iid), &inst,
                                   &rule) != 0) {
                snprintf(err, errlen, "seed: projects[%zu].instances[%zu]: %s", i, j, rule.message);
                return -1;
            }
            int rc = fn(&inst, arg);
            instance_free(&inst);
            if (rc != 0) {
                snprintf(err, errlen, "seed: cannot store projects[%zu].instances[%zu]", i, j);
                return -1;
            }
        }
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
    json_error_t error;
    json_t *seed = json_load_file(path, 0, &error);
    if (seed == NULL) {
        snprintf(err, errlen, "seed %s: %s (line %d)", path, error.text, error.line);
        return NULL;
    }
    if (!json_is_object(seed) || seed_walk(seed, check_only, NULL, err, errlen) != 0) {
        if (!json_is_object(seed))
            snprintf(err, errlen, "seed %s: must be a JSON object", path);
        json_decref(seed);
        return NULL;
    }
    return seed;
}

static int put_instance(struct instance *inst, void *arg)
{
    return store_instance_put(arg, inst);
}

int seed_apply(struct store_conn *conn, json_t *seed, char *err, size_t errlen)
{
    return seed_walk(seed, put_instance, conn, err, errlen);
}
