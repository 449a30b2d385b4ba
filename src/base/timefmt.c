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

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
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
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap))
        return -1;
    if (h > 23 || mi > 59 || se > 59 || oh > 23 || om > 59)
        return -1;
    int64_t offset = (int64_t)oh * 3600 + om * 60;
    if (s[19] == '-')
        offset = -offset;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
    return 0;
}
