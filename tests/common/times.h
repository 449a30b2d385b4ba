/* The time texts of the APIs: v1 "YYYY-MM-DDTHH:MM:SS" (TIME_V1: no zone) and v3 and the control
 * plane "YYYY-MM-DDTHH:MM:SS+0000" (TIME_V3), checked, read as seconds since the epoch (UTC) and
 * written back. */
#ifndef RDSEMU_TEST_TIMES_H
#define RDSEMU_TEST_TIMES_H

#include <stdbool.h>
#include <stdint.h>

#define TIME_V1 ""
#define TIME_V3 "+0000"
/* Room for a time text with a zone of up to 7 characters ("%2B0000" in a query). */
#define TIME_TEXT_MAX 32

bool text_is_v1_time(const char *s);
bool text_is_v3_time(const char *s);
/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS" + `zone`, or -1 when `s` is not exactly
 * that. */
int64_t time_parse(const char *s, const char *zone);
/* `t` (years 0 to 9999) as "YYYY-MM-DDTHH:MM:SS" + `zone` into `out`; returns `out`. */
const char *time_format(int64_t t, const char *zone, char out[TIME_TEXT_MAX]);
/* Seconds from now (system UTC) to a v1 time; a huge number when it is not one. */
long long v1_time_seconds_from_now(const char *v1_time);

#endif
