/* Time formats and identifiers. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rdsemu/base/clock.h"
#include "rdsemu/core/ids.h"
#include "rdsemu/base/timefmt.h"

static bool is_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return false;
    return true;
}

static bool is_uuid(const char *s)
{
    return strlen(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
           is_lower_hex(s, 8) && is_lower_hex(s + 9, 4) && is_lower_hex(s + 14, 4) &&
           is_lower_hex(s + 19, 4) && is_lower_hex(s + 24, 12);
}

/* Every time is shown within 1970-01-01T00:00:00 .. 9999-12-31T23:59:59, with its fixed length:
 * a time outside (a year of five digits, a negative one) is clamped, never cut or left
 * unterminated. */
static void range_and_clamp(void)
{
    static const struct {
        int64_t t;
        const char *v1;
    } cases[] = {
        {TIME_MAX, "9999-12-31T23:59:59"},  {TIME_MAX + 1, "9999-12-31T23:59:59"},
        {INT64_MAX, "9999-12-31T23:59:59"}, {TIME_MIN, "1970-01-01T00:00:00"},
        {-1, "1970-01-01T00:00:00"},        {INT64_MIN, "1970-01-01T00:00:00"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char v1[TIME_V1_LEN + 1], v3[TIME_V3_LEN + 1], want[TIME_V3_LEN + 1];
        memset(v1, 'x', sizeof(v1));
        memset(v3, 'x', sizeof(v3));
        time_format_v1(cases[i].t, v1);
        time_format_v3(cases[i].t, v3);
        snprintf(want, sizeof(want), "%s+0000", cases[i].v1);
        CHECK(memchr(v1, '\0', sizeof(v1)) != NULL && memchr(v3, '\0', sizeof(v3)) != NULL);
        CHECK_STR(v1, cases[i].v1);
        CHECK_STR(v3, want);
    }
    CHECK(time_in_range(TIME_MIN) && time_in_range(TIME_MAX));
    CHECK(!time_in_range(TIME_MIN - 1) && !time_in_range(TIME_MAX + 1));
    CHECK_INT(time_clamp(TIME_MAX + 5), TIME_MAX);
    CHECK_INT(time_clamp(-5), TIME_MIN);
    CHECK_INT(time_clamp(1473643025), 1473643025);
    /* The parser takes any four-digit year and offset; the caller checks the range. */
    int64_t t;
    CHECK_INT(time_parse_v3("9999-12-31T23:59:59+0000", &t), 0);
    CHECK_INT(t, TIME_MAX);
    CHECK_INT(time_parse_v3("9999-12-31T23:59:59-0100", &t), 0);
    CHECK_INT(t, TIME_MAX + 3600);
    CHECK_INT(time_parse_v3("1970-01-01T00:59:59+0100", &t), 0);
    CHECK_INT(t, -1);
}

/* The clock never shows a time outside the range, whatever its state. */
static void clock_clamped(void)
{
    struct emu_clock clock = {0};
    clock_freeze_at(&clock, TIME_MAX + 100, 0);
    CHECK_INT(clock_now(&clock), TIME_MAX);
    clock_freeze_at(&clock, -100, 0);
    CHECK_INT(clock_now(&clock), TIME_MIN);
    clock_set_offset(&clock, INT64_MAX);
    CHECK_INT(clock_now(&clock), TIME_MAX);
    clock_set_offset(&clock, INT64_MIN);
    CHECK_INT(clock_now(&clock), TIME_MIN);
    CHECK_INT(clock_add_saturating(INT64_MAX, 1), INT64_MAX);
    CHECK_INT(clock_add_saturating(INT64_MIN, -1), INT64_MIN);
    CHECK_INT(clock_add_saturating(2, 3), 5);
}

int main(void)
{
    range_and_clamp();
    clock_clamped();
    char v1[TIME_V1_LEN + 1], v3[TIME_V3_LEN + 1];
    time_format_v1(1473643025, v1);
    CHECK_STR(v1, "2016-09-12T01:17:05");
    time_format_v3(1473643025, v3);
    CHECK_STR(v3, "2016-09-12T01:17:05+0000");
    char rfc[TIME_RFC3339_MICRO_LEN + 1];
    time_format_rfc3339_micro(1796544000, rfc);
    CHECK_STR(rfc, "2026-12-06T08:00:00.000000Z");
    time_format_rfc3339_micro(253402300800LL, rfc); /* clamped, like the others */
    CHECK_STR(rfc, "9999-12-31T23:59:59.000000Z");

    int64_t t;
    CHECK_INT(time_parse_v3("2016-09-12T01:17:05+0000", &t), 0);
    CHECK_INT(t, 1473643025);
    CHECK_INT(time_parse_v3("2016-09-12T09:17:05+0800", &t), 0);
    CHECK_INT(t, 1473643025);
    CHECK_INT(time_parse_v3("2024-02-29T00:00:00+0000", &t), 0);
    CHECK_INT(time_parse_v3("2023-02-29T00:00:00+0000", &t), -1);
    CHECK_INT(time_parse_v3("2016-09-12T01:17:05Z", &t), -1);
    CHECK_INT(time_parse_v3("2016-09-12 01:17:05+0000", &t), -1);
    CHECK_INT(time_parse_v3("2016-13-12T01:17:05+0000", &t), -1);
    CHECK_INT(time_parse_v3("2016-09-12T24:00:00+0000", &t), -1);

    char a[UUID_TEXT_LEN + 1], b[UUID_TEXT_LEN + 1];
    ids_uuid_random(a);
    ids_uuid_random(b);
    CHECK(is_uuid(a));
    CHECK(strcmp(a, b) != 0);
    CHECK(a[14] == '4');                                                 /* version 4 */
    CHECK(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b'); /* RFC 4122 */
    /* Many in a row (past the random block) stay distinct and well formed. */
    char seen[200][UUID_TEXT_LEN + 1];
    bool distinct = true, formed = true;
    for (int i = 0; i < 200; i++) {
        ids_uuid_random(seen[i]);
        formed = formed && is_uuid(seen[i]);
        for (int j = 0; j < i; j++)
            distinct = distinct && strcmp(seen[i], seen[j]) != 0;
    }
    CHECK(distinct);
    CHECK(formed);

    char job[JOB_ID_TEXT_LEN + 1];
    ids_job_id(job);
    CHECK_INT(strlen(job), 32);
    CHECK(is_lower_hex(job, 32));
    /* Job IDs: each one sorts after the one before (the store appends them), with the same
     * process part (16 digits), and none repeats, however fast they are made. */
    bool ordered = true, same_process = true;
    for (int i = 0; i < 10000; i++) {
        char next[JOB_ID_TEXT_LEN + 1];
        ids_job_id(next);
        ordered = ordered && strcmp(next, job) > 0 && is_lower_hex(next, 32);
        same_process = same_process && memcmp(next, job, 16) == 0;
        memcpy(job, next, sizeof(job));
    }
    CHECK(ordered);
    CHECK(same_process);

    /* The same engine+version gives the same ID, every time; another gives another. */
    ids_version_id("MySQL", "5.6.30", a);
    ids_version_id("MySQL", "5.6.30", b);
    CHECK(is_uuid(a));
    CHECK_STR(a, b);
    CHECK(a[14] == '5'); /* name-based (SHA-1) UUID */
    ids_version_id("MySQL", "5.7", b);
    CHECK(strcmp(a, b) != 0);
    ids_version_id("PostgreSQL", "5.6.30", b);
    CHECK(strcmp(a, b) != 0);

    struct emu_clock clock = {0};
    int64_t before = clock_now(&clock);
    clock_set_offset(&clock, 3600);
    CHECK(clock_now(&clock) - before >= 3600 && clock_now(&clock) - before <= 3602);
    CHECK_INT(clock_offset(&clock), 3600);
    CHECK(!clock_is_frozen(&clock));
    /* Frozen: it shows the time it was given, whatever the system time does; the offset
     * reported is that time minus the system's. */
    clock_freeze_at(&clock, 1000000000, 3600);
    CHECK(clock_is_frozen(&clock));
    CHECK_INT(clock_now(&clock), 1000000000);
    int64_t offset = clock_offset(&clock);
    int64_t system = clock_system_now(); /* read after the offset: the same second or one on */
    CHECK(offset == 1000000000 - system || offset == 1000000000 - system + 1);
    /* Running again with an offset. */
    clock_set_offset(&clock, -60);
    CHECK(!clock_is_frozen(&clock));
    CHECK_INT(clock_offset(&clock), -60);
    int64_t shown = clock_now(&clock);
    system = clock_system_now();
    CHECK(shown - system >= -61 && shown - system <= -60);
    return CHECK_DONE();
}
