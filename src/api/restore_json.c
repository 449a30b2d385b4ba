/* The bodies of the restore calls (src/api/restore_json.h, docs/restore.md). */
#include <string.h>

#include "rdsemu/core/model.h"
#include "rdsemu/core/validate.h"
#include "restore_json.h"

#define RESTORE_NAME_MAX 64

static json_t *member(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    return json_is_null(v) ? NULL : v; /* null means absent */
}

/* A required string of 1 to `max` bytes; `where.key` in messages. */
static int required_string(json_t *obj, const char *where, const char *key, size_t max,
                           const char **out, struct rule_error *err)
{
    json_t *v = member(obj, key);
    if (v == NULL)
        return rule_fail(err, ERR_BAD_REQUEST, "%s%s%s is required", where, where[0] ? "." : "",
                         key);
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max)
        return rule_fail(err, ERR_BAD_REQUEST, "%s%s%s must be a string of 1 to %zu characters",
                         where, where[0] ? "." : "", key, max);
    *out = json_string_value(v);
    return 0;
}

/* source (and restore_point): instance_id, type backup (backup_id) or timestamp
 * (restore_time in UNIX milliseconds); the member the type does not use is not read. */
static int source_from_json(json_t *obj, const char *where, struct restore_source *out,
                            struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    if (obj == NULL || json_is_null(obj))
        return rule_fail(err, ERR_BAD_REQUEST, "%s is required", where);
    if (!json_is_object(obj))
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be an object", where);
    out->as_sent = obj;
    const char *type;
    if (required_string(obj, where, "instance_id", INSTANCE_ID_MAX, &out->instance_id, err) != 0 ||
        required_string(obj, where, "type", 16, &type, err) != 0)
        return -1;
    if (strcmp(type, "backup") == 0) {
        out->from_backup = true;
        return required_string(obj, where, "backup_id", 64, &out->backup_id, err);
    }
    if (strcmp(type, "timestamp") != 0)
        return rule_fail(err, ERR_BAD_REQUEST, "%s.type must be backup or timestamp", where);
    json_t *t = member(obj, "restore_time");
    if (t == NULL)
        return rule_fail(err, ERR_BAD_REQUEST, "%s.restore_time is required for a timestamp",
                         where);
    /* A whole number, written as JSON likes (1.0 is an integer to JSON Schema too). */
    double v = json_number_value(t);
    if (!json_is_number(t) || v < 0 || v > 9e15 || v != (double)(int64_t)v)
        return rule_fail(err, ERR_BAD_REQUEST,
                         "%s.restore_time must be a time in UNIX milliseconds", where);
    out->restore_time_ms = json_is_integer(t) ? json_integer_value(t) : (int64_t)v;
    return 0;
}

int recovery_request_from_json(json_t *body, struct recovery_request *out, struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    if (source_from_json(json_object_get(body, "source"), "source", &out->source, err) != 0)
        return -1;
    json_t *target = member(body, "target");
    if (target == NULL)
        return rule_fail(err, ERR_BAD_REQUEST, "target is required");
    if (!json_is_object(target))
        return rule_fail(err, ERR_BAD_REQUEST, "target must be an object");
    return required_string(target, "target", "instance_id", INSTANCE_ID_MAX, &out->target_id, err);
}

/* 4 to 64 characters: a letter, then letters, digits, '-', '_' and '.'. */
static bool restore_name_is_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > RESTORE_NAME_MAX ||
        !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

/* The optional members the instance API shows, each of its type; copied into `placement`. */
static int placement_from_json(json_t *body, json_t *placement, struct rule_error *err)
{
    static const char *const strings[] = {"region", "vpc_id", "subnet_id", "security_group_id"};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        json_t *v = member(body, strings[i]);
        if (v == NULL)
            continue;
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 64)
            return rule_fail(err, ERR_BAD_REQUEST, "%s must be a string of 1 to 64 characters",
                             strings[i]);
        json_object_set(placement, strings[i], v);
    }
    json_t *port = member(body, "port");
    if (port != NULL) {
        if (!json_is_integer(port) || json_integer_value(port) < 1 ||
            json_integer_value(port) > 65535)
            return rule_fail(err, ERR_BAD_REQUEST, "port must be a whole number from 1 to 65535");
        json_object_set(placement, "port", port);
    }
    json_t *ha = member(body, "ha");
    if (ha != NULL) {
        if (!json_is_object(ha))
            return rule_fail(err, ERR_BAD_REQUEST, "ha must be an object");
        json_object_set(placement, "ha", ha);
    }
    return 0;
}

static int volume_from_json(json_t *body, json_t *placement, struct rule_error *err)
{
    json_t *volume = member(body, "volume");
    const char *type;
    if (volume == NULL)
        return rule_fail(err, ERR_BAD_REQUEST, "volume is required");
    if (!json_is_object(volume))
        return rule_fail(err, ERR_BAD_REQUEST, "volume must be an object {type, size}");
    if (required_string(volume, "volume", "type", 64, &type, err) != 0)
        return -1;
    json_t *size = member(volume, "size");
    if (!json_is_integer(size) || json_integer_value(size) < 1)
        return rule_fail(err, ERR_BAD_REQUEST, "volume.size must be a whole number of GB from 1");
    json_object_set_new(placement, "volume", json_pack("{s:s, s:O}", "type", type, "size", size));
    return 0;
}

/* backup_strategy: start_time (as the v3 policy's) and keep_days, every weekday; its keep_days
 * range is checked against the source's engine later. Any fault is a 400 DBS.200001. */
static int strategy_from_json(json_t *body, struct restore_new_request *out, struct rule_error *err)
{
    json_t *strategy = member(body, "backup_strategy");
    if (strategy == NULL)
        return 0;
    if (!json_is_object(strategy))
        return rule_fail(err, ERR_BAD_REQUEST, "backup_strategy must be an object");
    json_t *with_period = json_deep_copy(strategy);
    json_object_set_new(with_period, "period", json_string("1,2,3,4,5,6,7"));
    int rc = policy_input_from_json(with_period, "backup_strategy", &out->strategy, err);
    json_decref(with_period);
    if (rc != 0) {
        err->err = ERR_BAD_REQUEST;
        return -1;
    }
    out->has_strategy = true;
    return 0;
}

int restore_new_request_from_json(json_t *body, struct restore_new_request *out,
                                  struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    out->placement = json_object();
    json_t *point = member(body, "restore_point");
    if (point == NULL)
        return rule_fail(err, ERR_BAD_REQUEST,
                         "restore_point is required: rdsemu makes instances by restoring only");
    const char *flavor, *zone;
    if (required_string(body, "", "name", RESTORE_NAME_MAX, &out->name, err) != 0)
        return -1;
    if (!restore_name_is_valid(out->name))
        return rule_fail(err, ERR_BAD_REQUEST,
                         "name must be 4 to 64 characters: a letter, then letters, digits, -, _ "
                         "and .");
    if (required_string(body, "", "flavor_ref", 128, &flavor, err) != 0 ||
        required_string(body, "", "availability_zone", 128, &zone, err) != 0 ||
        volume_from_json(body, out->placement, err) != 0 ||
        source_from_json(point, "restore_point", &out->source, err) != 0)
        return -1;
    json_object_set_new(out->placement, "flavor_ref", json_string(flavor));
    json_object_set_new(out->placement, "availability_zone", json_string(zone));
    json_t *datastore = member(body, "datastore");
    if (datastore != NULL) {
        if (!json_is_object(datastore))
            return rule_fail(err, ERR_BAD_REQUEST, "datastore must be an object {type, version}");
        if (required_string(datastore, "datastore", "type", 16, &out->engine, err) != 0 ||
            required_string(datastore, "datastore", "version", 64, &out->version, err) != 0)
            return -1;
        if ((out->engine = engine_canonical(out->engine)) == NULL)
            return rule_fail(err, ERR_BAD_REQUEST,
                             "datastore.type must be MySQL, PostgreSQL or SQLServer");
    }
    return strategy_from_json(body, out, err) != 0 ||
                   placement_from_json(body, out->placement, err) != 0
               ? -1
               : 0;
}
