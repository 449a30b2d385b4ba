/* The automated backup policy's rules (docs/policy.md): the v3 window and period texts, the
 * keep_days ranges, and the window starts on the calendar. */
#include <string.h>

#include "check.h"
#include "rdsemu/core/policy.h"

#define DAY 86400
/* 2026-11-30T00:00:00Z, a Monday. */
#define MONDAY 1795996800LL

static bool window_ok(const char *in, const char *start)
{
    char out[9] = "";
    return policy_window_parse(in, out) == 0 && strcmp(out, start) == 0;
}

static bool window_refused(const char *in)
{
    char out[9];
    return policy_window_parse(in, out) != 0;
}

static void test_window(void)
{
    CHECK(window_ok("08:15-09:15", "08:15:00"));
    CHECK(window_ok("23:00-00:00", "23:00:00"));
    CHECK(window_ok("00:45-01:45", "00:45:00"));
    CHECK(window_refused("08:10-09:10")); /* minutes off the quarter */
    CHECK(window_refused("08:15-10:15")); /* two hours */
    CHECK(window_refused("08:15-09:30")); /* minutes differ */
    CHECK(window_refused("23:00-24:00"));
    CHECK(window_refused("24:00-01:00"));
    CHECK(window_refused("8:15-9:15"));
    CHECK(window_refused("08:15"));
    CHECK(window_refused(""));
    CHECK(window_refused("08:15-09:15 "));
    char text[POLICY_WINDOW_TEXT_LEN + 1];
    policy_window_format("23:30:00", text);
    CHECK_STR(text, "23:30-00:30");
    policy_window_format("10:07:33", text); /* a v1 start shows as it is, seconds dropped */
    CHECK_STR(text, "10:07-11:07");
}

static bool period_is(const char *in, unsigned bits)
{
    unsigned out = 0;
    return policy_period_parse(in, &out) == 0 && out == bits;
}

static void test_period(void)
{
    CHECK(period_is("1,2,3,4,5,6,7", POLICY_ALL_WEEKDAYS));
    CHECK(period_is("1", 0x01));
    CHECK(period_is("7", 0x40));
    CHECK(period_is("1,3,5", 0x15));
    static const char *const refused[] = {"",   "0",  "8",  "3,1", "1,1", "1,,2", "1, 2",
                                          " 1", "1,", ",1", "12",  "1;2", "a"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        unsigned out = 99;
        CHECK(policy_period_parse(refused[i], &out) != 0);
    }
    char text[POLICY_PERIOD_TEXT_MAX];
    policy_period_format(0x15, text);
    CHECK_STR(text, "1,3,5");
    policy_period_format(POLICY_ALL_WEEKDAYS, text);
    CHECK_STR(text, "1,2,3,4,5,6,7");
}

static void test_keep_days(void)
{
    int min, max;
    policy_keep_days_range("MySQL", &min, &max);
    CHECK(min == 1 && max == 732);
    policy_keep_days_range("SQLServer", &min, &max);
    CHECK(min == 1 && max == 732);
    policy_keep_days_range("PostgreSQL", &min, &max);
    CHECK(min == 0 && max == 3660);
}

static void test_windows_on_the_calendar(void)
{
    CHECK_INT(policy_weekday(0), 4); /* 1970-01-01, a Thursday */
    CHECK_INT(policy_weekday(MONDAY), 1);
    CHECK_INT(policy_weekday(MONDAY + 6 * DAY + DAY - 1), 7);
    struct backup_policy p = {7, "08:15:00", POLICY_ALL_WEEKDAYS};
    /* Strictly after: the window at the instant given is not the next one. */
    CHECK_INT(policy_next_window(&p, MONDAY), MONDAY + 8 * 3600 + 15 * 60);
    CHECK_INT(policy_next_window(&p, MONDAY + 8 * 3600 + 15 * 60),
              MONDAY + DAY + 8 * 3600 + 15 * 60);
    /* Only Wednesdays and Sundays. */
    p.weekdays = (1u << 2) | (1u << 6);
    CHECK_INT(policy_next_window(&p, MONDAY), MONDAY + 2 * DAY + 8 * 3600 + 15 * 60);
    CHECK_INT(policy_next_window(&p, MONDAY + 2 * DAY + 9 * 3600), MONDAY + 6 * DAY + 29700);
    CHECK_INT(policy_next_window(&p, MONDAY + 6 * DAY + 29700), MONDAY + 9 * DAY + 29700);
    p.weekdays = 0;
    CHECK_INT(policy_next_window(&p, MONDAY), -1);
    struct backup_policy d;
    policy_default(&d);
    CHECK(d.keep_days == 7 && strcmp(d.start, "00:00:00") == 0 && d.weekdays == 0x7f);
    char v1[9];
    CHECK_INT(policy_starttime_normalize("10:07", v1), 0);
    CHECK_STR(v1, "10:07:00");
    CHECK(policy_starttime_normalize("24:00", v1) != 0);
}

int main(void)
{
    test_window();
    test_period();
    test_keep_days();
    test_windows_on_the_calendar();
    return CHECK_DONE();
}
