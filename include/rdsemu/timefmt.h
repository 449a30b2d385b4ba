/* The two wire formats of time: v1 "YYYY-MM-DDTHH:MM:SS", v3 "YYYY-MM-DDTHH:MM:SS+0000". */
#ifndef RDSEMU_TIMEFMT_H
#define RDSEMU_TIMEFMT_H

#include <stdint.h>

#define TIME_V1_LEN 19
#define TIME_V3_LEN 24

void time_format_v1(int64_t t, char out[TIME_V1_LEN + 1]);
void time_format_v3(int64_t t, char out[TIME_V3_LEN + 1]);
/* 0 and `*out` set when `s` is exactly a v3 time (offset +0000 or another ±hhmm); else -1. */
int time_parse_v3(const char *s, int64_t *out);

#endif
