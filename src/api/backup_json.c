/* A create body (v1's `backup` object, or v3's whole body) -> struct backup_request. Only
 * types are checked here; the rules are core/validate.c's. */
#include <stdlib.h>

#include "backup_json.h"

/* A member that is absent or null reads as NULL; a non-string fails. */
static int optional_string(json_t *obj, const char *key, const char **out, struct rule_error *err)
{
    json_t *value = json_object_get(obj, key);
    *out = NULL;
    if (value == NULL || json_is_null(value))
        return 0;
    if (!json_is_string(value))
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be a string", key);
    *out = json_string_value(value);
    return 0;
}

static int parse_databases(json_t *value, struct backup_request *req, struct rule_error *err)
{
    if (!json_is_array(value))
        return rule_fail(err, ERR_BAD_REQUEST, "databases must be an array");
    req->has_databases = true;
    size_t count = json_array_size(value);
    if (count == 0)
        return 0; /* the rule "at least one" is core's */
    req->databases = calloc(count, sizeof(*req->databases));
    if (req->databases == NULL)
        return rule_internal(err);
    size_t i;
    json_t *item;
    json_array_foreach(value, i, item)
    {
        json_t *name = json_object_get(item, "name");
        if (!json_is_object(item) || !json_is_string(name))
            return rule_fail(err, ERR_BAD_REQUEST,
                             "databases[%zu] must be an object with a string member name", i);
        req->databases[i] = json_string_value(name);
        req->database_count++;
    }
    return 0;
}

int backup_request_from_json(json_t *obj, const char *instance_key, struct backup_request *req,
                             struct rule_error *err)
{
    req->instance_key = instance_key;
    if (optional_string(obj, instance_key, &req->instance_id, err) != 0 ||
        optional_string(obj, "name", &req->name, err) != 0 ||
        optional_string(obj, "description", &req->description, err) != 0)
        return -1;
    json_t *databases = json_object_get(obj, "databases");
    if (databases != NULL && !json_is_null(databases))
        return parse_databases(databases, req, err);
    return 0;
}
