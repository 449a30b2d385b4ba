/* The control plane's instance body (docs/emulator.md). */
#include <stdlib.h>
#include <string.h>

#include "policy_json.h"
#include "rdsemu/api/instance_json.h"
#include "rdsemu/core/limits.h"
#include "rdsemu/core/validate.h"

#define INSTANCE_NAME_MAX 128 /* code points */
#define VERSION_MAX       64
#define STATUS_MAX        32
#define SIZE_KB_MAX       (1LL << 50)

/* A required or optional string member with a length rule; NULL `*out` when absent.
 * `key` may be a path ("datastore.type"): its last part is the member looked up. */
static int string_member(json_t *obj, const char *key, bool required, size_t max, const char **out,
                         struct rule_error *err)
{
    const char *member = strrchr(key, '.') != NULL ? strrchr(key, '.') + 1 : key;
    json_t *value = json_object_get(obj, member);
    *out = NULL;
    if (value == NULL || json_is_null(value)) {
        if (required)
            return rule_fail(err, ERR_BAD_REQUEST, "%s is required", key);
        return 0;
    }
    if (!json_is_string(value))
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be a string", key);
    const char *s = json_string_value(value);
    if (s[0] == '\0' || utf8_code_points(s) > max)
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be 1 to %zu characters", key, max);
    *out = s;
    return 0;
}

/* An optional integer member in [0, max]; -1 when absent or null. */
static int integer_member(json_t *obj, const char *key, long long max, long long *out,
                          struct rule_error *err)
{
    json_t *value = json_object_get(obj, key);
    *out = -1;
    if (value == NULL || json_is_null(value))
        return 0;
    if (!json_is_integer(value) || json_integer_value(value) < 0 || json_integer_value(value) > max)
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be a whole number from 0 to %lld", key,
                         max);
    *out = json_integer_value(value);
    return 0;
}

static int parse_databases(json_t *value, struct instance *out, struct rule_error *err)
{
    if (value == NULL || json_is_null(value))
        return 0;
    if (!json_is_array(value))
        return rule_fail(err, ERR_BAD_REQUEST, "databases must be an array of names");
    out->has_databases = true;
    size_t i;
    json_t *item;
    json_array_foreach(value, i, item)
    {
        if (!json_is_string(item) || json_string_length(item) == 0)
            return rule_fail(err, ERR_BAD_REQUEST, "databases[%zu] must be a non-empty string", i);
        if (name_list_contains(&out->databases, json_string_value(item)))
            return rule_fail(err, ERR_BAD_REQUEST, "databases lists %.64s twice",
                             json_string_value(item));
        if (name_list_add(&out->databases, json_string_value(item)) != 0)
            return rule_internal(err);
    }
    return 0;
}

static int fill(json_t *body, struct instance *out, struct rule_error *err)
{
    const char *name, *type, *version, *status, *role, *outcome, *restore_outcome;
    json_t *datastore = json_object_get(body, "datastore");
    if (string_member(body, "name", true, INSTANCE_NAME_MAX, &name, err) != 0)
        return -1;
    if (!json_is_object(datastore))
        return rule_fail(err, ERR_BAD_REQUEST,
                         "datastore must be an object with type and "
                         "version");
    if (string_member(datastore, "datastore.type", true, 16, &type, err) != 0 ||
        string_member(datastore, "datastore.version", true, VERSION_MAX, &version, err) != 0)
        return -1;
    const char *engine = engine_canonical(type);
    if (engine == NULL)
        return rule_fail(err, ERR_BAD_REQUEST,
                         "datastore.type must be MySQL, PostgreSQL or SQLServer");
    if (string_member(body, "status", false, STATUS_MAX, &status, err) != 0 ||
        string_member(body, "role", false, 16, &role, err) != 0 ||
        string_member(body, "backup_outcome", false, 16, &outcome, err) != 0 ||
        string_member(body, "restore_outcome", false, 16, &restore_outcome, err) != 0)
        return -1;
    if (role != NULL && strcmp(role, "primary") != 0 && strcmp(role, "replica") != 0)
        return rule_fail(err, ERR_BAD_REQUEST, "role must be primary or replica");
    enum outcome parsed = OUTCOME_SUCCESS;
    if (outcome != NULL && outcome_parse(outcome, false, &parsed) != 0)
        return rule_fail(err, ERR_BAD_REQUEST, "backup_outcome must be success or fail");
    if (restore_outcome != NULL &&
        outcome_parse(restore_outcome, false, &out->restore_outcome) != 0)
        return rule_fail(err, ERR_BAD_REQUEST, "restore_outcome must be success or fail");
    out->has_restore_outcome = restore_outcome != NULL;
    long long seconds, size, delete_seconds, restore_seconds;
    if (integer_member(body, "backup_seconds", BUILD_SECONDS_MAX, &seconds, err) != 0 ||
        integer_member(body, "restore_seconds", BUILD_SECONDS_MAX, &restore_seconds, err) != 0 ||
        integer_member(body, "size_kb", SIZE_KB_MAX, &size, err) != 0 ||
        integer_member(body, "delete_seconds", BUILD_SECONDS_MAX, &delete_seconds, err) != 0)
        return -1;
    json_t *policy = json_object_get(body, "backup_policy");
    if (policy != NULL && !json_is_null(policy)) {
        struct policy_input given;
        if (policy_input_from_json(policy, "backup_policy", &given, err) != 0 ||
            policy_input_apply(&given, engine, "backup_policy", &out->policy, err) != 0)
            return -1;
        out->policy_set = true;
    }
    if (parse_databases(json_object_get(body, "databases"), out, err) != 0)
        return -1;
    out->name = strdup(name);
    out->engine = strdup(engine);
    out->version = strdup(version);
    out->status = strdup(status != NULL ? status : "ACTIVE");
    out->replica = role != NULL && strcmp(role, "replica") == 0;
    out->backup_seconds = (long)seconds;
    out->has_outcome = outcome != NULL;
    out->outcome = parsed;
    out->size_kb = size;
    out->delete_seconds = (long)delete_seconds;
    out->restore_seconds = (long)restore_seconds;
    if (out->name == NULL || out->engine == NULL || out->version == NULL || out->status == NULL)
        return rule_internal(err);
    return 0;
}

int instance_from_json(json_t *body, const char *project_id, const char *id, struct instance *out,
                       struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    policy_default(&out->policy);
    out->auto_cursor = -1;
    if (!json_is_object(body))
        return rule_fail(err, ERR_BAD_REQUEST, "an instance must be a JSON object");
    out->project_id = strdup(project_id);
    out->id = strdup(id);
    if (out->project_id == NULL || out->id == NULL || fill(body, out, err) != 0) {
        if (out->project_id == NULL || out->id == NULL)
            rule_internal(err);
        instance_free(out);
        return -1;
    }
    return 0;
}

bool instance_member_is_known(const char *member, bool in_datastore)
{
    static const char *const top[] = {"id",
                                      "name",
                                      "datastore",
                                      "status",
                                      "role",
                                      "databases",
                                      "size_kb",
                                      "backup_seconds",
                                      "backup_outcome",
                                      "backup_policy",
                                      "delete_seconds",
                                      "restore_seconds",
                                      "restore_outcome"};
    static const char *const datastore[] = {"type", "version"};
    const char *const *names = in_datastore ? datastore : top;
    size_t count =
        in_datastore ? sizeof(datastore) / sizeof(datastore[0]) : sizeof(top) / sizeof(top[0]);
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], member) == 0)
            return true;
    return false;
}
