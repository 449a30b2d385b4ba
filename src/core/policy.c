/* The automated backup policy (include/rdsemu/core/policy.h, docs/policy.md). */
#include <string.h>

#include "rdsemu/core/policy.h"

#define DAY_SECONDS 86400

void policy_default(struct backup_policy *out)
{
    out->keep_days = POLICY_DEFAULT_KEEP;
    memcpy(out->start, POLICY_DEFAULT_START, sizeof(out->start));
    out->weekdays = POLICY_ALL_WEEKDAYS;
}

/* Two digits at `s` in [0, max]: their value, or -1. */
static int two_digits(const char *s, int max)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v <= max ? v : -1;
}

int policy_starttime_normalize(const char *in, char out[9])
{
    size_t len = strlen(in);
    if ((len != 5 && len != 8) || in[2] != ':' || two_digits(in, 23) < 0 ||
        two_digits(in + 3, 59) < 0)
        return -1;
    if (len == 8 && (in[5] != ':' || two_digits(in + 6, 59) < 0))
        return -1;
    memcpy(out, in, 5);
    memcpy(out + 5, len == 8 ? in + 5 : ":00", 3);
    out[8] = '\0';
    return 0;
}

/* Writes `v` (0 to 99) as two digits. */
static void put_two_digits(char *out, int v)
{
    out[0] = (char)('0' + v / 10 % 10);
    out[1] = (char)('0' + v % 10);
}

int policy_window_parse(const char *in, char start[9])
{
    if (strlen(in) != POLICY_WINDOW_TEXT_LEN || in[2] != ':' || in[5] != '-' || in[8] != ':')
        return -1;
    int hh = two_digits(in, 23), mm = two_digits(in + 3, 59);
    int end_hh = two_digits(in + 6, 23), end_mm = two_digits(in + 9, 59);
    if (hh < 0 || mm < 0 || end_hh < 0 || end_mm < 0 || mm % 15 != 0)
        return -1;
    if (end_hh != (hh + 1) % 24 || end_mm != mm)
        return -1;
    memcpy(start, "hh:mm:00", 9);
    put_two_digits(start, hh);
    put_two_digits(start + 3, mm);
    return 0;
}

void policy_window_format(const char start[9], char out[POLICY_WINDOW_TEXT_LEN + 1])
{
    int hh = two_digits(start, 23), mm = two_digits(start + 3, 59);
    if (hh < 0 || mm < 0)
        hh = mm = 0; /* never stored: the store only keeps checked times */
    memcpy(out, "hh:mm-HH:MM", POLICY_WINDOW_TEXT_LEN + 1);
    put_two_digits(out, hh);
    put_two_digits(out + 3, mm);
    put_two_digits(out + 6, (hh + 1) % 24);
    put_two_digits(out + 9, mm);
}

int policy_period_parse(const char *in, unsigned *weekdays)
{
    unsigned bits = 0;
    int last = 0;
    const char *p = in;
    if (*p == '\0')
        return -1;
    for (;;) {
        if (*p < '1' || *p > '7' || *p - '0' <= last)
            return -1;
        last = *p - '0';
        bits |= 1u << (last - 1);
        p++;
        if (*p == '\0')
            break;
        if (*p != ',')
            return -1;
        p++;
    }
    *weekdays = bits;
    return 0;
}

void policy_period_format(unsigned weekdays, char out[POLICY_PERIOD_TEXT_MAX])
{
    size_t n = 0;
    for (int d = 1; d <= 7; d++) {
        if (!(weekdays & (1u << (d - 1))))
            continue;
        if (n > 0)
            out[n++] = ',';
        out[n++] = (char)('0' + d);
    }
    out[n] = '\0';
}

void policy_keep_days_range(const char *engine, int *min, int *max)
{
    bool postgres = strcmp(engine, "PostgreSQL") == 0;
    *min = postgres ? 0 : 1;
    *max = postgres ? POLICY_KEEP_DAYS_PG_MAX : POLICY_KEEP_DAYS_MAX;
}

/* Days since the epoch, rounded down (times before it never reach here). */
static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / DAY_SECONDS : -((-t + DAY_SECONDS - 1) / DAY_SECONDS);
}

int policy_weekday(int64_t t)
{
    int64_t d = day_of(t);
    /* 1970-01-01 was a Thursday (ISO weekday 4). */
    int64_t w = (d + 3) % 7;
    return (int)(w < 0 ? w + 7 : w) + 1;
}

int64_t policy_next_window(const struct backup_policy *p, int64_t after)
{
    if ((p->weekdays & POLICY_ALL_WEEKDAYS) == 0)
        return -1;
    int64_t start = two_digits(p->start, 23) * 3600 + two_digits(p->start + 3, 59) * 60 +
                    two_digits(p->start + 6, 59);
    /* Within eight days from the day of `after` every weekday comes once past `after`. */
    for (int64_t d = day_of(after); d <= day_of(after) + 8; d++) {
        int64_t w = d * DAY_SECONDS + start;
        if (w > after && (p->weekdays & (1u << (policy_weekday(w) - 1))))
            return w;
    }
    return -1;
}
