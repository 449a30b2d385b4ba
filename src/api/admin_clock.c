/* The emulator clock (docs/emulator.md): tests move time instead of sleeping, and may freeze it
 * so that no second ticks between two of their calls (docs/emulator.md "Clock"). */
#include "clock_control.h"
#include "handlers.h"
#include "respond.h"
#include "rdsemu/base/timefmt.h"

/* A hundred years: far enough for any test, small enough to stay a valid date. */
#define ADVANCE_MAX (100LL * 366 * 24 * 3600)

static void reply_clock(struct call *call)
{
    char now[TIME_V3_LEN + 1];
    time_format_v3(clock_now(&call->api->clock), now);
    respond_json(call, 200,
                 json_pack("{s:s, s:I, s:b}", "now", now, "offset_seconds",
                           (json_int_t)clock_offset(&call->api->clock), "frozen",
                           clock_is_frozen(&call->api->clock)));
}

void admin_clock_get(struct call *call)
{
    reply_clock(call);
}

/* The 400 of a move that would take the clock out of the times it can show. */
static void reply_out_of_range(struct call *call, const struct clock_change *change)
{
    if (change->set) {
        respond_error(call, ERR_BAD_REQUEST, "now must be from %s (in UTC)", TIME_RANGE_TEXT);
        return;
    }
    char now[TIME_V3_LEN + 1];
    time_format_v3(clock_now(&call->api->clock), now);
    respond_error(call, ERR_BAD_REQUEST,
                  "advance_seconds %lld would take the clock past 9999-12-31T23:59:59+0000, the "
                  "latest time it can show (it shows %s)",
                  (long long)change->advance, now);
}

void admin_clock_post(struct call *call)
{
    json_t *body = call_body_or_reply(call);
    if (body == NULL)
        return;
    json_t *advance = json_object_get(body, "advance_seconds");
    json_t *now = json_object_get(body, "now");
    json_t *freeze = json_object_get(body, "freeze");
    if (advance != NULL && json_is_null(advance))
        advance = NULL;
    if (now != NULL && json_is_null(now))
        now = NULL;
    if (freeze != NULL && json_is_null(freeze))
        freeze = NULL;
    struct clock_change change = {.freeze = freeze == NULL ? -1 : json_is_true(freeze)};
    if (advance != NULL && now != NULL) {
        respond_error(call, ERR_BAD_REQUEST, "give advance_seconds or now, not both");
    } else if (advance == NULL && now == NULL && freeze == NULL) {
        respond_error(call, ERR_BAD_REQUEST, "give advance_seconds or now, and/or freeze");
    } else if (freeze != NULL && !json_is_boolean(freeze)) {
        respond_error(call, ERR_BAD_REQUEST, "freeze must be true or false");
    } else if (advance != NULL && (!json_is_integer(advance) || json_integer_value(advance) < 0 ||
                                   json_integer_value(advance) > ADVANCE_MAX)) {
        respond_error(call, ERR_BAD_REQUEST,
                      "advance_seconds must be a whole number from 0 to %lld", ADVANCE_MAX);
    } else if (now != NULL &&
               (!json_is_string(now) || time_parse_v3(json_string_value(now), &change.now) != 0)) {
        respond_error(call, ERR_BAD_REQUEST, "now must be a time like 2026-01-31T08:00:00+0000");
    } else {
        change.set = now != NULL;
        change.advance = advance != NULL ? json_integer_value(advance) : 0;
    }
    if (call->http.replied)
        return;
    int rc = clock_change_apply(call->api, &change);
    if (rc < 0)
        respond_internal(call);
    else if (rc > 0)
        reply_out_of_range(call, &change);
    else
        reply_clock(call);
}
