/* Wire formats of time. All times are UTC; the emulator never uses local time. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rdsemu/base/timefmt.h"

bool time_in_range(int64_t t)
{
    return t >= TIME_MIN && t <= TIME_MAX;
}

int64_t time_clamp(int64_t t)
{
    return t < TIME_MIN ? TIME_MIN : t > TIME_MAX ? TIME_MAX : t;
}

/* "YYYY-MM-DDTHH:MM:SS" into `out` (TIME_V1_LEN + 1 bytes). The time is clamped into range,
 * so the year has four digits and the text exactly TIME_V1_LEN characters; should strftime
 * still write anything else, the earliest time is written instead of a cut or unterminated
 * text. */
static void format_fixed(int64_t t, char out[TIME_V1_LEN + 1])
{
    static const char earliest[] = "1970-01-01T00:00:00";
    time_t tt = (time_t)time_clamp(t);
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL ||
        strftime(out, TIME_V1_LEN + 1, "%Y-%m-%dT%H:%M:%S", &tm) != TIME_V1_LEN)
        memcpy(out, earliest, sizeof(earliest));
}

void time_format_v1(int64_t t, char out[TIME_V1_LEN + 1])
{
    format_fixed(t, out);
}

void time_format_v3(int64_t t, char out[TIME_V3_LEN + 1])
{
    format_fixed(t, out);
    memcpy(out + TIME_V1_LEN, "+0000", 6);
}

void time_format_rfc3339_micro(int64_t t, char out[TIME_RFC3339_MICRO_LEN + 1])
{
    format_fixed(t, out);
    memcpy(out + TIME_V1_LEN, ".000000Z", 9);
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Howard Hinnant's algorithms (days_from_civil, civil_from_days). */
int64_t time_days_from_civil(int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    unsigned year_of_era = (unsigned)(year - era * 400);
    unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + (int64_t)day_of_era - 719468;
}

void time_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned day_of_era = (unsigned)(days - era * 146097);
    unsigned year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    unsigned mp = (5 * day_of_year + 2) / 153;
    *day = day_of_year - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)year_of_era + era * 400 + (*month <= 2);
}

bool time_date_valid(int64_t year, unsigned month, unsigned day)
{
    static const unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month >= 1 && month <= 12 && day >= 1 &&
           day <= month_days[month - 1] + (month == 2 && leap);
}

int time_parse_v3(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se, oh, om;
    if (strlen(s) != TIME_V3_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || (s[19] != '+' && s[19] != '-'))
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se) ||
        digits(s + 20, 2, &oh) || digits(s + 22, 2, &om))
        return -1;
    if (!time_date_valid(y, (unsigned)mo, (unsigned)d))
        return -1;
    if (h > 23 || mi > 59 || se > 59 || oh > 23 || om > 59)
        return -1;
    int64_t offset = (int64_t)oh * 3600 + om * 60;
    if (s[19] == '-')
        offset = -offset;
    *out = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se -
           offset;
    return 0;
}
