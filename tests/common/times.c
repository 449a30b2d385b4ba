/* The time texts of the APIs. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "times.h"

/* True when `s` is `form`, with 'd' standing for any digit. */
static bool text_has_form(const char *s, const char *form)
{
    if (s == NULL || strlen(s) != strlen(form))
        return false;
    for (size_t i = 0; form[i] != '\0'; i++)
        if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
            return false;
    return true;
}

bool text_is_v1_time(const char *s)
{
    return text_has_form(s, "dddd-dd-ddTdd:dd:dd");
}

bool text_is_v3_time(const char *s)
{
    return text_has_form(s, "dddd-dd-ddTdd:dd:dd+0000");
}

int64_t time_parse(const char *s, const char *zone)
{
    char head[20];
    if (s == NULL || strlen(s) != 19 + strlen(zone) || strcmp(s + 19, zone) != 0)
        return -1;
    memcpy(head, s, 19);
    head[19] = '\0';
    struct tm tm = {0};
    if (!text_is_v1_time(head) || sscanf(head, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
                                         &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

const char *time_format(int64_t t, const char *zone, char out[TIME_TEXT_MAX])
{
    time_t when = (time_t)t;
    struct tm tm;
    gmtime_r(&when, &tm);
    /* Fields narrowed to their ranges, so the compiler sees the text fits. */
    snprintf(out, TIME_TEXT_MAX, "%04u-%02u-%02uT%02u:%02u:%02u%.7s",
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             (unsigned)tm.tm_sec % 100u, zone);
    return out;
}

long long v1_time_seconds_from_now(const char *v1_time)
{
    if (!text_is_v1_time(v1_time))
        return 1LL << 40;
    return (long long)time_parse(v1_time, TIME_V1) - (long long)time(NULL);
}
