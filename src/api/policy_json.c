/* The v3 backup_policy object (src/api/policy_json.h, docs/policy.md). */
#include <string.h>

#include "policy_json.h"

static json_t *member(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    return json_is_null(v) ? NULL : v; /* null means absent */
}

int policy_input_from_json(json_t *policy, const char *where, struct policy_input *out,
                           struct rule_error *err)
{
    memset(out, 0, sizeof(*out));
    if (policy == NULL || json_is_null(policy))
        return rule_fail(err, ERR_BAD_REQUEST, "%s is required", where);
    if (!json_is_object(policy))
        return rule_fail(err, ERR_BAD_REQUEST, "%s must be an object", where);
    json_t *keep = member(policy, "keep_days");
    if (keep == NULL)
        return rule_fail(err, ERR_POLICY_KEEP_DAYS, "%s.keep_days is required", where);
    if (!json_is_integer(keep))
        return rule_fail(err, ERR_BAD_REQUEST, "%s.keep_days must be an integer", where);
    out->keep_days = json_integer_value(keep);
    if (out->keep_days == 0)
        return 0; /* automated backups off: the window and the weekdays are not read */

    json_t *start = member(policy, "start_time");
    if (start != NULL && !json_is_string(start))
        return rule_fail(err, ERR_BAD_REQUEST, "%s.start_time must be a string", where);
    if (start == NULL || policy_window_parse(json_string_value(start), out->start) != 0)
        return rule_fail(err, ERR_POLICY_START_TIME,
                         "%s.start_time must be hh:mm-HH:MM (UTC), HH one hour after hh, the "
                         "minutes 00, 15, 30 or 45 and the same in both",
                         where);
    json_t *period = member(policy, "period");
    if (period != NULL && !json_is_string(period))
        return rule_fail(err, ERR_BAD_REQUEST, "%s.period must be a string", where);
    if (period == NULL || policy_period_parse(json_string_value(period), &out->weekdays) != 0)
        return rule_fail(err, ERR_POLICY_PERIOD,
                         "%s.period must list weekdays 1 (Monday) to 7 (Sunday), comma-separated "
                         "and ascending, such as 1,3,5",
                         where);
    return 0;
}

int policy_input_apply(const struct policy_input *in, const char *engine, const char *where,
                       struct backup_policy *policy, struct rule_error *err)
{
    int min, max;
    policy_keep_days_range(engine, &min, &max);
    if (in->keep_days < min || in->keep_days > max)
        return rule_fail(err, ERR_POLICY_KEEP_DAYS, "%s.keep_days must be from %d to %d for %s%s",
                         where, min, max, engine,
                         min == 0 ? " (0 turns automated backups off)" : "");
    policy->keep_days = (int)in->keep_days;
    if (in->keep_days > 0) {
        memcpy(policy->start, in->start, sizeof(policy->start));
        policy->weekdays = in->weekdays;
    }
    return 0;
}

json_t *policy_to_json(const struct backup_policy *policy)
{
    if (policy->keep_days == 0)
        return json_pack("{s:i}", "keep_days", 0);
    char window[POLICY_WINDOW_TEXT_LEN + 1], period[POLICY_PERIOD_TEXT_MAX];
    policy_window_format(policy->start, window);
    policy_period_format(policy->weekdays, period);
    return json_pack("{s:i, s:s, s:s}", "keep_days", policy->keep_days, "start_time", window,
                     "period", period);
}
