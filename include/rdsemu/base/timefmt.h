/* The wire formats of time: v1 "YYYY-MM-DDTHH:MM:SS", v3 "YYYY-MM-DDTHH:MM:SS+0000", and the
 * identity routes' RFC 3339 "YYYY-MM-DDTHH:MM:SS.000000Z". */
#ifndef RDSEMU_TIMEFMT_H
#define RDSEMU_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

#define TIME_V1_LEN            19
#define TIME_V3_LEN            24
#define TIME_RFC3339_MICRO_LEN 27

/* The times the emulator shows: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, so that every
 * time has a four-digit year and its formats their fixed lengths (docs/guarantees.md
 * "Limits"). */
#define TIME_MIN        0LL
#define TIME_MAX        253402300799LL
#define TIME_RANGE_TEXT "1970-01-01T00:00:00+0000 to 9999-12-31T23:59:59+0000"

bool time_in_range(int64_t t);
/* `t` brought into [TIME_MIN, TIME_MAX]. */
int64_t time_clamp(int64_t t);

/* `t` clamped into range first, so the text always has exactly its length. */
void time_format_v1(int64_t t, char out[TIME_V1_LEN + 1]);
void time_format_v3(int64_t t, char out[TIME_V3_LEN + 1]);
/* RFC 3339 in UTC with microseconds, as IAM writes a token's expires_at; the emulator's clock
 * counts whole seconds, so they are always 000000. */
void time_format_rfc3339_micro(int64_t t, char out[TIME_RFC3339_MICRO_LEN + 1]);
/* 0 and `*out` set when `s` is exactly a v3 time (offset +0000 or another ±hhmm); else -1.
 * The result may be out of range (year 0000, or an offset across either end). */
int time_parse_v3(const char *s, int64_t *out);

/* The proleptic Gregorian calendar: days since 1970-01-01 of a date, and back. */
int64_t time_days_from_civil(int64_t year, unsigned month, unsigned day);
void time_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day);
/* True when the day exists: month 1 to 12, the day within the month, 29 February in leap
 * years only. */
bool time_date_valid(int64_t year, unsigned month, unsigned day);

#endif
