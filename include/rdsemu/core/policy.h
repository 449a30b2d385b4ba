/* The v1 backup policy rules (docs/api.md): keepday 0-732, starttime hh:mm or hh:mm:ss. */
#ifndef RDSEMU_POLICY_H
#define RDSEMU_POLICY_H

#define POLICY_KEEPDAY_MAX 732

/* 0 with `out` = "hh:mm:ss" when `in` is "hh:mm" or "hh:mm:ss" in range; -1 otherwise. */
int policy_starttime_normalize(const char *in, char out[9]);

#endif
